"""The columns of HR's staff list, as the import reads them and the export writes them.

Field facts (lengths, choices, help) come from the Technician model; the checks from the
kernel's column kinds (portal.imports.columns). The page's help table and the README's table
are both `STAFF_COLUMNS.documentation()` / `.markdown_table()`.
"""

from __future__ import annotations

from collections.abc import Mapping

from portal.imports.columns import (
    ChoiceColumn,
    ColumnSet,
    DateColumn,
    DecimalColumn,
    EmailColumn,
    ReferenceColumn,
    TextColumn,
    YesNoColumn,
)
from technicians.models import Department, Technician

KIND = "staff-list"
_field = Technician._meta.get_field


def departments_by_key(keys: set[str]) -> Mapping[str, Department]:
    """Departments by lower-case slug and name (a name wins over another's slug)."""
    found: dict[str, Department] = {}
    departments = list(Department.objects.all())
    found.update({department.slug.lower(): department for department in departments})
    found.update({department.name.lower(): department for department in departments})
    return found


STAFF_COLUMNS = ColumnSet(
    columns=(
        TextColumn(
            name="staff_number",
            label="staff number",
            required=True,
            model_field=_field("staff_number"),
            pattern=r"[A-Za-z0-9-]+",
            help="The HR system's staff number: letters, digits and hyphens. Rows are matched "
            "to technicians by it.",
            messages={
                "pattern": 'invalid staff number "{value}": use letters, digits and hyphens only'
            },
        ),
        TextColumn(
            name="first_name",
            required=True,
            model_field=_field("first_name"),
            help="As in the HR system.",
        ),
        TextColumn(
            name="last_name",
            required=True,
            model_field=_field("last_name"),
            help="As in the HR system.",
        ),
        EmailColumn(
            name="email",
            required=True,
            model_field=_field("email"),
            help="Work email address, unique. People log in with it.",
        ),
        TextColumn(
            name="job_title",
            required=True,
            model_field=_field("job_title"),
            help="As in the HR system.",
        ),
        ChoiceColumn(
            name="role_family",
            label="role family",
            required=True,
            model_field=_field("role_family"),
        ),
        TextColumn(name="grade", model_field=_field("grade"), help="For example 5 or T&R 6."),
        ReferenceColumn(
            name="department",
            required=True,
            load=departments_by_key,
            help="The department's name or its short name (slug). The department must "
            "already exist in the portal.",
            messages={
                "unknown": 'unknown department "{value}": departments must exist in the '
                "portal before the import"
            },
        ),
        TextColumn(
            name="line_manager_staff_number",
            help="The line manager's staff number: someone in the file or already in the "
            "directory.",
        ),
        DateColumn(name="started_on", help="The day they started."),
        YesNoColumn(name="is_apprentice", help="Whether they are an apprentice."),
        YesNoColumn(
            name="is_active",
            optional=True,
            blank=True,
            help="no keeps (or makes) a listed technician inactive.",
        ),
        DecimalColumn(
            name="fte",
            optional=True,
            model_field=_field("fte"),
            help=f"{_field('fte').help_text} Blank keeps the current value (1.00 for someone new).",
            messages={
                "invalid": 'invalid fte "{value}": use a number from {minimum} to '
                "{maximum}, such as 0.6"
            },
        ),
    ),
    ignored=("visibility", "user_linked"),
    missing_message="missing required value: {columns}",
)

# The columns the file's first line must name, in the order the export writes them.
COLUMNS = tuple(STAFF_COLUMNS.header_names)
# Columns the file may leave out: is_active ("no" keeps a listed technician inactive; the
# export writes it, so that importing an export changes nothing) and fte.
OPTIONAL_COLUMNS = tuple(c.name for c in STAFF_COLUMNS.columns if c.optional)
# The export adds fte and is_active (read back by the import, so that importing an export
# changes nothing), and visibility and user_linked, which the import ignores (the technician
# and the login own these).
EXPORT_COLUMNS = (*COLUMNS, "fte", "visibility", "is_active", "user_linked")

# The fields an import compares and writes, with the label the preview shows.
FIELD_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "E-mail",
    "job_title": "Job title",
    "role_family": "Role family",
    "grade": "Grade",
    "department": "Department",
    "line_manager": "Line manager",
    "started_on": "Started on",
    "is_apprentice": "Apprentice",
    "is_active": "Active",
    "fte": "FTE",
}
