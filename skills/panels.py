"""Dashboard panels of the skills matrix (registered in SkillsConfig.ready()).

- steering group and HR: the five worst skills at risk, judged against the units' needs;
- line manager: the team's skills due for review and validations waiting;
- technician: my skills due for review, and shadowing requests.
"""

from __future__ import annotations

from typing import Any

from portal.permissions import is_hr, is_steering_group
from portal.registry import Panel
from skills import permissions, selectors
from technicians import permissions as directory_rules


def _at_risk_context(request: None) -> dict[str, Any]:
    """The five worst unmet needs, with how many are unmet in all: the same for HR, the
    steering group and administrators, so written once a day (portal.dashboard) under the
    versions the judged needs are kept under."""
    return {"risks": selectors.worst_risks(limit=5)}


def _team_context(request) -> dict[str, Any]:
    me = directory_rules.technician_of(request.user)
    return {"team_review": selectors.team_review_summary(me)}


def _mine_context(request) -> dict[str, Any]:
    me = directory_rules.technician_of(request.user)
    return {"my_review": selectors.review_summary(me)}


def _sees_risk(user) -> bool:
    return is_steering_group(user) or is_hr(user)


PANELS = [
    Panel(
        name="skills.mine",
        template="skills/panels/mine.html",
        applies=permissions.can_review_own_skills,
        context=_mine_context,
        order=30,
    ),
    Panel(
        name="skills.team",
        template="skills/panels/team.html",
        applies=directory_rules.is_line_manager,
        context=_team_context,
        order=35,
    ),
    Panel(
        name="skills.at_risk",
        template="skills/panels/at_risk.html",
        applies=_sees_risk,
        context=_at_risk_context,
        order=40,
        shared_by=selectors.JUDGED_NEEDS_DEPEND_ON,
    ),
]
