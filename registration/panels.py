"""Dashboard panels of professional registration (registered in RegistrationConfig.ready()).

- technician: my registrations, my applications' state and renewals due;
- line manager: applications waiting for my endorsement;
- HR: applications waiting for a decision or a payment, and this year's budget.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from portal.permissions import is_hr
from portal.registry import Panel
from registration import permissions, selectors
from technicians.permissions import technician_of


def _technician_context(request) -> dict[str, Any]:
    me = technician_of(request.user)
    today = timezone.localdate()
    applications = selectors.applications_of(me)
    registrations = selectors.registrations_of(me)
    return {
        "registrations": registrations,
        "open_applications": [a for a in applications if a.status in a.OPEN][:5],
        "renewals_due": selectors.renewals_due(registrations, today),
        "today": today,
    }


ENDORSEMENTS_SHOWN = 5


def _endorsement_context(request) -> dict[str, Any]:
    queue = selectors.endorsement_queue(request.user)
    return {"to_endorse": queue[:ENDORSEMENTS_SHOWN], "waiting_count": len(queue)}


def _hr_context(request) -> dict[str, Any]:
    return {"queues": selectors.review_counts(request.user)}


def _waits_for_endorsement(user) -> bool:
    return permissions.is_line_manager(user) and not is_hr(user)


PANELS = [
    Panel(
        name="registration.hr",
        template="registration/panels/hr.html",
        applies=is_hr,
        context=_hr_context,
        order=20,
    ),
    Panel(
        name="registration.endorsements",
        template="registration/panels/endorsements.html",
        applies=_waits_for_endorsement,
        context=_endorsement_context,
        order=25,
    ),
    Panel(
        name="registration.mine",
        template="registration/panels/mine.html",
        applies=permissions.can_keep_records,
        context=_technician_context,
        order=60,
    ),
]
