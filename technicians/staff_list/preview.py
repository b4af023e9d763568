"""HR's staff list: reading and checking the HR system's CSV, and the preview.

Everything here is read-only. `technicians.staff_list.apply.apply_staff_import` re-runs
`preview_staff_import` inside its transaction, with the directory locked, and applies it only
if the preview's fingerprint is unchanged; the import page and the `import_technicians`
command both go through those two functions.

The file is the FULL staff list: a technician who is active in the directory and absent from
the file is a leaver and is marked inactive (never deleted). A leaver who is in a later file
again is made active again. Rows are matched to technicians by staff number. A file that is
only part of the staff list (`partial=True`) adds and updates, and makes nobody a leaver.

The file may be the HR system's own export (technicians.staff_list.mapping): its columns are
read through the institution's saved mapping, and rows outside its rule of who counts as a
technician are ignored: not checked, not imported, and never made leavers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from portal import registry
from portal.imports import CsvRows, Preview, RowError, parse_csv
from portal.imports.columns import CleanRow, yes_no
from portal.imports.pending import ImportRefused
from technicians.models import Department, StaffListMapping, Technician
from technicians.staff_list.columns import FIELD_LABELS, STAFF_COLUMNS
from technicians.staff_list.mapping import HeaderPlan, plan_header

# Warn when a file would make more than this share of the active technicians leavers, and
# then ask for their number to be typed in before applying.
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
    fte: Decimal | None = None  # None: keep the current value (the default for someone new)

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
        } | ({"fte": self.fte} if self.fte is not None else {})


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
    partial: bool = False  # only part of the staff list: nobody is made a leaver
    ignored_numbers: set[str] = field(default_factory=set, repr=False)
    active_count: int = 0  # active technicians in the directory before the import
    # Rows outside the rule of who counts as a technician: how many, by the rule column's value.
    ignored: int = 0
    ignored_by_value: list[tuple[str, int]] = field(default_factory=list)
    rule_column: str = ""
    # Technicians of the directory whose row is outside the rule: left as they are.
    ignored_in_directory: int = 0

    # The capped preview of a large file (portal.imports.background) names its kinds so.
    kind_labels: ClassVar[dict[str, str]] = {
        "create": "To create",
        "update": "To update",
        "leavers": "To mark as leavers",
    }

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

    @property
    def apply_count(self) -> int:
        """The technicians applying writes: created, updated and made leavers."""
        return len(self.to_create) + len(self.to_update) + len(self.leavers)

    @property
    def needs_leaver_confirmation(self) -> bool:
        """More than a fifth of the active technicians would become leavers: applying needs
        their number typed in."""
        return bool(self.active_count) and (
            len(self.leavers) > LEAVER_WARNING_SHARE * self.active_count
        )

    def leavers_confirmed(self, typed: object) -> bool:
        """Whether `typed` (what HR typed in) confirms the leavers, when that is needed."""
        if not self.needs_leaver_confirmation:
            return True
        return typed_count_matches(typed, len(self.leavers))

    def summary_details(self) -> dict[str, Any]:
        """What the capped preview of a large staff list shows besides the counts and the
        first rows, and what its apply form asks (portal.imports.background)."""
        return {
            "partial": self.partial,
            "unchanged": self.unchanged,
            "total_rows": self.total_rows,
            "active_count": self.active_count,
            "reactivated": len(self.reactivated),
            "leavers": len(self.leavers),
            "needs_leaver_confirmation": self.needs_leaver_confirmation,
            "warnings": list(self.warnings),
            "ignored": self.ignored,
            "rule_column": self.rule_column,
            "ignored_by_value": [list(pair) for pair in self.ignored_by_value[:50]],
        }

    def fingerprint_data(self) -> dict[str, Any]:
        """Exactly what applying writes: each new technician's values, each update's field →
        [old, new] value as the preview shows it, and the leavers (their staff numbers)."""
        listed = {row.staff_number: row for row in self.rows}
        return {
            "create": {
                item.staff_number: _plain(listed[item.staff_number].model_values())
                | {"line_manager": listed[item.staff_number].line_manager_staff_number}
                for item in self.to_create
            },
            "update": {
                item.staff_number: {
                    change.field: [change.old, change.new] for change in item.changes
                }
                for item in self.to_update
            },
            "leavers": sorted(leaver.staff_number for leaver in self.leavers),
        }

    def summary(self) -> str:
        parts = [
            f"{len(self.to_create)} to create",
            f"{len(self.to_update)} to update",
            f"{len(self.leavers)} to mark as {_leavers(len(self.leavers))}",
            f"{self.unchanged} unchanged",
        ]
        if self.reactivated:
            parts.append(f"{len(self.reactivated)} of the updates reactivate a leaver")
        if self.ignored:
            parts.append(f"{self.ignored} {'row' if self.ignored == 1 else 'rows'} ignored")
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
    ignored: int = 0  # rows outside the rule of who counts as a technician
    partial: bool = False

    def counts(self) -> dict[str, int]:
        counts = {
            "created": self.created,
            "updated": self.updated,
            "leavers": self.leavers,
            "reactivated": self.reactivated,
            "unchanged": self.unchanged,
        }
        if self.ignored:
            counts["ignored"] = self.ignored
        return counts

    def summary(self) -> str:
        text = (
            f"{self.created} created, {self.updated} updated, "
            f"{self.leavers} marked as {_leavers(self.leavers)}"
        )
        if self.reactivated:
            text += f", {self.reactivated} reactivated"
        text += f", {self.unchanged} unchanged"
        if self.ignored:
            text += f", {self.ignored} {'row' if self.ignored == 1 else 'rows'} ignored"
        if self.partial:
            text += " (part of the staff list: nobody was made a leaver)"
        return text


class StaffImportRefused(ImportRefused):
    """The file (re-checked when applying) has invalid rows: nothing was changed."""

    def __init__(self, preview: StaffPreview):
        super().__init__(
            preview,
            f"The staff list has {len(preview.errors)} invalid "
            f"{'row' if len(preview.errors) == 1 else 'rows'}: nothing was imported.",
        )


def typed_count_matches(typed: object, count: int) -> bool:
    """Whether what HR typed in (" 8 ") is the number of leavers (8)."""
    return str(typed if typed is not None else "").strip() == str(count)


def _leavers(count: int) -> str:
    return "leaver" if count == 1 else "leavers"


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in values.items()
    }


class _Directory:
    """What the checks need from the database, read in a handful of queries."""

    def __init__(self) -> None:
        self.departments_by_pk = {d.pk: d for d in Department.objects.all()}
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
            "fte",
        )
        for values in Technician.objects.order_by().values(*fields):
            self.technicians[values["staff_number"]] = values
            self.by_email[values["email"].lower()] = values

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


def _check_row(clean: CleanRow) -> tuple[StaffRow | None, list[str]]:
    """The row converted, or None, and every problem found in it on its own."""
    values, problems = clean.values, list(clean.problems)
    staff_number = clean.cells.get("staff_number", "")
    manager = values.get("line_manager_staff_number", "")
    if manager and staff_number and manager == staff_number:
        problems.append("a technician cannot be their own line manager")
    if problems:
        return None, problems
    return (
        StaffRow(
            line=clean.line,
            staff_number=values["staff_number"],
            first_name=values["first_name"],
            last_name=values["last_name"],
            email=values["email"],
            job_title=values["job_title"],
            role_family=values["role_family"],
            grade=values["grade"],
            department=values["department"],
            line_manager_staff_number=manager,
            started_on=values["started_on"],
            is_apprentice=values["is_apprentice"],
            is_active=values.get("is_active", True),
            fte=values.get("fte"),
        ),
        [],
    )


def _changes(row: StaffRow, known: dict[str, Any], directory: _Directory, rows) -> list:
    changes: list[FieldChange] = []

    def compare(name: str, old: Any, new: Any, old_text: str, new_text: str) -> None:
        if old != new:
            changes.append(FieldChange(name, FIELD_LABELS[name], old_text, new_text))

    for name in ("first_name", "last_name", "email", "job_title", "grade"):
        compare(name, known[name], getattr(row, name), known[name], getattr(row, name))
    role_family = STAFF_COLUMNS["role_family"]
    compare(
        "role_family",
        known["role_family"],
        row.role_family,
        role_family.label_of(known["role_family"]),
        role_family.label_of(row.role_family),
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
            yes_no(known[name]),
            yes_no(getattr(row, name)),
        )
    if row.fte is not None:
        compare("fte", known["fte"], row.fte, f"{known['fte']:.2f}", f"{row.fte:.2f}")
    return changes


def _kept_cell(name: str, known: dict[str, Any] | None, plan: HeaderPlan) -> str:
    """The cell of a column the export does not have: the directory's value, as text (for
    someone new: blank, or the mapping's role family)."""
    if known is None:
        return plan.role_family_default if name == "role_family" else ""
    if name == "line_manager_staff_number":
        return known["line_manager__staff_number"] or ""
    if name == "started_on":
        return known["started_on"].isoformat() if known["started_on"] else ""
    if name == "is_apprentice":
        return yes_no(known["is_apprentice"])
    return str(known[name] or "")


def _technician_rows(
    parsed: CsvRows, plan: HeaderPlan, directory: _Directory, preview: StaffPreview
) -> CsvRows:
    """The file's rows of technicians under the staff list's own column names; counts the
    rows the rule leaves out in `preview`."""
    number_column = plan.file_column["staff_number"]
    rows, ignored_values = [], Counter()
    for line, cells in parsed.rows:
        if plan.is_technician(cells):
            rows.append((line, cells))
            continue
        ignored_values[cells.get(plan.rule_column, "")] += 1
        known = directory.technicians.get(cells.get(number_column, ""))
        if known is not None:
            preview.ignored_numbers.add(known["staff_number"])
    preview.ignored = sum(ignored_values.values())
    preview.ignored_by_value = ignored_values.most_common()
    preview.rule_column = plan.rule_label
    preview.ignored_in_directory = len(preview.ignored_numbers)
    translated = plan.translate(parsed, rows)
    for _line, cells in translated.rows:
        known = directory.technicians.get(cells.get("staff_number", ""))
        for name in plan.kept:
            cells[name] = _kept_cell(name, known, plan)
    return translated


def preview_staff_import(
    text: str, *, partial: bool = False, mapping: StaffListMapping | None = None
) -> StaffPreview:
    """Check the whole file against the directory and say what importing it would change.

    `partial`: the file is only part of the staff list, and nobody is made a leaver.
    `mapping`: how to read the HR system's own export (the saved StaffListMapping when None).
    Raises ImportFileError when the file as a whole cannot be used (no header, a missing
    column, no rows), NeedsMapping (an ImportFileError) when its columns must be mapped
    first; every problem of a row is a RowError with its line number.
    """
    parsed = parse_csv(text, required=[])
    plan = plan_header(parsed.columns, mapping)  # the file as a whole first, before any query
    directory = _Directory()
    preview = StaffPreview(partial=partial)
    parsed = _technician_rows(parsed, plan, directory, preview)
    preview.total_rows = len(parsed.rows) + preview.ignored
    columns = STAFF_COLUMNS.bind(parsed)

    rows: dict[str, StaffRow] = {}  # valid rows by staff number
    first_line_of_number: dict[str, int] = {}
    first_line_of_email: dict[str, int] = {}
    wanted_managers: list[tuple[int, str, str]] = []  # (line, staff number, manager's)
    emails: list[tuple[int, str, str]] = []  # (line, staff number, e-mail) of every row
    for clean in columns.rows(parsed):
        line, cells = clean.line, clean.cells
        row, problems = _check_row(clean)
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
                    f'duplicate email "{email}": also on line {first_line_of_email[email.lower()]}'
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
                    f'duplicate email "{email}": it belongs to another technician in the '
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
        if partial or number in preview.ignored_numbers:
            continue  # only part of the list, or outside the rule: not a leaver
        if number not in listed_numbers:
            department = directory.departments_by_pk.get(known["department_id"])
            preview.leavers.append(
                Leaver(number, f"{known['first_name']} {known['last_name']}", str(department))
            )
    preview.active_count = active_count
    _warn(preview, rows, directory, active_count)
    # What leavers take with them, from other apps (portal.registry.leaver_watches): the last
    # holder of a skill in their department, for one.
    leaving = leaving_numbers(preview)
    for watch in registry.leaver_watches():
        preview.warnings.extend(loss.message for loss in watch.losses(leaving))
    return preview


def leaving_numbers(preview: StaffPreview) -> list[str]:
    """Current technicians the import makes leavers: absent from the file, or marked so."""
    return [leaver.staff_number for leaver in preview.leavers] + [
        row.staff_number for row in preview.rows if not row.is_active
    ]


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
    if preview.needs_leaver_confirmation:
        preview.warnings.append(
            f"This file would mark {len(preview.leavers)} of the {active_count} active "
            "technicians as leavers. Check that it is the full staff list: if it is only part "
            "of it, upload it again as part of the staff list."
        )
    if preview.ignored_in_directory:
        preview.warnings.append(
            f"{preview.ignored_in_directory} "
            f"{'technician' if preview.ignored_in_directory == 1 else 'technicians'} of the "
            f"directory {'is' if preview.ignored_in_directory == 1 else 'are'} in the file but "
            f"outside the rule of who counts as a technician ({preview.rule_column}): left "
            "as they are, not made leavers."
        )
    for manager, lines in reports.items():
        listed = ", ".join(str(line) for line in lines[:10]) + (", …" if len(lines) > 10 else "")
        preview.warnings.append(
            f"{directory.describe(manager, rows)} is or will be inactive (a leaver) but is "
            f"the line manager of {len(lines)} active "
            f"{'technician' if len(lines) == 1 else 'technicians'} in the file "
            f"(line{'s' if len(lines) > 1 else ''} {listed})."
        )
