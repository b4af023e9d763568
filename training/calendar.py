"""iCalendar (RFC 5545) for training sessions, built with the icalendar library.

Calendars match a message to the event they hold by UID, and keep the one with the highest
SEQUENCE. So every message about a session uses the session's stable UID and its
`Session.sequence`, which services raise whenever a message must supersede an earlier one
(the session changes or is cancelled, a booking is cancelled): Outlook, Gmail and Apple
Calendar then update the event instead of adding a second one.

- `invitation(booking)`: METHOD:REQUEST, for a confirmed seat (also sent again on a change);
- `cancellation(booking)`: METHOD:CANCEL, same UID, the raised SEQUENCE;
- `feed(technician, bookings)`: a subscription (no METHOD), the booked, uncancelled sessions;
- `session_file(session)`: a session on its own, to download (METHOD:PUBLISH).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Technician Commitment Portal//Training//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _calendar(method: str | None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _organizer() -> vCalAddress:
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(f"{settings.PORTAL_INSTITUTION_NAME} training")
    return organizer


def _where(session) -> str:
    if session.location and session.online_url:
        return f"{session.location} / {session.online_url}"
    return session.location or session.online_url or ""


def _event(session, *, cancelled: bool = False, sequence: int | None = None, attendee=None):
    event = Event()
    event.add("uid", session.ical_uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.course.title)
    event.add("sequence", session.sequence if sequence is None else sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    where = _where(session)
    if where:
        event.add("location", where)
    link = settings.SITE_URL.rstrip("/") + session.course.get_absolute_url()
    event.add("url", link)
    description = session.course.description[:500]
    event.add("description", f"{description}\n\n{link}".strip())
    event.add("organizer", _organizer())
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(attendee.full_name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("DECLINED" if cancelled else "ACCEPTED")
        event.add("attendee", address)
    return event


def invitation(booking) -> bytes:
    """The invitation for a confirmed seat (and its updates): METHOD:REQUEST."""
    calendar = _calendar("REQUEST")
    calendar.add_component(_event(booking.session, attendee=booking.technician))
    return calendar.to_ical()


def cancellation(booking) -> bytes:
    """The seat, or the whole session, is cancelled: METHOD:CANCEL with the same UID and the
    session's (raised) SEQUENCE."""
    calendar = _calendar("CANCEL")
    calendar.add_component(_event(booking.session, cancelled=True, attendee=booking.technician))
    return calendar.to_ical()


def session_file(session) -> bytes:
    calendar = _calendar("PUBLISH")
    calendar.add_component(_event(session, cancelled=session.is_cancelled))
    return calendar.to_ical()


def feed(technician, bookings: Iterable) -> bytes:
    """A personal subscription feed: the sessions of `bookings` (confirmed, uncancelled)."""
    calendar = _calendar(None, name=f"Training – {technician.full_name}")
    for booking in bookings:
        calendar.add_component(_event(booking.session, attendee=technician))
    return calendar.to_ical()


def attachment(method: str, booking) -> tuple[str, bytes, str]:
    """(file name, content, MIME type) of the invitation or cancellation for e-mail."""
    content = invitation(booking) if method == "REQUEST" else cancellation(booking)
    return ("invite.ics", content, f"text/calendar; charset=utf-8; method={method}")
