"""Training's time rules: cancellation deadlines, the waiting list's cutoff, the no-show
window, hours to days."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone

from training.models import Booking, Session


def cancellation_deadline_of(session: Session) -> datetime.date:
    """The last day to cancel without it counting as late: the session's own, or 2 working
    days before its start (England and Wales bank holidays excluded)."""
    return session.cancel_by


def is_late_cancellation(session: Session, when: datetime.datetime) -> bool:
    return timezone.localdate(when) > cancellation_deadline_of(session)


def promotion_cutoff(session: Session) -> datetime.datetime:
    return session.starts_at - datetime.timedelta(hours=settings.TRAINING_PROMOTION_CUTOFF_HOURS)


def promotes_waiting_list(session: Session, now: datetime.datetime) -> bool:
    """Before the cutoff a freed seat goes to the first on the waiting list; after it, to
    whoever books it (and everyone waiting is told that a seat is free)."""
    return now < promotion_cutoff(session) and now < session.starts_at


def no_show_window_start(today: datetime.date) -> datetime.date:
    """No-shows and late cancellations count from this day on: the last 12 months."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def no_show_window_start_at(now: datetime.datetime) -> datetime.datetime:
    start = no_show_window_start(timezone.localdate(now))
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))


def no_show_count(technician, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    return Booking.objects.filter(
        technician=technician,
        status=Booking.Status.NO_SHOW,
        session__starts_at__gte=no_show_window_start_at(now),
        session__starts_at__lte=now,
    ).count()


def is_no_show_limited(technician, now: datetime.datetime | None = None) -> bool:
    limit = settings.TRAINING_NO_SHOW_LIMIT
    return bool(limit) and no_show_count(technician, now) >= limit


def days_from_hours(hours: Decimal) -> Decimal:
    days = Decimal(hours) / Decimal(settings.TRAINING_HOURS_PER_DAY)
    return days.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
