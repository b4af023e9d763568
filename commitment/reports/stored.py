"""HR's figures page, worked out once and read by everyone: the report document of a year is
the same for every reader and costs about a second at 12,500 technicians, so the worker builds
it (`refresh_all_figures`, every quarter of an hour, and `request_refresh` when a reader finds
it older than `FRESH_FOR` or HR asks) and each request reads one row. The page says when it was
worked out. With no broker (`make run`) a queued refresh runs at once, in the request.
"""

from __future__ import annotations

from datetime import timedelta

from celery import current_app
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from commitment.models import StoredFigures
from commitment.reports import document as report_document
from commitment.reports import selectors
from portal.periods import academic_year_label
from portal.prepared import PreparedQuery

FRESH_FOR = timedelta(minutes=15)
# Found by name in the Celery app (commitment.tasks imports this module, not the reverse).
REFRESH_TASK = "commitment.tasks.refresh_figures"


def offered_years() -> list[tuple[int, str]]:
    """The years the figures page offers: those with data, or the last complete one."""
    years = selectors.years_with_data()
    if years:
        return years
    year = selectors.current_year() - 1
    return [(year, academic_year_label(year))]


# The dashboard panel shows this many headline figures of each pillar.
HEADLINES_PER_PILLAR = 2


def headlines_of_figures(figures) -> list[list[str]]:
    """[pillar, label, text] of a report's headline figures (`commitment.kpis`, as its summary
    gives them, in the catalogue's order): the first two of each pillar."""
    shown: dict[str, int] = {}
    found = []
    for figure in figures:
        shown[figure.kpi.pillar] = shown.get(figure.kpi.pillar, 0) + 1
        if shown[figure.kpi.pillar] <= HEADLINES_PER_PILLAR:
            found.append([figure.pillar_label, figure.label, figure.text])
    return found


def refresh_figures(*, year: int) -> StoredFigures:
    """Work out the figures page of `year` and its headline figures now and store them (built
    outside any transaction: readers keep the previous ones meanwhile)."""
    document = report_document.build(year, with_charts=True)
    html = render_to_string(
        "commitment/reports/_figures_document.html", {"document": document, "year": year}
    )
    years = [[value, label] for value, label in offered_years()]
    stored, _created = StoredFigures.objects.update_or_create(
        year=year,
        defaults={
            "html": html,
            "years": years,
            "headlines": headlines_of_figures(document.figures),
            "computed_at": timezone.now(),
            "refresh_queued_at": None,
        },
    )
    return stored


def refresh_all_figures() -> list[int]:
    """The periodic pass: every year a reader can open, newest first."""
    refreshed = []
    for year, _label in offered_years():
        refresh_figures(year=year)
        refreshed.append(year)
    return refreshed


def request_refresh(*, year: int, force: bool = False) -> bool:
    """Queue one refresh of `year` (False: one is queued already, unless `force`). The
    conditional UPDATE makes many readers of a stale page queue a single task."""
    now = timezone.now()
    pending = StoredFigures.objects.filter(year=year)
    if not force:
        pending = pending.filter(
            Q(refresh_queued_at__isnull=True) | Q(refresh_queued_at__lt=now - FRESH_FOR)
        )
    if not pending.update(refresh_queued_at=now):
        return False
    task = current_app.tasks[REFRESH_TASK]
    transaction.on_commit(lambda: task.delay(year), robust=True)
    return True


def figures_for_panel(year: int) -> StoredFigures | None:
    """What the dashboard panel shows: the stored figures of `year` (one row), a refresh
    queued when they are older than FRESH_FOR; None when none are stored yet, and one is
    queued (a dashboard never works them out in its request: a second at 12,500
    technicians)."""
    stored = next(iter(_FOR_PANEL.list(year=year)), None)
    if stored is None:
        # One task for all the dashboards that find none (the database cache: no Redis needed).
        if cache.add(f"commitment.figures-queued:{year}", True, FRESH_FOR.total_seconds()):
            task = current_app.tasks[REFRESH_TASK]
            transaction.on_commit(lambda: task.delay(year), robust=True)
    elif stored.computed_at < timezone.now() - FRESH_FOR:
        request_refresh(year=year)
    return stored


# The dashboards of HR and the steering group read it at every visit: compiled once
# (portal.prepared).
_FOR_PANEL = PreparedQuery(
    lambda year: StoredFigures.objects.filter(year=year).defer("html").order_by("pk")[:1]
)


def figures_for_page(year: int) -> StoredFigures:
    """What the figures page shows: the stored figures, a refresh queued when they are older
    than FRESH_FOR; the first reader of a year never worked out builds it."""
    stored = StoredFigures.objects.filter(year=year).first()
    if stored is None:
        return refresh_figures(year=year)
    if stored.computed_at < timezone.now() - FRESH_FOR:
        request_refresh(year=year)
    return stored
