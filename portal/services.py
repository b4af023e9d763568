"""Changes owned by the kernel: the notification outbox."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from portal.models import Notification


def queue_notification(
    recipient, kind: str, key: str, subject: str, body: str
) -> Notification | None:
    """Write a Notification in the caller's transaction and send it after commit.

    Returns None when this (kind, key, recipient) was already queued: producers can run again
    and again without telling anyone twice.
    """
    if recipient is None or not recipient.email:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, key=key, subject=subject, body=body
            )
    except IntegrityError:
        return None
    from portal.tasks import send_notification

    # robust: a broker that is down must not fail the request; the sweep sends it later.
    transaction.on_commit(lambda: send_notification.delay(notification.pk), robust=True)
    return notification
