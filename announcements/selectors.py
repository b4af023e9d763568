"""Reading announcements: the past ones (a page of the list) and those on a dashboard."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from announcements.models import Announcement
from technicians.models import Department

# How long an announcement shows on its audience's dashboard.
ON_DASHBOARD_FOR = datetime.timedelta(days=7)


def announcements():
    """Every announcement, newest first, with what the list shows (constant queries)."""
    return Announcement.objects.select_related("author").prefetch_related(
        Prefetch("departments", queryset=Department.objects.order_by("name"))
    )


def on_dashboard(technician, *, sees_all: bool = False, now=None) -> list[Announcement]:
    """Announcements of the last week for `technician`'s dashboard (None: someone not on the
    staff list sees those to everyone); `sees_all` (their writers) sees every one. Two queries:
    a week holds a handful, filtered here."""
    now = now or timezone.now()
    recent = announcements().filter(created__gt=now - ON_DASHBOARD_FOR, created__lte=now)
    return [a for a in recent if sees_all or a.reaches(technician)]


def faculties() -> list[str]:
    return sorted(set(Department.objects.exclude(faculty="").values_list("faculty", flat=True)))
