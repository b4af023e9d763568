"""Rendering annual reports on the `reports` queue, and the sweep that keeps them moving.

- `render(report_id)` is what the task runs. It claims the row (queued → rendering) under a
  row lock, renders outside any transaction, then stores the PDF, marks the row ready and
  tells the requester through the outbox, in one transaction. A row already ready (or failed)
  is left alone, and a row another worker started recently is left to it: delivering the task
  twice renders once.
- `sweep()` runs periodically: a report still `rendering` long after the task's hard time
  limit belongs to a worker that died, so it goes back to `queued`; queued reports whose
  message never reached the broker (it was down at request time) are enqueued again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
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


def enqueue(report_id: int) -> None:
    """Queue the render once the current transaction commits; a broker that is down is
    logged, never raised (the sweep queues the report again)."""
    from commitment.tasks import render_annual_report

    transaction.on_commit(lambda: render_annual_report.delay(report_id), robust=True)


def _claim(report_id: int) -> AnnualReport | None:
    now = timezone.now()
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update(skip_locked=True).filter(pk=report_id).first()
        )
        if report is None or report.status in (Status.READY, Status.FAILED):
            return None
        if (
            report.status == Status.RENDERING
            and report.started
            and report.started > now - stuck_after()
        ):
            return None  # another worker is on it (or died recently: the sweep resets it)
        report.status = Status.RENDERING
        report.started = now
        report.finished = None
        report.error = ""
        report.attempts += 1
        report.save(update_fields=["status", "started", "finished", "error", "attempts"])
        return report


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


def render(report_id: int) -> bool:
    """Render one report (see the module's docstring). True when this call made the PDF."""
    report = _claim(report_id)
    if report is None:
        return False
    try:
        result = rendering.render_pdf(report.year, version=report.version)
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
        AnnualReport.objects.filter(
            status=Status.RENDERING, started__lt=now - stuck_after()
        ).values_list("pk", flat=True)
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
