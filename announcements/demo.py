"""Demo announcements (deterministic, idempotent): a few weeks of news, already sent."""

from __future__ import annotations

import datetime

from django.utils import timezone

from announcements.models import Announcement
from technicians.models import Technician

ITEMS = [
    (
        2,
        "Technician Commitment: this year's self-assessment is under way",
        "The steering group has started the self-assessment for our next submission. Tell us "
        "what has changed for you: the survey is open until the end of the month.\n\n"
        "The action plan and its progress: {site}/action-plans/",
    ),
    (
        20,
        "New training sessions for the spring term",
        "The training coordinators have added sessions of the most asked-for courses, "
        "including COSHH risk assessment and fire safety. Book from the catalogue: "
        "{site}/training/",
    ),
]


def seed_demo(*, technicians: int = 0, stdout=None) -> None:
    from portal.services import absolute_url

    site = absolute_url("/").rstrip("/")
    now = timezone.now()
    for days_ago, title, body in ITEMS:
        Announcement.objects.get_or_create(
            title=title,
            defaults={
                "body": body.format(site=site),
                "created": now - datetime.timedelta(days=days_ago),
                "status": Announcement.Status.SENT,
                "finished_at": now - datetime.timedelta(days=days_ago),
                "recipients": Technician.objects.filter(is_active=True).count(),
            },
        )
    if stdout is not None:
        stdout.write(f"Announcements: {Announcement.objects.count()}\n")
