"""Celery tasks: thin, idempotent, taking primary keys and calling a service.

acks_late and reject_on_worker_lost come from settings (CELERY_TASK_*): a task whose worker
dies is delivered again, so every task here may run twice without doing anything twice.
With no REDIS_URL they run in-process (CELERY_TASK_ALWAYS_EAGER).
"""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

# A database blip (failover, restart) is worth retrying; the outbox keeps everything else.
RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="portal.tasks.send_notification", ignore_result=True, **RETRY)
def send_notification(notification_id: int) -> bool:
    """Send one outbox row (a no-op when it is sent already or being sent)."""
    from portal import outbox

    return outbox.send(notification_id)


@shared_task(name="portal.tasks.send_pending_notifications", ignore_result=True, **RETRY)
def send_pending_notifications() -> dict[str, int]:
    """The periodic sweep: re-send notifications still pending (see portal.outbox.sweep)."""
    from portal import outbox

    return outbox.sweep()


@shared_task(name="portal.tasks.send_reminders", ignore_result=True, **RETRY)
def send_reminders() -> dict[str, int]:
    """Every reminder producer for today (see portal.reminders); re-runs are harmless."""
    from portal import reminders

    return reminders.run_all()


@shared_task(name="portal.tasks.send_weekly_digests", ignore_result=True, **RETRY)
def send_weekly_digests() -> int:
    """On the digest day, one e-mail per person listing their held reminders (idempotent)."""
    from portal import digest

    return digest.send_digests()


@shared_task(name="portal.tasks.delete_expired_imports", ignore_result=True, **RETRY)
def delete_expired_imports() -> int:
    """The periodic cleanup: previews of imports over an hour old, with their files."""
    from portal.imports.pending import delete_expired_pending

    return delete_expired_pending()


@shared_task(name="portal.tasks.run_import", ignore_result=True, **RETRY)
def run_import(pending_id: int, phase: str) -> str:
    """Preview ("preview") or apply ("apply") a large import, on the `imports` queue (see
    portal.imports.background); does nothing unless the row waits for that step."""
    from portal.imports import background

    return background.run(pending_id, phase)


@shared_task(name="portal.tasks.sweep_imports", ignore_result=True, **RETRY)
def sweep_imports() -> dict[str, int]:
    """The periodic sweep of large imports: queue a stalled step again, or give it up
    (see portal.imports.background.sweep)."""
    from portal.imports import background

    return background.sweep()
