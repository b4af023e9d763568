"""The "fund-calls" data version (portal.versions): moved on when a development fund call is
saved or deleted. The calls open today, on every member of staff's dashboard, are read once a
day and kept under it. Calls are written one row at a time (recognition.services, the admin),
so signals cover every write."""

from __future__ import annotations

from portal import versions

FUND_CALLS = "fund-calls"


def connect_signals() -> None:
    from recognition.models import FundCall

    versions.track(FUND_CALLS, FundCall)
