"""Dashboard panels of recognition (registered in RecognitionConfig.ready()).

- staff: the open development fund calls, and the way to nominate and to record outputs;
- panel members: applications waiting for my score;
- HR: claims to pay and overdue reports (awards flagged for HR).
"""

from __future__ import annotations

from typing import Any

from portal.registry import Panel
from recognition import permissions, selectors
from recognition.versions import FUND_APPLICATIONS, FUND_CALLS
from technicians.versions import PROFILES


def _scoring_context(request) -> dict[str, Any]:
    return {"to_score": selectors.to_score(request.user)[:5]}


def _hr_context(request) -> dict[str, Any]:
    """The same for everyone who runs the fund (they see every applicant): written once a day
    for all of them (`shared_by`, below)."""
    overdue = selectors.overdue_reports()
    return {
        "claims_count": len(selectors.claims_to_pay()),
        "overdue": overdue[:5],
        "overdue_count": len(overdue),
    }


def _staff_context(request) -> dict[str, Any]:
    return {
        "open_calls": selectors.open_calls(),
        "keeps_outputs": permissions.can_apply(request.user),
    }


def _is_panel_member(user) -> bool:
    return permissions.can_use(user) and selectors.sits_on_a_panel(user)


PANELS = [
    Panel(
        name="recognition.staff",
        template="recognition/panels/staff.html",
        applies=permissions.can_use,
        context=_staff_context,
        order=70,
    ),
    Panel(
        name="recognition.scoring",
        template="recognition/panels/scoring.html",
        applies=_is_panel_member,
        context=_scoring_context,
        order=26,
    ),
    Panel(
        name="recognition.hr",
        template="recognition/panels/hr.html",
        applies=permissions.can_manage,
        context=_hr_context,
        order=21,
        # The applicants' names, as they stand: a profile's change shows at the next visit.
        shared_by=(FUND_APPLICATIONS, FUND_CALLS, PROFILES),
    ),
]
