"""Celery tasks of the annual report: thin, idempotent, taking primary keys."""

from __future__ import annotations

from celery import shared_task

from commitment.reports import stored, work
from portal.tasks import RETRY


# Routed to the `reports` queue (CELERY_TASK_ROUTES). The soft limit turns a render that runs
# away into a failed report with a reason; the sweep resets one whose worker died.
@shared_task(
    bind=True,
    name="commitment.tasks.render_annual_report",
    ignore_result=True,
    soft_time_limit=600,
    time_limit=660,
    **RETRY,
)
def render_annual_report(self, report_id: int) -> bool:
    """Render one annual report (a no-op when it is ready already or being rendered by an
    attempt that is still alive). A redelivered message keeps its task id: the attempt that
    took it before has died, so this one takes the report over."""
    return work.render(report_id, attempt=self.request.id or "")


@shared_task(name="commitment.tasks.sweep_annual_reports", ignore_result=True, **RETRY)
def sweep_annual_reports() -> dict[str, int]:
    """The periodic pass: reset renders whose worker died, re-queue lost requests."""
    return work.sweep()


@shared_task(name="commitment.tasks.refresh_figures", ignore_result=True, **RETRY)
def refresh_figures(year: int) -> None:
    """Work out HR's figures page of one year again (a reader found it stale, or HR asked)."""
    stored.refresh_figures(year=year)


@shared_task(name="commitment.tasks.refresh_all_figures", ignore_result=True, **RETRY)
def refresh_all_figures() -> list[int]:
    """The periodic pass: every year's figures page worked out again."""
    return stored.refresh_all_figures()
