"""Sending the outbox's notifications (see portal.services.queue_notification).

`send` is the one place an outbox row becomes an e-mail. It is called by the
`send_notification` task (enqueued on commit), by the periodic sweep (`sweep`, for rows the
broker never delivered or whose send failed) and by the admin's "send now" action.

Guarantees:
- at most once: the row is locked (`select_for_update(skip_locked=True)`) while it is sent
  and marked sent in the same transaction, so two workers never send the same row; the one
  that finds it locked or already sent does nothing;
- nothing lost: a failed send keeps the row pending (attempts + 1, with a backoff before the
  sweep tries again); after MAX_ATTEMPTS it is marked failed and shows up in the admin.

The one window left is a worker killed after the mail server accepted the message but before
the commit: the row is still pending and is sent again. E-mail cannot do better than that.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal import registry, unsubscribe
from portal.links import absolute_url
from portal.models import NO_ADDRESS, Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# The sweep leaves fresh rows to the task enqueued on commit.
SWEEP_GRACE = timedelta(minutes=1)
SWEEP_BATCH_SIZE = 100
# One sweep sends at most this many, so it stays well inside the task time limit.
SWEEP_MAX_PER_RUN = 2000


def backoff(attempts: int) -> timedelta:
    """How long the sweep waits after the `attempts`-th failed attempt: 2, 4, 8, 16… minutes."""
    return timedelta(minutes=2 ** max(1, min(attempts, 10)))


def send(notification_id: int) -> bool:
    """Send one pending notification, at most once. True when this call sent it.

    A row waiting for the weekly digest is left to the digest (portal.digest)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "technician")
            .filter(pk=notification_id, status=Notification.Status.PENDING, digest=False)
            .first()
        )
        if notification is None:
            return False  # sent already, failed for good, gone, or another worker has it
        address = notification.address
        if not address:  # the person's address went since it was queued: say so, do not retry
            notification.status = Notification.Status.FAILED
            notification.reason = NO_ADDRESS
            notification.next_attempt_at = None
            notification.save(update_fields=["status", "reason", "next_attempt_at"])
            return False
        notification.attempts += 1
        try:
            message = build_message(notification, address)
            # Built at send time from the data (a calendar invitation, say), never stored.
            for filename, content, mimetype in registry.attachments_for(notification):
                message.attach(filename, content, mimetype)
            message.send()
        except Exception as error:  # SMTP errors of every kind: keep it pending, retry later
            logger.warning(
                "Sending notification %s failed (attempt %s): %s",
                notification.pk,
                notification.attempts,
                error,
            )
            notification.last_error = f"{type(error).__name__}: {error}"[:1000]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
                notification.reason = "The mail server refused it"
                notification.next_attempt_at = None
            else:
                notification.next_attempt_at = timezone.now() + backoff(notification.attempts)
            notification.save(
                update_fields=["attempts", "last_error", "status", "reason", "next_attempt_at"]
            )
            return False
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.next_attempt_at = None
        notification.reason = ""
        notification.save(
            update_fields=["attempts", "status", "sent_at", "next_attempt_at", "reason"]
        )
        return True


def build_message(notification: Notification, address: str) -> EmailMessage:
    """The e-mail of one notification, to `address`. A reminder carries a one-click
    unsubscribe link for its kind, in its text and in the List-Unsubscribe and
    List-Unsubscribe-Post headers (RFC 8058)."""
    body, headers = notification.body, {}
    if notification.reminder_kind:
        link = unsubscribe.unsubscribe_url(notification.addressee, notification.reminder_kind)
        kind = registry.reminder_kind(notification.reminder_kind)
        label = kind.label if kind else "these reminders"
        body = (
            f"{body.rstrip()}\n\n-- \n"
            f"Choose how you get reminders (at once, a weekly digest, or never): "
            f"{absolute_url(reverse('notification_settings'))}\n"
            f"Stop “{label}”: {link}\n"
        )
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return EmailMessage(
        notification.subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        headers=headers,
    )


def due_for_sweep(now: datetime | None = None):
    """Pending rows the sweep should (re)send: older than the grace period, backoff over."""
    now = now or timezone.now()
    return Notification.objects.filter(
        status=Notification.Status.PENDING, digest=False, created__lte=now - SWEEP_GRACE
    ).filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def sweep(batch_size: int = SWEEP_BATCH_SIZE, limit: int = SWEEP_MAX_PER_RUN) -> dict[str, int]:
    """Send what is still pending, in batches by primary key; each row through `send`."""
    now = timezone.now()
    sent = tried = 0
    last_pk = 0
    while tried < limit:
        batch = list(
            due_for_sweep(now)
            .filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[: min(batch_size, limit - tried)]
        )
        if not batch:
            break
        for pk in batch:
            tried += 1
            sent += send(pk)
        last_pk = batch[-1]
    if tried:
        logger.info("Outbox sweep: %s of %s pending notifications sent", sent, tried)
    return {"tried": tried, "sent": sent}


def send_now(notification_ids: Iterable[int]) -> int:
    """The admin's "send now": send these at once, giving failed ones one more attempt.

    Sent rows are left alone (never sent twice). Returns how many were sent."""
    ids = list(notification_ids)
    Notification.objects.filter(pk__in=ids, status=Notification.Status.FAILED).update(
        status=Notification.Status.PENDING, next_attempt_at=None
    )
    return sum(send(pk) for pk in sorted(ids))
