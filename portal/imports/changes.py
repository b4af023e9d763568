"""What the apps' imports share once a file is read: a row's problems as one sentence, values
as plain data for the fingerprint, the preview of an upsert (new / changed / unchanged rows)
and the apply loop that writes every previewed row through the app's service, all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from portal.imports import progress
from portal.imports.pending import check_fingerprint, record_run
from portal.imports.reading import Preview, RowError


class PreviewedRow(Protocol):
    line: int


AnyPreview = TypeVar("AnyPreview", bound=Preview)


def sentence(problems: list[str]) -> str:
    """A row's problems as one sentence: "Unknown pillar “x”; bad date “y”."."""
    message = "; ".join(problems)
    ending = "" if message.endswith((".", "?")) else "."
    return message[:1].upper() + message[1:] + ending


def plain(values: dict[str, Any]) -> dict[str, Any]:
    """Values as plain data, for the fingerprint: rows of the database by primary key, dates
    as text."""
    result: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, date):
            value = value.isoformat()
        result[name] = value
    return result


class UpsertPreview(Preview):
    """The preview of an import that adds rows and updates known ones: `changes` holds the
    rows under "new", "changed" and "unchanged"."""

    @property
    def new(self) -> list[Any]:
        return self.changes.get("new", [])

    @property
    def changed(self) -> list[Any]:
        return self.changes.get("changed", [])

    @property
    def unchanged(self) -> list[Any]:
        return self.changes.get("unchanged", [])

    @property
    def to_apply(self) -> list[Any]:
        return self.new + self.changed

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
        }

    def summary(self) -> str:
        """ "2 new, 1 changed, 0 unchanged": what applying does (or did)."""
        return ", ".join(f"{count} {name}" for name, count in self.counts().items())


def apply_previewed(
    preview: AnyPreview,
    write: Callable[[Any], object],
    *,
    by,
    fingerprint: str | None,
    file_name: str,
    target: str = "",
) -> AnyPreview:
    """Write each of `preview.to_apply` with `write(row)`, inside the caller's transaction
    (which holds the locks the preview was recomputed under).

    An invalid preview is returned as it is. With `fingerprint` (the one the user saw),
    raises StalePreview with `preview.stale_message` when the changes differ, writing
    nothing. A row the service refuses (ValidationError) becomes an error of its line in the
    service's words, and the whole transaction is rolled back; otherwise the ImportRun of
    `preview.kind` (and `target`, what it was for) is recorded with `preview.counts()`.
    """
    if not preview.is_valid:
        return preview
    check_fingerprint(preview, fingerprint, preview.stale_message)
    rows: Iterable[PreviewedRow] = preview.to_apply
    total = preview.apply_count
    for done, row in enumerate(rows, start=1):
        try:
            write(row)
        except ValidationError as error:
            preview.errors.append(RowError(row.line, sentence(error.messages)))
        progress.applied(done, total)
    if preview.errors:
        preview.errors.sort(key=lambda error: error.line)
        transaction.set_rollback(True)
        return preview
    record_run(
        kind=preview.kind, target=target, by=by, file_name=file_name, counts=preview.counts()
    )
    return preview
