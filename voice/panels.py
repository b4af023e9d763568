"""Dashboard panels of the technician voice (registered in VoiceConfig.ready()).

- steering group and HR: surveys open now, with their response rates;
- technician: their development reports, and the team's shared ones for a line manager.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from portal.prepared import PreparedQuery
from portal.registry import Panel
from technicians.permissions import technician_of
from voice import permissions, selectors
from voice.versions import SURVEYS


def _managers_context(request: None) -> dict[str, Any]:
    """The five newest surveys open or closed within thirty days, with how many were invited
    and have answered: the same for the whole steering group, HR and administrators, so
    written once a day (portal.dashboard) and kept under the surveys' version
    (voice.versions); the day decides what is recent."""
    today = timezone.localdate()
    closed_since = today - datetime.timedelta(days=30)
    return {"surveys": _RECENT_SURVEYS.list(closed_since=closed_since), "today": today}


# Compiled once (portal.prepared): counted again whenever a survey or an invitation changes.
_RECENT_SURVEYS = PreparedQuery(
    lambda closed_since: selectors.surveys_for_managers().filter(closes_on__gte=closed_since)[:5]
)


PANEL_REPORTS = 3
# Compiled once (portal.prepared): every technician's dashboard asks it.
_LATEST_REPORTS = PreparedQuery(lambda technician: selectors.my_reports(technician)[:PANEL_REPORTS])


def _latest_reports(user) -> list:
    """The person's three latest reports, read once a request (the panel's test and its
    content both need them): kept on the user object, which lives for one request."""
    if not hasattr(user, "_voice_latest_reports"):
        me = technician_of(user)
        reports = []
        if me is not None and permissions.can_see_my_reports(user):
            reports = _LATEST_REPORTS.list(technician=me.pk)
        user._voice_latest_reports = reports
    return user._voice_latest_reports


def _mine_context(request) -> dict[str, Any]:
    return {"reports": _latest_reports(request.user)}


def _has_reports(user) -> bool:
    return bool(_latest_reports(user))


PANELS = [
    Panel(
        name="voice.surveys",
        template="voice/panels/surveys.html",
        applies=permissions.can_manage_surveys,
        context=_managers_context,
        shared_by=(SURVEYS,),
        order=90,
    ),
    Panel(
        name="voice.mine",
        template="voice/panels/mine.html",
        applies=_has_reports,
        context=_mine_context,
        order=95,
    ),
]
