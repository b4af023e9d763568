"""Every change to technicians' data goes through a function here."""

from __future__ import annotations

from django.db import transaction

from technicians.models import Technician


@transaction.atomic
def link_user_to_technician(user) -> Technician | None:
    """Link a user to the Technician with the same e-mail, at first login."""
    if not user.email:
        return None
    linked = Technician.objects.filter(user=user).first()
    if linked:
        return linked
    technician = (
        Technician.objects.select_for_update()
        .filter(email__iexact=user.email, user__isnull=True)
        .first()
    )
    if technician is None:
        return None
    technician.user = user
    technician.save(update_fields=["user", "updated"])
    return technician
