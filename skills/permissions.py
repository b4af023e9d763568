"""Who may do what in the skills matrix, reviews and shadowing.

`SkillsConfig.ready()` registers the named checks (CHECKS) for `{% can %}` and the
decorators. Who a person is, whom they manage and whose profile they may see are the
directory's rules (technicians.permissions).
"""

from __future__ import annotations

from typing import Any

from portal.permissions import is_hr, is_steering_group
from technicians.models import Technician
from technicians.permissions import (
    can_view_technician,
    is_own_profile,
    is_staff_member,
    manages,
    technician_of,
)

# --- the skills matrix, reviews and shadowing -------------------------------------------------


def can_view_skills(user: Any) -> bool:
    """The matrix and skill pages: counts are open to all staff (people by visibility)."""
    return is_staff_member(user)


def can_view_skill_demand(user: Any) -> bool:
    """The skills most wanted against the people able to teach them."""
    return is_steering_group(user) or is_hr(user)


def can_review_own_skills(user: Any) -> bool:
    """Confirm one's skills, mark skills to learn, ask for shadowing: a current technician."""
    me = technician_of(user)
    return bool(me and me.is_active and is_staff_member(user))


def can_validate_skill(user: Any, technician_skill: Any) -> bool:
    """Only the technician's line manager validates a level; nobody validates their own."""
    technician = technician_skill.technician
    return (
        technician.is_active and manages(user, technician) and not is_own_profile(user, technician)
    )


def can_ask_for_shadowing(user: Any, teacher: Technician) -> bool:
    """A current technician may ask a current colleague they can see (not themselves)."""
    me = technician_of(user)
    return bool(
        can_review_own_skills(user)
        and teacher.is_active
        and teacher.pk != me.pk
        and can_view_technician(user, teacher)
    )


def _is_party(user: Any, technician_id: int) -> bool:
    me = technician_of(user)
    return bool(me and me.is_active and is_staff_member(user) and me.pk == technician_id)


def can_decide_shadowing(user: Any, shadowing: Any) -> bool:
    """Accept or decline: the colleague who was asked."""
    return _is_party(user, shadowing.teacher_id)


def can_cancel_shadowing(user: Any, shadowing: Any) -> bool:
    """Withdraw a request: the learner who made it."""
    return _is_party(user, shadowing.learner_id)


def can_complete_shadowing(user: Any, shadowing: Any) -> bool:
    """Mark shadowing done: the learner or the teacher."""
    return _is_party(user, shadowing.learner_id) or _is_party(user, shadowing.teacher_id)


def can_edit_skill_needs(user: Any) -> bool:
    """Declare the skills a department or faculty needs: HR and the steering group."""
    return is_hr(user) or is_steering_group(user)


CHECKS = {
    "edit_skill_needs": can_edit_skill_needs,
    "view_skills": can_view_skills,
    "view_skill_demand": can_view_skill_demand,
    "review_own_skills": can_review_own_skills,
    "validate_skill": can_validate_skill,
    "ask_for_shadowing": can_ask_for_shadowing,
    "decide_shadowing": can_decide_shadowing,
    "cancel_shadowing": can_cancel_shadowing,
    "complete_shadowing": can_complete_shadowing,
}
