"""A previewed import waiting to be applied, and the record of an applied one.

The uploaded file is kept in a `PendingImport` row (its file under a random name in private
storage, never in the session) with the preview's fingerprint, for PREVIEW_LIFETIME. Applying
takes the row back (`find_pending`), refuses it when it has expired (and deletes it), and the
app's apply service compares the fingerprint it recomputes under lock (`check_fingerprint`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portal.imports.reading import Preview, decode_csv_text
from portal.models import ImportRun, PendingImport

PREVIEW_LIFETIME = datetime.timedelta(hours=1)
EXPIRED = (
    "This preview has expired: a preview is kept for an hour. Nothing was changed: upload the "
    "file again."
)


class StalePreview(Exception):
    """The data changed since the preview: applying would not do what the preview showed."""


class PreviewExpired(Exception):
    """The preview is over an hour old; it has been deleted."""


class ImportRefused(Exception):
    """The file, checked again when applying, has invalid rows: nothing was changed."""

    def __init__(self, preview: Preview, message: str):
        self.preview = preview
        super().__init__(message)


def check_fingerprint(preview: Preview, expected: str | None, message: str) -> None:
    """Refuse (StalePreview) when `expected` is given and the preview recomputed under lock
    lists other changes than the one the user saw."""
    if expected is not None and preview.fingerprint != expected:
        raise StalePreview(message)


def store_pending(
    *,
    kind: str,
    target: str = "",
    by,
    data: bytes,
    file_name: str,
    fingerprint: str,
) -> PendingImport:
    """Keep an uploaded file for its apply; replaces the user's earlier preview of the same
    kind and target."""
    for earlier in PendingImport.objects.filter(kind=kind, target=target, uploaded_by=by):
        discard_pending(earlier)
    pending = PendingImport(
        kind=kind,
        target=target,
        uploaded_by=by,
        file_name=(file_name or "")[:255],
        fingerprint=fingerprint,
        expires_at=timezone.now() + PREVIEW_LIFETIME,
    )
    pending.file.save("import.csv", ContentFile(data), save=False)
    pending.save()
    return pending


def find_pending(token: Any, *, kind: str, target: str = "", by) -> PendingImport | None:
    """The user's own pending import of this kind and target, or None (unknown token, another
    user's, another plan's). Raises PreviewExpired, deleting it, when it is over an hour old."""
    try:
        pk = int(str(token))
    except ValueError:
        return None
    pending = PendingImport.objects.filter(
        pk=pk, kind=kind, target=target, uploaded_by_id=getattr(by, "pk", None)
    ).first()
    if pending is None:
        return None
    if pending.expires_at <= timezone.now():
        discard_pending(pending)
        raise PreviewExpired(EXPIRED)
    return pending


def pending_text(pending: PendingImport) -> str:
    with pending.file.open("rb") as handle:
        return decode_csv_text(handle.read())


def discard_pending(pending: PendingImport) -> None:
    """Delete the row and, once that is committed, its file (and its preview's CSV)."""
    storage = pending.file.storage
    names = [name for name in (pending.file.name, pending.preview_file.name) if name]
    pending.delete()
    for name in names:
        transaction.on_commit(lambda name=name: storage.delete(name), robust=True)


def delete_expired_pending(now: datetime.datetime | None = None) -> int:
    """Delete every pending import past its expiry (the periodic cleanup); how many."""
    expired = list(PendingImport.objects.filter(expires_at__lte=now or timezone.now()))
    for pending in expired:
        discard_pending(pending)
    return len(expired)


def record_run(
    *, kind: str, by, file_name: str, counts: dict[str, int], target: str = ""
) -> ImportRun:
    """The record of an applied import; call it in the apply's transaction."""
    user = by if getattr(by, "is_authenticated", False) else None
    return ImportRun.objects.create(
        kind=kind,
        target=target,
        by=user,
        file_name=(file_name or "")[:255],
        counts=dict(counts),
    )


# How the history names each count of an ImportRun (other counts show their key).
COUNT_LABELS = {
    "created": "created",
    "new": "new",
    "updated": "updated",
    "changed": "changed",
    "leavers": "made leavers",
    "reactivated": "reactivated",
    "unchanged": "unchanged",
    "ignored": "rows ignored",
}


def count_summary(counts: dict) -> str:
    """An ImportRun's counts in words: "2 created, 1 updated, 0 made leavers, …"."""
    # In COUNT_LABELS' order: PostgreSQL's jsonb keeps no key order.
    known = [key for key in COUNT_LABELS if key in counts]
    keys = known + sorted(key for key in counts if key not in COUNT_LABELS)
    return ", ".join(
        f"{counts[key]} {COUNT_LABELS.get(key, key.replace('_', ' '))}" for key in keys
    )


def recent_runs(kind: str, *, target: str | None = None, limit: int = 20) -> list[ImportRun]:
    """The latest applied imports of a kind (for `target` only, when given), newest first,
    with who applied them (one query)."""
    runs = ImportRun.objects.filter(kind=kind)
    if target is not None:
        runs = runs.filter(target=target)
    runs = list(runs.select_related("by").order_by("-created", "-pk")[:limit])
    for run in runs:
        run.summary = count_summary(run.counts or {})
    return runs
