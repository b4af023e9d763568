"""Rendering annual reports on the `reports` queue, and the sweep that keeps them moving.

- `render(report_id, attempt=task_id)` is what the task runs. It claims the row (queued →
  rendering) under a row lock, recording the attempt (the task id, the worker process
  host:pid) and a heartbeat it refreshes while it renders (outside any transaction); then it
  stores the PDF, marks the row ready and tells the requester through the outbox, in one
  transaction. A row already ready (or failed) is left alone, and a row whose attempt is
  still alive is left to it: delivering the task twice renders once.
- An attempt is gone when the same task comes back (Celery redelivers a message only when the
  process that had it died: acks_late + reject_on_worker_lost), when its process on this host
  no longer exists, or when its heartbeat is older than `heartbeat_stale()`. A row whose
  attempt is gone is free: the redelivered task takes the report over at once, so a killed
  worker costs seconds, not the sweep's quarter of an hour.
- `sweep()` runs periodically: a report still `rendering` whose heartbeat stopped (or, for
  rows from before heartbeats, long after the task's hard time limit) belongs to a worker
  that died, so it goes back to `queued`; queued reports whose message never reached the
  broker (it was down at request time) are enqueued again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from commitment.models import AnnualReport
from commitment.reports import rendering
from portal.periods import academic_year_label

logger = logging.getLogger(__name__)

Status = AnnualReport.Status


def stuck_after() -> timedelta:
    """A render still running after this long has lost its worker (longer than the task's
    hard time limit, so a live render is never taken from its worker)."""
    return timedelta(seconds=int(getattr(settings, "ANNUAL_REPORT_STUCK_AFTER", 900)))


def requeue_after() -> timedelta:
    """A queued report older than this has probably lost its message (broker down)."""
    return timedelta(seconds=int(getattr(settings, "ANNUAL_REPORT_REQUEUE_AFTER", 120)))


# The render task, found by its name in the Celery app: `commitment.tasks` (which calls this
# module) registers it when the app is ready (CommitmentConfig.ready), so this module never
# imports the tasks that import it.
RENDER_TASK = "commitment.tasks.render_annual_report"


def enqueue(report_id: int) -> None:
    """Queue the render once the current transaction commits; a broker that is down is
    logged, never raised (the sweep queues the report again)."""
    render_annual_report = current_app.tasks[RENDER_TASK]
    transaction.on_commit(lambda: render_annual_report.delay(report_id), robust=True)


def heartbeat_every() -> float:
    """Seconds between two heartbeats of a render in progress."""
    return float(getattr(settings, "ANNUAL_REPORT_HEARTBEAT_SECONDS", 10))


def heartbeat_stale() -> timedelta:
    """A render whose last heartbeat is older than this has lost its worker."""
    return timedelta(seconds=3 * heartbeat_every())


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def attempt_gone(report: AnnualReport, *, attempt: str, now: datetime) -> bool:
    """Whether the attempt recorded on a `rendering` row is dead (see the module's doc)."""
    if attempt and report.attempt_id == attempt:
        return True  # this very task came back: the process that had it died
    host, _, pid = report.attempt_worker.rpartition(":")
    same_host = host and host == socket.gethostname()
    if same_host and pid.isdigit() and int(pid) != os.getpid() and not _process_exists(int(pid)):
        return True
    if report.heartbeat is not None:
        return report.heartbeat < now - heartbeat_stale()
    # A row from before heartbeats: only the time limit tells.
    return report.started is None or report.started <= now - stuck_after()


def _claim(report_id: int, attempt: str = "") -> AnnualReport | None:
    now = timezone.now()
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update(skip_locked=True).filter(pk=report_id).first()
        )
        if report is None or report.status in (Status.READY, Status.FAILED):
            return None
        if report.status == Status.RENDERING and not attempt_gone(report, attempt=attempt, now=now):
            return None  # another attempt is alive and on it
        if report.status == Status.RENDERING:
            logger.warning(
                "Annual report %s: the attempt %s on %s is gone; %s takes it over",
                report_id,
                report.attempt_id or "?",
                report.attempt_worker or "?",
                attempt or "this process",
            )
        report.status = Status.RENDERING
        report.started = now
        report.finished = None
        report.error = ""
        report.attempts += 1
        report.attempt_id = attempt
        report.attempt_worker = this_worker()
        report.heartbeat = now
        report.save(
            update_fields=[
                "status",
                "started",
                "finished",
                "error",
                "attempts",
                "attempt_id",
                "attempt_worker",
                "heartbeat",
            ]
        )
        return report


class _Heartbeat:
    """Refreshes `heartbeat` every heartbeat_every() seconds while a render runs (a thread
    with its own database connection, closed when it stops)."""

    def __init__(self, report_id: int, worker: str):
        self.report_id, self.worker = report_id, worker
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name="report-heartbeat")

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)

    def _run(self) -> None:
        try:
            while not self.stopped.wait(heartbeat_every()):
                try:
                    AnnualReport.objects.filter(
                        pk=self.report_id, status=Status.RENDERING, attempt_worker=self.worker
                    ).update(heartbeat=timezone.now())
                except Exception:  # a database hiccup: the next beat tries again
                    logger.warning("Annual report %s: heartbeat failed", self.report_id)
        finally:
            connections.close_all()


def _notify(report: AnnualReport, *, ready: bool) -> None:
    from portal.services import absolute_url, queue_notification

    label = academic_year_label(report.year)
    path = absolute_url(reverse("reports:list"))
    if ready:
        subject = f"The annual report for {label} is ready"
        body = (
            f"The annual progress report for {label} (version {report.version}, "
            f"{report.pages} pages) is ready to download from the reports page: {path}"
        )
    else:
        subject = f"The annual report for {label} could not be made"
        body = f"{report.error}\n\nThe reports page: {path}"
    queue_notification(
        report.requested_by,
        "annual_report_ready" if ready else "annual_report_failed",
        f"{report.pk}",
        subject,
        body,
    )


def _finish(report_id: int, *, pdf: bytes | None, pages: int, headlines: dict, error: str) -> bool:
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status == Status.READY:
            return False
        report.finished = timezone.now()
        if pdf is not None:
            report.file.save(
                f"report-{report.year}-v{report.version}.pdf", ContentFile(pdf), save=False
            )
            report.status = Status.READY
            report.pages = pages
            report.headlines = headlines
            report.error = ""
        else:
            report.status = Status.FAILED
            report.error = error
        report.save()
        _notify(report, ready=pdf is not None)
    return pdf is not None


def _failed(report_id: int, error: str) -> bool:
    """Mark the report failed with `error`, a sentence for the page."""
    return _finish(report_id, pdf=None, pages=0, headlines={}, error=error)


def render(report_id: int, *, attempt: str = "") -> bool:
    """Render one report (see the module's docstring). True when this call made the PDF.
    `attempt` is the task's id: a redelivered task has the same one."""
    report = _claim(report_id, attempt)
    if report is None:
        return False
    try:
        with _Heartbeat(report_id, report.attempt_worker):
            result = rendering.render_pdf(report.year, version=report.version, report=report)
    except rendering.RenderingUnavailable as error:
        return _finish(report_id, pdf=None, pages=0, headlines={}, error=str(error))
    except SoftTimeLimitExceeded:
        logger.error("Annual report %s took longer than the task's time limit", report_id)
        return _failed(
            report_id, "Rendering took longer than the time limit of the reports worker."
        )
    except Exception:
        # The details go to the worker's log; the page shows a sentence.
        logger.exception("Annual report %s could not be rendered", report_id)
        return _failed(
            report_id,
            "Something went wrong while making the PDF. The details are in the reports "
            "worker's log; please try again, or tell the portal's administrators.",
        )
    return _finish(
        report_id,
        pdf=result.pdf,
        pages=result.pages,
        headlines=result.document.headlines,
        error="",
    )


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Reset renders whose worker died and re-enqueue reports whose message was lost."""
    now = now or timezone.now()
    stuck = list(
        AnnualReport.objects.filter(status=Status.RENDERING)
        .filter(
            Q(heartbeat__isnull=True, started__lt=now - stuck_after())
            | Q(heartbeat__lt=now - heartbeat_stale())
        )
        .values_list("pk", flat=True)
    )
    reset = AnnualReport.objects.filter(pk__in=stuck, status=Status.RENDERING).update(
        status=Status.QUEUED, started=None
    )
    if reset:
        logger.warning("Annual reports: %s stuck renders reset", reset)
    lost = AnnualReport.objects.filter(status=Status.QUEUED, created__lt=now - requeue_after())
    requeued = 0
    for pk in sorted(set(stuck) | set(lost.values_list("pk", flat=True))):
        if pk in stuck or _first_requeue_in_a_while(pk):
            enqueue(pk)
            requeued += 1
    return {"reset": reset, "requeued": requeued}


def _first_requeue_in_a_while(report_id: int) -> bool:
    """At most one re-enqueue per report per REQUEUE_AFTER: while the reports worker is down
    its queue does not fill with a copy of the same report every minute."""
    try:
        return cache.add(
            f"portal.reports.requeued.{report_id}", True, requeue_after().total_seconds()
        )
    except Exception:  # no cache table, or the cache is down: queue it (the task is idempotent)
        logger.warning("Annual reports: cache unavailable for the sweep", exc_info=True)
        return True
