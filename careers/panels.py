"""Dashboard panels of careers (registered in CareersConfig.ready()).

- technician: "My pathway: 3 of 5 expectations met for Band 4";
- mentor or mentee: the next meeting (or how long since the last), and a round open to apply;
- mentoring coordinator: rounds whose applications wait for matching.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from careers import permissions, selectors
from portal import registry
from portal.registry import Panel
from technicians.permissions import technician_of


def _pathway_context(request) -> dict[str, Any]:
    return {"summary": selectors.pathway_summary(technician_of(request.user))}


def _mentoring_context(request) -> dict[str, Any]:
    me = technician_of(request.user)
    today = timezone.localdate()
    # Most people are in no pair, which the user's own query said (careers.in_a_pair).
    in_a_pair = registry.known_fact(request.user, selectors.IN_A_PAIR.name)
    pairs = selectors.my_pairs(me, today) if in_a_pair is not False else []
    return {
        "pairs": pairs,
        "next_meeting": selectors.next_meeting(pairs),
        "open_rounds": selectors.open_rounds(today),
        "today": today,
    }


def _coordinator_context(request) -> dict[str, Any]:
    return {"waiting_rounds": selectors.rounds_waiting_for_matching()}


PANELS = [
    Panel(
        name="careers.coordinator",
        template="careers/panels/coordinator.html",
        applies=permissions.can_coordinate,
        context=_coordinator_context,
        order=35,
    ),
    Panel(
        name="careers.mentoring",
        template="careers/panels/mentoring.html",
        applies=permissions.has_pathway,
        context=_mentoring_context,
        order=65,
    ),
    Panel(
        name="careers.pathway",
        template="careers/panels/pathway.html",
        applies=permissions.has_pathway,
        context=_pathway_context,
        order=70,
    ),
]
