"""Who may do what with training: every rule of the training pages and services.

People rules (staff member, the technician of a user, line manager) come from the
technicians app; roles from portal.permissions.
"""

from __future__ import annotations

from typing import Any

from portal.permissions import is_hr, is_training_coordinator
from technicians.permissions import (
    is_line_manager,
    is_staff_member,
    manages,
    technician_of,
)

__all__ = ["is_line_manager", "is_staff_member", "manages", "technician_of"]


def can_view_training(user: Any) -> bool:
    """The catalogue, course pages and one's own training: every member of staff."""
    return is_staff_member(user)


def can_manage_catalogue(user: Any) -> bool:
    """Courses and sessions, waiting lists, registers and attendance."""
    return is_training_coordinator(user)


def is_own(user: Any, technician: Any) -> bool:
    me = technician_of(user)
    return bool(me is not None and me.pk == technician.pk and is_staff_member(user))


def can_book_for(user: Any, technician: Any) -> bool:
    """Oneself, one's team (line managers), anyone (coordinators). (The services refuse
    leavers with a reason.)"""
    if not is_staff_member(user):
        return False
    return is_own(user, technician) or manages(user, technician) or can_manage_catalogue(user)


def can_book_for_others(user: Any) -> bool:
    return is_line_manager(user) or can_manage_catalogue(user)


def booking_counts_as_approved(user: Any, technician: Any) -> bool:
    """A manager booking for their team, or a coordinator, needs no further approval."""
    return manages(user, technician) or can_manage_catalogue(user)


def can_cancel_booking(user: Any, booking: Any) -> bool:
    return is_staff_member(user) and (
        is_own(user, booking.technician)
        or manages(user, booking.technician)
        or can_manage_catalogue(user)
    )


def can_decide_booking(user: Any, booking: Any) -> bool:
    """Approve or decline a booking that needs approval: the line manager, or a coordinator
    (for technicians without a manager, or when the manager is away)."""
    return is_staff_member(user) and (
        manages(user, booking.technician) or can_manage_catalogue(user)
    )


def can_mark_attendance(user: Any, booking: Any = None) -> bool:
    return can_manage_catalogue(user)


def can_view_team_training(user: Any) -> bool:
    return is_line_manager(user)


def can_view_training_totals(user: Any) -> bool:
    """Totals by department and faculty, and the share on track: HR."""
    return is_hr(user)


def can_log_training(user: Any) -> bool:
    me = technician_of(user)
    return bool(me is not None and me.is_active and is_staff_member(user))


def can_view_record(user: Any, record: Any) -> bool:
    """A training record and its evidence: its technician, their manager, HR."""
    return is_staff_member(user) and (
        is_own(user, record.technician) or manages(user, record.technician) or is_hr(user)
    )


def can_delete_record(user: Any, record: Any) -> bool:
    """Days one logged oneself; records of attended sessions follow the attendance mark."""
    return record.booking_id is None and is_own(user, record.technician)


def can_import_training_records(user: Any) -> bool:
    """Training days kept elsewhere, imported into the ledger: HR and training coordinators."""
    return is_hr(user) or can_manage_catalogue(user)


def can_see_attendance_history(user: Any, technician: Any) -> bool:
    """No-shows and late cancellations: the coordinator and the line manager."""
    return can_manage_catalogue(user) or manages(user, technician)


CHECKS = {
    "view_training": can_view_training,
    "manage_training_catalogue": can_manage_catalogue,
    "book_training_for": can_book_for,
    "book_training_for_others": can_book_for_others,
    "cancel_training_booking": can_cancel_booking,
    "decide_training_booking": can_decide_booking,
    "mark_training_attendance": can_mark_attendance,
    "view_team_training": can_view_team_training,
    "view_training_totals": can_view_training_totals,
    "log_training": can_log_training,
    "view_training_record": can_view_record,
    "delete_training_record": can_delete_record,
    "import_training_records": can_import_training_records,
}
