"""What training tells people: the session's details in every message, the line manager's
copy, and the iCalendar invitation or cancellation attached to a notification's e-mail."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from portal.services import queue_notification
from training import calendar
from training.models import Booking, Session
from training.services.messages import INVITATION_KINDS
from training.services.rules import cancellation_deadline_of


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
