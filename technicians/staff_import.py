"""HR's staff list: the columns, reading and checking the HR system's CSV, and the preview.

Everything here is read-only. `technicians.services.apply_staff_import` re-runs
`preview_staff_import` inside its transaction and applies it; the import page and the
`import_technicians` command both go through those two functions.

The file is the FULL staff list: a technician who is active in the directory and absent from
the file is a leaver and is marked inactive (never deleted). A leaver who is in a later file
again is made active again. Rows are matched to technicians by staff number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from portal.imports import (
    DEFAULT_MAX_BYTES,
    ImportFileError,
    Preview,
    RowError,
    decode_csv_text,
    parse_csv,
    read_upload_bytes,
)
from technicians.models import Department, Technician

# The key of a pending staff-list import in the session (portal.imports.stash_import).
STASH_KIND = "staff-list"

# Columns of the HR system's file, in the order the export writes them.
COLUMNS = (
    "staff_number",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "role_family",
    "grade",
    "department",
    "line_manager_staff_number",
    "started_on",
    "is_apprentice",
)
# Columns whose cells must not be blank.
REQUIRED_VALUES = (
    "staff_number",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "role_family",
    "department",
)
# Optional column: "no" keeps (or makes) a technician inactive although listed. The export
# writes it so that importing an export changes nothing.
OPTIONAL_COLUMNS = ("is_active",)
# The export adds visibility and user_linked, which the import ignores (the technician and the
# login own these).
EXPORT_COLUMNS = (*COLUMNS, "visibility", "is_active", "user_linked")

COLUMN_HELP = {
    "staff_number": "The HR system's staff number: letters, digits and hyphens. Rows are "
    "matched to technicians by it.",
    "first_name": "As in the HR system.",
    "last_name": "As in the HR system.",
    "email": "Work e-mail address, unique. People log in with it.",
    "job_title": "As in the HR system.",
    "role_family": "One of: "
    + "; ".join(f"{value} ({label})" for value, label in Technician.RoleFamily.choices)
    + ". The value or the label, in any case.",
    "grade": "Optional, e.g. 5 or T&R 6.",
    "department": "The department's name or its short name (slug). The department must "
    "already exist in the portal.",
    "line_manager_staff_number": "Optional. The line manager's staff number: someone in "
    "the file or already in the directory.",
    "started_on": "Optional. YYYY-MM-DD, or DD/MM/YYYY.",
    "is_apprentice": "yes/no, true/false, 1/0; blank means no.",
    "is_active": "Optional column. no keeps a listed technician inactive; blank means yes.",
}

MAX_LENGTHS = {
    "staff_number": Technician._meta.get_field("staff_number").max_length,
    "first_name": Technician._meta.get_field("first_name").max_length,
    "last_name": Technician._meta.get_field("last_name").max_length,
    "email": Technician._meta.get_field("email").max_length,
    "job_title": Technician._meta.get_field("job_title").max_length,
    "grade": Technician._meta.get_field("grade").max_length,
}
STAFF_NUMBER = re.compile(r"^[A-Za-z0-9-]+$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
TRUE_WORDS = frozenset({"yes", "y", "true", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "0"})

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
}
# Warn when a file would make more than this share of the active technicians leavers.
LEAVER_WARNING_SHARE = 0.2


# --- the rows and the preview ---------------------------------------------------------------------


@dataclass
class StaffRow:
    """One valid row of the file, with its values converted."""

    line: int
    staff_number: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    role_family: str
    grade: str
    department: Department
    line_manager_staff_number: str
    started_on: date | None
    is_apprentice: bool
    is_active: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def model_values(self) -> dict[str, Any]:
        """Field values for Technician, without the line manager (set once all rows exist)."""
        return {
            "staff_number": self.staff_number,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "job_title": self.job_title,
            "role_family": self.role_family,
            "grade": self.grade,
            "department_id": self.department.pk,
            "started_on": self.started_on,
            "is_apprentice": self.is_apprentice,
            "is_active": self.is_active,
        }


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.label}: {self.old or '(blank)'} → {self.new or '(blank)'}"


@dataclass
class Creation:
    line: int
    staff_number: str
    name: str
    job_title: str
    department: str


@dataclass
class Update:
    line: int
    staff_number: str
    name: str
    changes: list[FieldChange]

    @property
    def reactivates(self) -> bool:
        return any(c.field == "is_active" and c.new == "yes" for c in self.changes)


@dataclass
class Leaver:
    staff_number: str
    name: str
    department: str


@dataclass
class StaffPreview(Preview):
    """What importing a staff list would do. `rows` holds the valid rows, for the apply."""

    rows: list[StaffRow] = field(default_factory=list)
    unchanged: int = 0
    total_rows: int = 0
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for key in ("create", "update", "leavers"):
            self.changes.setdefault(key, [])

    @property
    def to_create(self) -> list[Creation]:
        return self.changes["create"]

    @property
    def to_update(self) -> list[Update]:
        return self.changes["update"]

    @property
    def leavers(self) -> list[Leaver]:
        return self.changes["leavers"]

    @property
    def reactivated(self) -> list[Update]:
        return [update for update in self.to_update if update.reactivates]

    @property
    def has_changes(self) -> bool:
        return bool(self.to_create or self.to_update or self.leavers)

    def summary(self) -> str:
        parts = [
            f"{len(self.to_create)} to create",
            f"{len(self.to_update)} to update",
            f"{len(self.leavers)} to mark as {_leavers(len(self.leavers))}",
            f"{self.unchanged} unchanged",
        ]
        if self.reactivated:
            parts.append(f"{len(self.reactivated)} of the updates reactivate a leaver")
        if self.errors:
            parts.append(f"{len(self.errors)} {'error' if len(self.errors) == 1 else 'errors'}")
        return ", ".join(parts)


@dataclass
class StaffImportResult:
    created: int
    updated: int
    leavers: int
    reactivated: int
    unchanged: int

    def summary(self) -> str:
        text = (
            f"{self.created} created, {self.updated} updated, "
            f"{self.leavers} marked as {_leavers(self.leavers)}"
        )
        if self.reactivated:
            text += f", {self.reactivated} reactivated"
        return text + f", {self.unchanged} unchanged"


class StaffImportRefused(Exception):
    """The file (re-checked when applying) has invalid rows: nothing was changed."""

    def __init__(self, preview: StaffPreview):
        self.preview = preview
        super().__init__(
            f"The staff list has {len(preview.errors)} invalid "
            f"{'row' if len(preview.errors) == 1 else 'rows'}: nothing was imported."
        )


def _leavers(count: int) -> str:
    return "leaver" if count == 1 else "leavers"


# --- reading the upload ---------------------------------------------------------------------------


def read_staff_list(upload: Any, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of an uploaded (or opened) file: size capped, UTF-8. Raises ImportFileError."""
    return decode_csv_text(read_upload_bytes(upload, max_bytes))


class StaffListUploadForm(forms.Form):
    file = forms.FileField(
        label="Staff list (CSV file)",
        help_text="The full staff list exported from the HR system, as UTF-8 CSV, at most 5 MB.",
        error_messages={
            "required": "Choose the staff list CSV file to upload.",
            "empty": "The file is empty.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> str:
        """The file's text (not the file): checked by content, whatever its name."""
        try:
            return read_staff_list(self.cleaned_data["file"])
        except ImportFileError as error:
            raise ValidationError(str(error)) from None


# --- checking -------------------------------------------------------------------------------------


def _parse_bool(value: str, column: str, default: bool, errors: list[str]) -> bool:
    word = value.strip().lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    errors.append(f'invalid {column} value "{value}": use yes or no')
    return default


def parse_date(value: str) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY; None for blank. Raises ValueError when not a real date."""
    value = value.strip()
    if not value:
        return None
    if ISO_DATE.match(value):
        return date.fromisoformat(value)
    match = UK_DATE.match(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day)
    raise ValueError(value)


def _role_families() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in Technician.RoleFamily.choices:
        lookup[str(label).lower()] = value
        lookup[value.lower()] = value
    return lookup


class _Directory:
    """What the checks need from the database, read in a handful of queries."""

    def __init__(self) -> None:
        departments = list(Department.objects.all())
        self.departments_by_pk = {d.pk: d for d in departments}
        self.departments = {d.slug.lower(): d for d in departments}
        self.departments.update({d.name.lower(): d for d in departments})  # names win
        self.technicians: dict[str, dict[str, Any]] = {}
        self.by_email: dict[str, dict[str, Any]] = {}
        fields = (
            "pk",
            "staff_number",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "role_family",
            "grade",
            "department_id",
            "line_manager__staff_number",
            "started_on",
            "is_apprentice",
            "is_active",
        )
        for values in Technician.objects.order_by().values(*fields):
            self.technicians[values["staff_number"]] = values
            self.by_email[values["email"].lower()] = values

    def department(self, value: str) -> Department | None:
        return self.departments.get(value.strip().lower())

    def describe(self, staff_number: str, rows: dict[str, StaffRow]) -> str:
        """The "Name (staff number)" of a technician in the file or in the directory."""
        if not staff_number:
            return ""
        if staff_number in rows:
            return f"{rows[staff_number].full_name} ({staff_number})"
        known = self.technicians.get(staff_number)
        if known:
            return f"{known['first_name']} {known['last_name']} ({staff_number})"
        return staff_number


def _check_row(
    line: int, cells: dict[str, str], directory: _Directory, families: dict[str, str]
) -> tuple[StaffRow | None, list[str]]:
    """The row converted, or None, and every problem found in it on its own."""
    problems: list[str] = []
    # Cells come stripped from parse_csv; a leading tab or CR there was guarded on export.
    value = {column: cells.get(column, "") for column in (*COLUMNS, *OPTIONAL_COLUMNS)}
    missing = [column for column in REQUIRED_VALUES if not value[column].strip()]
    if missing:
        problems.append("missing required value: " + ", ".join(missing))
    for column, limit in MAX_LENGTHS.items():
        if limit and len(value[column]) > limit:
            problems.append(f"{column} is too long (at most {limit} characters)")
    staff_number = value["staff_number"]
    if staff_number and not STAFF_NUMBER.match(staff_number):
        problems.append(
            f'invalid staff number "{staff_number}": use letters, digits and hyphens only'
        )
    email = value["email"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f'invalid e-mail address "{email}"')
    role_family = ""
    if value["role_family"]:
        role_family = families.get(value["role_family"].lower(), "")
        if not role_family:
            problems.append(
                f'unknown role family "{value["role_family"]}": use one of '
                + ", ".join(Technician.RoleFamily.values)
            )
    department = None
    if value["department"]:
        department = directory.department(value["department"])
        if department is None:
            problems.append(
                f'unknown department "{value["department"]}": departments must exist in the '
                "portal before the import"
            )
    started_on = None
    try:
        started_on = parse_date(value["started_on"])
    except ValueError:
        problems.append(
            f'invalid started_on date "{value["started_on"]}": use YYYY-MM-DD or DD/MM/YYYY'
        )
    is_apprentice = _parse_bool(value["is_apprentice"], "is_apprentice", False, problems)
    is_active = _parse_bool(value["is_active"], "is_active", True, problems)
    manager = value["line_manager_staff_number"]
    if manager and staff_number and manager == staff_number:
        problems.append("a technician cannot be their own line manager")
    if problems:
        return None, problems
    assert department is not None
    return (
        StaffRow(
            line=line,
            staff_number=staff_number,
            first_name=value["first_name"],
            last_name=value["last_name"],
            email=email,
            job_title=value["job_title"],
            role_family=role_family,
            grade=value["grade"],
            department=department,
            line_manager_staff_number=manager,
            started_on=started_on,
            is_apprentice=is_apprentice,
            is_active=is_active,
        ),
        [],
    )


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _changes(row: StaffRow, known: dict[str, Any], directory: _Directory, rows) -> list:
    changes: list[FieldChange] = []

    def compare(name: str, old: Any, new: Any, old_text: str, new_text: str) -> None:
        if old != new:
            changes.append(FieldChange(name, FIELD_LABELS[name], old_text, new_text))

    for name in ("first_name", "last_name", "email", "job_title", "grade"):
        compare(name, known[name], getattr(row, name), known[name], getattr(row, name))
    families = dict(Technician.RoleFamily.choices)
    compare(
        "role_family",
        known["role_family"],
        row.role_family,
        str(families.get(known["role_family"], known["role_family"])),
        str(families[row.role_family]),
    )
    old_department = directory.departments_by_pk.get(known["department_id"])
    compare(
        "department",
        known["department_id"],
        row.department.pk,
        str(old_department or ""),
        row.department.name,
    )
    old_manager = known["line_manager__staff_number"] or ""
    compare(
        "line_manager",
        old_manager,
        row.line_manager_staff_number,
        directory.describe(old_manager, rows),
        directory.describe(row.line_manager_staff_number, rows),
    )
    compare(
        "started_on",
        known["started_on"],
        row.started_on,
        known["started_on"].isoformat() if known["started_on"] else "",
        row.started_on.isoformat() if row.started_on else "",
    )
    for name in ("is_apprentice", "is_active"):
        compare(
            name,
            known[name],
            getattr(row, name),
            _yes_no(known[name]),
            _yes_no(getattr(row, name)),
        )
    return changes


def preview_staff_import(text: str) -> StaffPreview:
    """Check the whole file against the directory and say what importing it would change.

    Raises ImportFileError when the file as a whole cannot be used (no header, a missing
    column, no rows); every problem of a row is a RowError with its line number.
    """
    parsed = parse_csv(text, required=list(COLUMNS), optional=list(OPTIONAL_COLUMNS))
    directory = _Directory()
    families = _role_families()
    preview = StaffPreview(total_rows=len(parsed.rows))
    overlong = set(parsed.overlong_lines)

    rows: dict[str, StaffRow] = {}  # valid rows by staff number
    first_line_of_number: dict[str, int] = {}
    first_line_of_email: dict[str, int] = {}
    wanted_managers: list[tuple[int, str, str]] = []  # (line, staff number, manager's)
    emails: list[tuple[int, str, str]] = []  # (line, staff number, e-mail) of every row
    for line, cells in parsed.rows:
        row, problems = _check_row(line, cells, directory, families)
        if line in overlong:
            problems.append(
                "the row has more cells than the header has columns: is a comma in a value "
                "missing its quotes?"
            )
            row = None
        staff_number = cells.get("staff_number", "").strip()
        if staff_number:
            if staff_number in first_line_of_number:
                problems.append(
                    f'duplicate staff number "{staff_number}": also on line '
                    f"{first_line_of_number[staff_number]}"
                )
                row = None
            else:
                first_line_of_number[staff_number] = line
        email = cells.get("email", "").strip()
        if email:
            if email.lower() in first_line_of_email:
                problems.append(
                    f'duplicate e-mail "{email}": also on line {first_line_of_email[email.lower()]}'
                )
                row = None
            else:
                first_line_of_email[email.lower()] = line
                emails.append((line, staff_number, email))
        manager = cells.get("line_manager_staff_number", "").strip()
        if manager and manager != staff_number:
            wanted_managers.append((line, staff_number, manager))
        preview.errors.extend(RowError(line, problem) for problem in problems)
        if row is not None and not problems:
            rows[row.staff_number] = row

    # Checks across rows and against the directory.
    listed_numbers = set(first_line_of_number)
    for line, _staff_number, manager in wanted_managers:
        if manager not in listed_numbers and manager not in directory.technicians:
            preview.errors.append(
                RowError(
                    line,
                    f'unknown line manager "{manager}": not in the file and not in the directory',
                )
            )
    final_email_of = {number: email.lower() for _line, number, email in emails if number}
    for line, staff_number, email in emails:
        owner = directory.by_email.get(email.lower())
        if owner is None or owner["staff_number"] == staff_number:
            continue
        # The address belongs to someone else, unless this file gives them another one.
        if final_email_of.get(owner["staff_number"], owner["email"].lower()) == email.lower():
            preview.errors.append(
                RowError(
                    line,
                    f'duplicate e-mail "{email}": it belongs to another technician in the '
                    f"directory ({owner['first_name']} {owner['last_name']}, staff number "
                    f"{owner['staff_number']})",
                )
            )
            rows.pop(staff_number, None)
    preview.errors.sort(key=lambda error: error.line)
    preview.rows = sorted(rows.values(), key=lambda row: row.line)

    # What would change.
    for row in preview.rows:
        known = directory.technicians.get(row.staff_number)
        if known is None:
            preview.to_create.append(
                Creation(
                    row.line, row.staff_number, row.full_name, row.job_title, row.department.name
                )
            )
            continue
        changes = _changes(row, known, directory, rows)
        if changes:
            preview.to_update.append(Update(row.line, row.staff_number, row.full_name, changes))
        else:
            preview.unchanged += 1
    active_count = 0
    for number, known in sorted(directory.technicians.items()):
        if not known["is_active"]:
            continue
        active_count += 1
        if number not in listed_numbers:
            department = directory.departments_by_pk.get(known["department_id"])
            preview.leavers.append(
                Leaver(number, f"{known['first_name']} {known['last_name']}", str(department))
            )
    _warn(preview, rows, directory, active_count)
    return preview


def _warn(preview: StaffPreview, rows, directory: _Directory, active_count: int) -> None:
    leaving = {leaver.staff_number for leaver in preview.leavers}
    leaving |= {row.staff_number for row in rows.values() if not row.is_active}
    leaving |= {
        number
        for number, known in directory.technicians.items()
        if not known["is_active"] and number not in rows
    }
    reports: dict[str, list[int]] = {}
    for row in preview.rows:
        manager = row.line_manager_staff_number
        if manager and row.is_active and manager in leaving:
            reports.setdefault(manager, []).append(row.line)
    if active_count and len(preview.leavers) > LEAVER_WARNING_SHARE * active_count:
        preview.warnings.append(
            f"This file would mark {len(preview.leavers)} of the {active_count} active "
            "technicians as leavers. Check that it is the full staff list."
        )
    for manager, lines in reports.items():
        listed = ", ".join(str(line) for line in lines[:10]) + (", …" if len(lines) > 10 else "")
        preview.warnings.append(
            f"{directory.describe(manager, rows)} is or will be inactive (a leaver) but is "
            f"the line manager of {len(lines)} active "
            f"{'technician' if len(lines) == 1 else 'technicians'} in the file "
            f"(line{'s' if len(lines) > 1 else ''} {listed})."
        )


# --- the export -----------------------------------------------------------------------------------


# Where each export column comes from, when it is not the Technician field of the same name.
_EXPORT_SOURCES = {
    "department": "department__name",
    "line_manager_staff_number": "line_manager__staff_number",
    "user_linked": "user_id",
}


def _export_cell(column: str, value: Any) -> Any:
    if column == "user_linked":
        return _yes_no(value is not None)
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def staff_export_rows() -> Iterator[list[Any]]:
    """Every technician (leavers too) as a row of EXPORT_COLUMNS, in one query."""
    sources = [_EXPORT_SOURCES.get(column, column) for column in EXPORT_COLUMNS]
    values = (
        Technician.objects.order_by("staff_number").values_list(*sources).iterator(chunk_size=2000)
    )
    for row in values:
        yield [
            _export_cell(column, value) for column, value in zip(EXPORT_COLUMNS, row, strict=True)
        ]
