"""Celery tasks: thin, idempotent, taking primary keys and calling a service."""

from celery import shared_task


@shared_task(ignore_result=True)
def send_notification(notification_id: int) -> None:
    from portal import outbox

    outbox.send(notification_id)
