"""Who may do what with the Commitment and its reporting."""

from __future__ import annotations

from typing import Any

from portal.permissions import is_hr, is_staff_member, is_steering_group


def can_request_annual_report(user: Any) -> bool:
    """HR requests the annual report (and sees every version on /reports/)."""
    return is_hr(user)


def can_read_annual_report(user: Any) -> bool:
    """HR and the steering group download the report and read its figures and CSVs."""
    return is_hr(user) or is_steering_group(user)


def can_manage_commitment(user: Any) -> bool:
    """The steering group and HR run the Commitment: its record, the self-assessment, the
    peer-review feedback, the report's highlights and the KPI export."""
    return is_hr(user) or is_steering_group(user)


def can_approve_annual_report(user: Any) -> bool:
    """The steering chair named on the Commitment, while still a member of staff."""
    if not is_staff_member(user) or not getattr(user, "pk", None):
        return False
    from commitment.models import Commitment

    return Commitment.objects.filter(chair=user).exists()


def can_read_published_report(user: Any, report: Any) -> bool:
    """Anyone, signed in or not, reads the latest approved annual report (the public
    Commitment page links it); never a draft."""
    return bool(report is not None and report.approved_at and report.status == "ready")


CHECKS = {
    "request_annual_report": can_request_annual_report,
    "read_annual_report": can_read_annual_report,
    "manage_commitment": can_manage_commitment,
}
