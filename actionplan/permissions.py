"""Who may read, edit and report on action plans."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from actionplan.models import Action, ActionPlan, ActionUpdate
from portal.permissions import is_hr, is_steering_group
from technicians.permissions import is_staff_member


def can_edit_action_plans(user: Any) -> bool:
    return is_steering_group(user)


def can_view_action_plan(user: Any, plan: ActionPlan) -> bool:
    if not is_staff_member(user):
        return False
    if plan.status == ActionPlan.Status.DRAFT:
        return is_steering_group(user) or is_hr(user)
    return True


def can_edit_action_plan(user: Any, plan: ActionPlan) -> bool:
    return is_steering_group(user) and plan.status != ActionPlan.Status.ARCHIVED


def is_action_updater(user: Any, action: Action) -> bool:
    """Who reports on an action (the steering group, and its owner), whatever the plan's state:
    `can_post_action_update` adds that an archived plan takes no more updates."""
    if not can_view_action_plan(user, action.plan):
        return False
    return is_steering_group(user) or (is_staff_member(user) and action.owner_id == user.pk)


def can_post_action_update(user: Any, action: Action) -> bool:
    """The steering group, and an action's owner on their own action, while the plan is live."""
    return action.plan.status != ActionPlan.Status.ARCHIVED and is_action_updater(user, action)


def can_view_action_evidence(user: Any, update: ActionUpdate) -> bool:
    """Evidence files are seen by whoever may see the plan."""
    return can_view_action_plan(user, update.action.plan)


def visible_action_plans_filter(user: Any) -> Q:
    """A Q object selecting the plans `user` may see in lists (mirrors can_view_action_plan)."""
    if not is_staff_member(user):
        return Q(pk__in=[])
    if is_steering_group(user) or is_hr(user):
        return Q()
    return ~Q(status=ActionPlan.Status.DRAFT)


CHECKS = {
    "edit_action_plans": can_edit_action_plans,
    "view_action_plan": can_view_action_plan,
    "edit_action_plan": can_edit_action_plan,
    "post_action_update": can_post_action_update,
}
