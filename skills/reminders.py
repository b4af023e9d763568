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

from portal.services import absolute_url, queue_notification
from skills import risk as rules
from skills.models import TechnicianSkill
from technicians.models import Technician

KIND = "skills.review_due"


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
        subject = "Your skills are due for review"
        body = (
            f"Dear {technician.first_name},\n\n"
            f"{count} of the skill levels on your profile "
            f"{'has' if count == 1 else 'have'} not been confirmed for over "
            f"{rules.review_months()} months. Please check they are still right, and confirm "
            f"or change them: {url}\n\n"
            "Up-to-date skills let colleagues find who can help, and the university see where "
            "a skill rests on one person."
        )
        with transaction.atomic():
            key = f"technician:{technician.pk}:stale-since:{since}"
            if queue_notification(technician, KIND, key, subject, body, reminder_kind=KIND):
                queued += 1
    return queued
