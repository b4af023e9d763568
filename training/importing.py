"""Training records imported from CSV (days kept elsewhere until now: a spreadsheet, another
booking system), through the portal's import framework (portal.imports).

A preview lists the records the file adds and every bad row with its line; applying checks the
same file again under lock, refuses if its changes are not the ones previewed, and adds every
record through `services.add_training_record`, all or nothing. A row that matches a record
already in the ledger (same technician, date, category, title and days) is already recorded
and skipped, so importing the same file twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from portal.imports import ImportFileError, Preview, RowError
from portal.imports.changes import apply_previewed, sentence
from portal.imports.columns import (
    ChoiceColumn,
    ColumnSet,
    DateColumn,
    DecimalColumn,
    TextColumn,
)
from technicians.import_columns import STAFF_NUMBER_COLUMN
from technicians.models import Technician
from technicians.selectors import technicians_by_staff_number
from training import permissions, services
from training.models import Category, TrainingRecord

KIND = "training-records"
STALE = "The training records have changed since your preview: review it again"
_field = TrainingRecord._meta.get_field


COLUMNS = ColumnSet(
    columns=(
        STAFF_NUMBER_COLUMN,
        DateColumn(
            name="date",
            required=True,
            help="The day of the training (the first day, for several); not in the future.",
            messages={"invalid": "bad date “{value}” (use YYYY-MM-DD or DD/MM/YYYY)"},
        ),
        DecimalColumn(
            name="days",
            optional=True,
            minimum=Decimal("0.01"),
            maximum=Decimal("100"),
            places=2,
            help="Training days, e.g. 0.5. Give days or hours.",
            messages={"invalid": "bad number of days “{value}” (use a number from 0.01 to 100)"},
        ),
        DecimalColumn(
            name="hours",
            optional=True,
            minimum=Decimal("0.1"),
            maximum=Decimal("700"),
            places=2,
            help="Hours instead of days: converted at TRAINING_HOURS_PER_DAY (7) a day.",
            messages={"invalid": "bad number of hours “{value}” (use a number from 0.1 to 700)"},
        ),
        ChoiceColumn(
            name="category",
            required=True,
            choices=tuple((value, str(label)) for value, label in Category.choices),
            messages={
                "invalid": "unknown category “{value}” (use on the job, conference or "
                "workshop, or formal course)"
            },
        ),
        TextColumn(name="title", required=True, model_field=_field("title")),
        TextColumn(name="provider", optional=True, model_field=_field("provider")),
        TextColumn(
            name="reflection",
            optional=True,
            max_length=_field("reflection").max_length,
            help="What was learnt.",
        ),
    )
)


@dataclass
class NewRecord:
    line: int
    technician: Technician
    values: dict[str, Any]

    def key(self) -> tuple:
        v = self.values
        return (self.technician.pk, v["date"], v["category"], v["title"].lower(), v["days"])


class TrainingRecordImport(Preview):
    @property
    def new(self) -> list[NewRecord]:
        return self.changes.get("new", [])

    @property
    def already(self) -> list[NewRecord]:
        return self.changes.get("already", [])

    kind = KIND
    stale_message = STALE

    @property
    def to_apply(self) -> list[NewRecord]:
        return self.new

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "already_recorded": len(self.already)}

    def fingerprint_data(self) -> Any:
        return {
            "new": [
                {"technician": row.technician.pk, **row.values}
                for row in sorted(self.new, key=lambda row: row.line)
            ]
        }


def _existing_keys(technician_ids: set[int]) -> set[tuple]:
    rows = TrainingRecord.objects.filter(technician_id__in=technician_ids).values_list(
        "technician_id", "date", "category", "title", "days"
    )
    return {(pk, day, category, title.lower(), days) for pk, day, category, title, days in rows}


def preview_import(text: str) -> TrainingRecordImport:
    """What importing `text` would do; ImportFileError when the file as a whole is unreadable."""
    parsed = COLUMNS.parse(text)
    if "days" not in parsed.columns and "hours" not in parsed.columns:
        raise ImportFileError("The file needs a days or an hours column.")
    columns = COLUMNS.bind(parsed)
    rows = list(columns.rows(parsed))
    technician_ids = {
        row.values["staff number"].pk for row in rows if row.values.get("staff number")
    }
    existing = _existing_keys(technician_ids)
    result = TrainingRecordImport(changes={"new": [], "already": []})
    seen: dict[tuple, int] = {}
    today = timezone.localdate()
    for row in rows:
        problems = list(row.problems)
        technician = row.values.get("staff number")
        days, hours = row.values.get("days"), row.values.get("hours")
        if days is None and hours is None and not problems:
            problems.append("give the days or the hours")
        elif days is not None and hours is not None:
            problems.append("give the days or the hours, not both")
        if row.values.get("date") and row.values["date"] > today:
            problems.append("the date is in the future")
        if technician is not None and not technician.is_active:
            problems.append(f"{technician.staff_number} has left (on the staff list)")
        if problems:
            result.errors.append(RowError(row.line, sentence(problems)))
            continue
        values = {
            "date": row.values["date"],
            "days": days if days is not None else services.days_from_hours(hours),
            "category": row.values["category"],
            "title": row.values["title"],
            "provider": row.values.get("provider", ""),
            "reflection": row.values.get("reflection", ""),
        }
        record = NewRecord(row.line, technician, values)
        key = record.key()
        if key in seen:
            result.errors.append(RowError(row.line, f"The same record as on line {seen[key]}."))
            continue
        seen[key] = row.line
        result.changes["already" if key in existing else "new"].append(record)
    return result


def apply_import(
    user, text: str, *, fingerprint: str | None = None, file_name: str = ""
) -> TrainingRecordImport:
    """Check `text` again under lock and add its records: every one or none. With
    `fingerprint`, raises StalePreview (changing nothing) when the changes differ from the
    preview's. Records an ImportRun. HR and training coordinators (PermissionDenied)."""
    if not permissions.can_import_training_records(user):
        raise PermissionDenied(services.NOT_IMPORTER)
    with transaction.atomic():
        # Lock the technicians of the file, so nobody adds their records meanwhile.
        parsed = COLUMNS.parse(text)
        numbers = {cells.get("staff number", "").strip().lower() for _line, cells in parsed.rows}
        list(
            Technician.objects.select_for_update()
            .filter(pk__in=[t.pk for t in technicians_by_staff_number(numbers - {""}).values()])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        result = preview_import(text)
        return apply_previewed(
            result,
            lambda row: services.add_training_record(row.technician, by=user, **row.values),
            by=user,
            fingerprint=fingerprint,
            file_name=file_name,
        )


__all__ = ["COLUMNS", "ImportFileError", "apply_import", "preview_import"]
