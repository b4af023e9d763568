"""The data versions of the development fund (portal.versions).

- "fund-calls" moves on when a call is saved or deleted: the calls open today, on every member
  of staff's dashboard, are read once a day and kept under it.
- "fund-applications" moves on when an application is saved or deleted: the claims to pay and
  the overdue reports, on the dashboard of everyone who runs the fund, are kept under it.

Calls and applications are written one row at a time (recognition.services, the admin), so
signals cover every write."""

from __future__ import annotations

from portal import versions

FUND_CALLS = "fund-calls"
FUND_APPLICATIONS = "fund-applications"


def connect_signals() -> None:
    from recognition.models import FundApplication, FundCall

    versions.track(FUND_CALLS, FundCall)
    versions.track(FUND_APPLICATIONS, FundApplication)
