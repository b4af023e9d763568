"""Writing an announcement and sending it through the outbox in batches.

`publish_announcement` writes the row and, on commit, starts the task that queues one
notification per person in the audience, a batch at a time (`queue_batch`, each batch its own
transaction, resuming after the last technician it queued). The key `announcement:<pk>` makes
every batch idempotent: a batch redelivered after a worker died tells nobody twice. Each
person's preference for "announcements" applies (at once, weekly digest, never); a technician
with no account gets it at their staff-list address.
"""

from __future__ import annotations

import datetime

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from announcements import permissions
from announcements.models import Announcement
from portal.registry import ReminderKind
from portal.services import absolute_url, queue_notification
from technicians.models import Department, Technician

# Found by name: the task module calls these services.
QUEUE_TASK = "announcements.tasks.queue_announcement"
KIND = "announcement"
REMINDER_KIND = "announcements"
REMINDER = ReminderKind(
    REMINDER_KIND,
    "Announcements from the steering group and HR",
    help="News of the Technician Commitment. They also show on your dashboard for a week.",
    order=90,
)
# Left half way for this long (its worker died, the broker was down): the periodic pass
# queues the rest.
RESUME_AFTER = datetime.timedelta(minutes=5)


def batch_size() -> int:
    return int(getattr(settings, "ANNOUNCEMENT_BATCH_SIZE", 500))


def audience(announcement: Announcement):
    """The active technicians the announcement is for, in primary-key order."""
    technicians = Technician.objects.filter(is_active=True)
    faculties = list(announcement.faculties or [])
    departments = list(announcement.departments.values_list("pk", flat=True))
    if faculties or departments:
        technicians = technicians.filter(
            Q(department__faculty__in=faculties) | Q(department__in=departments)
        )
    return technicians.order_by("pk")


def publish_announcement(
    *, title: str, body: str, faculties=(), departments=(), by
) -> Announcement:
    """Write an announcement to every active technician (no faculty or department chosen) or
    to the chosen faculties and departments, and start sending it. Steering group, HR and
    administrators only."""
    if not permissions.can_write_announcement(by):
        raise PermissionDenied("Only the steering group and HR can write announcements.")
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = ["Give the announcement a title."]
    if not body:
        errors["body"] = ["Write the announcement."]
    faculties = sorted({(name or "").strip() for name in faculties} - {""})
    known = set(Department.objects.values_list("faculty", flat=True))
    unknown = [name for name in faculties if name not in known]
    if unknown:
        errors["faculties"] = [f"There is no faculty called “{unknown[0]}”."]
    departments = list(departments)
    if errors:
        raise ValidationError(errors)
    announcement = Announcement(title=title, body=body, faculties=faculties, author=by)
    announcement.full_clean(exclude=["author"])
    with transaction.atomic():
        announcement.save()
        if departments:
            announcement.departments.set(departments)
        if not audience(announcement).exists():
            raise ValidationError(
                "Nobody is in this audience: choose other faculties or departments."
            )
        _start(announcement.pk)
    return announcement


def _start(announcement_id: int) -> None:
    queue_announcement = current_app.tasks[QUEUE_TASK]

    # robust: a broker that is down must not fail the request; the periodic pass resumes it.
    transaction.on_commit(lambda: queue_announcement.delay(announcement_id), robust=True)


def message(announcement: Announcement) -> tuple[str, str]:
    """The e-mail's subject and body: the text as written, and the link to it."""
    body = (
        f"{announcement.body}\n\n"
        f"Read it on the portal: {absolute_url(announcement.get_absolute_url())}\n"
    )
    return announcement.title, body


def queue_batch(announcement_id: int, *, size: int | None = None) -> bool:
    """Queue the next batch of the announcement's notifications, in one transaction. True
    when more remain (the task queues the next batch), False when it is all queued."""
    size = size or batch_size()
    with transaction.atomic():
        announcement = Announcement.objects.select_for_update().filter(pk=announcement_id).first()
        if announcement is None or announcement.status == Announcement.Status.SENT:
            return False
        batch = list(audience(announcement).filter(pk__gt=announcement.queued_through)[:size])
        subject, body = message(announcement)
        for technician in batch:
            queued = queue_notification(
                technician,
                KIND,
                f"announcement:{announcement.pk}",
                subject,
                body,
                reminder_kind=REMINDER_KIND,
            )
            announcement.recipients += queued is not None
        if batch:
            announcement.queued_through = batch[-1].pk
        more = len(batch) == size
        if not more:
            announcement.status = Announcement.Status.SENT
            announcement.finished_at = timezone.now()
        announcement.save(update_fields=["queued_through", "recipients", "status", "finished_at"])
    return more


def resume_unfinished(today: datetime.date) -> int:
    """The periodic pass: start again the announcements whose queueing stopped half way.
    Returns 0 (the notifications are counted by the batches)."""
    stale = timezone.now() - RESUME_AFTER
    for pk in Announcement.objects.filter(
        status=Announcement.Status.QUEUEING, created__lte=stale
    ).values_list("pk", flat=True):
        queue_announcement = current_app.tasks[QUEUE_TASK]

        queue_announcement.delay(pk)
    return 0
