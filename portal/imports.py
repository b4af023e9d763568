"""What every CSV import shares: reading the upload safely, reporting bad rows by line, and
keeping the checked file between the preview and the apply.

An import is two steps. The preview validates every row and lists what would change and every
invalid row with its line number and reason. Applying re-reads and re-validates the same text
(another user may have changed the data since) and changes everything or nothing.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass, field
from typing import Any

from portal.csv_export import unneutralise

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


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
    if isinstance(upload, str):
        upload = upload.encode("utf-8")
    if isinstance(upload, bytes):
        data = upload
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            raise ImportFileError(_too_large(max_bytes))
        data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImportFileError(_too_large(max_bytes))
    return data


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


def parse_csv(text: str, required: list[str], optional: list[str] | None = None) -> CsvRows:
    """Rows keyed by lower-case column name, cells stripped and un-neutralised.

    Refuses a file without a header, or missing a required column. Blank lines are skipped.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):  # blank lines before the header
            header = next(reader)
    except StopIteration:
        raise ImportFileError("The file is empty.") from None
    except csv.Error as error:
        raise ImportFileError(f"The file is not valid CSV: {error}.") from None
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
    duplicated = sorted({name for name in columns if name and columns.count(name) > 1})
    if duplicated:
        raise ImportFileError("Column named twice: " + ", ".join(duplicated) + ".")
    rows: list[tuple[int, dict[str, str]]] = []
    overlong: list[int] = []
    try:
        while True:
            # A quoted cell may span lines: a row is reported by the line it starts on.
            first_line = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                break
            if not any(cell.strip() for cell in cells):
                continue
            values = {
                column: unneutralise(cells[index].strip()) if index < len(cells) else ""
                for index, column in enumerate(columns)
                if column
            }
            if any(cell.strip() for cell in cells[len(columns) :]):
                overlong.append(first_line)
            rows.append((first_line, values))
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num}: not valid CSV ({error}).") from None
    if not rows:
        raise ImportFileError("The file has a header but no rows.")
    return CsvRows(columns=columns, rows=rows, overlong_lines=overlong)


@dataclass
class Preview:
    """What an import would do. Apps extend `changes` with their own row summaries."""

    errors: list[RowError] = field(default_factory=list)
    changes: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


# Between preview and apply the checked text waits in the user's session under a random token.
_SESSION_KEY = "portal_pending_imports"


def stash_import(session, kind: str, text: str) -> str:
    token = secrets.token_urlsafe(16)
    pending = {k: v for k, v in session.get(_SESSION_KEY, {}).items() if v["kind"] != kind}
    pending[token] = {"kind": kind, "text": text}
    session[_SESSION_KEY] = pending
    return token


def unstash_import(session, kind: str, token: str) -> str | None:
    entry = session.get(_SESSION_KEY, {}).get(token)
    if not entry or entry["kind"] != kind:
        return None
    return entry["text"]


def drop_import(session, token: str) -> None:
    pending = dict(session.get(_SESSION_KEY, {}))
    if pending.pop(token, None) is not None:
        session[_SESSION_KEY] = pending
