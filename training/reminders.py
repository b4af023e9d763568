"""Reminders derived from the data, run by the periodic reminder pass with the local date.

- "training_session_tomorrow": to everyone with a seat on a session that starts tomorrow;
- "training_approval_waiting": to the line manager, once a booking has waited 3 working days
  for their approval.

The outbox's unique (kind, key, addressee) makes every re-run harmless.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from portal.periods import working_days_between
from portal.services import queue_notification
from training import selectors, services
from training.models import Booking

SESSION_TOMORROW = "training_session_tomorrow"
APPROVAL_WAITING = "training_approval_waiting"
APPROVAL_WAITING_WORKING_DAYS = 3


def queue_session_reminders(today: datetime.date) -> int:
    queued = 0
    for booking in selectors.sessions_tomorrow_bookings(today):
        session = booking.session
        with transaction.atomic():
            notification = queue_notification(
                booking.technician,
                SESSION_TOMORROW,
                f"booking:{booking.pk}:{timezone.localdate(session.starts_at).isoformat()}",
                f"Tomorrow: {session.course.title}",
                "A reminder: you have a seat on this session tomorrow. If you cannot come, "
                "please cancel so that someone on the waiting list can have it.\n\n"
                + services.session_details(session),
                reminder_kind=SESSION_TOMORROW,
            )
        queued += notification is not None
    return queued


def queue_approval_reminders(today: datetime.date) -> int:
    queued = 0
    bookings = (
        Booking.objects.filter(
            status=Booking.Status.REQUESTED,
            session__starts_at__gt=timezone.now(),
            technician__line_manager__isnull=False,
            technician__line_manager__is_active=True,
        )
        .select_related("session__course", "technician__line_manager")
        .order_by("created", "pk")
    )
    for booking in bookings:
        asked_on = timezone.localdate(booking.created)
        if working_days_between(asked_on, today) < APPROVAL_WAITING_WORKING_DAYS:
            continue
        technician, session = booking.technician, booking.session
        with transaction.atomic():
            notification = queue_notification(
                technician.line_manager,
                APPROVAL_WAITING,
                f"booking:{booking.pk}",
                f"Still waiting for your approval: {technician.full_name}",
                f"{technician.full_name} asked on {asked_on:%d %B %Y} to attend "
                f"{session.course.title} ({services.when_text(session)}), and is still waiting "
                "for your decision.\n\nApprove or decline it here:\n"
                f"{services.absolute_link('/training/approvals/')}\n",
                reminder_kind=APPROVAL_WAITING,
            )
        queued += notification is not None
    return queued


def queue_training_reminders(today: datetime.date) -> int:
    return queue_session_reminders(today) + queue_approval_reminders(today)
