"""Dashboard panels of recognition (registered in RecognitionConfig.ready()).

- panel members: applications waiting for my score;
- HR: claims to pay and overdue reports (awards flagged for HR).
"""

from __future__ import annotations

from typing import Any

from portal.registry import Panel
from recognition import permissions, selectors


def _scoring_context(request) -> dict[str, Any]:
    return {"to_score": selectors.to_score(request.user)[:5]}


def _hr_context(request) -> dict[str, Any]:
    return {"claims": selectors.claims_to_pay()[:5], "overdue": selectors.overdue_reports()[:5]}


def _is_panel_member(user) -> bool:
    return permissions.can_use(user) and user.recognition_panels.exists()


PANELS = [
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
    ),
]
