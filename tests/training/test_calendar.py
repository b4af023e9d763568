"""Invitations, cancellations, the session file and the personal feed parse as RFC 5545 and
keep one event per session in the attendee's calendar."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from portal.models import Notification
from tests.training.conftest import make_session
from training import calendar, services
from training.models import Booking

pytestmark = pytest.mark.django_db


def events(content: bytes):
    parsed = Calendar.from_ical(content)
    return parsed, [c for c in parsed.walk() if c.name == "VEVENT"]


def test_an_invitation_is_a_request_with_the_session(personas, session, alex):
    booking = services.book_session(session, alex, by=personas.technician)
    parsed, (event,) = events(calendar.invitation(booking))
    assert parsed["METHOD"] == "REQUEST"
    assert parsed["VERSION"] == "2.0"
    assert parsed["PRODID"]
    assert str(event["UID"]) == session.ical_uid
    assert event["SEQUENCE"] == session.sequence
    assert event.decoded("DTSTART") == session.starts_at
    assert event.decoded("DTEND") == session.ends_at
    assert str(event["SUMMARY"]) == "COSHH risk assessment"
    assert str(event["ATTENDEE"]) == f"mailto:{alex.email}"
    assert "DTSTAMP" in event and "ORGANIZER" in event


def test_a_cancellation_keeps_the_uid_and_raises_the_sequence(personas, session, alex):
    booking = services.book_session(session, alex, by=personas.technician)
    _, (invited,) = events(calendar.invitation(booking))
    services.cancel_booking(booking, by=personas.technician)
    booking.refresh_from_db()
    parsed, (cancelled,) = events(calendar.cancellation(booking))
    assert parsed["METHOD"] == "CANCEL"
    assert cancelled["UID"] == invited["UID"]
    assert cancelled["SEQUENCE"] > invited["SEQUENCE"]
    assert cancelled["STATUS"] == "CANCELLED"


def test_booking_again_after_cancelling_supersedes_the_cancellation(personas, session, alex):
    booking = services.book_session(session, alex, by=personas.technician)
    services.cancel_booking(booking, by=personas.technician)
    booking.refresh_from_db()
    _, (cancelled,) = events(calendar.cancellation(booking))
    again = services.book_session(session, alex, by=personas.technician)
    again.session.refresh_from_db()
    _, (invited,) = events(calendar.invitation(again))
    assert invited["UID"] == cancelled["UID"]
    assert invited["SEQUENCE"] > cancelled["SEQUENCE"]


def test_a_change_of_time_is_an_update_of_the_same_event(personas, session, alex):
    booking = services.book_session(session, alex, by=personas.technician)
    _, (before,) = events(calendar.invitation(booking))
    later = session.starts_at + datetime.timedelta(hours=2)
    services.update_session(
        session,
        by=personas.coordinator,
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=1),
    )
    booking.refresh_from_db()
    parsed, (after,) = events(calendar.invitation(booking))
    assert parsed["METHOD"] == "REQUEST"
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("DTSTART") == later


def test_notifications_carry_the_invitation_they_were_written_with(personas, session, alex):
    booking = services.book_session(session, alex, by=personas.technician)
    confirmed = Notification.objects.get(kind=services.CONFIRMED)
    ((name, content, mimetype),) = services.notification_attachments(confirmed)
    assert name == "invite.ics" and "method=REQUEST" in mimetype
    assert Calendar.from_ical(content)["METHOD"] == "REQUEST"
    services.cancel_booking(booking, by=personas.technician)
    cancelled = Notification.objects.get(kind=services.CANCELLED)
    ((_, content, mimetype),) = services.notification_attachments(cancelled)
    assert "method=CANCEL" in mimetype
    _, (event,) = events(content)
    session.refresh_from_db()
    assert event["SEQUENCE"] == session.sequence
    waitlist_free = Notification(kind=services.WAITLISTED, key=f"booking:{booking.pk}")
    assert services.notification_attachments(waitlist_free) == []


def test_the_feed_holds_exactly_the_booked_uncancelled_sessions(personas, course, alex, client):
    booked = make_session(course, capacity=5)
    waiting_full = make_session(course, capacity=1)
    cancelled_booking = make_session(course, capacity=5)
    cancelled_session = make_session(course, capacity=5)
    services.book_session(booked, alex, by=personas.technician)
    services.book_session(waiting_full, personas.manager_profile, by=personas.manager)
    services.book_session(waiting_full, alex, by=personas.technician)  # waiting list
    mine = services.book_session(cancelled_booking, alex, by=personas.technician)
    services.cancel_booking(mine, by=personas.technician)
    services.book_session(cancelled_session, alex, by=personas.technician)
    services.cancel_session(cancelled_session, by=personas.coordinator)
    token = services.calendar_token_of(alex, by=personas.technician)

    response = client.get(f"/training/calendar/{token.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    parsed, found = events(response.content)
    assert "METHOD" not in parsed
    assert [str(event["UID"]) for event in found] == [booked.ical_uid]


def test_a_renewed_token_revokes_the_old_feed(personas, alex, client):
    old = services.calendar_token_of(alex, by=personas.technician).token
    assert services.calendar_token_of(alex, by=personas.technician).token == old  # made once
    new = services.regenerate_calendar_token(alex, by=personas.technician).token
    assert client.get(f"/training/calendar/{old}.ics").status_code == 404
    assert services.calendar_token_of(alex, by=personas.technician).token == new != old


def test_a_leavers_feed_stops(personas, alex, client):
    token = services.calendar_token_of(alex, by=personas.technician).token
    alex.is_active = False
    alex.save()
    assert client.get(f"/training/calendar/{token}.ics").status_code == 404


def test_the_session_file_parses(personas, session, login):
    response = login(personas.technician).get(f"/training/sessions/{session.pk}/calendar.ics")
    parsed, (event,) = events(response.content)
    assert parsed["METHOD"] == "PUBLISH"
    assert str(event["UID"]) == session.ical_uid
    assert response["Content-Disposition"].startswith("attachment")


def test_uids_are_stable_and_distinct(course):
    one, two = make_session(course), make_session(course)
    assert one.ical_uid != two.ical_uid
    assert one.ical_uid == type(one).objects.get(pk=one.pk).ical_uid
    assert "@" in one.ical_uid


def test_times_are_utc_or_zoned_not_floating(personas, session, alex):
    booking = services.book_session(session, alex, by=personas.technician)
    _, (event,) = events(calendar.invitation(booking))
    assert event.decoded("DTSTART").tzinfo is not None
    assert timezone.is_aware(Booking.objects.get().created)


def _sent_invites(django_capture_on_commit_callbacks, action):
    """Run `action`, let the outbox send what it queued, and return the calendar parts."""
    from django.core import mail

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        action()
    return [
        (message, attachment)
        for message in mail.outbox
        for attachment in message.attachments
        if attachment[0].endswith(".ics")
    ]


def test_the_booking_email_carries_the_invitation_and_the_cancellation_its_cancel(
    personas, session, alex, django_capture_on_commit_callbacks
):
    booked = {}
    (message, (name, content, mimetype)), *_ = _sent_invites(
        django_capture_on_commit_callbacks,
        lambda: booked.setdefault(
            "b", services.book_session(session, alex, by=personas.technician)
        ),
    )
    assert message.to == [alex.email]
    assert mimetype.startswith("text/calendar") and "method=REQUEST" in mimetype
    parsed, (invited,) = events(content.encode() if isinstance(content, str) else content)
    assert parsed["METHOD"] == "REQUEST"
    assert str(invited["UID"]) == session.ical_uid

    (message, (_, content, mimetype)), *_ = _sent_invites(
        django_capture_on_commit_callbacks,
        lambda: services.cancel_booking(booked["b"], by=personas.technician),
    )
    assert "method=CANCEL" in mimetype
    parsed, (cancelled,) = events(content.encode() if isinstance(content, str) else content)
    assert parsed["METHOD"] == "CANCEL"
    assert cancelled["UID"] == invited["UID"]
    assert cancelled["SEQUENCE"] > invited["SEQUENCE"]


def test_notifications_of_other_kinds_carry_no_attachment(
    personas, django_capture_on_commit_callbacks
):
    from django.core import mail

    from portal.services import queue_notification

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        queue_notification(personas.technician, "test_kind", "k", "Subject", "Body")
    (message,) = mail.outbox
    assert message.attachments == []
    assert Notification.objects.get(kind="test_kind").status == Notification.Status.SENT
