"""Who may do what with the technician voice.

- The steering group and HR run surveys and read their results (aggregates only).
- Anyone holding an invitation's link answers it, signed in or not: the token is the key.
- A person reads their own development report; their line manager reads it once they share it.
"""

from __future__ import annotations

from typing import Any

from portal.permissions import is_hr, is_steering_group
from technicians.permissions import is_staff_member, manages, technician_of


def can_manage_surveys(user: Any) -> bool:
    return is_steering_group(user) or is_hr(user)


def owns_response(user: Any, response) -> bool:
    me = technician_of(user)
    return bool(me is not None and response.technician_id == me.pk and not response.anonymous)


def can_read_report(user: Any, response) -> bool:
    """The person it is about, and their line manager once shared. Never anonymous answers."""
    if response.anonymous or response.technician_id is None or not is_staff_member(user):
        return False
    if owns_response(user, response):
        return True
    return bool(response.shared_with_manager and manages(user, response.technician))


def can_see_my_reports(user: Any) -> bool:
    return technician_of(user) is not None and is_staff_member(user)


CHECKS = {"manage_surveys": can_manage_surveys}
