"""How each person wants each kind of reminder: at once (the default), in a weekly digest, or
never. Decisions about a person's own bookings and applications are not reminders: they
always go at once (their producers pass no `reminder_kind` to queue_notification)."""

from __future__ import annotations

AT_ONCE = "at_once"
DIGEST = "digest"
NEVER = "never"
CHOICES = [
    (AT_ONCE, "At once"),
    (DIGEST, "In a weekly digest"),
    (NEVER, "Never"),
]


def choice_for(addressee, reminder_kind: str) -> str:
    """The person's (or account's) choice for this kind of reminder; at once by default."""
    return AT_ONCE
