"""The catalogue (training coordinators): courses, sessions and their changes, and "tell me
when this runs"."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from portal.periods import add_working_days
from portal.workflow import transition
from training import permissions as rules
from training.models import Booking, Course, CourseInterest, Session
from training.services.booking import _lock_session, _promote
from training.services.messages import (
    HAS_SESSION,
    NOT_COORDINATOR,
    NOT_YOURS_TO_BOOK,
    OPEN,
    SESSION_ADDED,
    SESSION_CANCELLED,
    SESSION_CANCELLED_KIND,
    SESSION_CHANGED,
)
from training.services.notify import _tell

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

        def not_started(locked: Session) -> None:
            if timezone.now() >= locked.starts_at:
                raise ValidationError("The session has started, so it can no longer be cancelled.")

        locked = transition(
            session,
            to=Session.Status.CANCELLED,
            allowed_from=(Session.Status.SCHEDULED,),
            actor=by,
            refusal="This session is already cancelled.",
            code="cancelled",
            check=not_started,
            changes=lambda locked: {"sequence": locked.sequence + 1},
            select_related=("course",),
        ).obj
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
