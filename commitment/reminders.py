"""Reminders of the next submission, to the Commitment's named lead (through the outbox).

Four windows before the due date: 6 months, 3 months, 1 month and 1 week. Each fires once,
the first time the periodic pass sees the date inside it; when a pass first sees a date
inside several windows (the pass did not run, or the Commitment was entered late), only the
nearest is sent. The key holds the stage and its due date, so an extension reminds again.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.dateformat import format as format_date

from commitment import cycle, selectors
from portal.registry import ReminderKind
from portal.services import queue_notification

KIND = "commitment_submission_due"
# A reminder like any other: the lead chooses at once, a weekly digest or never, and each
# e-mail carries the one-click unsubscribe for it.
REMINDER = ReminderKind(
    KIND, "Commitment: the next submission is due (to its named lead)", order=85
)

# (name, the first day of the window for a due date), nearest last.
WINDOWS = (
    ("6-months", lambda due: cycle.add_months(due, -6)),
    ("3-months", lambda due: cycle.add_months(due, -3)),
    ("1-month", lambda due: cycle.add_months(due, -1)),
    ("1-week", lambda due: due - datetime.timedelta(days=7)),
)


def window_for(due_on: datetime.date, today: datetime.date) -> str | None:
    """The nearest reminder window `today` falls in before `due_on`, or None."""
    if today > due_on:
        return None
    found = None
    for name, opens in WINDOWS:
        if opens(due_on) <= today:
            found = name
    return found


def queue_submission_reminders(today: datetime.date) -> int:
    commitment = selectors.the_commitment()
    if commitment is None or commitment.lead is None or not commitment.lead.is_active:
        return 0
    stage, due_on = cycle.next_due(commitment, today=today)
    window = window_for(due_on, today)
    if window is None:
        return 0
    when = cycle.countdown(due_on, today)
    link = settings.SITE_URL.rstrip("/") + reverse("commitment:self_assessments")
    notification = queue_notification(
        commitment.lead,
        KIND,
        f"stage:{stage}:{due_on.isoformat()}:{window}",
        f"Technician Commitment stage {stage} is due {when}",
        f"The stage {stage} self-assessment and action plan is due on "
        f"{format_date(due_on, 'j F Y')}, {when}.\n\n"
        f"The self-assessment workspace: {link}\n",
        reminder_kind=KIND,
    )
    return 1 if notification else 0
