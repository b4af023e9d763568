"""Dashboard panels of the technician voice (registered in VoiceConfig.ready()).

- steering group and HR: surveys open now, with their response rates;
- technician: their development reports, and the team's shared ones for a line manager.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from portal.registry import Panel
from technicians.permissions import technician_of
from voice import permissions, selectors


def _managers_context(request) -> dict[str, Any]:
    today = timezone.localdate()
    surveys = list(
        selectors.surveys_for_managers().filter(closes_on__gte=today - datetime.timedelta(days=30))[
            :5
        ]
    )
    return {"surveys": surveys, "today": today}


def _mine_context(request) -> dict[str, Any]:
    me = technician_of(request.user)
    return {"reports": list(selectors.my_reports(me)[:3])}


def _has_reports(user) -> bool:
    me = technician_of(user)
    return bool(
        me is not None
        and permissions.can_see_my_reports(user)
        and selectors.my_reports(me).exists()
    )


PANELS = [
    Panel(
        name="voice.surveys",
        template="voice/panels/surveys.html",
        applies=permissions.can_manage_surveys,
        context=_managers_context,
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
