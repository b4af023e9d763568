"""Booking, and every move of a booking: book, cancel, approve, decline, mark attendance, and
the waiting list's promotions.

Seats and waiting lists are protected by the session's row lock (select_for_update): every
service that takes, frees or hands out a seat locks the session first, so concurrent bookings
never exceed capacity and a freed seat goes to the first on the waiting list (by `created`),
in the same transaction. The database allows one active booking per technician and session.
Each move of a booking is the kernel's workflow step (portal.workflow.transition).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateformat import format as format_date

from portal.services import queue_notification
from portal.workflow import Transition, transition
from training import permissions as rules
from training.models import Booking, Session, TrainingRecord
from training.services.messages import (
    ALREADY_BOOKED,
    APPROVAL_NEEDED,
    APPROVED,
    BOOKING_CLOSED,
    CANCEL_STARTED,
    CANCELLED,
    CONFIRMED,
    DECLINED,
    LEAVER,
    NO_SEAT,
    NO_SHOW_LIMIT,
    NOT_COORDINATOR,
    NOT_OPEN,
    NOT_REQUESTED,
    NOT_STARTED_YET,
    NOT_YOURS_TO_BOOK,
    NOT_YOURS_TO_CANCEL,
    NOT_YOURS_TO_DECIDE,
    OPEN,
    PROMOTED,
    REASON_REQUIRED,
    REQUESTED,
    SEAT_FREE,
    SESSION_CANCELLED,
    SESSION_STARTED,
    WAITLISTED,
)
from training.services.notify import _booked_by_note, _tell, _tell_manager, absolute_link, when_text
from training.services.rules import is_late_cancellation, is_no_show_limited, promotes_waiting_list


def _lock_session(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
    )


BOOKING_RELATED = ("technician__user", "technician__line_manager__user")


def _move_booking(booking: Booking, **step) -> Transition:
    """The kernel's workflow step (portal.workflow.transition) on a booking: locked with its
    technician and their line manager; the caller has locked the session first, if at all."""
    return transition(booking, actor=step.pop("by"), select_related=BOOKING_RELATED, **step)


def _status_refusal(message: str):
    """A refusal sentence naming the booking's status ("cancelled")."""
    return lambda locked: message.format(status=locked.get_status_display().lower())


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
        session = _lock_session(booking.session)

        def not_started(locked: Booking) -> None:
            if now >= session.starts_at:
                raise ValidationError(CANCEL_STARTED, code="started")

        moved = _move_booking(
            booking,
            by=by,
            to=Booking.Status.CANCELLED,
            allowed_from=OPEN,
            refusal=_status_refusal(NOT_OPEN),
            code="not_open",
            check=not_started,
            changes=lambda locked: {
                "cancelled_at": now,
                "cancelled_late": locked.status == Booking.Status.CONFIRMED
                and is_late_cancellation(session, now),
            },
        )
        locked = moved.obj
        held_seat = moved.from_state == Booking.Status.CONFIRMED
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
        session = _lock_session(booking.session)
        placed: dict[str, bool] = {}

        def session_open(locked: Booking) -> None:
            if session.is_cancelled:
                raise ValidationError(SESSION_CANCELLED, code="cancelled")
            if now >= session.starts_at:
                raise ValidationError(SESSION_STARTED, code="started")

        def seat_or_waiting_list(locked: Booking) -> str:
            status, placed["limited"] = _seat_or_waiting_list(session, locked.technician, now)
            return status

        locked = _move_booking(
            booking,
            by=by,
            to=seat_or_waiting_list,
            allowed_from=(Booking.Status.REQUESTED,),
            refusal=_status_refusal(NOT_REQUESTED),
            code="not_requested",
            check=session_open,
            changes={"decided_by": by},
        ).obj
        limited = placed["limited"]
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
        session = _lock_session(booking.session)
        locked = _move_booking(
            booking,
            by=by,
            to=Booking.Status.DECLINED,
            allowed_from=(Booking.Status.REQUESTED,),
            refusal=_status_refusal(NOT_REQUESTED),
            code="not_requested",
            changes={"decided_by": by, "decline_reason": reason},
            full_clean=["session", "technician", "booked_by", "decided_by"],
        ).obj
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
        found: dict[str, Any] = {}

        def session_started(locked: Booking) -> None:
            session = Session.objects.select_related("course").get(pk=locked.session_id)
            if session.is_cancelled:
                raise ValidationError(SESSION_CANCELLED, code="cancelled")
            if now < session.starts_at:
                raise ValidationError(NOT_STARTED_YET, code="not_started")
            found["session"] = session

        def note_limit(locked: Booking) -> None:
            found["was_limited"] = is_no_show_limited(locked.technician, now)

        locked = _move_booking(
            booking,
            by=by,
            to=Booking.Status.ATTENDED if attended else Booking.Status.NO_SHOW,
            allowed_from=Booking.HOLDS_SEAT,
            refusal=_status_refusal(NO_SEAT),
            code="no_seat",
            precheck=session_started,
            check=note_limit,
        ).obj
        session, was_limited = found["session"], found["was_limited"]
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
