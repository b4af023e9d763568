"""Dashboard panels of the action plans (registered in ActionplanConfig.ready()).

- anyone who owns actions: theirs that are overdue or due within 30 days, and their last
  updates;
- steering group: the current plan's RAG counts by pillar, its overdue actions with their
  owners, and its last 10 updates;
- every member of staff: a link to the plans.
"""

from __future__ import annotations

from typing import Any

from actionplan import permissions, rag, selectors
from portal.registry import Panel


def _owner_context(request) -> dict[str, Any]:
    return {
        "mine": selectors.owner_dashboard(request.user),
        "due_within_days": selectors.DASHBOARD_DUE_WITHIN_DAYS,
    }


def _steering_context(request) -> dict[str, Any]:
    return {"steering": selectors.steering_dashboard(request.user), "ratings": list(rag.Rag)}


PANELS = [
    Panel(
        name="actionplan.my_actions",
        template="actionplan/panels/my_actions.html",
        applies=selectors.owns_open_actions,
        context=_owner_context,
        order=10,
    ),
    Panel(
        name="actionplan.steering",
        template="actionplan/panels/steering.html",
        applies=permissions.can_edit_action_plans,
        context=_steering_context,
        order=15,
    ),
    Panel(
        name="actionplan.plans",
        template="actionplan/panels/plans.html",
        applies=permissions.is_staff_member,
        order=210,
    ),
]
