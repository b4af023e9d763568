"""How each person wants each kind of reminder: at once (the default), in a weekly digest, or
never (DESIGN.md: messages reach people, not accounts).

Only reminders are subject to preferences: producers mark them with
`queue_notification(..., reminder_kind=...)`, and each app registers its kinds with
`portal.registry.register_reminder_kind`. Decisions about a person's own bookings and
applications pass no reminder kind: they always go at once.
"""

from __future__ import annotations

from django.conf import settings

from portal import registry
from portal.models import NotificationPreference

AT_ONCE = NotificationPreference.Choice.AT_ONCE.value
DIGEST = NotificationPreference.Choice.DIGEST.value
NEVER = NotificationPreference.Choice.NEVER.value
CHOICES = NotificationPreference.Choice.choices


def _is_person(addressee) -> bool:
    return addressee._meta.label_lower == settings.PORTAL_PERSON_MODEL.lower()


def owner_filter(addressee) -> dict:
    """The preference rows' filter for this person (or account)."""
    return {"technician": addressee} if _is_person(addressee) else {"user": addressee}


def choice_for(addressee, reminder_kind: str) -> str:
    """The person's (or account's) choice for this kind of reminder; at once by default."""
    if addressee is None or not reminder_kind:
        return AT_ONCE
    choice = (
        NotificationPreference.objects.filter(
            reminder_kind=reminder_kind, **owner_filter(addressee)
        )
        .values_list("choice", flat=True)
        .first()
    )
    return choice or AT_ONCE


def choices_for(addressee) -> dict[str, str]:
    """Every registered kind of reminder with the person's choice (one query)."""
    kept = dict(
        NotificationPreference.objects.filter(**owner_filter(addressee)).values_list(
            "reminder_kind", "choice"
        )
    )
    return {kind.name: kept.get(kind.name, AT_ONCE) for kind in registry.reminder_kinds()}
