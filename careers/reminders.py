"""Mentoring reminders (registered in CareersConfig.ready()), derived from the data by the
periodic pass, each once:

- a published pair with no meeting logged for six weeks (since the pairing started or the last
  meeting) is reminded, both people, once for that silence;
- when a pairing ends, and six months later, both people are asked for their evaluation.

Both are kinds of reminder (`REMINDER_KINDS`) that each person may have at once, in a weekly
digest or never.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Max

from careers.models import MentoringEvaluation, MentoringPair
from careers.services import add_months
from portal.registry import ReminderKind
from portal.services import queue_notification

NO_MEETING = "careers.no_meeting"
EVALUATION = "careers.evaluation"
# Each person chooses at once, a weekly digest or never for each (the notification settings).
REMINDER_KINDS = (
    ReminderKind(NO_MEETING, "Mentoring: no meeting logged for six weeks", order=60),
    ReminderKind(EVALUATION, "Mentoring: evaluations at the end and six months later", order=61),
)


def silence_days() -> int:
    return int(getattr(settings, "CAREERS_MEETING_REMINDER_DAYS", 42))


def _link(pair: MentoringPair) -> str:
    return settings.SITE_URL.rstrip("/") + pair.get_absolute_url()


def queue_mentoring_reminders(today: datetime.date) -> int:
    queued = 0
    pairs = (
        MentoringPair.objects.filter(status=MentoringPair.Status.ACTIVE, starts_on__lte=today)
        .select_related("mentor", "mentee", "round__scheme")
        .annotate(last_met=Max("meetings__date"))
    )
    for pair in pairs:
        people = ((pair.mentor, pair.mentee), (pair.mentee, pair.mentor))
        # No meeting for six weeks, while the pairing runs.
        since = max(filter(None, [pair.starts_on, pair.last_met]))
        if pair.ends_on and today <= pair.ends_on and (today - since).days >= silence_days():
            for person, other in people:
                queued += bool(
                    queue_notification(
                        person,
                        NO_MEETING,
                        f"{pair.pk}:{since.isoformat()}:{person.pk}",
                        f"Mentoring: no meeting with {other.full_name} for six weeks",
                        f"No meeting of your mentoring pair with {other.full_name} has been "
                        f"logged since {since:%-d %B %Y}. Arrange the next one and log it at "
                        f"{_link(pair)}",
                        reminder_kind=NO_MEETING,
                    )
                )
        # Evaluations: at the end and six months later.
        for stage, due in (
            (MentoringEvaluation.Stage.END, pair.ends_on),
            (MentoringEvaluation.Stage.FOLLOW_UP, pair.ends_on and add_months(pair.ends_on, 6)),
        ):
            if due is None or today < due:
                continue
            for person, other in people:
                queued += bool(
                    queue_notification(
                        person,
                        EVALUATION,
                        f"{pair.pk}:{stage}:{person.pk}",
                        "Mentoring: a short evaluation",
                        f"Your mentoring with {other.full_name} "
                        f"{'has ended' if stage == 'end' else 'ended six months ago'}. Please "
                        f"answer two short questions: {_link(pair)}evaluation/{stage}/",
                        reminder_kind=EVALUATION,
                    )
                )
    return queued
