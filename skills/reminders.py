"""The yearly skill review reminder (registered in TechniciansConfig.ready()).

A technician whose ratings have gone stale (unconfirmed for over SKILLS_REVIEW_MONTHS) is
asked once to review them. The outbox key names the oldest stale confirmation, so re-runs
tell nobody twice; once they confirm, the next time their ratings go stale is a new reminder.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import ngettext

from portal.registry import ReminderKind
from portal.services import absolute_url, queue_notification
from skills import risk as rules
from skills.models import TechnicianSkill
from technicians.models import Technician

KIND = "skills.review_due"
REMINDER = ReminderKind(KIND, "Skills: your skill levels are due for review", order=40)


def review_wording(count: int) -> tuple[str, str]:
    """The reminder's subject and the start of its first sentence, right in the singular and
    the plural: ("1 of your skills is due for review", "1 of the skill levels on your profile
    has")."""
    subject = ngettext(
        "%(count)d of your skills is due for review",
        "%(count)d of your skills are due for review",
        count,
    ) % {"count": count}
    opening = ngettext(
        "%(count)d of the skill levels on your profile has",
        "%(count)d of the skill levels on your profile have",
        count,
    ) % {"count": count}
    return subject, opening


def queue_skill_review_reminders(today: datetime.date) -> int:
    """Ask each current technician with stale ratings to review them; returns how many
    reminders were queued (none for those already asked about the same ratings)."""
    stale = (
        TechnicianSkill.objects.filter(
            rules.stale_filter(today),
            technician__is_active=True,
        )
        .values("technician_id")
        .order_by("technician_id")
        .annotate(
            count=Count("pk"),
            never=Count("pk", filter=Q(confirmed_on__isnull=True)),
            oldest=Min("confirmed_on"),
        )
    )
    by_technician = {row["technician_id"]: row for row in stale}
    if not by_technician:
        return 0
    technicians = Technician.objects.filter(pk__in=list(by_technician))
    queued = 0
    url = absolute_url(reverse("technicians:skills_review"))
    for technician in technicians:
        row = by_technician[technician.pk]
        since = "never" if row["never"] else row["oldest"].isoformat()
        count = row["count"]
        subject, opening = review_wording(count)
        body = (
            f"Dear {technician.first_name},\n\n"
            f"{opening} not been confirmed for over {rules.review_months()} months. Please check "
            f"{ngettext('it is', 'they are', count)} still right, and confirm or change "
            f"{ngettext('it', 'them', count)}: {url}\n\n"
            "Up-to-date skills let colleagues find who can help, and the university see where "
            "a skill rests on one person."
        )
        with transaction.atomic():
            key = f"technician:{technician.pk}:stale-since:{since}"
            if queue_notification(technician, KIND, key, subject, body, reminder_kind=KIND):
                queued += 1
    return queued
