"""Every permission decision of the portal, in one place.

Views call these through `portal.decorators`, templates through the `{% can %}` tag of
`portal_tags`, services and selectors directly. A line manager is a relation
(`Technician.line_manager`), not a group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal import roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from technicians.models import Technician

    User = AbstractBaseUser | AnonymousUser


def group_names(user: Any) -> frozenset[str]:
    """The user's group names, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_portal_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._portal_group_names = cached
    return cached


def _can_log_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_staff_member(user: Any) -> bool:
    """Anyone who can log in is a member of staff of the university, except a leaver: a user
    whose technician HR's staff list marks as having left keeps their login, but no longer
    sees staff pages or internal profiles (superusers keep their access)."""
    if not _can_log_in(user):
        return False
    return user.is_superuser or not is_leaver(user)


def is_leaver(user: Any) -> bool:
    """Linked to a technician who has left (is_active=False on HR's staff list)."""
    me = technician_of(user)
    return me is not None and not me.is_active


def is_admin(user: Any) -> bool:
    return is_staff_member(user) and (user.is_superuser or roles.ADMINISTRATOR in group_names(user))


def has_role(user: Any, role: str) -> bool:
    return is_staff_member(user) and (role in group_names(user) or is_admin(user))


def is_hr(user: Any) -> bool:
    return has_role(user, roles.HR)


def is_steering_group(user: Any) -> bool:
    return has_role(user, roles.STEERING_GROUP)


def is_training_coordinator(user: Any) -> bool:
    return has_role(user, roles.TRAINING_COORDINATOR)


def technician_of(user: Any) -> Technician | None:
    """The Technician linked to this user, if any, leavers included (cached on the user)."""
    if not _can_log_in(user):
        return None
    if not hasattr(user, "_portal_technician"):
        from technicians.models import Technician

        # With its department: the dashboard and the profile pages show it.
        user._portal_technician = (
            Technician.objects.select_related("department").filter(user=user).first()
        )
    return user._portal_technician


def is_line_manager(user: Any) -> bool:
    me = technician_of(user)
    return bool(me and me.is_active and me.reports.filter(is_active=True).exists())


def manages(user: Any, technician: Technician) -> bool:
    me = technician_of(user)
    return bool(me and me.is_active and technician.line_manager_id == me.pk)


# --- technicians -------------------------------------------------------------------------


def can_view_directory(user: Any) -> bool:
    return is_staff_member(user)


def can_open_my_profile(user: Any) -> bool:
    """Staff edit their profile there; a leaver is told there why they no longer can."""
    return is_staff_member(user) or is_leaver(user)


def can_view_technician(user: Any, technician: Technician) -> bool:
    """Public: anyone. Internal: logged-in staff. Private: the owner, HR and admins."""
    from technicians.models import Technician

    if technician.visibility == Technician.Visibility.PUBLIC and technician.is_active:
        return True
    if not is_staff_member(user):
        return False
    if is_hr(user):  # HR and administrators see every profile, leavers included
        return True
    if not technician.is_active:  # leavers: HR and administrators only
        return False
    if is_own_profile(user, technician):
        return True
    return technician.visibility == Technician.Visibility.INTERNAL


def is_own_profile(user: Any, technician: Technician) -> bool:
    return bool(
        is_staff_member(user) and technician.user_id is not None and technician.user_id == user.pk
    )


def can_edit_technician(user: Any, technician: Technician) -> bool:
    """HR, and a (current) technician on their own profile."""
    return is_hr(user) or (technician.is_active and is_own_profile(user, technician))


def can_manage_staff_list(user: Any) -> bool:
    """Import and export HR's staff list."""
    return is_hr(user)


def visible_technicians_filter(user: Any):
    """A Q object selecting the technicians `user` may see in lists (mirrors the rule above)."""
    from django.db.models import Q

    from technicians.models import Technician

    public = Q(is_active=True, visibility=Technician.Visibility.PUBLIC)
    if not is_staff_member(user):
        return public
    if is_hr(user):
        return Q()
    return Q(
        is_active=True,
        visibility__in=[Technician.Visibility.PUBLIC, Technician.Visibility.INTERNAL],
    ) | Q(is_active=True, user=user)


# --- action plans --------------------------------------------------------------------------


def can_edit_action_plans(user: Any) -> bool:
    return is_steering_group(user)


def can_view_action_plan(user: Any, plan: Any) -> bool:
    if not is_staff_member(user):
        return False
    if plan.status == "draft":
        return is_steering_group(user) or is_hr(user)
    return True


def can_edit_action_plan(user: Any, plan: Any) -> bool:
    return is_steering_group(user) and plan.status != "archived"


def is_action_updater(user: Any, action: Any) -> bool:
    """Who reports on an action (the steering group, and its owner), whatever the plan's state:
    `can_post_action_update` adds that an archived plan takes no more updates."""
    if not can_view_action_plan(user, action.plan):
        return False
    return is_steering_group(user) or (is_staff_member(user) and action.owner_id == user.pk)


def can_post_action_update(user: Any, action: Any) -> bool:
    """The steering group, and an action's owner on their own action, while the plan is live."""
    return action.plan.status != "archived" and is_action_updater(user, action)


def can_view_action_evidence(user: Any, update: Any) -> bool:
    """Evidence files are seen by whoever may see the plan."""
    return can_view_action_plan(user, update.action.plan)


def visible_action_plans_filter(user: Any):
    """A Q object selecting the plans `user` may see in lists (mirrors can_view_action_plan)."""
    from django.db.models import Q

    if not is_staff_member(user):
        return Q(pk__in=[])
    if is_steering_group(user) or is_hr(user):
        return Q()
    return ~Q(status="draft")


# --- the rest of the portal ------------------------------------------------------------------


def can_use_admin(user: Any) -> bool:
    return is_admin(user)


# Names the `{% can %}` template tag may ask about.
CHECKS = {
    "view_directory": can_view_directory,
    "view_technician": can_view_technician,
    "edit_technician": can_edit_technician,
    "manage_staff_list": can_manage_staff_list,
    "edit_action_plans": can_edit_action_plans,
    "view_action_plan": can_view_action_plan,
    "edit_action_plan": can_edit_action_plan,
    "post_action_update": can_post_action_update,
    "use_admin": can_use_admin,
    "hr": is_hr,
    "steering_group": is_steering_group,
    "training_coordinator": is_training_coordinator,
    "line_manager": is_line_manager,
}


def check(name: str, user: Any, *args: Any) -> bool:
    return bool(CHECKS[name](user, *args))
