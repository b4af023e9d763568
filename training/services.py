"""Every change to training goes through a function here: the views, the admin actions, the
reminders and the demo data call these.

Refusals raise PermissionDenied (wrong person) or ValidationError (wrong state, bad values)
with a sentence meant for the user, and change nothing.

Seats and waiting lists are protected by the session's row lock (select_for_update): every
service that takes, frees or hands out a seat locks the session first, so concurrent bookings
never exceed capacity and a freed seat goes to the first on the waiting list (by `created`),
in the same transaction. The database allows one active booking per technician and session.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import slugify

from portal.periods import add_working_days
from portal.services import queue_notification
from training import calendar
from training import permissions as rules
from training.models import (
    Booking,
    CalendarToken,
    Category,
    Course,
    CourseInterest,
    Session,
    TrainingRecord,
)

# --- messages ------------------------------------------------------------------------------

NOT_YOURS_TO_BOOK = (
    "You can book training for yourself; line managers can book for their team, and "
    "training coordinators for anyone."
)
NOT_YOURS_TO_CANCEL = (
    "Only the person booked, their line manager or a training coordinator can cancel this booking."
)
NOT_YOURS_TO_DECIDE = (
    "Only the technician's line manager or a training coordinator can approve or decline "
    "this booking."
)
NOT_COORDINATOR = "Only training coordinators can do this."
SESSION_CANCELLED = "This session has been cancelled."
SESSION_STARTED = "This session has already started, so it can no longer be booked."
BOOKING_CLOSED = "Booking for this session closed on {when}."
ALREADY_BOOKED = "{who} already {has} a booking for this session ({status})."
LEAVER = "{who} has left the university, so cannot be booked."
NOT_OPEN = "This booking is {status}: there is nothing to cancel."
CANCEL_STARTED = "The session has started, so the booking can no longer be cancelled."
NOT_REQUESTED = "This booking is not waiting for approval (it is {status})."
REASON_REQUIRED = "Please give a reason: the technician is told it."
NOT_STARTED_YET = "Attendance can be marked once the session has started."
NO_SEAT = "Only bookings that hold a seat can be marked attended or no-show (this one is {status})."
NOT_ON_FILE = "You need a technician profile to log training days; ask HR to add you."
DAYS_OR_HOURS = "Give the time either in days or in hours."
IN_FUTURE = "You can log training you have done: the date cannot be in the future."
NOT_IMPORTER = "Only HR and training coordinators can import training records."
HAS_SESSION = "The course has upcoming sessions: book one of them instead."

# Notification kinds.
CONFIRMED = "training_booking_confirmed"
WAITLISTED = "training_booking_waitlisted"
REQUESTED = "training_booking_requested"
APPROVAL_NEEDED = "training_approval_needed"
APPROVED = "training_booking_approved"
DECLINED = "training_booking_declined"
PROMOTED = "training_booking_promoted"
CANCELLED = "training_booking_cancelled"
SEAT_FREE = "training_seat_free"
SESSION_CHANGED = "training_session_changed"
SESSION_CANCELLED_KIND = "training_session_cancelled"
SESSION_ADDED = "training_session_added"
NO_SHOW_LIMIT = "training_no_show_limit"

# Which notifications carry an iCalendar message, and its METHOD (`notification_attachments`).
INVITATION_KINDS = {
    CONFIRMED: "REQUEST",
    APPROVED: "REQUEST",
    PROMOTED: "REQUEST",
    SESSION_CHANGED: "REQUEST",
    CANCELLED: "CANCEL",
    SESSION_CANCELLED_KIND: "CANCEL",
}

OPEN = (Booking.Status.REQUESTED, Booking.Status.CONFIRMED, Booking.Status.WAITLISTED)


# --- time rules ----------------------------------------------------------------------------


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


# --- helpers -------------------------------------------------------------------------------


def when_text(session: Session) -> str:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    day = format_date(start, "l j F Y")
    if start.date() == end.date():
        return f"{day}, {start:%H:%M}–{end:%H:%M}"
    return f"{day} {start:%H:%M} to {format_date(end, 'l j F Y')} {end:%H:%M}"


def absolute_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def session_details(session: Session) -> str:
    where = session.location or ""
    if session.online_url:
        where = f"{where} (online: {session.online_url})" if where else session.online_url
    deadline = format_date(cancellation_deadline_of(session), "l j F Y")
    return (
        f"{session.course.title}\n"
        f"When: {when_text(session)}\n"
        f"Where: {where or 'to be confirmed'}\n"
        f"Cancel by: {deadline} (later cancellations are recorded as late)\n\n"
        f"{absolute_link(session.course.get_absolute_url())}\n"
        f"Calendar file: {absolute_link(reverse('training:session_ics', args=[session.pk]))}\n"
    )


def _tell(
    technician,
    kind: str,
    key: str,
    subject: str,
    opening: str,
    session: Session,
    *,
    reminder_kind: str = "",
) -> None:
    """Tell the technician (at their staff-list address, with or without an account)."""
    queue_notification(
        technician,
        kind,
        key,
        subject,
        f"{opening}\n\n{session_details(session)}",
        reminder_kind=reminder_kind,
    )


def _tell_manager(technician, kind: str, key: str, subject: str, body: str) -> None:
    manager = technician.line_manager
    if manager is not None and manager.is_active:
        queue_notification(manager, kind, key, subject, body)


def _booked_by_note(booking: Booking, by) -> str:
    if by is None or by == booking.technician.user:
        return ""
    name = getattr(getattr(by, "technician", None), "full_name", None) or by.email
    return f" {name} made this booking for you."


def _lock_session(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
    )


def _lock_booking(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("technician__user", "technician__line_manager__user")
        .get(pk=booking.pk)
    )


def _lock_session_and_booking(booking: Booking) -> tuple[Session, Booking]:
    """The booking's session then the booking, locked in that order (as booking does)."""
    return _lock_session(booking.session), _lock_booking(booking)


def seats_taken(session: Session) -> int:
    return Booking.objects.filter(session=session, status__in=Booking.HOLDS_SEAT).count()


def _refuse_unbookable(session: Session, now: datetime.datetime) -> None:
    if session.is_cancelled:
        raise ValidationError(SESSION_CANCELLED, code="cancelled")
    if now >= session.starts_at:
        raise ValidationError(SESSION_STARTED, code="started")
    if now >= session.closes_at:
        when = format_date(timezone.localtime(session.closes_at), "j F Y, H:i")
        raise ValidationError(BOOKING_CLOSED.format(when=when), code="closed")


def _who(technician, by) -> tuple[str, str]:
    if by is not None and rules.is_own(by, technician):
        return "You", "have"
    return technician.full_name, "has"


def _seat_or_waiting_list(session: Session, technician, now) -> tuple[str, bool]:
    """(status, limited): a seat while seats are left, else the waiting list; technicians at
    the no-show limit join the waiting list only."""
    if is_no_show_limited(technician, now):
        return Booking.Status.WAITLISTED, True
    if seats_taken(session) < session.capacity:
        return Booking.Status.CONFIRMED, False
    return Booking.Status.WAITLISTED, False


def _bump_sequence(session: Session) -> None:
    """A calendar message that supersedes earlier ones: raise the SEQUENCE."""
    session.sequence += 1
    Session.objects.filter(pk=session.pk).update(sequence=F("sequence") + 1)


def _tell_placed(booking: Booking, *, by, limited: bool, kind_confirmed: str) -> None:
    """Tell the technician where the booking stands: confirmed, or waiting."""
    session, technician = booking.session, booking.technician
    note = _booked_by_note(booking, by)
    seq = session.sequence
    if booking.status == Booking.Status.CONFIRMED:
        _tell(
            technician,
            kind_confirmed,
            f"booking:{booking.pk}:seq:{seq}",
            f"Booked: {session.course.title}",
            f"Your place is confirmed.{note}",
            session,
        )
    elif limited:
        limit = settings.TRAINING_NO_SHOW_LIMIT
        opening = (
            f"You are on the waiting list.{note} You did not attend {limit} booked sessions "
            "in the last 12 months, so new bookings join the waiting list only; you are "
            "given a seat when one is freed."
        )
        _tell(
            technician,
            WAITLISTED,
            f"booking:{booking.pk}",
            f"Waiting list: {session.course.title}",
            opening,
            session,
        )
        _tell_manager(
            technician,
            NO_SHOW_LIMIT,
            f"booking:{booking.pk}",
            f"{technician.full_name} joined a waiting list: no-show limit",
            f"{technician.full_name} did not attend {limit} booked sessions in the last 12 "
            f"months, so their booking for {session.course.title} ({when_text(session)}) joined "
            "the waiting list instead of taking a seat.\n",
        )
    else:
        _tell(
            technician,
            WAITLISTED,
            f"booking:{booking.pk}",
            f"Waiting list: {session.course.title}",
            f"The session is full, so you are on the waiting list.{note} If a seat is freed "
            "you get it, first come first served, and we tell you.",
            session,
        )


# --- booking -------------------------------------------------------------------------------


def book_session(session: Session, technician, *, by) -> Booking:
    """Book `technician` on `session`: confirmed while seats are left, otherwise the waiting
    list; `requested` on a course that needs the line manager's approval (unless the manager
    or a coordinator books)."""
    if not rules.can_book_for(by, technician):
        raise PermissionDenied(NOT_YOURS_TO_BOOK)
    if not technician.is_active:
        raise ValidationError(LEAVER.format(who=technician.full_name), code="leaver")
    now = timezone.now()
    with transaction.atomic():
        session = _lock_session(session)
        _refuse_unbookable(session, now)
        existing = (
            Booking.objects.filter(
                session=session, technician=technician, status__in=Booking.ACTIVE
            )
            .only("status")
            .first()
        )
        if existing is not None:
            who, has = _who(technician, by)
            raise ValidationError(
                ALREADY_BOOKED.format(
                    who=who, has=has, status=existing.get_status_display().lower()
                ),
                code="already_booked",
            )
        limited = False
        if session.course.requires_manager_approval and not rules.booking_counts_as_approved(
            by, technician
        ):
            status = Booking.Status.REQUESTED
        else:
            status, limited = _seat_or_waiting_list(session, technician, now)
        booking = Booking(session=session, technician=technician, status=status, booked_by=by)
        booking.full_clean(
            exclude=["session", "technician", "booked_by"], validate_constraints=False
        )
        if (
            status == Booking.Status.CONFIRMED
            and Booking.objects.filter(session=session, technician=technician).exists()
        ):
            _bump_sequence(session)  # booked again after a cancellation: supersede the CANCEL
        try:
            with transaction.atomic():
                booking.save()
        except IntegrityError:
            who, has = _who(technician, by)
            raise ValidationError(
                ALREADY_BOOKED.format(who=who, has=has, status="active"), code="already_booked"
            ) from None
        booking.session = session
        booking.technician = technician
        if status == Booking.Status.REQUESTED:
            _tell(
                technician,
                REQUESTED,
                f"booking:{booking.pk}",
                f"Waiting for approval: {session.course.title}",
                "This course needs your line manager's approval; we tell you when they "
                f"decide.{_booked_by_note(booking, by)}",
                session,
            )
            _tell_manager(
                technician,
                APPROVAL_NEEDED,
                f"booking:{booking.pk}",
                f"Please approve: {technician.full_name}, {session.course.title}",
                f"{technician.full_name} asks to attend {session.course.title} "
                f"({when_text(session)}).\n\nApprove or decline it here:\n"
                f"{absolute_link('/training/approvals/')}\n",
            )
        else:
            _tell_placed(booking, by=by, limited=limited, kind_confirmed=CONFIRMED)
    return booking


def _promote(session: Session, now: datetime.datetime, freed_by: Booking | None) -> list[Booking]:
    """Hand out the session's free seats (the session row is locked by the caller): to the
    first on the waiting list before the cutoff; after it, tell everyone waiting."""
    if session.is_cancelled or now >= session.starts_at:
        return []  # nobody is ever promoted into a session that has started
    free = session.capacity - seats_taken(session)
    if free <= 0:
        return []
    waiting = (
        Booking.objects.select_for_update(of=("self",))
        .filter(session=session, status=Booking.Status.WAITLISTED)
        .select_related("technician__user")
        .order_by("created", "pk")
    )
    if not promotes_waiting_list(session, now):
        marker = freed_by.pk if freed_by else f"seats{session.capacity}"
        for booking in waiting:
            booking.session = session
            _tell(
                booking.technician,
                SEAT_FREE,
                f"booking:{booking.pk}:free:{marker}",
                f"A seat is free: {session.course.title}",
                "A seat has been freed on a session you are waiting for. It is too close to "
                "the start to hand it out from the waiting list, so it goes to whoever books "
                "it first: cancel your waiting-list place and book again to take it.",
                session,
            )
        return []
    promoted = list(waiting[:free])
    for booking in promoted:
        booking.status = Booking.Status.CONFIRMED
        booking.save(update_fields=["status", "updated"])
        booking.session = session
        _tell(
            booking.technician,
            PROMOTED,
            f"booking:{booking.pk}:seq:{session.sequence}",
            f"You have a seat: {session.course.title}",
            "A seat was freed and you were first on the waiting list: your place is now confirmed.",
            session,
        )
    return promoted


def cancel_booking(booking: Booking, *, by) -> Booking:
    """Cancel a booking (late after the deadline); a freed seat goes to the waiting list."""
    if not rules.can_cancel_booking(by, booking):
        raise PermissionDenied(NOT_YOURS_TO_CANCEL)
    now = timezone.now()
    with transaction.atomic():
        session, locked = _lock_session_and_booking(booking)
        if locked.status not in OPEN:
            raise ValidationError(
                NOT_OPEN.format(status=locked.get_status_display().lower()), code="not_open"
            )
        if now >= session.starts_at:
            raise ValidationError(CANCEL_STARTED, code="started")
        held_seat = locked.status == Booking.Status.CONFIRMED
        locked.status = Booking.Status.CANCELLED
        locked.cancelled_at = now
        locked.cancelled_late = held_seat and is_late_cancellation(session, now)
        locked.save(update_fields=["status", "cancelled_at", "cancelled_late", "updated"])
        locked.session = session
        if held_seat:
            _bump_sequence(session)
            late = (
                " It was cancelled after the deadline, so it is recorded as a late cancellation."
                if locked.cancelled_late
                else ""
            )
            _tell(
                locked.technician,
                CANCELLED,
                f"booking:{locked.pk}:seq:{session.sequence}",
                f"Cancelled: {session.course.title}",
                f"Your booking is cancelled.{late}",
                session,
            )
            _promote(session, now, freed_by=locked)
    booking.refresh_from_db()
    return booking


def approve_booking(booking: Booking, *, by) -> Booking:
    """Approve a requested booking: it takes a seat, or joins the waiting list when full."""
    if not rules.can_decide_booking(by, booking):
        raise PermissionDenied(NOT_YOURS_TO_DECIDE)
    now = timezone.now()
    with transaction.atomic():
        session, locked = _lock_session_and_booking(booking)
        if locked.status != Booking.Status.REQUESTED:
            raise ValidationError(
                NOT_REQUESTED.format(status=locked.get_status_display().lower()),
                code="not_requested",
            )
        if session.is_cancelled:
            raise ValidationError(SESSION_CANCELLED, code="cancelled")
        if now >= session.starts_at:
            raise ValidationError(SESSION_STARTED, code="started")
        locked.status, limited = _seat_or_waiting_list(session, locked.technician, now)
        locked.decided_by = by
        locked.save(update_fields=["status", "decided_by", "updated"])
        locked.session = session
        _tell_placed(locked, by=None, limited=limited, kind_confirmed=APPROVED)
    booking.refresh_from_db()
    return booking


def decline_booking(booking: Booking, *, by, reason: str) -> Booking:
    """Decline a requested booking, saying why; it never held a seat, so frees none."""
    if not rules.can_decide_booking(by, booking):
        raise PermissionDenied(NOT_YOURS_TO_DECIDE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [REASON_REQUIRED]})
    with transaction.atomic():
        session, locked = _lock_session_and_booking(booking)
        if locked.status != Booking.Status.REQUESTED:
            raise ValidationError(
                NOT_REQUESTED.format(status=locked.get_status_display().lower()),
                code="not_requested",
            )
        locked.status = Booking.Status.DECLINED
        locked.decided_by = by
        locked.decline_reason = reason
        locked.full_clean(exclude=["session", "technician", "booked_by", "decided_by"])
        locked.save(update_fields=["status", "decided_by", "decline_reason", "updated"])
        locked.session = session
        _tell(
            locked.technician,
            DECLINED,
            f"booking:{locked.pk}",
            f"Not approved: {session.course.title}",
            f"Your booking was not approved. The reason given:\n\n{reason}",
            session,
        )
    booking.refresh_from_db()
    return booking


def mark_attendance(booking: Booking, *, attended: bool, by) -> Booking:
    """Mark a seat attended (one TrainingRecord for the course's days, however often it is
    marked) or no-show (the record, if any, is removed)."""
    if not rules.can_mark_attendance(by, booking):
        raise PermissionDenied(NOT_COORDINATOR)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_booking(booking)
        session = Session.objects.select_related("course").get(pk=locked.session_id)
        if session.is_cancelled:
            raise ValidationError(SESSION_CANCELLED, code="cancelled")
        if now < session.starts_at:
            raise ValidationError(NOT_STARTED_YET, code="not_started")
        if locked.status not in Booking.HOLDS_SEAT:
            raise ValidationError(
                NO_SEAT.format(status=locked.get_status_display().lower()), code="no_seat"
            )
        was_limited = is_no_show_limited(locked.technician, now)
        locked.status = Booking.Status.ATTENDED if attended else Booking.Status.NO_SHOW
        locked.save(update_fields=["status", "updated"])
        course = session.course
        if attended:
            TrainingRecord.objects.get_or_create(
                booking=locked,
                defaults={
                    "technician": locked.technician,
                    "date": timezone.localdate(session.starts_at),
                    "days": course.days,
                    "category": course.category,
                    "title": course.title,
                    "provider": course.provider,
                },
            )
        else:
            TrainingRecord.objects.filter(booking=locked).delete()
            if not was_limited and is_no_show_limited(locked.technician, now):
                _tell_no_show_limit(locked, session)
    booking.refresh_from_db()
    return booking


def _tell_no_show_limit(booking: Booking, session: Session) -> None:
    technician = booking.technician
    limit = settings.TRAINING_NO_SHOW_LIMIT
    body = (
        f"{technician.full_name} has not attended {limit} booked sessions in the last 12 "
        "months (the latest: "
        f"{session.course.title}, {when_text(session)}). Until that falls below {limit}, new "
        "bookings join the waiting list only and take a seat when one is freed.\n"
    )
    queue_notification(
        technician,
        NO_SHOW_LIMIT,
        f"reached:{booking.pk}",
        "Your training bookings now join the waiting list",
        body,
    )
    _tell_manager(
        technician,
        NO_SHOW_LIMIT,
        f"reached:{booking.pk}",
        f"{technician.full_name}: training bookings now join the waiting list",
        body,
    )


# --- the catalogue (training coordinators) ---------------------------------------------------

COURSE_FIELDS = (
    "title",
    "slug",
    "category",
    "provider",
    "description",
    "days",
    "requires_manager_approval",
)
SESSION_FIELDS = (
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "capacity",
    "booking_closes_at",
    "cancellation_deadline",
)
CALENDAR_FIELDS = ("starts_at", "ends_at", "location", "online_url")


def _require_coordinator(by) -> None:
    if not rules.can_manage_catalogue(by):
        raise PermissionDenied(NOT_COORDINATOR)


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:180] or "course"
    slug, n = base, 2
    while Course.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_course(course: Course | None, *, by, **values: Any) -> Course:
    """Create (course=None) or change a course."""
    _require_coordinator(by)
    unknown = set(values) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"save_course() cannot set {sorted(unknown)}")
    course = course or Course()
    for name, value in values.items():
        setattr(course, name, value)
    if not course.slug:
        course.slug = _unique_slug(course.title, course.pk)
    course.full_clean()
    course.save()
    return course


def _check_session(session: Session) -> None:
    errors: dict[str, list[str]] = {}
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = ["The session must end after it starts."]
    if (
        session.starts_at
        and session.booking_closes_at
        and (session.booking_closes_at > session.starts_at)
    ):
        errors["booking_closes_at"] = ["Booking must close by the start of the session."]
    if (
        session.starts_at
        and session.cancellation_deadline
        and session.cancellation_deadline > timezone.localdate(session.starts_at)
    ):
        errors["cancellation_deadline"] = ["The cancellation deadline must be before the start."]
    if errors:
        raise ValidationError(errors)


def create_session(course: Course, *, by, **values: Any) -> Session:
    """Add a session; everyone interested in the course is told, once."""
    _require_coordinator(by)
    unknown = set(values) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"create_session() cannot set {sorted(unknown)}")
    session = Session(course=course, **values)
    if session.cancellation_deadline is None and session.starts_at:
        session.cancellation_deadline = add_working_days(timezone.localdate(session.starts_at), -2)
    _check_session(session)
    session.full_clean(exclude=["course"])
    with transaction.atomic():
        session.save()
        interests = CourseInterest.objects.filter(
            course=course, technician__is_active=True
        ).select_related("technician__user")
        for interest in interests:
            _tell(
                interest.technician,
                SESSION_ADDED,
                f"session:{session.pk}",
                f"Now running: {course.title}",
                "You asked to be told when this course runs. A session has been added; "
                "book it while seats are left.",
                session,
                reminder_kind=SESSION_ADDED,
            )
    return session


def update_session(session: Session, *, by, **values: Any) -> Session:
    """Change a session. A new time or place is sent to everyone booked as a calendar update
    (SEQUENCE raised); more seats go to the waiting list at once."""
    _require_coordinator(by)
    unknown = set(values) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"update_session() cannot set {sorted(unknown)}")
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_session(session)
        if locked.is_cancelled:
            raise ValidationError(SESSION_CANCELLED, code="cancelled")
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, values[name])
        _check_session(locked)
        locked.full_clean(exclude=["course"])
        moved = any(name in CALENDAR_FIELDS for name in changed)
        if moved:
            locked.sequence += 1
        locked.save()
        if moved:
            for booking in locked.bookings.filter(status__in=OPEN).select_related(
                "technician__user"
            ):
                booking.session = locked
                kind = SESSION_CHANGED
                _tell(
                    booking.technician,
                    kind,
                    f"booking:{booking.pk}:seq:{locked.sequence}",
                    f"Changed: {locked.course.title}",
                    "The session's time or place has changed. The details below are the new ones.",
                    locked,
                )
        if "capacity" in changed:
            _promote(locked, now, freed_by=None)
    return locked


def cancel_session(session: Session, *, by) -> Session:
    """Cancel a whole session: every open booking is cancelled (never late) and told."""
    _require_coordinator(by)
    with transaction.atomic():
        locked = _lock_session(session)
        if locked.is_cancelled:
            raise ValidationError("This session is already cancelled.", code="cancelled")
        if timezone.now() >= locked.starts_at:
            raise ValidationError("The session has started, so it can no longer be cancelled.")
        locked.status = Session.Status.CANCELLED
        locked.sequence += 1
        locked.save(update_fields=["status", "sequence"])
        bookings = list(
            locked.bookings.select_for_update(of=("self",))
            .filter(status__in=OPEN)
            .select_related("technician__user")
        )
        now = timezone.now()
        for booking in bookings:
            booking.status = Booking.Status.CANCELLED
            booking.cancelled_at = now
            booking.save(update_fields=["status", "cancelled_at", "updated"])
            booking.session = locked
            _tell(
                booking.technician,
                SESSION_CANCELLED_KIND,
                f"booking:{booking.pk}:seq:{locked.sequence}",
                f"Session cancelled: {locked.course.title}",
                "The training coordinator has cancelled this session, so your booking is "
                "cancelled too.",
                locked,
            )
    return locked


def register_interest(course: Course, technician, *, by) -> CourseInterest:
    """ "Tell me when this runs", on a course with no upcoming session."""
    if not rules.can_book_for(by, technician):
        raise PermissionDenied(NOT_YOURS_TO_BOOK)
    has_session = course.sessions.filter(
        status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()
    ).exists()
    if has_session:
        raise ValidationError(HAS_SESSION, code="has_session")
    interest, _ = CourseInterest.objects.get_or_create(course=course, technician=technician)
    return interest


def withdraw_interest(course: Course, technician, *, by) -> None:
    if not rules.can_book_for(by, technician):
        raise PermissionDenied(NOT_YOURS_TO_BOOK)
    CourseInterest.objects.filter(course=course, technician=technician).delete()


# --- the ledger ----------------------------------------------------------------------------


def log_training(
    technician,
    *,
    by,
    date: datetime.date,
    category: str,
    title: str,
    provider: str = "",
    days: Decimal | None = None,
    hours: Decimal | None = None,
    evidence=None,
    reflection: str = "",
) -> TrainingRecord:
    """Log training days one has done: in days, or in hours (TRAINING_HOURS_PER_DAY a day),
    with an optional evidence file (checked by content) and a short reflection."""
    if not rules.is_own(by, technician) or not rules.can_log_training(by):
        raise PermissionDenied("You can log training days for yourself only.")
    if (days is None) == (hours is None):
        raise ValidationError({"days": [DAYS_OR_HOURS]})
    if days is None:
        days = days_from_hours(Decimal(hours))
    if date and date > timezone.localdate():
        raise ValidationError({"date": [IN_FUTURE]})
    if category not in Category.values:
        raise ValidationError(
            {"category": ["Choose on the job, conference or workshop, or formal."]}
        )
    record = TrainingRecord(
        technician=technician,
        date=date,
        days=days,
        category=category,
        title=(title or "").strip(),
        provider=(provider or "").strip(),
        reflection=(reflection or "").strip(),
    )
    checked = None
    if evidence:
        from portal.evidence import check_evidence_file

        try:
            checked = check_evidence_file(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from None
        evidence.seek(0)
    record.full_clean(exclude=["technician", "evidence", "booking"])
    with transaction.atomic():
        if checked is not None:
            record.evidence_name = checked.original_name
            record.evidence_content_type = checked.kind.content_type
            record.evidence.save(checked.storage_name, evidence, save=False)
        record.save()
    return record


def add_training_record(
    technician,
    *,
    by,
    date: datetime.date,
    days: Decimal,
    category: str,
    title: str,
    provider: str = "",
    reflection: str = "",
) -> TrainingRecord:
    """A record kept elsewhere, added to a technician's ledger (the CSV import)."""
    if not rules.can_import_training_records(by):
        raise PermissionDenied(NOT_IMPORTER)
    if date and date > timezone.localdate():
        raise ValidationError({"date": [IN_FUTURE]})
    record = TrainingRecord(
        technician=technician,
        date=date,
        days=days,
        category=category,
        title=(title or "").strip(),
        provider=(provider or "").strip(),
        reflection=(reflection or "").strip(),
    )
    record.full_clean(exclude=["technician", "evidence", "booking"])
    record.save()
    return record


def delete_training_record(record: TrainingRecord, *, by) -> None:
    if not rules.can_delete_record(by, record):
        raise PermissionDenied(
            "You can remove days you logged yourself; attended sessions follow the register."
        )
    with transaction.atomic():
        if record.evidence:
            record.evidence.delete(save=False)
        record.delete()


# --- calendar feed -------------------------------------------------------------------------


def calendar_token_of(technician, *, by) -> CalendarToken:
    """The technician's feed token, made on first use."""
    if not rules.is_own(by, technician):
        raise PermissionDenied("Only you can see your calendar feed address.")
    token, _ = CalendarToken.objects.get_or_create(technician=technician)
    return token


def regenerate_calendar_token(technician, *, by) -> CalendarToken:
    """A new secret; the old feed address stops working at once."""
    if not rules.is_own(by, technician):
        raise PermissionDenied("Only you can renew your calendar feed address.")
    from training.models import new_calendar_token

    with transaction.atomic():
        token, created = CalendarToken.objects.select_for_update().get_or_create(
            technician=technician
        )
        if not created:
            token.token = new_calendar_token()
            token.save(update_fields=["token", "created"])
    return token


# --- e-mail attachments --------------------------------------------------------------------


def notification_attachments(notification) -> list[tuple[str, bytes, str]]:
    """The iCalendar invitation (REQUEST) or cancellation (CANCEL) that goes with a training
    notification, rebuilt from its key ("booking:<pk>:seq:<n>"); [] for the others."""
    method = INVITATION_KINDS.get(notification.kind)
    parts = notification.key.split(":")
    if method is None or len(parts) < 2 or parts[0] != "booking":
        return []
    booking = (
        Booking.objects.select_related("session__course", "technician").filter(pk=parts[1]).first()
    )
    if booking is None:
        return []
    if len(parts) >= 4 and parts[2] == "seq":
        booking.session.sequence = int(parts[3])  # the sequence the message was written with
    return [calendar.attachment(method, booking)]
