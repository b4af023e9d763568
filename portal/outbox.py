"""Sending the outbox's notifications (see portal.services.queue_notification)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal.models import Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def send(notification_id: int) -> bool:
    """Send one pending notification, at most once: the row is locked while it is sent, and a
    worker that finds it locked (another is sending it) or already sent does nothing."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:
            return False
        notification.attempts += 1
        try:
            send_mail(
                notification.subject,
                notification.body,
                settings.DEFAULT_FROM_EMAIL,
                [notification.recipient.email],
            )
        except Exception as error:  # SMTP errors of every kind: keep it pending, retry later
            logger.warning("Sending notification %s failed: %s", notification.pk, error)
            notification.last_error = str(error)[:1000]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
            notification.save(update_fields=["attempts", "last_error", "status"])
            return False
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.save(update_fields=["attempts", "status", "sent_at"])
        return True
