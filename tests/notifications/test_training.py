"""Every kind of training notification reaches a technician who has no account, at the
staff-list address (DESIGN.md: messages reach people, not accounts)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import timezone

from tests.notifications.conftest import received
from tests.training.conftest import at, make_course, make_session
from training import reminders, services
from training.models import Booking, CourseInterest

pytestmark = pytest.mark.django_db


def test_confirmed_waitlisted_promoted_and_cancelled(personas, nobody, department, sends):
    session = make_session(capacity=1)
    with sends():
        first = services.book_session(session, personas.manager_profile, by=personas.coordinator)
        waiting = services.book_session(session, nobody, by=personas.coordinator)
    assert waiting.status == Booking.Status.WAITLISTED
    received(nobody, services.WAITLISTED)
    with sends():
        services.cancel_booking(first, by=personas.coordinator)
    received(nobody, services.PROMOTED)
    with sends():
        services.cancel_booking(waiting, by=personas.coordinator)
    received(nobody, services.CANCELLED)
    other = make_session(capacity=5)
    with sends():
        services.book_session(other, nobody, by=personas.manager)  # Morgan manages Nora
    notification = received(nobody, services.CONFIRMED)
    # The link in the e-mail is absolute.
    assert f"{django_settings.SITE_URL}/training/courses/" in notification.body


def test_requested_and_approval_needed_reach_a_manager_without_an_account(
    personas, boss, department, sends
):
    alex = personas.technician_profile
    alex.line_manager = boss
    alex.save(update_fields=["line_manager"])
    session = make_session(make_course(requires_manager_approval=True))
    with sends():
        booking = services.book_session(session, alex, by=personas.technician)
    assert booking.status == Booking.Status.REQUESTED
    received(alex, services.REQUESTED)
    received(boss, services.APPROVAL_NEEDED)


@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_decisions_reach_a_technician_without_an_account(personas, nobody, decision, sends):
    session = make_session(make_course(requires_manager_approval=True))
    booking = Booking.objects.create(
        session=session, technician=nobody, status=Booking.Status.REQUESTED
    )
    with sends():
        if decision == "approve":
            services.approve_booking(booking, by=personas.manager)
        else:
            services.decline_booking(booking, by=personas.manager, reason="Not this term.")
    received(nobody, services.APPROVED if decision == "approve" else services.DECLINED)


def test_a_free_seat_after_the_cutoff_reaches_the_waiting_list(personas, nobody, sends):
    session = make_session(starts_at=timezone.now() + datetime.timedelta(hours=6), capacity=1)
    first = services.book_session(session, personas.manager_profile, by=personas.coordinator)
    services.book_session(session, nobody, by=personas.coordinator)
    with sends():
        services.cancel_booking(first, by=personas.coordinator)
    received(nobody, services.SEAT_FREE)


def test_changed_and_cancelled_sessions(personas, nobody, sends):
    session = make_session(capacity=3)
    services.book_session(session, nobody, by=personas.coordinator)
    with sends():
        services.update_session(session, by=personas.coordinator, location="Lab 2")
    received(nobody, services.SESSION_CHANGED)
    with sends():
        services.cancel_session(session, by=personas.coordinator)
    received(nobody, services.SESSION_CANCELLED_KIND)


def test_a_new_session_reaches_those_interested(personas, nobody, sends):
    course = make_course()
    CourseInterest.objects.create(course=course, technician=nobody)
    starts = (timezone.now() + datetime.timedelta(days=20)).replace(second=0, microsecond=0)
    with sends():
        services.create_session(
            course,
            by=personas.coordinator,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            capacity=5,
            location="Room 1",
        )
    received(nobody, services.SESSION_ADDED)


def test_the_no_show_limit_reaches_the_technician_and_a_manager_without_accounts(
    personas, nobody, boss, settings, sends
):
    settings.TRAINING_NO_SHOW_LIMIT = 1
    nobody.line_manager = boss
    nobody.save(update_fields=["line_manager"])
    start = timezone.now() + datetime.timedelta(days=3)
    session = make_session(starts_at=start.replace(second=0, microsecond=0), capacity=3)
    booking = services.book_session(session, nobody, by=personas.coordinator)
    with time_machine.travel(start + datetime.timedelta(hours=4), tick=False), sends():
        services.mark_attendance(booking, attended=False, by=personas.coordinator)
    received(nobody, services.NO_SHOW_LIMIT)
    received(boss, services.NO_SHOW_LIMIT)


def test_the_session_tomorrow_reminder(personas, nobody, sends):
    day = datetime.date(2026, 3, 11)
    session = make_session(starts_at=at(day, 10), capacity=2)
    with time_machine.travel(at(datetime.date(2026, 3, 1), 9), tick=False):
        services.book_session(session, nobody, by=personas.coordinator)
    with sends():
        assert reminders.queue_session_reminders(datetime.date(2026, 3, 10)) == 1
    received(nobody, reminders.SESSION_TOMORROW)


def test_the_approval_waiting_reminder_reaches_a_manager_without_an_account(
    personas, nobody, boss, sends
):
    nobody.line_manager = boss
    nobody.save(update_fields=["line_manager"])
    session = make_session(make_course(requires_manager_approval=True))
    booking = Booking.objects.create(
        session=session, technician=nobody, status=Booking.Status.REQUESTED
    )
    asked = timezone.localdate(booking.created)
    with sends():
        assert reminders.queue_approval_reminders(asked + datetime.timedelta(days=7)) == 1
    received(boss, reminders.APPROVAL_WAITING)
