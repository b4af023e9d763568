"""The Commitment's dashboard panel for the steering group, HR and administrators: the next
stage and a countdown ("Stage 2 due 31 July 2027, in 7 months"). The same for all of them:
written once a day and kept under the "commitment" version (portal.dashboard); two queries
when it is written, the Commitment (compiled once) and its submissions."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from commitment import cycle, permissions, selectors, versions
from portal import registry


def _context(request: None) -> dict[str, Any]:
    commitment = selectors.the_commitment_with_submissions()
    if commitment is None:
        return {"commitment_panel": None}
    today = timezone.localdate()
    stage, due_on = cycle.next_due(commitment, today=today)
    submission = next((s for s in commitment.submissions.all() if s.stage == stage), None)
    return {
        "commitment_panel": {
            "stage": stage,
            "due_on": due_on,
            "countdown": cycle.countdown(due_on, today),
            "overdue": due_on < today,
            "submission": submission,
        }
    }


PANEL = registry.Panel(
    name="commitment.cycle",
    template="commitment/panel.html",
    applies=permissions.can_manage_commitment,
    context=_context,
    order=15,
    shared_by=(versions.COMMITMENT,),
)
