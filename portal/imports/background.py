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

The task is idempotent: it acts only on a row in the state its phase expects, and holds the
step's lock while it works (PostgreSQL: an advisory lock on the row's id, released when the
step ends or its worker's connection dies), so a task delivered twice (a worker killed,
acks_late, the sweep) never runs the same step twice at once, and does the work once. A task
that fails marks the row `failed` with a sentence for the person; nothing was changed and the
file is kept, so they can try again. With no broker (CELERY_TASK_ALWAYS_EAGER) the task runs
in-process, once the request's transaction has committed, and the page finds the preview ready.

The periodic `sweep` (`portal.tasks.sweep_imports`) finds a running step that has not moved for
PORTAL_IMPORT_STALLED_AFTER seconds and whose lock nobody holds (its message never reached the
broker, or its worker died): it queues it again, at most PORTAL_IMPORT_ATTEMPTS times in all,
then marks it `failed` with a sentence for the person, which frees their one running import.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    connection,
    connections,
    transaction,
)
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
# Said when the sweep gives up on a step that never finished (its worker lost, every time).
LOST_PREVIEW = (
    "{file} could not be read: the portal tried {attempts} times and it never finished. "
    "Nothing was imported: please upload it again."
)
LOST_APPLY = (
    "{file} could not be applied: the portal tried {attempts} times and it never finished. "
    "Nothing was changed: try again, or cancel it and upload the file again."
)
# The apply's progress is written at most this often (seconds).
APPLIED_EVERY = 0.5
# PostgreSQL advisory locks (two-key form): (STEP_LOCK, the PendingImport's id) while a step runs.
STEP_LOCK = 7_204_120

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
        attempts=1,
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
                attempts=1,
                rows_read=0,
                rows_applied=0,
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


@contextmanager
def step_lock(pending_id: int) -> Iterator[bool]:
    """Hold the lock of an import's step while it runs: True, or False when another worker
    holds it. PostgreSQL: a transaction-level advisory lock, in a transaction kept open on a
    connection of the lock's own, ended when the step ends, or by the server when the worker
    dies with its connection. (A session-level lock would outlive its step behind PgBouncer's
    transaction pooling; an open transaction keeps its server connection.) Elsewhere (SQLite:
    in-process tasks only) always True."""
    if connection.vendor != "postgresql":
        yield True
        return
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        own.ensure_connection()
        own.set_autocommit(False)
        with own.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [STEP_LOCK, pending_id])
            held = bool(cursor.fetchone()[0])
        yield held
    finally:
        try:
            own.rollback()  # releases the lock
        except DatabaseError:
            pass  # the connection is gone, and the lock with it
        finally:
            own.close()


def run(pending_id: int, phase: str) -> str:
    """The task `portal.tasks.run_import`: preview or apply one PendingImport. Acts only on a
    row in the state its phase expects (a second delivery finds the work done), holding the
    step's lock (a delivery while another runs the step does nothing)."""
    with step_lock(pending_id) as mine:
        if not mine:
            return "running already"
        return _run(pending_id, phase)


def _run(pending_id: int, phase: str) -> str:
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
        # `updated` too: the sweep sees the step moving.
        PendingImport.objects.filter(pk=pending.pk).update(
            rows_read=done, rows_total=total, updated=timezone.now()
        )

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
        # The step's lock (run) keeps a second delivery out; the row itself is not locked, so
        # its progress can be written from another connection while this transaction runs.
        row = PendingImport.objects.filter(pk=pending.pk, state=State.APPLYING).first()
        if row is None:
            return "nothing to do"
        try:
            with (
                _applied_writer(row.pk) as report,
                progress.reporting_applied(report, every=APPLIED_EVERY),
                transaction.atomic(),
            ):
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


# --- the sweep ------------------------------------------------------------------------------


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    """The periodic task `portal.tasks.sweep_imports`: queue again each running step that has
    not moved for PORTAL_IMPORT_STALLED_AFTER seconds and that no worker holds; after
    PORTAL_IMPORT_ATTEMPTS in all, mark it failed. How many of each."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.PORTAL_IMPORT_STALLED_AFTER)
    stalled = PendingImport.objects.filter(state__in=PendingImport.RUNNING, updated__lte=cutoff)
    counts = {"requeued": 0, "failed": 0}
    for pk in list(stalled.order_by("pk").values_list("pk", flat=True)):
        outcome = _sweep_one(pk, cutoff, now)
        if outcome:
            counts[outcome] += 1
    return counts


def _sweep_one(pk: int, cutoff: datetime.datetime, now: datetime.datetime) -> str:
    with step_lock(pk) as free:
        if not free:
            return ""  # a worker is on it (slow, not lost): its time limit bounds it
        with transaction.atomic():
            row = (
                PendingImport.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state__in=PendingImport.RUNNING, updated__lte=cutoff)
                .first()
            )
            if row is None:
                return ""
            phase = PREVIEW if row.state == State.PREVIEWING else APPLY
            if row.attempts >= settings.PORTAL_IMPORT_ATTEMPTS:
                lost = LOST_PREVIEW if phase == PREVIEW else LOST_APPLY
                row.state = State.FAILED  # frees the person's one running import
                row.message = lost.format(file=row.file_name or "The file", attempts=row.attempts)
                row.expires_at = now + PREVIEW_LIFETIME  # long enough to be read
                row.save(update_fields=["state", "message", "expires_at", "updated"])
                logger.warning("import %s given up after %s attempts", pk, row.attempts)
                return "failed"
            row.attempts += 1
            row.expires_at = now + PREVIEW_LIFETIME
            row.save(update_fields=["attempts", "expires_at", "updated"])
    # Queued once the step's lock is released (and the change committed): the task finds
    # the step free.
    transaction.on_commit(lambda: _enqueue(pk, phase), robust=True)
    logger.info("import %s stalled: queued again (attempt %s)", pk, row.attempts)
    return "requeued"


@contextmanager
def _applied_writer(pending_id: int) -> Iterator[progress.Callback]:
    """The callback writing how many rows the apply has written (and `updated`, for the
    sweep). The apply is one transaction, all or nothing, and what it writes is invisible
    until it commits: so the count goes through a connection of its own, in autocommit, which
    the page's poll sees at once. Only the count is written there, never the import's data.
    Elsewhere than PostgreSQL (SQLite: in-process tasks, nobody polls meanwhile) a no-op."""
    if connection.vendor != "postgresql":
        yield lambda done, total: None
        return
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    table = own.ops.quote_name(PendingImport._meta.db_table)
    sql = (
        f"UPDATE {table} SET rows_applied = %s, updated = %s "  # noqa: S608 (names, not data)
        "WHERE id = %s AND state = %s"
    )

    def report(done: int, total: int) -> None:
        try:
            with own.cursor() as cursor:
                cursor.execute(sql, [done, timezone.now(), pending_id, State.APPLYING])
        except DatabaseError:  # the bar only: the apply goes on
            logger.warning("import %s: could not record its progress", pending_id)

    try:
        yield report
    finally:
        own.close()


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
