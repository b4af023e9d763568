"""Each technician's calendar feed address: made on first use, renewed on request."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from portal.prepared import PreparedLookup
from training import permissions as rules
from training.models import CalendarToken


def calendar_token_of(technician, *, by) -> CalendarToken:
    """The technician's feed token, made on first use."""
    if not rules.is_own(by, technician):
        raise PermissionDenied("Only you can see your calendar feed address.")
    found = _TOKEN_OF.get(technician.pk)
    if found is not None:
        return found
    token, _ = CalendarToken.objects.get_or_create(technician=technician)
    return token


# Read on every visit of "my training": compiled once (portal.prepared).
_TOKEN_OF = PreparedLookup(
    lambda technician: CalendarToken.objects.filter(technician_id=technician)
)


def regenerate_calendar_token(technician, *, by) -> CalendarToken:
    """A new secret; the old feed address stops working at once."""
    if not rules.is_own(by, technician):
        raise PermissionDenied("Only you can renew your calendar feed address.")
    from training.models import new_calendar_token

    with transaction.atomic():
        token, created = CalendarToken.objects.select_for_update().get_or_create(
            technician=technician
        )
        if not created:
            token.token = new_calendar_token()
            token.save(update_fields=["token", "created"])
    return token
