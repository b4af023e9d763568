"""Who may do what with the Commitment's reporting."""

from __future__ import annotations

from typing import Any

from portal.permissions import is_hr, is_steering_group


def can_request_annual_report(user: Any) -> bool:
    """HR requests the annual report (and sees every version on /reports/)."""
    return is_hr(user)


def can_read_annual_report(user: Any) -> bool:
    """HR and the steering group download the report and read its figures and CSVs."""
    return is_hr(user) or is_steering_group(user)


CHECKS = {
    "request_annual_report": can_request_annual_report,
    "read_annual_report": can_read_annual_report,
}
