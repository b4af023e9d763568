"""Reminders derived from the data, by a periodic pass (DESIGN.md, "Background work").

A producer is a function `producer(today: datetime.date) -> int` that finds what is due on
`today` and queues notifications through `portal.services.queue_notification`, returning how
many it queued. The outbox's unique (kind, key, addressee) makes a second run the same day
harmless, so nothing is scheduled ahead with an ETA: each pass finds what is due.

Each app registers its producers with `portal.registry.register_reminder(name, producer)`
from its `AppConfig.ready()`. The Celery task `portal.tasks.send_reminders` (hourly, from the
beat schedule) and `manage.py send_reminders` both call `run_all`.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping

from django.utils import timezone

from portal import registry

logger = logging.getLogger(__name__)


def within_days(day: datetime.date, today: datetime.date, days: int) -> bool:
    """True from the first day `day` is at most `days` days ahead until `day` itself.

    Every "within N days" reminder uses this window, never "exactly N days before": a pass
    that did not run that day, or a record created 10 days before its date, is still
    reminded, once, by the first pass that sees it (the reminder's key makes it once)."""
    return today <= day <= today + datetime.timedelta(days=days)


class ReminderErrors(Exception):
    """One or more producers failed; the others ran. Carries the counts of those that ran."""

    def __init__(self, failures: dict[str, BaseException], counts: dict[str, int]):
        self.failures = failures
        self.counts = counts
        names = ", ".join(f"{name} ({error!r})" for name, error in failures.items())
        super().__init__(f"Reminder producers failed: {names}")


def run_all(
    today: datetime.date | None = None,
    producers: Mapping[str, registry.ReminderProducer] | None = None,
) -> dict[str, int]:
    """Run every producer for `today` (default: today in Europe/London).

    Returns {producer name: notifications queued}. A failing producer does not stop
    the others; after all of them ran, ReminderErrors is raised so the failure is seen
    (task failure, command exit status) and the next pass tries again.
    """
    today = today or timezone.localdate()
    counts: dict[str, int] = {}
    failures: dict[str, BaseException] = {}
    for name, producer in (registry.reminders() if producers is None else producers).items():
        try:
            counts[name] = int(producer(today) or 0)
        except Exception as error:
            logger.exception("Reminder producer %s failed", name)
            failures[name] = error
    logger.info("Reminders for %s: %s", today.isoformat(), counts)
    if failures:
        raise ReminderErrors(failures, counts)
    return counts
