"""Reminders of the development fund, derived from the data by the periodic pass (registered
with `portal.registry.register_reminder` in RecognitionConfig.ready()).

- "fund_report_week": an award whose report is due within 7 days (before the day), to the
  applicant. Once per due date.
- "fund_report_due": on the day the report is due (or the first pass after it), to the
  applicant. Once per due date.
- "fund_report_overdue": the day after, the award is flagged for HR (every HR member is told
  once per due date; the award shows on HR's fund page until a report comes or HR withdraws).
"""

from __future__ import annotations

import datetime

from django.db import transaction

from portal.periods import due_phrase
from portal.registry import ReminderKind
from portal.services import queue_notification
from recognition.models import FundApplication
from recognition.services._common import hr_users, link

WEEK = 7


def _due_awards():
    return FundApplication.objects.filter(
        status__in=FundApplication.REPORT_DUE, report_due_on__isnull=False
    ).select_related("applicant", "call")


# Each person chooses how these come (at once, in the weekly digest, or never): the settings
# page lists them and the one-click unsubscribe link can be undone there.
REMINDER_KINDS = (
    ReminderKind(
        "fund_report_week", "Development fund: your report is due within a week", order=65
    ),
    ReminderKind("fund_report_due", "Development fund: your report is due or late", order=66),
    ReminderKind("fund_report_overdue", "Development fund (HR): reports that are late", order=67),
)


def queue_report_reminders(today: datetime.date) -> int:
    queued = 0
    hr = None
    with transaction.atomic():
        for application in _due_awards().filter(
            report_due_on__lte=today + datetime.timedelta(days=WEEK)
        ):
            due = application.report_due_on
            url = link(application.get_absolute_url())
            when = due_phrase(due, today)
            kind = "fund_report_week" if today < due else "fund_report_due"
            subject = f"Your development fund report: {when}"
            body = (
                f"Your short report on {application.activity} ({application.call.title}) is "
                f"due on {due.strftime('%-d %B %Y')}: {when}. Write it on the application "
                f"page:\n\n{url}\n"
            )
            if queue_notification(
                application.applicant,
                kind,
                f"fund_report:{application.pk}:{due}",
                subject,
                body,
                reminder_kind=kind,
            ):
                queued += 1
            if today > due:
                hr = hr if hr is not None else hr_users()
                for user in hr:
                    if queue_notification(
                        user,
                        "fund_report_overdue",
                        f"fund_overdue:{application.pk}:{due}",
                        f"Overdue development fund report: {application.applicant.full_name}",
                        f"{application.applicant.full_name}'s report on {application.activity} "
                        f"was due on {due.strftime('%-d %B %Y')} ({when}). The award is "
                        f"flagged for you: withdraw it, with a reason, if it should be.\n\n{url}\n",
                        reminder_kind="fund_report_overdue",
                    ):
                        queued += 1
    return queued
