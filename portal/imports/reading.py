"""Reading an import's upload safely: size capped, UTF-8, CSV, at most MAX_COLUMNS columns and
MAX_CELLS cells, every row keyed by column name and numbered by the line it starts on.

Every check here is linear in the size of the file, and the caps are checked first: a header
of 80,000 columns is refused as soon as it is read, before any other work.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import hashlib
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from portal.csv_export import unneutralise
from portal.uploads import FileTooLarge, read_capped

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_COLUMNS = 200
MAX_CELLS = 1_000_000
# The problem of a row with non-blank cells beyond the last named column.
OVERLONG_ROW = (
    "the row has more cells than the header has columns: is a comma in a value missing its quotes?"
)


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing in it is imported."""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass
class CsvRows:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, cells by column)
    # Lines whose row has non-blank cells beyond the last named column (an unquoted comma?).
    overlong_lines: list[int] = field(default_factory=list)


def read_upload_bytes(upload: Any, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of an uploaded file (or bytes/str), refusing anything too large."""
    try:
        return read_capped(upload, max_bytes, too_large=lambda _size: _too_large(max_bytes))
    except FileTooLarge as error:
        raise ImportFileError(error.messages[0]) from None


def _too_large(max_bytes: int) -> str:
    return f"The file is too large: the limit is {max_bytes // (1024 * 1024)} MB."


def decode_csv_text(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            "The file is not UTF-8 text. In Excel, use Save As → “CSV UTF-8 (comma delimited)”."
        ) from error
    if "\x00" in text:
        raise ImportFileError("The file is not a CSV text file.")
    return text


def read_upload_text(upload: Any, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of an uploaded (or opened) file: size capped, UTF-8. Raises ImportFileError."""
    return decode_csv_text(read_upload_bytes(upload, max_bytes))


def _too_many_columns(count: int) -> ImportFileError:
    return ImportFileError(
        f"The file has {count:,} columns: an import takes at most {MAX_COLUMNS}. "
        "Check that it is the right file, saved as CSV."
    )


def _too_many_cells() -> ImportFileError:
    return ImportFileError(
        f"The file has more than {MAX_CELLS:,} cells: an import takes at most {MAX_CELLS:,}. "
        "Split it into smaller files."
    )


def parse_csv(text: str, required: list[str], optional: list[str] | None = None) -> CsvRows:
    """Rows keyed by lower-case column name, cells stripped and un-neutralised.

    Refuses a file with more than MAX_COLUMNS columns or MAX_CELLS cells, without a header,
    or missing a required column. Blank lines are skipped.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header, columns = _read_header(reader, required)
    named = [(index, column) for index, column in enumerate(columns) if column]
    rows: list[tuple[int, dict[str, str]]] = []
    overlong: list[int] = []
    cells_read = len(header)
    try:
        while True:
            # A quoted cell may span lines: a row is reported by the line it starts on.
            first_line = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                break
            cells_read += len(cells)
            if cells_read > MAX_CELLS:
                raise _too_many_cells()
            if not any(cell.strip() for cell in cells):
                continue
            values = {
                column: unneutralise(cells[index].strip()) if index < len(cells) else ""
                for index, column in named
            }
            if any(cell.strip() for cell in cells[len(columns) :]):
                overlong.append(first_line)
            rows.append((first_line, values))
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num}: not valid CSV ({error}).") from None
    if not rows:
        raise ImportFileError("The file has a header but no rows.")
    return CsvRows(columns=columns, rows=rows, overlong_lines=overlong)


def check_header(text: str, required: list[str]) -> list[str]:
    """Refuse (ImportFileError) a file whose header parse_csv would refuse, reading only its
    first lines: a large file's quick check before it is queued for its preview. Returns the
    header's lower-case column names."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    _header, columns = _read_header(reader, required)
    try:
        while not any(cell.strip() for cell in next(reader)):
            continue
    except StopIteration:
        raise ImportFileError("The file has a header but no rows.") from None
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num}: not valid CSV ({error}).") from None
    return columns


def _read_header(reader, required: list[str]) -> tuple[list[str], list[str]]:
    """The header row and its lower-case column names (see parse_csv)."""
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):  # blank lines before the header
            header = next(reader)
    except StopIteration:
        raise ImportFileError("The file is empty.") from None
    except csv.Error as error:
        raise ImportFileError(f"The file is not valid CSV: {error}.") from None
    if len(header) > MAX_COLUMNS:  # before anything else looks at the header
        raise _too_many_columns(len(header))
    columns = [name.strip().lower() for name in header]
    missing = [name for name in required if name not in columns]
    if missing:
        raise ImportFileError(
            "Missing column"
            + ("s" if len(missing) > 1 else "")
            + ": "
            + ", ".join(missing)
            + ". The first line must name the columns."
        )
    counts = Counter(name for name in columns if name)
    duplicated = sorted(name for name, count in counts.items() if count > 1)
    if duplicated:
        raise ImportFileError("Column named twice: " + ", ".join(duplicated) + ".")
    return header, columns


def fingerprint_of(changes: Any) -> str:
    """The SHA-256 of a canonical JSON form of a list of changes (keys sorted, dates and
    decimals as text): equal changes, equal fingerprints."""
    canonical = json.dumps(
        changes, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class Preview:
    """What an import would do. Apps extend `changes` with their own row summaries, and say
    in `fingerprint_data()` what exactly applying it would write."""

    errors: list[RowError] = field(default_factory=list)
    changes: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    # The ImportRun kind, and the refusal when the changes differ from the preview's.
    kind: ClassVar[str] = ""
    stale_message: ClassVar[str] = "The data has changed since your preview: review it again"
    # The capped preview's name of each kind of change, where "new"/"changed"/… do not fit.
    kind_labels: ClassVar[dict[str, str]] = {}

    @property
    def to_apply(self) -> list[Any]:
        """The rows applying writes (portal.imports.changes.apply_previewed)."""
        return []

    @property
    def apply_count(self) -> int:
        """How many rows applying the import writes."""
        return len(self.to_apply)

    def counts(self) -> dict[str, int]:
        """How many rows of each kind of change, for the ImportRun."""
        return {key: len(rows) for key, rows in self.changes.items()}

    def fingerprint_data(self) -> Any:
        """Plain data (dicts, lists, text) listing every change: creates, updates with
        field → value, removals. Applying refuses when it differs from the preview's."""
        raise NotImplementedError

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.fingerprint_data())

    def summary_details(self) -> dict[str, Any]:
        """Plain data the capped preview of a large file shows besides the counts and the
        first rows (an app's warnings, say); kept on the PendingImport's summary."""
        return {}

    def row_cells(self, kind: str, row: Any) -> dict[str, str]:
        """A row of `changes[kind]` as text by column, for the capped preview of a large file
        and its CSV of every row: the row's own fields (a dataclass's), then its `values`."""
        cells: dict[str, str] = {}
        if dataclasses.is_dataclass(row):
            for item in dataclasses.fields(row):
                if item.name not in _NOT_CELLS:
                    cells[item.name.replace("_", " ")] = cell_text(getattr(row, item.name))
        values = getattr(row, "values", None)
        if isinstance(values, dict):
            for name, value in values.items():
                cells.setdefault(str(name).replace("_", " "), cell_text(value))
        return cells


# Fields of a previewed row that are not shown as its cells (its line is a column of its own;
# `values` are spread into columns; the rest are internal).
_NOT_CELLS = {"line", "kind", "values", "old_values", "skills"}


def cell_text(value: Any) -> str:
    """A value of a previewed row as text: dates ISO, decimals without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, (list, tuple, set)):
        return ", ".join(cell_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return str(value)
