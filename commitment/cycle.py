"""The Commitment's submission cycle (DESIGN.md, commitment).

- Submissions fall due in the host's windows, `COMMITMENT_SUBMISSION_WINDOWS` ("MM-DD" each,
  default 31 January and 31 July).
- Stage 1 falls in the first window at least `COMMITMENT_FIRST_AFTER_MONTHS` (12) after the
  announcement; "at least" includes the boundary: a window exactly 12 months after is stage 1's.
- Each later stage falls in the first window at least `COMMITMENT_CYCLE_MONTHS` (36) after the
  window the previous stage was due in, after any extension.
- One extension a stage moves it to the next window.

A stage's recorded `Submission.due_on` is its due date now (extension included); a stage with
no row yet is computed from the one before.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

from django.conf import settings

DEFAULT_WINDOWS = ("01-31", "07-31")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), kept within the month (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def windows() -> list[tuple[int, int]]:
    """The windows as (month, day), in calendar order."""
    found = []
    for text in getattr(settings, "COMMITMENT_SUBMISSION_WINDOWS", DEFAULT_WINDOWS):
        month, day = (int(part) for part in str(text).split("-"))
        found.append((month, day))
    return sorted(set(found))


def _window_in(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def window_on_or_after(day: datetime.date) -> datetime.date:
    """The first submission window on or after `day`."""
    for year in (day.year, day.year + 1):
        for month, dom in windows():
            candidate = _window_in(year, month, dom)
            if candidate >= day:
                return candidate
    raise ValueError("No submission window is configured.")


def window_after(day: datetime.date) -> datetime.date:
    """The first window strictly after `day` (where an extension moves a stage)."""
    return window_on_or_after(day + datetime.timedelta(days=1))


def first_after_months() -> int:
    return int(getattr(settings, "COMMITMENT_FIRST_AFTER_MONTHS", 12))


def cycle_months() -> int:
    return int(getattr(settings, "COMMITMENT_CYCLE_MONTHS", 36))


def computed_due(stage: int, *, announced_on: datetime.date, previous_due: datetime.date | None):
    """A stage's due date from the rules alone (no extension of its own)."""
    if stage == 1 or previous_due is None:
        return window_on_or_after(add_months(announced_on, first_after_months()))
    return window_on_or_after(add_months(previous_due, cycle_months()))


def due_dates(
    commitment, submissions: Iterable | None = None, *, up_to: int
) -> dict[int, datetime.date]:
    """Stage -> due date for stages 1..up_to: a recorded submission's `due_on`, else computed
    from the stage before."""
    if submissions is None:
        submissions = commitment.submissions.all()
    recorded = {submission.stage: submission.due_on for submission in submissions}
    found: dict[int, datetime.date] = {}
    previous = None
    for stage in range(1, up_to + 1):
        due = recorded.get(stage) or computed_due(
            stage, announced_on=commitment.announced_on, previous_due=previous
        )
        found[stage] = due
        previous = due
    return found


DONE = ("submitted", "reviewed")


def next_due(commitment, *, today: datetime.date) -> tuple[int, datetime.date]:
    """(stage, due date) of the first stage not yet submitted; the date is in the past when
    the stage is overdue. `today` is the day asked about (kept for callers and tests; the
    rules do not move with it)."""
    submissions = list(commitment.submissions.all())
    done = {submission.stage for submission in submissions if submission.status in DONE}
    stage = 1
    while stage in done:
        stage += 1
    return stage, due_dates(commitment, submissions, up_to=stage)[stage]


def countdown(due_on: datetime.date, today: datetime.date) -> str:
    """ "in 7 months", "in 3 weeks", "in 5 days", "today", "overdue by 12 days"."""
    days = (due_on - today).days
    if days < 0:
        late = -days
        return f"overdue by {late} day{'s' if late != 1 else ''}"
    if days == 0:
        return "today"
    months = (due_on.year - today.year) * 12 + due_on.month - today.month
    if add_months(today, months) > due_on:
        months -= 1
    if months >= 2:
        return f"in {months} months"
    if days >= 14:
        weeks = days // 7
        return f"in {weeks} weeks"
    return f"in {days} day{'s' if days != 1 else ''}"
