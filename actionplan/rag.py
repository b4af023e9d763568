"""Red / Amber / Green: how an action is doing, derived from its status, progress and due date.

RAG is never stored. Every threshold lives here, in one place, and both the Python rule
(`rag_for`) and its database twin (`rag_q`, for filtering lists) read them:

- Complete: the action's status is complete (even if it finished after its due date).
- Red: the action is blocked, or its due date has passed (due yesterday or earlier).
- Amber: due within the next `DUE_SOON_DAYS` days (today included) with progress under
  `ON_TRACK_PROGRESS` per cent.
- Green: everything else.

"Today" is the local date in the portal's time zone (Europe/London): `timezone.localdate()`.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

# An action due within this many days (today + 30 included, today + 31 not) is "due soon".
DUE_SOON_DAYS = 30
# A due-soon action with at least this much progress (per cent) is still on track: Green.
ON_TRACK_PROGRESS = 75


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"

    @property
    def meaning(self) -> str:
        return RAG_MEANINGS[self]


# What each rating means, for people (shown beside the colour, never the colour alone).
RAG_MEANINGS = {
    Rag.RED: "blocked or past its due date",
    Rag.AMBER: f"due within {DUE_SOON_DAYS} days and under {ON_TRACK_PROGRESS} % done",
    Rag.GREEN: "on track",
    Rag.COMPLETE: "done",
}

# Status values (kept as strings so this module needs no model import).
COMPLETE = "complete"
BLOCKED = "blocked"


def today() -> datetime.date:
    return timezone.localdate()


def rag_for(
    status: str, progress: int, due_on: datetime.date | None, on: datetime.date | None = None
) -> Rag:
    """The RAG rating of an action with this status, progress and due date, on day `on`."""
    on = on or today()
    if status == COMPLETE:
        return Rag.COMPLETE
    if status == BLOCKED:
        return Rag.RED
    if due_on is None:
        return Rag.GREEN
    if due_on < on:
        return Rag.RED
    if due_on <= on + datetime.timedelta(days=DUE_SOON_DAYS) and progress < ON_TRACK_PROGRESS:
        return Rag.AMBER
    return Rag.GREEN


def rag_q(rag: str, on: datetime.date | None = None) -> Q:
    """A filter on Action selecting the actions whose `rag_for` is `rag` on day `on`."""
    on = on or today()
    soon = on + datetime.timedelta(days=DUE_SOON_DAYS)
    complete = Q(status=COMPLETE)
    red = Q(status=BLOCKED) | Q(due_on__lt=on)
    amber = Q(due_on__gte=on, due_on__lte=soon, progress__lt=ON_TRACK_PROGRESS)
    if rag == Rag.COMPLETE:
        return complete
    if rag == Rag.RED:
        return ~complete & red
    if rag == Rag.AMBER:
        return ~complete & ~Q(status=BLOCKED) & amber
    if rag == Rag.GREEN:
        return (
            ~complete & ~Q(status=BLOCKED) & (Q(due_on__isnull=True) | (Q(due_on__gte=on) & ~amber))
        )
    raise ValueError(f"Unknown RAG rating: {rag!r}")


# The order of "attention first": overdue, then Red, Amber, Green, complete last.
_ATTENTION = {Rag.RED: 1, Rag.AMBER: 2, Rag.GREEN: 3, Rag.COMPLETE: 4}


def attention_rank(
    status: str, progress: int, due_on: datetime.date | None, on: datetime.date
) -> int:
    """An action's place in "attention first" on day `on` (0 first): what the plan page's
    `attention_first` works out in the database, for actions already read."""
    if status != COMPLETE and due_on is not None and due_on < on:
        return 0
    return _ATTENTION[rag_for(status, progress, due_on, on)]
