"""HR imports registrations from CSV, through the portal's import framework (portal.imports):
a preview listing what would change and every bad row with its line, then an apply that
checks the same file again under lock, refuses if the changes are not the ones previewed, and
writes every row through `services.save_registration`, all or nothing.

Rows are matched by (staff number, register): a new pair adds a registration, a known one is
updated, registrations the file does not mention are left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from portal.imports import ImportFileError, RowError
from portal.imports.changes import UpsertPreview, apply_previewed, plain, sentence
from portal.imports.columns import (
    ChoiceColumn,
    ColumnSet,
    DateColumn,
    ReferenceColumn,
    TextColumn,
)
from registration import permissions, services
from registration.models import ProfessionalBody, Register, Registration
from technicians.import_columns import STAFF_NUMBER_COLUMN
from technicians.models import Technician

KIND = "registrations"
STALE = "The registrations have changed since your preview: review it again"
FIELDS = ("body", "membership_number", "registered_on", "renewal_due_on", "status")
_field = Registration._meta.get_field


def registers_by_code(keys: set[str]) -> Mapping[str, Any]:
    return {register.code.lower(): register for register in Register.objects.all()}


def bodies_by_name(keys: set[str]) -> Mapping[str, Any]:
    """Bodies by short name or full name, with the registers each awards."""
    found: dict[str, Any] = {}
    for body in ProfessionalBody.objects.prefetch_related("registers"):
        body.register_ids = {register.pk for register in body.registers.all()}
        found[body.name.lower()] = body
        if body.short_name:
            found.setdefault(body.short_name.lower(), body)
    return found


COLUMNS = ColumnSet(
    columns=(
        STAFF_NUMBER_COLUMN,
        ReferenceColumn(
            name="register",
            required=True,
            load=registers_by_code,
            help="The register's code: RSciTech, RSci, CSci, EngTech, ICTTech, IEng or CEng.",
            messages={"unknown": "unknown register “{value}”"},
        ),
        ReferenceColumn(
            name="body",
            required=True,
            load=bodies_by_name,
            help="The licensed body or institution, by short name (IST, RSC, IET…) or name.",
            messages={"unknown": "unknown body “{value}”"},
        ),
        TextColumn(
            name="membership number",
            optional=True,
            model_field=_field("membership_number"),
            messages={"too_long": "the membership number is longer than {max_length} characters"},
        ),
        DateColumn(
            name="registered on",
            optional=True,
            messages={"invalid": "bad date “{value}” in registered on (use YYYY-MM-DD)"},
        ),
        DateColumn(
            name="renewal due",
            optional=True,
            messages={"invalid": "bad date “{value}” in renewal due (use YYYY-MM-DD)"},
        ),
        ChoiceColumn(
            name="status",
            optional=True,
            choices=tuple((value, str(label)) for value, label in Registration.Status.choices),
            blank=Registration.Status.ACTIVE,
            help="Blank means active.",
            messages={"invalid": "unknown status “{value}” (use Active, Lapsed or In progress)"},
        ),
    )
)
COLUMN_FIELDS = {
    "body": "body",
    "membership number": "membership_number",
    "registered on": "registered_on",
    "renewal due": "renewal_due_on",
    "status": "status",
}


@dataclass
class RowChange:
    line: int
    technician: Technician
    register: Register
    kind: str  # "new", "changed" or "unchanged"
    values: dict[str, Any] = field(default_factory=dict, repr=False)
    old_values: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def changed_fields(self) -> list[str]:
        labels = {value: key for key, value in COLUMN_FIELDS.items()}
        return [labels[name] for name in self.values if name in self.old_values]


class RegistrationImport(UpsertPreview):
    """An UpsertPreview of RowChange rows, keyed by technician and register."""

    kind = KIND
    stale_message = STALE

    def fingerprint_data(self) -> dict[str, Any]:
        def key(row: RowChange) -> str:
            return f"{row.technician.pk}:{row.register.pk}"

        return {
            "new": {key(row): plain(row.values) for row in self.new},
            "changed": {
                key(row): {"old": plain(row.old_values), "new": plain(row.values)}
                for row in self.changed
            },
        }


def preview_import(text: str) -> RegistrationImport:
    """What importing `text` would do; ImportFileError when the file as a whole is unreadable."""
    parsed = COLUMNS.parse(text)
    columns = COLUMNS.bind(parsed)
    existing = {
        (r.technician_id, r.register_id): r for r in Registration.objects.select_related("body")
    }
    result = RegistrationImport(changes={"new": [], "changed": [], "unchanged": []})
    seen: dict[tuple[int, int], int] = {}
    for row in columns.rows(parsed):
        problems = list(row.problems)
        technician = row.values.get("staff number")
        register = row.values.get("register")
        body = row.values.get("body")
        values = {
            COLUMN_FIELDS[name]: value
            for name, value in row.values.items()
            if name in COLUMN_FIELDS
        }
        if register is not None and body is not None and register.pk not in body.register_ids:
            problems.append(f"{body.name} does not award {register.code}")
        registered_on, renewal = values.get("registered_on"), values.get("renewal_due_on")
        if registered_on and renewal and renewal <= registered_on:
            problems.append("the renewal date must come after the date registered")
        if technician is not None and register is not None:
            pair = (technician.pk, register.pk)
            if pair in seen:
                problems.append(
                    f"{technician.staff_number} and {register.code} again (also on line "
                    f"{seen[pair]})"
                )
            else:
                seen[pair] = row.line
        if problems:
            result.errors.append(RowError(row.line, sentence(problems)))
            continue
        current = existing.get((technician.pk, register.pk))
        if current is None:
            result.changes["new"].append(
                RowChange(row.line, technician, register, "new", values=values)
            )
            continue
        changed = {name: value for name, value in values.items() if getattr(current, name) != value}
        kind = "changed" if changed else "unchanged"
        result.changes[kind].append(
            RowChange(
                row.line,
                technician,
                register,
                kind,
                values=changed,
                old_values={name: getattr(current, name) for name in changed},
            )
        )
    return result


def apply_import(
    user, text: str, *, fingerprint: str | None = None, file_name: str = ""
) -> RegistrationImport:
    """Check `text` again under lock and apply it through the services: every row or none.
    With `fingerprint`, raises StalePreview (changing nothing) when the changes differ from
    the preview's. Records an ImportRun. HR only (PermissionDenied)."""
    if not permissions.can_manage_funding(user):
        raise PermissionDenied("Only HR can import registrations.")
    with transaction.atomic():
        # Lock every registration, so none changes between the check and the writes.
        locked = {
            (r.technician_id, r.register_id): r
            for r in Registration.objects.select_for_update().order_by("pk")
        }
        result = preview_import(text)

        def write(row: RowChange) -> None:
            current = locked.get((row.technician.pk, row.register.pk))
            kept = {} if current is None else {name: getattr(current, name) for name in FIELDS}
            services.save_registration(
                current,
                by=user,
                technician=row.technician,
                register=row.register,
                **(kept | row.values),
            )

        return apply_previewed(result, write, by=user, fingerprint=fingerprint, file_name=file_name)


__all__ = ["COLUMNS", "ImportFileError", "apply_import", "preview_import"]
