"""The HR system's own export, as it comes: its column names, and who in it is a technician.

HR systems (iTrent, SAP, Oracle and others) write "Employee Number", "Forename", "Surname",
"Work Email"… and list all staff. The institution's `StaffListMapping` says which of the
export's columns holds each of the staff list's columns, and optionally which rows are
technicians. `plan_header` reads a file's header through it:

- a file in the portal's own format (its export, the sample file) is read as it is, every row
  a technician;
- otherwise a column of the mapping that is in the file is read from there, or else from the
  column of the portal's own name (in any case, "Staff Number" is staff_number);
- a column the mapping says the export does not have keeps the directory's value (a new
  technician gets a blank, or the mapping's role family);
- if a column is still missing, a file in another format raises `NeedsMapping` (the page then
  asks HR to map its columns, with the common names already chosen), and a file in the
  portal's own format is refused, naming the missing columns.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from portal.imports import CsvRows, ImportFileError
from technicians.models import StaffListMapping
from technicians.staff_list.columns import STAFF_COLUMNS

# The columns whose cell may not be blank: the export must have them.
MUST_MAP = ("staff_number", "first_name", "last_name", "email", "job_title", "department")
# The columns the export may lack: each technician keeps the directory's value.
MAY_KEEP = ("role_family", "grade", "line_manager_staff_number", "started_on", "is_apprentice")
# Optional columns of the staff list, read when the export has them.
OPTIONAL = ("is_active", "fte")
MAPPED_COLUMNS = MUST_MAP + MAY_KEEP + OPTIONAL

# Names HR systems commonly give each column (compared by `name_key`).
COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "staff_number": (
        "employee number",
        "employee no",
        "employee id",
        "employee",
        "staff no",
        "staff id",
        "person number",
        "person id",
        "personnel number",
        "payroll number",
        "emp no",
        "emplid",
    ),
    "first_name": ("forename", "forenames", "given name", "first names", "preferred name"),
    "last_name": ("surname", "family name", "last names"),
    "email": (
        "work email",
        "work email address",
        "email address",
        "e mail",
        "e mail address",
        "business email",
        "work e mail",
    ),
    "job_title": ("position title", "post title", "position", "post", "job", "role title"),
    "role_family": ("technician role family", "technical family"),
    "grade": ("pay grade", "salary grade", "grade code"),
    "department": (
        "department name",
        "dept",
        "cost centre",
        "cost center",
        "cost centre name",
        "organisation unit",
        "organization unit",
        "org unit",
        "school",
    ),
    "line_manager_staff_number": (
        "manager employee number",
        "line manager employee number",
        "line manager number",
        "manager number",
        "manager id",
        "line manager id",
        "supervisor id",
        "reports to",
    ),
    "started_on": (
        "start date",
        "date started",
        "hire date",
        "date joined",
        "employment start date",
        "continuous service date",
        "assignment start date",
    ),
    "is_apprentice": ("apprentice", "apprenticeship"),
    "is_active": ("active",),
    "fte": ("full time equivalent", "fte value", "contracted fte"),
}

MAPPING_NEEDED = (
    "The file's columns are not the portal's: say once which of its columns holds what, and "
    "the portal remembers it for every later file."
)


def name_key(name: str) -> str:
    """Column names compare in any case, with "_", "-", "." and "/" as spaces."""
    text = str(name).strip().lower()
    for mark in "_-./":
        text = text.replace(mark, " ")
    return " ".join(text.split())


def value_key(value: str) -> str:
    return " ".join(str(value).strip().lower().split())


class NeedsMapping(ImportFileError):
    """The file's header is not the portal's and the saved mapping does not cover it: the page
    asks HR which column holds what (`suggested` pre-fills the common names)."""

    def __init__(self, message: str, *, header: list[str], suggested: dict[str, str]):
        self.header = header
        self.suggested = suggested
        super().__init__(message)


@dataclass
class HeaderPlan:
    """How to read one file: each column's name in it, and the columns kept as they are."""

    file_column: dict[str, str] = field(default_factory=dict)  # portal column -> file's
    kept: list[str] = field(default_factory=list)  # absent: the directory's values stay
    role_family_default: str = ""
    rule_column: str = ""
    rule_values: frozenset[str] = frozenset()
    rule_label: str = ""

    def is_technician(self, cells: dict[str, str]) -> bool:
        if not self.rule_column:
            return True
        return value_key(cells.get(self.rule_column, "")) in self.rule_values

    def translate(self, parsed: CsvRows, rows: list[tuple[int, dict[str, str]]]) -> CsvRows:
        """The rows with the staff list's own column names (kept columns blank, for now)."""
        names = [*self.file_column, *self.kept]
        translated = [
            (
                line,
                {name: cells.get(column, "") for name, column in self.file_column.items()}
                | dict.fromkeys(self.kept, ""),
            )
            for line, cells in rows
        ]
        overlong = set(parsed.overlong_lines)
        return CsvRows(
            columns=names,
            rows=translated,
            overlong_lines=[line for line, _cells in rows if line in overlong],
        )


def suggest(header: list[str], mapping: StaffListMapping) -> dict[str, str]:
    """For each column, the file's column that most likely holds it ("" for none): the saved
    mapping's, the portal's own name, then the common names of HR systems."""
    by_key = {name_key(name): name for name in header if name}
    suggested: dict[str, str] = {}
    for name in MAPPED_COLUMNS:
        candidates = [mapping.columns.get(name) or "", name, *COMMON_NAMES.get(name, ())]
        suggested[name] = next(
            (by_key[name_key(c)] for c in candidates if c and name_key(c) in by_key), ""
        )
    # One file column for one portal column: the first claim wins.
    taken = Counter(column for column in suggested.values() if column)
    for name, column in suggested.items():
        if column and taken[column] > 1:
            first = next(n for n, c in suggested.items() if c == column)
            if first != name:
                suggested[name] = ""
    return suggested


def plan_header(header: list[str], mapping: StaffListMapping | None = None) -> HeaderPlan:
    """How to read a file with this header (lower-case names, as parse_csv gives them).

    A file in the portal's own format (every column of the staff list named as the portal
    names it: its own export, the sample file) is read as it is, every row a technician. Such
    a file with columns missing, or a file with too few columns to be a staff list, raises
    ImportFileError naming the missing columns (before any query). Any other file is read
    through the saved mapping (`mapping`, or the saved one), and raises NeedsMapping when the
    mapping does not cover it."""
    present = set(header)
    missing_own = [name for name in STAFF_COLUMNS.header_names if name not in present]
    if not missing_own:
        return HeaderPlan(file_column={name: name for name in MAPPED_COLUMNS if name in present})
    own_format = len(missing_own) * 2 <= len(STAFF_COLUMNS.header_names)
    if own_format or len(present - {""}) < len(MUST_MAP):
        raise ImportFileError(
            f"Missing column{'s' if len(missing_own) > 1 else ''}: {', '.join(missing_own)}. "
            "The first line must name the columns."
        )
    mapping = mapping if mapping is not None else StaffListMapping.current()
    by_key = {name_key(name): name for name in header if name}
    plan = HeaderPlan(role_family_default=mapping.role_family_default)
    missing = []
    for column in STAFF_COLUMNS.columns:
        name = column.name
        if name not in MAPPED_COLUMNS:
            continue
        saved = mapping.columns.get(name)
        if saved and name_key(saved) in by_key:
            plan.file_column[name] = by_key[name_key(saved)]
        elif name_key(name) in by_key:
            plan.file_column[name] = by_key[name_key(name)]
        elif saved == "" and name in MAY_KEEP:
            plan.kept.append(name)
        elif not column.optional:
            missing.append(name)
    rule_column = by_key.get(name_key(mapping.technician_column)) if mapping.has_rule else None
    if missing or (mapping.has_rule and rule_column is None):
        message = MAPPING_NEEDED
        if not missing:
            message = (
                f"The file has no column “{mapping.technician_column}”, which says who is a "
                "technician: choose the column again."
            )
        raise NeedsMapping(message, header=header, suggested=suggest(header, mapping))
    if rule_column:
        plan.rule_column = rule_column
        plan.rule_values = frozenset(value_key(value) for value in mapping.technician_values)
        plan.rule_label = mapping.technician_column
    return plan
