"""Dashboard panels of training (registered in TrainingConfig.ready()).

- technician: my next sessions, bookings waiting, and my days so far against the target;
- line manager: bookings waiting for my approval, and the team's days;
- training coordinator: registers to mark, this week's sessions with their fill and waiting
  lists.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from portal.registry import Panel
from training import permissions, selectors


def _technician_context(request) -> dict[str, Any]:
    me = permissions.technician_of(request.user)
    mine = selectors.training_at_a_glance(me)
    return {
        "mine": mine,
        "next_bookings": mine.upcoming[:3],
        "waiting": [b for b in mine.upcoming if b.status != "confirmed"][:3],
    }


def _manager_context(request) -> dict[str, Any]:
    me = permissions.technician_of(request.user)
    team = selectors.team_at_a_glance(me)
    return {
        "waiting": selectors.approvals_waiting_count(request.user, me),
        "team": team[:5],
        "team_size": len(team),
        "behind": sum(1 for member in team if not member.on_track),
    }


def _coordinator_context(request) -> dict[str, Any]:
    return selectors.coordinator_overview(timezone.now(), first=(5, 8, 5))


PANELS = [
    Panel(
        name="training.coordinator",
        template="training/panels/coordinator.html",
        applies=permissions.can_manage_catalogue,
        context=_coordinator_context,
        order=15,
    ),
    Panel(
        name="training.approvals",
        template="training/panels/manager.html",
        applies=permissions.can_view_team_training,
        context=_manager_context,
        order=22,
    ),
    Panel(
        name="training.mine",
        template="training/panels/mine.html",
        applies=permissions.can_log_training,
        context=_technician_context,
        order=55,
    ),
]
