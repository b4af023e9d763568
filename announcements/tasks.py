"""The announcement's batches: each task queues one batch, then the next one's task."""

from __future__ import annotations

from celery import shared_task

from portal.tasks import RETRY


@shared_task(name="announcements.tasks.queue_announcement", ignore_result=True, **RETRY)
def queue_announcement(announcement_id: int) -> bool:
    """Queue one batch of the announcement's notifications; if more remain, the next task."""
    from announcements import services

    more = services.queue_batch(announcement_id)
    if more:
        queue_announcement.delay(announcement_id)
    return more
