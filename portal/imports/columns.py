"""The column types of every import: one class per kind of cell, written once.

A column has a name (as in the file's header), a label (how messages name it), whether its
cell must not be blank (`required`), whether the column may be left out of the file
(`optional`), help text, and `clean(cell) -> value`, which raises a ValidationError whose
message is meant for the person importing. Messages can be reworded per column through
`messages`; the checks themselves live here only.

A `ColumnSet` is the columns of one import. It reads the file's rows through them, reports the
overlong-row problem, and documents the columns (the import page's help and the README's
tables come from `documentation()` and `markdown_table()`, so they cannot drift).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from portal.imports import progress
from portal.imports.reading import OVERLONG_ROW, CsvRows, parse_csv

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
TRUE_WORDS = frozenset({"yes", "y", "true", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "0"})


# --- the shared parsers -------------------------------------------------------------------------


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


def parse_yes_no(value: str) -> bool | None:
    """yes/no, y/n, true/false, 1/0 in any case; None for blank. Raises ValueError otherwise."""
    word = value.strip().lower()
    if not word:
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(value)


def yes_no(flag: bool) -> str:
    """How imports and exports write a yes/no cell."""
    return "yes" if flag else "no"


def choice_key(text: str) -> str:
    """Choices match by value or label in any case, with "_", "-" and spaces alike."""
    return " ".join(str(text).strip().lower().replace("_", " ").replace("-", " ").split())


# --- the column kinds ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Column:
    """A column of text as it is (the base of every kind)."""

    name: str
    label: str = ""
    required: bool = False
    optional: bool = False
    help: str = ""
    messages: Mapping[str, str] = field(default_factory=dict)
    # The value of a blank cell in a column that may be blank.
    blank: Any = ""

    default_messages: ClassVar[dict[str, str]] = {
        "required": "the {column} column is empty",
    }

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name.replace("_", " "))

    def message(self, key: str, **values: Any) -> str:
        template = self.messages.get(key) or self._messages()[key]
        return template.format(column=self.name, label=self.label, **values)

    def _messages(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for klass in reversed(type(self).__mro__):
            merged.update(getattr(klass, "default_messages", {}))
        return merged

    def error(self, key: str, **values: Any) -> ValidationError:
        return ValidationError(self.message(key, **values), code=key)

    def clean(self, cell: str) -> Any:
        """The cell's value; raises ValidationError saying what is wrong with it.

        Cells come stripped from the file (portal.imports.reading); a tab or CR left at the
        start was guarded by an export's formula quote, and is kept."""
        cell = cell or ""
        if not cell.strip():
            if self.required:
                raise self.error("required", value=cell)
            return self.blank
        return self.convert(cell)

    def convert(self, cell: str) -> Any:
        return cell

    def describe(self) -> str:
        """What the cell may hold, for the documentation (after the help text)."""
        return ""

    def documentation(self) -> str:
        return " ".join(part for part in (self.help, self.describe()) if part)

    @property
    def presence(self) -> str:
        if self.optional:
            return "optional column"
        return "required" if self.required else "may be blank"


@dataclass(frozen=True, kw_only=True)
class TextColumn(Column):
    """Text, at most `max_length` characters (read from `model_field` when given), optionally
    matching `pattern`."""

    model_field: Any = None
    max_length: int | None = None
    pattern: str = ""
    pattern_help: str = ""

    default_messages: ClassVar[dict[str, str]] = {
        "too_long": "{column} is too long (at most {max_length} characters)",
        "pattern": 'invalid {label} "{value}"',
    }

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.model_field is not None:
            if self.max_length is None:
                object.__setattr__(self, "max_length", self.model_field.max_length)
            if not self.help and self.model_field.help_text:
                object.__setattr__(self, "help", str(self.model_field.help_text))

    def convert(self, cell: str) -> str:
        if self.max_length and len(cell) > self.max_length:
            raise self.error("too_long", value=cell, max_length=self.max_length)
        if self.pattern and not re.fullmatch(self.pattern, cell):
            raise self.error("pattern", value=cell)
        return cell

    def describe(self) -> str:
        parts = [self.pattern_help]
        if self.max_length:
            parts.append(f"At most {self.max_length} characters.")
        return " ".join(part for part in parts if part)


@dataclass(frozen=True, kw_only=True)
class EmailColumn(TextColumn):
    default_messages: ClassVar[dict[str, str]] = {"invalid": 'invalid email address "{value}"'}

    def convert(self, cell: str) -> str:
        cell = super().convert(cell)
        try:
            validate_email(cell)
        except ValidationError:
            raise self.error("invalid", value=cell) from None
        return cell

    def describe(self) -> str:
        return "An email address." if not self.help else super().describe()


@dataclass(frozen=True, kw_only=True)
class DateColumn(Column):
    blank: Any = None

    default_messages: ClassVar[dict[str, str]] = {
        "invalid": 'invalid {column} date "{value}": use YYYY-MM-DD or DD/MM/YYYY',
    }

    def convert(self, cell: str) -> date | None:
        try:
            return parse_date(cell)
        except ValueError:
            raise self.error("invalid", value=cell) from None

    def describe(self) -> str:
        return "A date: YYYY-MM-DD or DD/MM/YYYY."


@dataclass(frozen=True, kw_only=True)
class YesNoColumn(Column):
    blank: Any = False

    default_messages: ClassVar[dict[str, str]] = {
        "invalid": 'invalid {column} value "{value}": use yes or no',
    }

    def convert(self, cell: str) -> bool:
        try:
            return bool(parse_yes_no(cell))
        except ValueError:
            raise self.error("invalid", value=cell) from None

    def describe(self) -> str:
        return f"yes/no, true/false or 1/0; blank means {yes_no(bool(self.blank))}."


@dataclass(frozen=True, kw_only=True)
class ChoiceColumn(Column):
    """One of `choices` ((value, label) pairs, or the model field's), by value or label."""

    model_field: Any = None
    choices: tuple[tuple[str, str], ...] = ()

    default_messages: ClassVar[dict[str, str]] = {
        "invalid": 'unknown {label} "{value}": use one of {options}',
    }

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.choices and self.model_field is not None:
            object.__setattr__(
                self, "choices", tuple((v, str(lab)) for v, lab in self.model_field.choices)
            )

    def _lookup(self) -> dict[str, str]:
        lookup = {choice_key(label): value for value, label in self.choices}
        lookup.update({choice_key(value): value for value, _label in self.choices})
        return lookup

    def convert(self, cell: str) -> str:
        value = self._lookup().get(choice_key(cell))
        if value is None:
            options = ", ".join(str(label) for _value, label in self.choices)
            raise self.error("invalid", value=cell, options=options)
        return value

    def label_of(self, value: str) -> str:
        return dict(self.choices).get(value, value)

    def describe(self) -> str:
        listed = "; ".join(f"{value} ({label})" for value, label in self.choices)
        return f"One of: {listed}. The value or the label, in any case."


@dataclass(frozen=True, kw_only=True)
class DecimalColumn(Column):
    """A number between `minimum` and `maximum` with at most `places` decimals (read from a
    DecimalField's validators and decimal places when `model_field` is given)."""

    model_field: Any = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    places: int | None = None
    blank: Any = None

    default_messages: ClassVar[dict[str, str]] = {
        "invalid": 'invalid {column} "{value}": use a number from {minimum} to {maximum}',
    }

    def __post_init__(self) -> None:
        super().__post_init__()
        model_field = self.model_field
        if model_field is None:
            return
        if self.places is None:
            object.__setattr__(self, "places", model_field.decimal_places)
        for validator in model_field.validators:
            code = getattr(validator, "code", "")
            if code == "min_value" and self.minimum is None:
                object.__setattr__(self, "minimum", Decimal(str(validator.limit_value)))
            if code == "max_value" and self.maximum is None:
                object.__setattr__(self, "maximum", Decimal(str(validator.limit_value)))
        if not self.help and model_field.help_text:
            object.__setattr__(self, "help", str(model_field.help_text))

    def convert(self, cell: str) -> Decimal:
        try:
            number = Decimal(cell)
        except InvalidOperation:
            number = None
        if (
            number is None
            or not number.is_finite()
            or (self.minimum is not None and number < self.minimum)
            or (self.maximum is not None and number > self.maximum)
            or (self.places is not None and -number.as_tuple().exponent > self.places)
        ):
            raise self.error("invalid", value=cell, minimum=self.minimum, maximum=self.maximum)
        return number

    def describe(self) -> str:
        return f"A number from {self.minimum} to {self.maximum}."


# The rows a reference column may point to: keys (lower case) -> the row. Loaded once per import
# for the keys the file uses.
Loader = Callable[[set[str]], Mapping[str, Any]]


@dataclass(frozen=True, kw_only=True)
class ReferenceColumn(Column):
    """A reference to another row, found by a key (a department by slug or name, an owner by
    e-mail address), case-insensitively. `load(keys)` reads the rows the file names in one
    query; `bind(keys)` gives the column with them, ready to clean."""

    load: Loader
    lookup: Mapping[str, Any] | None = None
    blank: Any = None

    default_messages: ClassVar[dict[str, str]] = {"unknown": 'unknown {label} "{value}"'}

    def bind(self, keys: Iterable[str]) -> ReferenceColumn:
        wanted = {key.strip().lower() for key in keys if key and key.strip()}
        found = self.load(wanted) if wanted else {}
        return dataclasses.replace(self, lookup={key.lower(): row for key, row in found.items()})

    def convert(self, cell: str) -> Any:
        if self.lookup is None:
            raise RuntimeError(f"Column {self.name}: bind() it to the file's keys first.")
        row = self.lookup.get(cell.lower())
        if row is None:
            raise self.error("unknown", value=cell)
        return row


# --- a set of columns ---------------------------------------------------------------------------


@dataclass
class CleanRow:
    """One row of the file, through the columns: `values` holds a value for every column the
    file has and whose cell is good; `problems` what is wrong with the others."""

    line: int
    cells: dict[str, str]
    values: dict[str, Any]
    problems: list[str]


@dataclass(frozen=True)
class ColumnSet:
    """The columns of one import, in the order the file (and its export) has them."""

    columns: tuple[Column, ...]
    # Columns of the export that the import reads past (documented, never imported).
    ignored: tuple[str, ...] = ()
    # One message naming every blank required cell of a row ("missing required value:
    # {columns}"); empty: each column says so itself.
    missing_message: str = ""

    def __getitem__(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def header_names(self) -> list[str]:
        """The columns the file's first line must name."""
        return [column.name for column in self.columns if not column.optional]

    def parse(self, text: str) -> CsvRows:
        """The file's rows (raises ImportFileError for the file as a whole)."""
        return parse_csv(text, required=self.header_names)

    def bind(self, parsed: CsvRows) -> ColumnSet:
        """The columns with their references loaded for the keys this file uses."""
        bound = []
        for column in self.columns:
            if isinstance(column, ReferenceColumn):
                column = column.bind(cells.get(column.name, "") for _line, cells in parsed.rows)
            bound.append(column)
        return dataclasses.replace(self, columns=tuple(bound))

    def clean_row(self, cells: Mapping[str, str], present: set[str]) -> tuple[dict, list[str]]:
        values: dict[str, Any] = {}
        problems: list[str] = []
        missing: list[Column] = []
        for column in self.columns:
            if column.name not in present:
                continue
            cell = cells.get(column.name, "")
            if column.required and not cell.strip():
                missing.append(column)
                continue
            try:
                values[column.name] = column.clean(cell)
            except ValidationError as error:
                problems.extend(error.messages)
        if missing and self.missing_message:
            names = ", ".join(column.name for column in missing)
            problems.insert(0, self.missing_message.format(columns=names))
        elif missing:
            problems[:0] = [column.message("required", value="") for column in missing]
        return values, problems

    def rows(self, parsed: CsvRows) -> Iterator[CleanRow]:
        """Every row through the columns (bind the set first when it has references)."""
        present = set(parsed.columns)
        overlong = set(parsed.overlong_lines)
        total = len(parsed.rows)
        for done, (line, cells) in enumerate(parsed.rows, start=1):
            values, problems = self.clean_row(cells, present)
            if line in overlong:
                problems.append(OVERLONG_ROW)
            yield CleanRow(line=line, cells=cells, values=values, problems=problems)
            progress.advance(done, total)

    # --- documentation ---

    def documentation(self) -> list[dict[str, str]]:
        """One entry per column, for the import page's help table."""
        rows = [
            {"name": column.name, "presence": column.presence, "help": column.documentation()}
            for column in self.columns
        ]
        rows += [
            {"name": name, "presence": "ignored", "help": "Written by the export; not imported."}
            for name in self.ignored
        ]
        return rows

    def markdown_table(self) -> str:
        """The columns as a Markdown table (the README's tables are this, verbatim)."""

        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = ["| Column | In the file | What to write |", "|---|---|---|"]
        lines += [
            f"| `{row['name']}` | {row['presence']} | {cell(row['help'])} |"
            for row in self.documentation()
        ]
        return "\n".join(lines) + "\n"
