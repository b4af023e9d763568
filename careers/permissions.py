"""Who may see and do what in careers: pathways and mentoring.

- Staff read the pathways and see their own pathway; the line manager sees their team's; HR
  sees everyone's and the promotion pipeline, and overrides bands with a reason.
- HR and the steering group edit pathways (and import or export them).
- The evidence pack: only the person, their line manager and HR.
- Mentoring coordinators (the `Mentoring coordinator` group, and the training coordinator)
  run schemes, rounds, matching and publishing, and read applicants' preferences.
- A pair's page, its meetings and their private notes: only the two of them.

The role lives here, not in the kernel's list: `portal.roles` is a fixed list that its own
data migration creates; careers' migration creates this group.
"""

from __future__ import annotations

from typing import Any

from portal.permissions import has_role, is_hr, is_steering_group, is_training_coordinator
from technicians.permissions import is_line_manager, is_staff_member, manages, technician_of

MENTORING_COORDINATOR = "Mentoring coordinator"


def is_mentoring_coordinator(user: Any) -> bool:
    return has_role(user, MENTORING_COORDINATOR) or is_training_coordinator(user)


def can_use_careers(user: Any) -> bool:
    return is_staff_member(user)


def has_pathway(user: Any) -> bool:
    """On the staff list (a technician of ours, not a leaver)."""
    me = technician_of(user)
    return bool(is_staff_member(user) and me is not None and me.is_active)


def can_edit_pathways(user: Any) -> bool:
    return is_hr(user) or is_steering_group(user)


def can_see_pipeline(user: Any) -> bool:
    return is_hr(user)


def can_override_band(user: Any) -> bool:
    return is_hr(user)


def can_see_team(user: Any) -> bool:
    return is_line_manager(user)


def is_self(user: Any, technician) -> bool:
    me = technician_of(user)
    return bool(me is not None and me.is_active and me.pk == technician.pk)


def can_view_pathway_of(user: Any, technician) -> bool:
    """A person's place on their pathway and their evidence pack: the person, their line
    manager and HR."""
    if not is_staff_member(user):
        return False
    return is_self(user, technician) or manages(user, technician) or is_hr(user)


can_download_evidence_pack = can_view_pathway_of


def can_see_succession(user: Any) -> bool:
    return is_hr(user) or is_steering_group(user) or is_mentoring_coordinator(user)


def can_apply_for_mentoring(user: Any) -> bool:
    return has_pathway(user)


def can_coordinate(user: Any) -> bool:
    return is_mentoring_coordinator(user)


def is_in_pair(user: Any, pair) -> bool:
    me = technician_of(user)
    return bool(
        is_staff_member(user) and me is not None and me.pk in (pair.mentor_id, pair.mentee_id)
    )


def can_view_pair(user: Any, pair) -> bool:
    """The pair's page and its meeting notes: the two of them, once published."""
    return is_in_pair(user, pair) and pair.status == pair.Status.ACTIVE


CHECKS = {
    "careers_coordinator": can_coordinate,
    "careers_edit_pathways": can_edit_pathways,
    "careers_pipeline": can_see_pipeline,
}
