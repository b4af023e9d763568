"""Large imports, previewed and applied by a worker task on the `imports` queue.

A file of at least PORTAL_IMPORT_BACKGROUND_BYTES is kept in a PendingImport at once, in state
`previewing`, and the task `portal.tasks.run_import` previews it: the page polls the row
(`rows_read` of `rows_total`, written as the rows are read) and shows the preview when the row
is `ready`. The preview kept on the row (`summary`) holds the counts of each kind of change and
the first SAMPLE_ROWS rows of each; the CSV of every row is `preview_file`. Applying moves the
row to `applying` and the same task applies exactly what was previewed (the app's apply
service recomputes the fingerprint under lock), all or nothing, then marks it `applied`.

A person has at most one import `previewing` or `applying` (the database's partial unique
constraint `one_running_import_per_person`): starting another is refused (ImportBusy).

The task is idempotent: it acts only on a row in the state its phase expects, so a task
delivered twice (a worker killed, acks_late) does the work once. A task that fails marks the
row `failed` with a sentence for the person; nothing was changed and the file is kept, so
they can try again. With no broker (CELERY_TASK_ALWAYS_EAGER) the task runs in-process, once
the request's transaction has committed, and the page finds the preview ready.
"""

from __future__ import annotations

import csv
import io
import logging
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from portal.csv_export import neutralise
from portal.imports import progress
from portal.imports.pending import (
    PREVIEW_LIFETIME,
    ImportRefused,
    StalePreview,
    discard_pending,
    pending_text,
)
from portal.imports.reading import ImportFileError, Preview
from portal.models import PendingImport

logger = logging.getLogger(__name__)

State = PendingImport.State
PREVIEW, APPLY = "preview", "apply"
# The task, found by name (portal.tasks calls this module).
RUN_TASK = "portal.tasks.run_import"
# The preview page shows this many rows of each kind of change, and this many bad rows; the
# CSV holds them all.
SAMPLE_ROWS = 20
SAMPLE_ERRORS = 50

BUSY = (
    "You already have an import being checked or applied. Wait for it to finish (or cancel "
    "it) before you start another."
)
FAILED = (
    "The import could not be finished, and nothing was changed. Your file is kept: try again, "
    "or cancel it and upload the file again. If it fails again, tell the portal's "
    "administrator."
)
NOT_VALID = "The file has problems: correct them and upload it again. Nothing was imported."

KIND_LABELS = {
    "new": "New",
    "changed": "Changed",
    "unchanged": "Unchanged",
    "already": "Already recorded",
    "refused": "Refused",
}


class ImportBusy(Exception):
    """The person already has an import previewing or applying."""

    def __init__(self, message: str = BUSY):
        super().__init__(message)


def threshold() -> int:
    """Files of at least this many bytes are previewed and applied by a worker task."""
    return settings.PORTAL_IMPORT_BACKGROUND_BYTES


def running_import(user) -> PendingImport | None:
    """The person's import being previewed or applied, if any."""
    return PendingImport.objects.filter(
        uploaded_by_id=getattr(user, "pk", None), state__in=PendingImport.RUNNING
    ).first()


def _enqueue(pending_id: int, phase: str) -> None:
    current_app.tasks[RUN_TASK].delay(pending_id, phase)


def start_preview(
    *,
    page: str,
    kind: str,
    target: str = "",
    by,
    data: bytes,
    file_name: str,
    answers: dict[str, Any] | None = None,
) -> PendingImport:
    """Keep the file and queue its preview by `page` (the ImportPage's dotted path), with the
    person's `answers` besides the file. Replaces the person's earlier preview of the same
    kind and target; raises ImportBusy when they have an import running."""
    pending = PendingImport(
        answers=dict(answers or {}),
        kind=kind,
        target=target,
        uploaded_by=by,
        file_name=(file_name or "")[:255],
        fingerprint="",
        expires_at=timezone.now() + PREVIEW_LIFETIME,
        state=State.PREVIEWING,
        page=page,
    )
    pending.file.save("import.csv", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            pending.save()
            earlier = PendingImport.objects.filter(kind=kind, target=target, uploaded_by=by)
            for row in earlier.exclude(pk=pending.pk):
                discard_pending(row)
            transaction.on_commit(lambda: _enqueue(pending.pk, PREVIEW), robust=True)
    except IntegrityError:
        pending.file.storage.delete(pending.file.name)
        raise ImportBusy() from None
    return pending


def _move(
    pending: PendingImport,
    frm: tuple[str, ...],
    to: str,
    phase: str,
    answers: dict[str, Any] | None = None,
) -> bool:
    """Move the row from one of `frm` to a running state and queue its task; False when it
    was not in `frm` (done already). `answers` are added to the row's. Raises ImportBusy."""
    values: dict[str, Any] = {}
    if answers:
        values["answers"] = {**(pending.answers or {}), **answers}
    try:
        with transaction.atomic():
            moved = PendingImport.objects.filter(pk=pending.pk, state__in=frm).update(
                **values,
                state=to,
                message="",
                rows_read=0,
                expires_at=timezone.now() + PREVIEW_LIFETIME,
                updated=timezone.now(),
            )
            if moved:
                transaction.on_commit(lambda: _enqueue(pending.pk, phase), robust=True)
    except IntegrityError:
        raise ImportBusy() from None
    return bool(moved)


def start_apply(pending: PendingImport, answers: dict[str, Any] | None = None) -> bool:
    """Queue the apply of a previewed file (exactly what was previewed), with the person's
    `answers` at this step (such as a typed confirmation); False when it is not waiting to be
    applied. Raises ImportBusy, or ValueError (NOT_VALID) for a preview with bad rows."""
    summary = pending.summary or {}
    if not summary.get("valid") or not pending.fingerprint:
        raise ValueError(NOT_VALID)
    return _move(pending, (State.READY,), State.APPLYING, APPLY, answers)


def retry(pending: PendingImport) -> bool:
    """Run a failed import's step again: its apply when it was previewed, else its preview."""
    if (pending.summary or {}).get("valid") and pending.fingerprint:
        return _move(pending, (State.FAILED,), State.APPLYING, APPLY)
    return _move(pending, (State.FAILED,), State.PREVIEWING, PREVIEW)


# --- the task's work ------------------------------------------------------------------------


def run(pending_id: int, phase: str) -> str:
    """The task `portal.tasks.run_import`: preview or apply one PendingImport. Acts only on a
    row in the state its phase expects (a second delivery finds the work done)."""
    expected = State.PREVIEWING if phase == PREVIEW else State.APPLYING
    pending = PendingImport.objects.filter(pk=pending_id, state=expected).first()
    if pending is None:
        return "nothing to do"
    try:
        page = import_string(pending.page).for_pending(pending)
        text = pending_text(pending)
        if phase == PREVIEW:
            return _preview(pending, page, text)
        return _apply(pending, page, text)
    except ImportFileError as error:
        _fail(pending, expected, f"{str(error).rstrip('.')}. Nothing was imported.")
    except PermissionDenied as error:
        _fail(pending, expected, f"{str(error).rstrip('.')}. Nothing was imported.")
    except Exception:  # a bug or a time limit: say so, keep the file, change nothing
        logger.exception("import %s failed while %s", pending_id, expected)
        _fail(pending, expected, FAILED)
    return "failed"


def _fail(pending: PendingImport, expected: str, message: str) -> None:
    PendingImport.objects.filter(pk=pending.pk, state=expected).update(
        state=State.FAILED, message=message, updated=timezone.now()
    )


def _preview(pending: PendingImport, page: Any, text: str, notice: str = "") -> str:
    def report(done: int, total: int) -> None:
        PendingImport.objects.filter(pk=pending.pk).update(rows_read=done, rows_total=total)

    with progress.reporting(report):
        preview = page.preview(text)
    _keep_preview(pending, preview, notice=notice)
    return "previewed"


def _keep_preview(pending: PendingImport, preview: Preview, *, notice: str = "") -> None:
    summary, data = summarise(preview)
    with transaction.atomic():
        row = (
            PendingImport.objects.select_for_update()
            .filter(pk=pending.pk, state__in=PendingImport.RUNNING)
            .first()
        )
        if row is None:  # cancelled meanwhile
            return
        old = row.preview_file.name
        row.summary = summary
        row.fingerprint = preview.fingerprint if preview.is_valid else ""
        row.preview_file.save("preview.csv", ContentFile(data), save=False)
        row.state = State.READY
        row.message = notice
        row.rows_read = row.rows_total
        row.expires_at = timezone.now() + PREVIEW_LIFETIME
        row.save()
        if old:
            storage = row.preview_file.storage
            transaction.on_commit(lambda: storage.delete(old), robust=True)


def _apply(pending: PendingImport, page: Any, text: str) -> str:
    notice = ""
    with transaction.atomic():
        # Held until the apply commits: a second delivery of the task skips it.
        row = (
            PendingImport.objects.select_for_update(skip_locked=True)
            .filter(pk=pending.pk, state=State.APPLYING)
            .first()
        )
        if row is None:
            return "nothing to do"
        try:
            with transaction.atomic():
                done = page.apply(text, fingerprint=row.fingerprint, file_name=row.file_name)
        except StalePreview as stale:
            notice = str(stale)
            row.state, row.message, row.rows_read = State.PREVIEWING, notice, 0
            row.save(update_fields=["state", "message", "rows_read", "updated"])
        except ImportRefused as refused:
            row.state = State.PREVIEWING  # kept as a preview that cannot be applied
            row.save(update_fields=["state", "updated"])
            _keep_preview(row, refused.preview, notice=str(refused))
            return "refused"
        else:
            row.state, row.message = State.APPLIED, done
            row.save(update_fields=["state", "message", "updated"])
            return "applied"
    # The data changed since the preview: nothing was imported; preview it again.
    return _preview(row, page, text, notice=notice)


def summarise(preview: Preview) -> tuple[dict[str, Any], bytes]:
    """The preview as the page keeps it (counts, the first rows of each kind, the first bad
    rows) and the CSV of every row (UTF-8, formulas neutralised)."""
    labels = {**KIND_LABELS, **preview.kind_labels}

    def label_of(kind: str) -> str:
        return labels.get(kind) or kind.replace("_", " ").capitalize()

    kinds: list[dict[str, Any]] = []
    every: list[tuple[str, Any, dict[str, str]]] = []
    columns: dict[str, None] = {}
    for kind, rows in preview.changes.items():
        sample_columns: dict[str, None] = {}
        sample: list[tuple[Any, dict[str, str]]] = []
        for index, row in enumerate(rows):
            cells = preview.row_cells(kind, row)
            line = getattr(row, "line", "")
            columns.update(dict.fromkeys(cells))
            every.append((kind, line, cells))
            if index < SAMPLE_ROWS:
                sample_columns.update(dict.fromkeys(cells))
                sample.append((line, cells))
        names = list(sample_columns)
        kinds.append(
            {
                "kind": kind,
                "label": label_of(kind),
                "count": len(rows),
                "columns": names,
                "rows": [
                    {"line": line, "cells": [cells.get(name, "") for name in names]}
                    for line, cells in sample
                ],
            }
        )
    errors = sorted(preview.errors, key=lambda error: error.line)
    summary = {
        "valid": preview.is_valid,
        "apply_count": preview.apply_count if preview.is_valid else 0,
        "kinds": kinds,
        "errors": {
            "count": len(errors),
            "rows": [{"line": e.line, "message": e.message} for e in errors[:SAMPLE_ERRORS]],
        },
        "details": preview.summary_details(),
    }
    names = list(columns)
    out = io.StringIO()
    out.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = csv.writer(out)
    writer.writerow(["kind", "line", *names, "problem"])
    for kind, line, cells in every:
        row = [label_of(kind), line, *(cells.get(name, "") for name in names), ""]
        writer.writerow([neutralise(cell) for cell in row])
    for error in errors:
        cells = ["Refused", error.line, *[""] * len(names), error.message]
        writer.writerow([neutralise(cell) for cell in cells])
    return summary, out.getvalue().encode("utf-8")
