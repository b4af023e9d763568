"""Reminders to action owners, derived from the data by the periodic reminder pass
(portal/reminders.py calls `queue_action_reminders` with the local date).

For every unfinished action of a published plan that has an owner (with an active account, and
not marked as having left on HR's staff list):
- "action_due_soon" once, the first time the pass sees the action due within
  `DUE_SOON_REMINDER_DAYS` days (today included), so an action created 10 days before its due
  date, or a day the pass did not run, still gets it;
- "action_overdue" once its due date has passed.
Both keys include the due date, so a new due date reminds again, once. The outbox's unique
(kind, key, addressee) makes every re-run harmless.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils.dateformat import format as format_date

from actionplan.models import Action, ActionPlan
from portal.periods import in_days
from portal.reminders import within_days
from portal.services import queue_notification

DUE_SOON_REMINDER_DAYS = 14
DUE_SOON = "action_due_soon"
OVERDUE = "action_overdue"
# The kind of reminder both are, for the owner's preferences (at once, weekly digest, never).
REMINDER_KIND = "action_reminders"


def action_link(action: Action) -> str:
    return settings.SITE_URL.rstrip("/") + action.get_absolute_url()


def _body(action: Action, opening: str) -> str:
    return (
        f"{opening}\n\n"
        f"{action.ref} {action.title}\n"
        f"Plan: {action.plan.title}\n"
        f"Due: {format_date(action.due_on, 'j F Y')}\n"
        f"Progress: {action.progress} % ({action.get_status_display().lower()})\n\n"
        f"Please post a progress update, with evidence if you have it:\n{action_link(action)}\n"
    )


def queue_action_reminders(today: datetime.date) -> int:
    """Queue the due-soon and overdue reminders of `today`; returns how many were queued."""
    due_soon_on = today + datetime.timedelta(days=DUE_SOON_REMINDER_DAYS)
    actions = (
        Action.objects.filter(
            plan__status=ActionPlan.Status.PUBLISHED,
            owner__isnull=False,
            owner__is_active=True,
        )
        .exclude(status=Action.Status.COMPLETE)
        .exclude(owner__technician__is_active=False)  # left, by HR's staff list
        .filter(due_on__lte=due_soon_on)
        .select_related("owner", "plan")
        .order_by("due_on", "pk")
    )
    queued = 0
    for action in actions:
        if within_days(action.due_on, today, DUE_SOON_REMINDER_DAYS):
            kind = DUE_SOON
            days = (action.due_on - today).days
            when = in_days(days)
            subject = f"Action {action.ref} is due {when}"
            opening = (
                f"An action you own is due on {format_date(action.due_on, 'l j F Y')}, {when}."
            )
            key = f"action:{action.pk}:due:{action.due_on.isoformat()}"
        elif action.due_on < today:
            kind = OVERDUE
            subject = f"Action {action.ref} is overdue"
            opening = (
                f"An action you own was due on {format_date(action.due_on, 'l j F Y')} and is "
                "not complete yet."
            )
            key = f"action:{action.pk}:overdue:{action.due_on.isoformat()}"
        with transaction.atomic():
            # To the owner's staff-list address when the account is linked to a technician.
            if queue_notification(
                action.owner,
                kind,
                key,
                subject,
                _body(action, opening),
                reminder_kind=REMINDER_KIND,
            ):
                queued += 1
    return queued
