"""Reminders (session tomorrow, approval waiting 3 working days), dashboard panels, demo data."""

from __future__ import annotations

import datetime
import io
import time
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from portal import registry
from portal.models import Notification
from tests.training.conftest import at, make_course, make_session, make_technician
from training import reminders, selectors, services
from training.models import Booking, Course, Session, TrainingRecord

pytestmark = pytest.mark.django_db


def test_session_tomorrow_reminds_once(personas, course, alex, morgan):
    session = make_session(course, starts_at=at(datetime.date(2026, 3, 11), 10), capacity=1)
    with time_machine.travel(at(datetime.date(2026, 3, 1), 9), tick=False):
        services.book_session(session, alex, by=personas.technician)
        services.book_session(session, morgan, by=personas.manager)  # waiting list
    assert reminders.queue_session_reminders(datetime.date(2026, 3, 9)) == 0
    assert reminders.queue_session_reminders(datetime.date(2026, 3, 10)) == 1
    assert reminders.queue_session_reminders(datetime.date(2026, 3, 10)) == 0  # re-run
    reminder = Notification.objects.get(kind=reminders.SESSION_TOMORROW)
    assert reminder.technician == personas.technician_profile
    assert "tomorrow" in reminder.body


def test_approval_waiting_three_working_days_reminds_the_manager(personas, alex):
    session = make_session(
        make_course(requires_manager_approval=True), starts_at=at(datetime.date(2026, 4, 20))
    )
    # Asked on Thursday 2 April 2026; Good Friday (3 April) and Easter Monday (6 April) are
    # bank holidays, so the third working day after is Thursday 9 April.
    with time_machine.travel(at(datetime.date(2026, 4, 2), 9), tick=False):
        services.book_session(session, alex, by=personas.technician)
    with time_machine.travel(at(datetime.date(2026, 4, 8), 9), tick=False):
        assert reminders.queue_approval_reminders(datetime.date(2026, 4, 8)) == 0
    with time_machine.travel(at(datetime.date(2026, 4, 9), 9), tick=False):
        assert reminders.queue_approval_reminders(datetime.date(2026, 4, 9)) == 1
        assert reminders.queue_approval_reminders(datetime.date(2026, 4, 10)) == 0
    assert (
        Notification.objects.get(kind=reminders.APPROVAL_WAITING).technician
        == personas.manager_profile
    )


def test_the_producers_are_registered():
    assert {"training.sessions", "training.approvals"} <= set(registry.reminders())
    assert "training" in {entry.name for entry in registry.seeders()}


def test_the_dashboard_shows_training_panels(personas, login, session, alex):
    services.book_session(session, alex, by=personas.technician)
    page = login(personas.technician).get("/").content.decode()
    assert "My training" in page and "COSHH risk assessment" in page
    approval = make_session(make_course(title="First aid", requires_manager_approval=True))
    services.book_session(approval, alex, by=personas.technician)
    page = login(personas.manager).get("/").content.decode()
    assert "1 booking waiting for your approval" in page
    page = login(personas.coordinator).get("/").content.decode()
    assert "Training sessions" in page


def test_the_demo_programme(personas, department):
    from technicians.demo import seed_demo as seed_technicians
    from training.demo import seed_demo

    seed_technicians(technicians=60, stdout=io.StringIO())
    started = time.monotonic()
    seed_demo(technicians=60, stdout=io.StringIO())
    assert time.monotonic() - started < 20
    assert 25 <= Course.objects.count() <= 35
    assert Course.objects.filter(requires_manager_approval=True).exists()
    six_weeks_ago = timezone.now() - datetime.timedelta(days=43)
    assert 140 <= Session.objects.filter(starts_at__gte=six_weeks_ago).count() <= 160
    # Before that, last academic year's and this one's delivered programme, all marked.
    earlier = Session.objects.filter(starts_at__lt=six_weeks_ago)
    assert earlier.count() >= 50
    assert not Booking.objects.filter(session__in=earlier, status="confirmed").exists()
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert {"confirmed", "waitlisted", "attended", "no_show"} <= statuses
    assert TrainingRecord.objects.filter(booking__isnull=True).exists()
    assert TrainingRecord.objects.filter(booking__isnull=False).exists()
    # No session is overfilled.
    for session in Session.objects.all():
        assert session.bookings.filter(status__in=Booking.HOLDS_SEAT).count() <= session.capacity
    seed_demo(technicians=60, stdout=io.StringIO())  # idempotent
    assert Course.objects.count() <= 35


def test_the_dashboard_glance_agrees_with_my_training_at_the_year_boundaries(personas, alex):
    from training import selectors

    today = datetime.date(2026, 3, 10)  # academic year 2025: 1 Aug 2025 to 31 Jul 2026
    for day, days in [
        (datetime.date(2025, 7, 31), "2.00"),  # last day of the year before: not counted
        (datetime.date(2025, 8, 1), "1.50"),  # first day: counted
        (datetime.date(2026, 3, 10), "0.50"),
        (datetime.date(2026, 7, 31), "1.00"),  # last day (recorded ahead): counted
    ]:
        TrainingRecord.objects.create(
            technician=alex, date=day, days=days, category="formal", title=f"Record {day}"
        )
    TrainingRecord.objects.create(
        technician=alex, date=today, days="1.00", category="informal", title="Shadowing"
    )
    sessions = {
        title: make_session(make_course(title=title), starts_at=at(today, hour))
        for title, hour in [("Later", 12), ("Soon", 10), ("Gone", 8), ("Cancelled", 11)]
    }
    with time_machine.travel(at(today - datetime.timedelta(days=7), 9), tick=False):
        bookings = {
            title: services.book_session(each, alex, by=personas.technician)
            for title, each in sessions.items()
        }
        services.cancel_booking(bookings["Cancelled"], by=personas.technician)
    with time_machine.travel(at(today, 9), tick=False):
        glance = selectors.training_at_a_glance(alex, today)
        mine = selectors.my_training(alex, today)

    assert glance.this_year == mine.this_year
    assert glance.this_year.by_category["formal"] == Decimal("3.00")
    assert glance.this_year.total == Decimal("4.00")
    assert (glance.expected_now, glance.on_track) == (mine.expected_now, mine.on_track)
    assert [b.session.course.title for b in glance.upcoming] == ["Soon", "Later"]
    assert glance.upcoming == mine.bookings_open


@pytest.mark.parametrize(
    "sessions, said, more", [(8, "8 sessions", False), (11, "11 sessions", True)]
)
def test_the_coordinators_week_counts_every_session_and_lists_the_first_eight(
    personas, login, course, sessions, said, more
):
    soon = timezone.now() + datetime.timedelta(days=2)
    for hours in range(sessions):
        make_session(course, starts_at=soon + datetime.timedelta(hours=hours))
    make_session(course, starts_at=timezone.now() + datetime.timedelta(days=9))  # next week
    page = login(personas.coordinator).get("/").content.decode()
    assert f"<strong>This week:</strong> {said}</p>" in page
    assert page.count("COSHH risk assessment, ") == 8
    assert ("The first 8 are shown; Manage training lists more." in page) is more


def test_manage_training_says_when_the_week_holds_more_than_it_lists(personas, login, course):
    soon = timezone.now() + datetime.timedelta(days=1)
    Session.objects.bulk_create(
        Session(
            course=course,
            starts_at=soon + datetime.timedelta(minutes=30 * index),
            ends_at=soon + datetime.timedelta(minutes=30 * index + 20),
            capacity=5,
            location="Training Room 1",
        )
        for index in range(101)
    )
    page = login(personas.coordinator).get("/training/manage/").content.decode()
    assert "The first 100 of 101 are shown, soonest first." in page


def test_the_coordinators_lists_hold_registers_to_mark_and_waiting_lists_at_their_edges(
    personas, course, alex
):
    from training import selectors

    now = timezone.now().replace(microsecond=0)
    day = datetime.timedelta(days=1)
    began = make_session(course, starts_at=now - datetime.timedelta(hours=1))
    long_ago = make_session(course, starts_at=now - 61 * day)
    make_session(course, starts_at=now - 2 * day)  # nobody to mark
    within_the_week = make_session(course, starts_at=now + 7 * day)
    make_session(course, starts_at=now + 8 * day)  # no waiting list
    full_later = make_session(course, starts_at=now + 9 * day, capacity=1)
    for session in (began, long_ago):
        Booking.objects.create(session=session, technician=alex, status="confirmed")
    Booking.objects.create(session=full_later, technician=alex, status="waitlisted")
    overview = selectors.coordinator_overview(now, first=(5, 8, 5))
    assert [session.pk for session in overview["to_mark"]] == [began.pk]
    assert overview["to_mark"][0].unmarked == 1
    assert [session.pk for session in overview["this_week"]] == [within_the_week.pk]
    assert [session.pk for session in overview["waiting_lists"]] == [full_later.pk]
    assert overview["waiting_lists"][0].waiting == 1


def test_the_managers_panel_counts_every_booking_waiting_and_the_oldest(personas, login, alex):
    """Every waiting booking is counted, not only the first few, and the oldest is the one
    asked first; a booking decided, or whose session has begun, waits no more."""
    course = make_course(title="First aid", requires_manager_approval=True)
    asked = timezone.now() - datetime.timedelta(days=9)
    bookings = []
    for n in range(7):
        with time_machine.travel(asked + datetime.timedelta(days=n), tick=False):
            bookings.append(services.book_session(make_session(course), alex, by=alex.user))
    colleague = make_technician(alex.department, line_manager=personas.manager_profile)
    services.book_session(make_session(course), colleague, by=colleague.user)
    page = login(personas.manager).get("/").content.decode()
    assert "8 bookings waiting for your approval</strong>, the oldest asked 1\xa0week" in page
    services.approve_booking(bookings[0], by=personas.manager)
    page = login(personas.manager).get("/").content.decode()
    assert "7 bookings waiting for your approval</strong>, the oldest asked 1\xa0week" in page
    for booking in bookings[1:]:
        services.approve_booking(booking, by=personas.manager)
    page = login(personas.manager).get("/").content.decode()
    assert "1 booking waiting for your approval</strong>, the oldest asked 0\xa0minutes" in page
    # A coordinator decides everyone's.
    assert selectors.approvals_waiting_count(personas.coordinator, None).count == 1
    assert selectors.approvals_waiting_count(personas.technician, alex).count == 0
