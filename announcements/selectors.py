"""Reading announcements: the past ones (a page of the list) and those on a dashboard."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.template.defaultfilters import linebreaks_filter as linebreaks
from django.template.defaultfilters import truncatewords, urlize
from django.utils import timezone

from announcements.models import Announcement
from announcements.versions import ANNOUNCEMENTS
from portal import versions
from technicians.models import Department
from technicians.versions import PEOPLE

# How long an announcement shows on its audience's dashboard.
ON_DASHBOARD_FOR = datetime.timedelta(days=7)


def with_audience():
    """Announcements, newest first, with their departments by name (the audience)."""
    return Announcement.objects.prefetch_related(
        Prefetch("departments", queryset=Department.objects.order_by("name"))
    )


def announcements():
    """Every announcement, newest first, with what the list shows (constant queries)."""
    return with_audience().select_related("author")


def on_dashboard(technician, *, sees_all: bool = False, now=None) -> list[Announcement]:
    """Announcements of the last week for `technician`'s dashboard (None: someone not on the
    staff list sees those to everyone); `sees_all` (their writers) sees every one. A week
    holds a handful, filtered here from those of the last eight days, which are the same for
    everyone: read once a day and kept under the announcements' version (portal.versions)."""
    now = now or timezone.now()
    since = now - ON_DASHBOARD_FOR
    return [
        announcement
        for announcement in _recent(timezone.localdate(now))
        if since < announcement.created <= now and (sees_all or announcement.reaches(technician))
    ]


def _recent(today: datetime.date) -> list[Announcement]:
    """The announcements created since the start of the day eight days before `today` (more
    than any week ending on `today` holds), with their departments."""
    start = timezone.make_aware(
        datetime.datetime.combine(
            today - ON_DASHBOARD_FOR - datetime.timedelta(days=1), datetime.time()
        )
    )
    return versions.cached(
        f"announcements:recent:{today.isoformat()}",
        depends_on=[ANNOUNCEMENTS, PEOPLE],
        compute=lambda: with_summaries(list(with_audience().filter(created__gte=start))),
    )


SUMMARY_WORDS = 50


def with_summaries(announcements: list[Announcement]) -> list[Announcement]:
    """Each announcement with `summary_html`: what the dashboard shows of its body (its first
    fifty words, links made live, paragraphs kept), as `{{ body|truncatewords:50|urlize|
    linebreaks }}` writes it. Written once with the list every dashboard shares (`urlize` is
    most of the panel's time), not once a viewer."""
    for announcement in announcements:
        announcement.summary_html = linebreaks(
            urlize(truncatewords(announcement.body, SUMMARY_WORDS), autoescape=True),
            autoescape=True,
        )
    return announcements


def faculties() -> list[str]:
    return sorted(set(Department.objects.exclude(faculty="").values_list("faculty", flat=True)))
