"""Celery tasks of the technicians app: thin, idempotent."""

from __future__ import annotations

from celery import shared_task

from portal.tasks import RETRY


@shared_task(name="technicians.tasks.apply_retention", ignore_result=True, **RETRY)
def apply_retention() -> int:
    """The daily pass: anonymise leavers whose retention period is over (a re-run finds none)."""
    from technicians import retention

    return len(retention.apply_retention())
