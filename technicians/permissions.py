"""Who may see and change people: members of staff, leavers, line managers, profiles by
visibility, and HR's staff list.

`TechniciansConfig.ready()` registers the named checks (CHECKS) for `{% can %}` and the
decorators; "staff_member" is also what the kernel's roles ask before trusting a group.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from portal.permissions import can_log_in, is_hr
from technicians.models import Technician


def is_staff_member(user: Any) -> bool:
    """Anyone who can log in is a member of staff of the university, except a leaver: a user
    whose technician HR's staff list marks as having left keeps their login, but no longer
    sees staff pages or internal profiles (superusers keep their access)."""
    if not can_log_in(user):
        return False
    return user.is_superuser or not is_leaver(user)


def is_leaver(user: Any) -> bool:
    """Linked to a technician who has left (is_active=False on HR's staff list)."""
    me = technician_of(user)
    return me is not None and not me.is_active


def technician_of(user: Any) -> Technician | None:
    """The Technician linked to this user, if any, leavers included (cached on the user)."""
    if not can_log_in(user):
        return None
    if not hasattr(user, "_portal_technician"):
        # With its department: the dashboard and the profile pages show it.
        remember_technician(
            user, Technician.objects.select_related("department").filter(user=user).first()
        )
    return user._portal_technician


def remember_technician(user: Any, technician: Technician | None) -> None:
    """Keep `technician` as the user's for this request (the sign-in backends load it with the
    user: technicians.auth_backends)."""
    user._portal_technician = technician


def remember_line_manager(user: Any, manages_team: bool) -> None:
    """Keep whether the user's technician manages a current technician, read with the user
    (technicians.auth_backends), for this request."""
    technician = technician_of(user)
    user._portal_is_line_manager = bool(manages_team and technician and technician.is_active)


def is_line_manager(user: Any) -> bool:
    """Manages at least one current technician (asked once per request: kept on the user, as
    several dashboard panels ask it)."""
    cached = getattr(user, "_portal_is_line_manager", None)
    if cached is None:
        me = technician_of(user)
        cached = bool(me and me.is_active and me.reports.filter(is_active=True).exists())
        if getattr(user, "is_authenticated", False):
            user._portal_is_line_manager = cached
    return cached


def manages(user: Any, technician: Technician) -> bool:
    me = technician_of(user)
    return bool(me and me.is_active and technician.line_manager_id == me.pk)


def can_view_directory(user: Any) -> bool:
    return is_staff_member(user)


def can_open_my_profile(user: Any) -> bool:
    """Staff edit their profile there; a leaver is told there why they no longer can."""
    return is_staff_member(user) or is_leaver(user)


def is_public_profile(technician: Technician) -> bool:
    """Shown to anyone, on Meet our technicians and department pages."""
    return technician.visibility == Technician.Visibility.PUBLIC and technician.is_active


def can_view_technician(user: Any, technician: Technician) -> bool:
    """Public: anyone. Internal: logged-in staff. Private: the owner, HR and admins."""
    if is_public_profile(technician):
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


def can_see_person(user: Any, technician: Technician | None) -> bool:
    """Whether a page may show `user` this person's name: wherever they may see the profile
    (`can_view_technician`, and then the name links to it), and between a technician and
    their own line manager, who know each other whatever the profile's visibility says.
    Nobody else learns that a private profile exists. (The `{% person_link %}` tag.)"""
    if technician is None:
        return False
    if can_view_technician(user, technician):
        return True
    me = technician_of(user) if is_staff_member(user) else None
    return bool(
        me is not None
        and me.is_active
        and (technician.line_manager_id == me.pk or me.line_manager_id == technician.pk)
    )


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


def public_technicians_filter() -> Q:
    """A Q object selecting public profiles (mirrors is_public_profile)."""
    return Q(is_active=True, visibility=Technician.Visibility.PUBLIC)


def list_audience(user: Any) -> str:
    """Whose list `user` sees: "public" (public profiles: anyone who is not a member of staff),
    "staff" (public and internal profiles of current staff) or "everyone" (HR and
    administrators, leavers included). An audience's list is the same for all its members,
    but for a member of staff's own private profile, which only they see."""
    if not is_staff_member(user):
        return "public"
    if is_hr(user):
        return "everyone"
    return "staff"


def audience_filter(audience: str) -> Q:
    """A Q object selecting the technicians every member of `audience` sees in lists."""
    if audience == "public":
        return public_technicians_filter()
    if audience == "everyone":
        return Q()
    return Q(
        is_active=True,
        visibility__in=[Technician.Visibility.PUBLIC, Technician.Visibility.INTERNAL],
    )


def visible_technicians_filter(user: Any) -> Q:
    """A Q object selecting the technicians `user` may see in lists (mirrors the rule above):
    their audience's, and a member of staff's own current profile."""
    return listed_filter(list_audience(user), user_id=user.pk)


def listed_filter(audience: str, *, user_id: int | None) -> Q:
    """What a member of `audience` with the account `user_id` sees in lists: the audience's
    technicians, and for a member of staff their own current profile."""
    if audience == "staff":
        return audience_filter(audience) | Q(is_active=True, user_id=user_id)
    return audience_filter(audience)


CHECKS = {
    "staff_member": is_staff_member,
    "view_directory": can_view_directory,
    "view_technician": can_view_technician,
    "edit_technician": can_edit_technician,
    "manage_staff_list": can_manage_staff_list,
    "line_manager": is_line_manager,
}
