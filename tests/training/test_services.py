"""Every booking state transition, allowed and refused (with its message, changing nothing)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import Notification
from tests.training.conftest import at, make_course, make_session, make_technician
from training import services
from training.models import Booking, CourseInterest, TrainingRecord

pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return list(Notification.objects.addressed_to(user).values_list("kind", flat=True))


# --- booking -------------------------------------------------------------------------------


def test_booking_takes_a_seat_then_joins_the_waiting_list(personas, session, alex, morgan):
    first = services.book_session(session, alex, by=personas.technician)
    second = services.book_session(session, morgan, by=personas.manager)
    third_person = make_technician(alex.department)
    third = services.book_session(session, third_person, by=third_person.user)
    assert (first.status, second.status, third.status) == ("confirmed", "confirmed", "waitlisted")
    assert first.booked_by == personas.technician
    assert kinds(personas.technician) == [services.CONFIRMED]
    assert kinds(third_person.user) == [services.WAITLISTED]


def test_a_manager_books_for_the_team_and_the_person_is_told(personas, session, alex):
    booking = services.book_session(session, alex, by=personas.manager)
    assert booking.status == "confirmed"
    assert booking.booked_by == personas.manager
    notification = Notification.objects.addressed_to(personas.technician).get()
    assert "made this booking for you" in notification.body


def test_a_coordinator_books_for_anyone(personas, session, morgan):
    booking = services.book_session(session, morgan, by=personas.coordinator)
    assert booking.status == "confirmed"


@pytest.mark.parametrize("persona", ["steering", "hr", "technician"])
def test_others_cannot_book_for_someone(personas, session, morgan, persona):
    with pytest.raises(PermissionDenied, match="line managers can book for their team"):
        services.book_session(session, morgan, by=getattr(personas, persona))
    assert not Booking.objects.exists()


def test_anonymous_cannot_book(session, alex):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.book_session(session, alex, by=AnonymousUser())


def test_booking_twice_is_refused(personas, session, alex):
    services.book_session(session, alex, by=personas.technician)
    with pytest.raises(ValidationError, match="You already have a booking for this session"):
        services.book_session(session, alex, by=personas.technician)
    with pytest.raises(ValidationError, match="Alex Tech already has a booking"):
        services.book_session(session, alex, by=personas.manager)
    assert Booking.objects.count() == 1


def test_the_database_allows_one_active_booking(personas, session, alex):
    Booking.objects.create(session=session, technician=alex, status="confirmed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(session=session, technician=alex, status="waitlisted")
    # Cancelled and declined bookings do not count.
    Booking.objects.filter(technician=alex).update(status="cancelled")
    Booking.objects.create(session=session, technician=alex, status="declined")
    Booking.objects.create(session=session, technician=alex, status="requested")
    assert Booking.objects.filter(technician=alex).count() == 3


def test_booking_again_after_cancelling(personas, session, alex):
    booking = services.book_session(session, alex, by=personas.technician)
    services.cancel_booking(booking, by=personas.technician)
    again = services.book_session(session, alex, by=personas.technician)
    assert again.status == "confirmed" and again.pk != booking.pk


def test_a_cancelled_session_is_refused(personas, session, alex):
    services.cancel_session(session, by=personas.coordinator)
    with pytest.raises(ValidationError, match="This session has been cancelled"):
        services.book_session(session, alex, by=personas.technician)
    assert not Booking.objects.exists()


def test_a_past_or_started_session_is_refused(personas, course, alex):
    session = make_session(course, starts_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="already started"):
        services.book_session(session, alex, by=personas.technician)
    assert not Booking.objects.exists()


def test_booking_closes_at_its_time(personas, course, alex):
    starts = at(datetime.date(2026, 3, 10), 10)
    session = make_session(
        course, starts_at=starts, booking_closes_at=at(datetime.date(2026, 3, 9), 12)
    )
    with time_machine.travel(at(datetime.date(2026, 3, 9), 11, 59), tick=False):
        services.book_session(session, alex, by=personas.technician)
    other = make_technician(alex.department)
    with (
        time_machine.travel(at(datetime.date(2026, 3, 9), 12, 0), tick=False),
        pytest.raises(
            ValidationError, match="Booking for this session closed on 9 March 2026, 12:00"
        ),
    ):
        services.book_session(session, other, by=other.user)
    assert Booking.objects.count() == 1


def test_a_leaver_cannot_be_booked(personas, session, alex):
    alex.is_active = False
    alex.save()
    with pytest.raises(ValidationError, match="has left the university"):
        services.book_session(session, alex, by=personas.coordinator)


# --- manager approval ------------------------------------------------------------------------


@pytest.fixture
def approval_session(db):
    return make_session(make_course(requires_manager_approval=True, slug="first-aid"), capacity=1)


def test_a_course_needing_approval_is_requested_and_the_manager_told(
    personas, approval_session, alex
):
    booking = services.book_session(approval_session, alex, by=personas.technician)
    assert booking.status == "requested"
    assert kinds(personas.technician) == [services.REQUESTED]
    assert kinds(personas.manager) == [services.APPROVAL_NEEDED]


def test_a_manager_booking_for_the_team_needs_no_approval(personas, approval_session, alex):
    booking = services.book_session(approval_session, alex, by=personas.manager)
    assert booking.status == "confirmed"


def test_approval_takes_a_seat(personas, approval_session, alex):
    booking = services.book_session(approval_session, alex, by=personas.technician)
    services.approve_booking(booking, by=personas.manager)
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert booking.decided_by == personas.manager
    assert services.APPROVED in kinds(personas.technician)


def test_approval_joins_the_waiting_list_when_full(personas, approval_session, alex, morgan):
    services.book_session(approval_session, morgan, by=personas.coordinator)  # takes the seat
    booking = services.book_session(approval_session, alex, by=personas.technician)
    services.approve_booking(booking, by=personas.manager)
    booking.refresh_from_db()
    assert booking.status == "waitlisted"


def test_decline_needs_a_reason_and_frees_nothing(personas, approval_session, alex, morgan):
    holder = services.book_session(approval_session, morgan, by=personas.coordinator)
    waiting = make_technician(alex.department)
    waiting_booking = services.book_session(approval_session, waiting, by=personas.coordinator)
    booking = services.book_session(approval_session, alex, by=personas.technician)
    with pytest.raises(ValidationError, match="Please give a reason"):
        services.decline_booking(booking, by=personas.manager, reason="  ")
    booking.refresh_from_db()
    assert booking.status == "requested"
    services.decline_booking(booking, by=personas.manager, reason="Budget is spent this term.")
    booking.refresh_from_db()
    assert (booking.status, booking.decline_reason) == ("declined", "Budget is spent this term.")
    holder.refresh_from_db()
    waiting_booking.refresh_from_db()
    assert (holder.status, waiting_booking.status) == ("confirmed", "waitlisted")
    body = Notification.objects.addressed_to(personas.technician).get(kind=services.DECLINED).body
    assert "Budget is spent this term." in body


@pytest.mark.parametrize("persona", ["technician", "steering", "hr"])
def test_only_the_manager_or_a_coordinator_decides(personas, approval_session, alex, persona):
    booking = services.book_session(approval_session, alex, by=personas.technician)
    with pytest.raises(PermissionDenied, match="line manager or a training coordinator"):
        services.approve_booking(booking, by=getattr(personas, persona))
    with pytest.raises(PermissionDenied):
        services.decline_booking(booking, by=getattr(personas, persona), reason="No")
    booking.refresh_from_db()
    assert booking.status == "requested"


def test_a_coordinator_can_approve(personas, approval_session, alex):
    booking = services.book_session(approval_session, alex, by=personas.technician)
    assert services.approve_booking(booking, by=personas.coordinator).status == "confirmed"


def test_only_requested_bookings_are_decided(personas, session, alex):
    booking = services.book_session(session, alex, by=personas.technician)
    with pytest.raises(ValidationError, match="not waiting for approval"):
        services.approve_booking(booking, by=personas.manager)
    with pytest.raises(ValidationError, match="not waiting for approval"):
        services.decline_booking(booking, by=personas.manager, reason="No")
    booking.refresh_from_db()
    assert booking.status == "confirmed"


# --- cancelling and the waiting list ---------------------------------------------------------


def _fill(session, count, department):
    people = [make_technician(department) for _ in range(count)]
    return [services.book_session(session, p, by=p.user) for p in people]


def test_cancelling_promotes_the_first_on_the_waiting_list(personas, session, alex):
    seats = _fill(session, 2, alex.department)
    first_waiting, second_waiting = _fill(session, 2, alex.department)
    services.cancel_booking(seats[0], by=seats[0].technician.user)
    for booking in (seats[0], first_waiting, second_waiting):
        booking.refresh_from_db()
    assert seats[0].status == "cancelled" and not seats[0].cancelled_late
    assert first_waiting.status == "confirmed"
    assert second_waiting.status == "waitlisted"
    assert services.PROMOTED in kinds(first_waiting.technician.user)


def test_cancelling_a_waiting_list_place_promotes_nobody(personas, session, alex):
    seats = _fill(session, 2, alex.department)
    (waiting,) = _fill(session, 1, alex.department)
    services.cancel_booking(waiting, by=waiting.technician.user)
    assert Booking.objects.filter(status="confirmed").count() == 2
    assert {b.status for b in seats} == {"confirmed"}


def test_after_the_cutoff_seats_are_not_promoted_and_waiting_people_are_told(
    personas, course, alex, settings
):
    settings.TRAINING_PROMOTION_CUTOFF_HOURS = 24
    starts = at(datetime.date(2026, 3, 12), 10)
    session = make_session(course, starts_at=starts, capacity=1)
    with time_machine.travel(starts - datetime.timedelta(days=10), tick=False):
        (seat,) = _fill(session, 1, alex.department)
        (waiting,) = _fill(session, 1, alex.department)
    with time_machine.travel(starts - datetime.timedelta(hours=24), tick=False):
        services.cancel_booking(seat, by=seat.technician.user)
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"
    assert services.SEAT_FREE in kinds(waiting.technician.user)
    # The freed seat goes to whoever books it.
    newcomer = make_technician(alex.department)
    with time_machine.travel(starts - datetime.timedelta(hours=23), tick=False):
        assert services.book_session(session, newcomer, by=newcomer.user).status == "confirmed"


def test_just_before_the_cutoff_the_seat_is_promoted(personas, course, alex, settings):
    settings.TRAINING_PROMOTION_CUTOFF_HOURS = 24
    starts = at(datetime.date(2026, 3, 12), 10)
    session = make_session(course, starts_at=starts, capacity=1)
    with time_machine.travel(starts - datetime.timedelta(days=10), tick=False):
        (seat,) = _fill(session, 1, alex.department)
        (waiting,) = _fill(session, 1, alex.department)
    with time_machine.travel(starts - datetime.timedelta(hours=24, seconds=1), tick=False):
        services.cancel_booking(seat, by=seat.technician.user)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_a_started_session_cannot_be_cancelled(personas, course, alex):
    starts = at(datetime.date(2026, 3, 12), 10)
    session = make_session(course, starts_at=starts)
    with time_machine.travel(starts - datetime.timedelta(days=1), tick=False):
        booking = services.book_session(session, alex, by=personas.technician)
    with time_machine.travel(starts, tick=False), pytest.raises(ValidationError, match="started"):
        services.cancel_booking(booking, by=personas.technician)
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_cancelling_twice_is_refused(personas, session, alex):
    booking = services.book_session(session, alex, by=personas.technician)
    services.cancel_booking(booking, by=personas.technician)
    with pytest.raises(ValidationError, match="This booking is cancelled: there is nothing"):
        services.cancel_booking(booking, by=personas.technician)


@pytest.mark.parametrize("persona", ["steering", "hr"])
def test_others_cannot_cancel(personas, session, alex, persona):
    booking = services.book_session(session, alex, by=personas.technician)
    with pytest.raises(PermissionDenied, match="Only the person booked"):
        services.cancel_booking(booking, by=getattr(personas, persona))
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_the_manager_and_the_coordinator_can_cancel(personas, course, alex):
    for persona in ("manager", "coordinator"):
        session = make_session(course)
        booking = services.book_session(session, alex, by=personas.technician)
        assert services.cancel_booking(booking, by=getattr(personas, persona)).status == "cancelled"


def test_cancelling_a_session_cancels_and_tells_everyone(personas, session, alex, morgan):
    services.book_session(session, alex, by=personas.technician)
    services.book_session(session, morgan, by=personas.manager)
    (waiting,) = _fill(session, 1, alex.department)
    sequence = session.sequence
    services.cancel_session(session, by=personas.coordinator)
    session.refresh_from_db()
    assert session.status == "cancelled" and session.sequence > sequence
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}
    assert not Booking.objects.filter(cancelled_late=True).exists()
    for user in (personas.technician, personas.manager, waiting.technician.user):
        assert services.SESSION_CANCELLED_KIND in kinds(user)


def test_only_coordinators_manage_sessions(personas, session):
    with pytest.raises(PermissionDenied, match="Only training coordinators"):
        services.cancel_session(session, by=personas.manager)
    with pytest.raises(PermissionDenied):
        services.update_session(session, by=personas.hr, capacity=5)
    session.refresh_from_db()
    assert session.status == "scheduled" and session.capacity == 2


def test_more_seats_go_to_the_waiting_list(personas, session, alex):
    _fill(session, 2, alex.department)
    waiting = _fill(session, 2, alex.department)
    services.update_session(session, by=personas.coordinator, capacity=3)
    statuses = [Booking.objects.get(pk=b.pk).status for b in waiting]
    assert statuses == ["confirmed", "waitlisted"]


def test_a_new_time_is_sent_as_an_update(personas, session, alex):
    booking = services.book_session(session, alex, by=personas.technician)
    before = session.sequence
    new_start = session.starts_at + datetime.timedelta(days=1)
    services.update_session(
        session,
        by=personas.coordinator,
        starts_at=new_start,
        ends_at=new_start + datetime.timedelta(hours=2),
    )
    session.refresh_from_db()
    assert session.sequence == before + 1
    changed = Notification.objects.addressed_to(personas.technician).get(
        kind=services.SESSION_CHANGED
    )
    assert changed.key == f"booking:{booking.pk}:seq:{session.sequence}"
    # A change of capacity only is no calendar change.
    services.update_session(session, by=personas.coordinator, capacity=5)
    session.refresh_from_db()
    assert session.sequence == before + 1


def test_a_new_session_tells_everyone_interested(personas, course, alex):
    services.register_interest(course, alex, by=personas.technician)
    services.register_interest(course, alex, by=personas.technician)  # once is enough
    assert CourseInterest.objects.count() == 1
    services.create_session(
        course,
        by=personas.coordinator,
        starts_at=timezone.now() + datetime.timedelta(days=30),
        ends_at=timezone.now() + datetime.timedelta(days=30, hours=2),
        capacity=8,
    )
    assert kinds(personas.technician) == [services.SESSION_ADDED]


def test_interest_is_refused_when_a_session_is_coming(personas, session, alex):
    with pytest.raises(ValidationError, match="book one of them"):
        services.register_interest(session.course, alex, by=personas.technician)


def test_the_cancellation_deadline_defaults_to_two_working_days_before(personas, course):
    starts = timezone.now() + datetime.timedelta(days=40)
    session = services.create_session(
        course,
        by=personas.coordinator,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        capacity=3,
    )
    from portal.periods import add_working_days

    assert session.cancellation_deadline == add_working_days(timezone.localdate(starts), -2)


def test_a_session_must_end_after_it_starts(personas, course):
    starts = timezone.now() + datetime.timedelta(days=40)
    with pytest.raises(ValidationError) as error:
        services.create_session(
            course, by=personas.coordinator, starts_at=starts, ends_at=starts, capacity=3
        )
    assert "end after it starts" in str(error.value)


# --- attendance ------------------------------------------------------------------------------


@pytest.fixture
def past_booking(personas, course, alex):
    starts = timezone.now() - datetime.timedelta(days=2)
    session = make_session(course, capacity=5)
    booking = services.book_session(session, alex, by=personas.technician)
    session.starts_at, session.ends_at = starts, starts + datetime.timedelta(hours=3)
    session.save()
    return booking


def test_attendance_marked_twice_makes_one_record(personas, past_booking, alex):
    services.mark_attendance(past_booking, attended=True, by=personas.coordinator)
    services.mark_attendance(past_booking, attended=True, by=personas.coordinator)
    record = TrainingRecord.objects.get()
    assert (record.technician, record.booking, record.days) == (alex, past_booking, Decimal("1"))
    assert record.category == "formal"


def test_marking_back_to_no_show_removes_the_record(personas, past_booking):
    services.mark_attendance(past_booking, attended=True, by=personas.coordinator)
    services.mark_attendance(past_booking, attended=False, by=personas.coordinator)
    past_booking.refresh_from_db()
    assert past_booking.status == "no_show"
    assert not TrainingRecord.objects.exists()


def test_attendance_before_the_start_is_refused(personas, session, alex):
    booking = services.book_session(session, alex, by=personas.technician)
    with pytest.raises(ValidationError, match="once the session has started"):
        services.mark_attendance(booking, attended=True, by=personas.coordinator)
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_attendance_of_a_waiting_list_place_is_refused(personas, past_booking, alex):
    past_booking.status = "waitlisted"
    past_booking.save()
    with pytest.raises(ValidationError, match="Only bookings that hold a seat"):
        services.mark_attendance(past_booking, attended=True, by=personas.coordinator)
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize("persona", ["technician", "manager", "hr"])
def test_only_coordinators_mark_attendance(personas, past_booking, persona):
    with pytest.raises(PermissionDenied, match="Only training coordinators"):
        services.mark_attendance(past_booking, attended=True, by=getattr(personas, persona))
    past_booking.refresh_from_db()
    assert past_booking.status == "confirmed"


# --- the no-show limit -----------------------------------------------------------------------


def _no_shows(technician, count, when):
    for _ in range(count):
        session = make_session(starts_at=when, capacity=3)
        Booking.objects.create(session=session, technician=technician, status="no_show")


def test_at_the_no_show_limit_bookings_join_the_waiting_list(personas, session, alex, settings):
    settings.TRAINING_NO_SHOW_LIMIT = 3
    _no_shows(alex, 3, timezone.now() - datetime.timedelta(days=30))
    booking = services.book_session(session, alex, by=personas.technician)
    assert booking.status == "waitlisted"
    body = Notification.objects.addressed_to(personas.technician).get(kind=services.WAITLISTED).body
    assert "did not attend 3 booked sessions" in body
    assert services.NO_SHOW_LIMIT in kinds(personas.manager)


def test_below_the_limit_bookings_take_seats(personas, session, alex, settings):
    settings.TRAINING_NO_SHOW_LIMIT = 3
    _no_shows(alex, 2, timezone.now() - datetime.timedelta(days=30))
    assert services.book_session(session, alex, by=personas.technician).status == "confirmed"


def test_a_limit_of_zero_turns_it_off(personas, session, alex, settings):
    settings.TRAINING_NO_SHOW_LIMIT = 0
    _no_shows(alex, 5, timezone.now() - datetime.timedelta(days=30))
    assert services.book_session(session, alex, by=personas.technician).status == "confirmed"


def test_the_no_show_window_is_twelve_months(alex, settings):
    settings.TRAINING_NO_SHOW_LIMIT = 1
    _no_shows(alex, 1, at(datetime.date(2025, 3, 10), 10))
    with time_machine.travel(at(datetime.date(2026, 3, 10), 9), tick=False):
        assert services.no_show_count(alex) == 1
        assert services.is_no_show_limited(alex)
    with time_machine.travel(at(datetime.date(2026, 3, 11), 9), tick=False):
        assert services.no_show_count(alex) == 0
        assert not services.is_no_show_limited(alex)


def test_reaching_the_limit_tells_the_technician_and_manager(
    personas, past_booking, alex, settings
):
    settings.TRAINING_NO_SHOW_LIMIT = 3
    _no_shows(alex, 2, timezone.now() - datetime.timedelta(days=30))
    services.mark_attendance(past_booking, attended=False, by=personas.coordinator)
    assert services.NO_SHOW_LIMIT in kinds(personas.technician)
    assert services.NO_SHOW_LIMIT in kinds(personas.manager)


# --- late cancellation and the deadline --------------------------------------------------------


def test_late_cancellation_across_a_bank_holiday(personas, course, alex):
    # Session on Tuesday 26 May 2026; Monday 25 May is the Spring bank holiday, so two working
    # days before is Thursday 21 May.
    starts = at(datetime.date(2026, 5, 26), 10)
    session = make_session(course, starts_at=starts, capacity=5)
    assert services.cancellation_deadline_of(session) == datetime.date(2026, 5, 21)
    with time_machine.travel(at(datetime.date(2026, 5, 1), 9), tick=False):
        on_time = services.book_session(session, alex, by=personas.technician)
        late = services.book_session(session, personas.manager_profile, by=personas.manager)
    with time_machine.travel(at(datetime.date(2026, 5, 21), 23, 59), tick=False):
        services.cancel_booking(on_time, by=personas.technician)
    with time_machine.travel(at(datetime.date(2026, 5, 22), 0, 0), tick=False):
        services.cancel_booking(late, by=personas.manager)
    on_time.refresh_from_db()
    late.refresh_from_db()
    assert (on_time.cancelled_late, late.cancelled_late) == (False, True)


# --- logging days ----------------------------------------------------------------------------


def test_logging_hours_converts_to_days(personas, alex, settings):
    settings.TRAINING_HOURS_PER_DAY = 7
    record = services.log_training(
        alex,
        by=personas.technician,
        date=timezone.localdate(),
        category="on_the_job",
        title="Shadowed the NMR manager",
        hours=Decimal("3.5"),
    )
    assert record.days == Decimal("0.50")


def test_logging_needs_days_or_hours_not_both(personas, alex):
    with pytest.raises(ValidationError, match="either in days or in hours"):
        services.log_training(
            alex,
            by=personas.technician,
            date=timezone.localdate(),
            category="formal",
            title="X",
            days=Decimal(1),
            hours=Decimal(7),
        )
    assert not TrainingRecord.objects.exists()


def test_logging_for_someone_else_is_refused(personas, alex):
    with pytest.raises(PermissionDenied):
        services.log_training(
            alex,
            by=personas.manager,
            date=timezone.localdate(),
            category="formal",
            title="X",
            days=Decimal(1),
        )


def test_logging_a_future_date_is_refused(personas, alex):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.log_training(
            alex,
            by=personas.technician,
            date=timezone.localdate() + datetime.timedelta(days=1),
            category="formal",
            title="X",
            days=Decimal(1),
        )


def test_evidence_is_checked_by_content(personas, alex):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(ValidationError, match="not a PDF|content is of another type"):
        services.log_training(
            alex,
            by=personas.technician,
            date=timezone.localdate(),
            category="formal",
            title="X",
            days=Decimal(1),
            evidence=fake,
        )
    assert not TrainingRecord.objects.exists()
    from tests.actionplan.conftest import PDF_BYTES  # a real PDF: evidence PDFs must open

    pdf = SimpleUploadedFile("certificate.pdf", PDF_BYTES)
    record = services.log_training(
        alex,
        by=personas.technician,
        date=timezone.localdate(),
        category="formal",
        title="X",
        days=Decimal(1),
        evidence=pdf,
        reflection="Good.",
    )
    assert record.evidence_content_type == "application/pdf"
    assert record.evidence_name == "certificate.pdf"


def test_calendar_token_regenerated_revokes_the_old(personas, alex):
    old = services.calendar_token_of(alex, by=personas.technician).token
    new = services.regenerate_calendar_token(alex, by=personas.technician).token
    assert old != new
    with pytest.raises(PermissionDenied):
        services.regenerate_calendar_token(alex, by=personas.manager)
