"""The weekly digest: one e-mail listing every reminder a person chose to have weekly.

Reminders of a kind the person wants "in a weekly digest" are written to the outbox held
(`Notification.digest`), not sent. On the digest day (NOTIFICATION_DIGEST_WEEKDAY, Monday by
default) the periodic task gathers each person's held reminders into one notification of kind
"weekly_digest" keyed by the ISO week, sent through the outbox like any other, and marks the
reminders it lists as sent in the same transaction. So a pass that runs again (every hour of
that day, or a task redelivered) sends nobody a second digest and lists no reminder twice.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.models import Notification
from portal.services import absolute_url, queue_notification

logger = logging.getLogger(__name__)

DIGEST_KIND = "weekly_digest"


def week_key(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def is_digest_day(day: datetime.date) -> bool:
    return day.weekday() == settings.NOTIFICATION_DIGEST_WEEKDAY


def held():
    return Notification.objects.filter(status=Notification.Status.PENDING, digest=True)


def digest_body(reminders: list[Notification]) -> str:
    count = len(reminders)
    lines = [
        f"Your weekly digest: {count} reminder{'' if count == 1 else 's'} from the last week.",
        "",
    ]
    for number, reminder in enumerate(reminders, start=1):
        lines += [f"{number}. {reminder.subject}", "", reminder.body.strip(), "", ""]
    lines += [
        "-- ",
        "You chose to have these reminders weekly. Choose how you get them (at once, a weekly "
        f"digest, or never): {absolute_url(reverse('notification_settings'))}",
    ]
    return "\n".join(lines) + "\n"


def send_digests(now: datetime.datetime | None = None) -> int:
    """On the digest day, queue each person's digest of their held reminders; returns how
    many digests it queued (0 on other days, and when every digest of the week is out)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not is_digest_day(today):
        return 0
    key = week_key(today)
    people = (
        held()
        .filter(created__lte=now)
        .values_list("technician_id", "recipient_id")
        .distinct()
        .order_by("technician_id", "recipient_id")
    )
    queued = 0
    for technician_id, recipient_id in list(people):
        owner = (
            {"technician_id": technician_id} if technician_id else {"recipient_id": recipient_id}
        )
        with transaction.atomic():
            reminders = list(
                held()
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("technician", "recipient")
                .filter(created__lte=now, **owner)
                .order_by("created", "pk")
            )
            if not reminders:
                continue  # another worker has them, or they were just released
            addressee = reminders[0].addressee
            count = len(reminders)
            digest = queue_notification(
                addressee,
                DIGEST_KIND,
                key,
                f"Your weekly digest: {count} reminder{'' if count == 1 else 's'}",
                digest_body(reminders),
            )
            if digest is None:
                continue  # this week's digest is out already: these wait for next week's
            Notification.objects.filter(pk__in=[r.pk for r in reminders]).update(
                status=Notification.Status.SENT,
                sent_at=now,
                reason=f"In the weekly digest of {key}",
            )
            queued += 1
    if queued:
        logger.info("Weekly digests queued: %s", queued)
    return queued
