"""The sentences training's refusals say, and the kinds of its notifications."""

from __future__ import annotations

from training.models import Booking

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
