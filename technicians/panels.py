"""Dashboard panels of the directory and the staff list (registered in
TechniciansConfig.ready()).

- HR: active technicians, joiners and leavers this academic year, profile completeness, the
  last staff-list import;
- line manager: the team, with each person's profile completeness;
- every member of staff: their profile (or how to get one linked) and the directory.
"""

from __future__ import annotations

from typing import Any

from portal.permissions import is_admin, is_hr, is_steering_group, is_training_coordinator
from portal.registry import Panel
from technicians import permissions, selectors


def _hr_context(request) -> dict[str, Any]:
    return {"hr": selectors.hr_dashboard()}


def _team_context(request) -> dict[str, Any]:
    return {"my_team": selectors.team_of(permissions.technician_of(request.user))}


def _profile_context(request) -> dict[str, Any]:
    user = request.user
    me = permissions.technician_of(user)
    # Who an account without a profile is: technical staff are linked by HR's staff list;
    # HR links profiles themselves; the other roles need none.
    other_role = is_steering_group(user) or is_training_coordinator(user) or is_admin(user)
    return {
        "me": me,
        "gaps": selectors.profile_gaps(me) if me else [],
        "links_profiles": is_hr(user),
        "needs_no_profile": other_role and not is_hr(user),
    }


PANELS = [
    Panel(
        name="technicians.hr",
        template="technicians/panels/hr.html",
        applies=is_hr,
        context=_hr_context,
        order=20,
    ),
    Panel(
        name="technicians.team",
        template="technicians/panels/team.html",
        applies=permissions.is_line_manager,
        context=_team_context,
        order=30,
    ),
    Panel(
        name="technicians.profile",
        template="technicians/panels/profile.html",
        applies=permissions.is_staff_member,
        context=_profile_context,
        order=200,
    ),
    Panel(
        name="technicians.directory",
        template="technicians/panels/directory.html",
        applies=permissions.is_staff_member,
        order=205,
    ),
]
