"""Dashboard panels of the action plans (registered in ActionplanConfig.ready()).

- anyone who owns actions: theirs that are overdue or due within 30 days, and their last
  updates;
- steering group: the current plan's RAG counts by pillar, its overdue actions with their
  owners, and its last 10 updates;
- every member of staff: a link to the plans.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from actionplan import permissions, rag, selectors
from actionplan.templatetags.actionplan_tags import fill_owners, marked_owners
from actionplan.versions import PLANS
from portal import versions
from portal.registry import Panel


def _owner_context(request) -> dict[str, Any]:
    return {
        "mine": selectors.owner_dashboard(request.user),
        "due_within_days": selectors.DASHBOARD_DUE_WITHIN_DAYS,
    }


def _steering_context(request) -> dict[str, Any]:
    """The panel as every member of the steering group sees it (they all see every plan),
    written once a day and kept under the plans' version, with a mark where each owner or
    author goes: whether a reader may see a person's name is theirs alone, so the names are
    filled in for each reader, from one query for the accounts marked."""
    today = rag.today()
    kept = versions.cached(
        f"actionplan.steering-panel:{today.isoformat()}",
        depends_on=(PLANS,),
        compute=lambda: render_to_string(
            "actionplan/panels/_steering_kept.html",
            {"steering": selectors.steering_dashboard(request.user, today), "ratings": RATINGS},
        ),
    )
    named = selectors.accounts_by_pk(marked_owners(kept))
    return {"steering_html": fill_owners({"request": request}, kept, named)}


RATINGS = list(rag.Rag)


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
