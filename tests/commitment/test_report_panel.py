"""The annual report's dashboard panel: the newest report, whatever its state, and the newest
one ready to download."""

import pytest
from django.test import RequestFactory

from commitment import permissions
from commitment.models import AnnualReport
from commitment.reports import panels

pytestmark = pytest.mark.django_db


def panel_of(user) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    return panels._context(request)["report_panel"]


def test_the_panel_shows_the_newest_report_and_the_newest_ready_one(personas):
    assert (panel_of(personas.hr)["latest"], panel_of(personas.hr)["latest_ready"]) == (None, None)
    old = AnnualReport.objects.create(year=2024, version=3, status="ready", pages=1)
    ready = AnnualReport.objects.create(year=2025, version=1, status="ready", pages=1)
    newer = AnnualReport.objects.create(year=2025, version=2, status="failed")
    shown = panel_of(personas.steering)
    assert (shown["latest"], shown["latest_ready"]) == (newer, ready)
    AnnualReport.objects.filter(pk__in=[ready.pk, newer.pk]).delete()
    shown = panel_of(personas.hr)
    assert (shown["latest"], shown["latest_ready"]) == (old, old)


def test_the_panel_reads_the_reports_and_the_figures_in_two_queries(
    personas, django_assert_num_queries
):
    from django.utils import timezone

    from commitment.models import StoredFigures
    from commitment.reports.selectors import current_year

    AnnualReport.objects.create(year=2024, version=1, status="ready", pages=1)
    AnnualReport.objects.create(year=2025, version=1, status="pending")
    StoredFigures.objects.create(
        year=current_year(), html="<p>kept</p>", headlines=[], computed_at=timezone.now()
    )
    request = RequestFactory().get("/")
    request.user = personas.hr
    permissions.can_request_annual_report(personas.hr)  # the roles, read once a request
    with django_assert_num_queries(2):
        shown = panels._context(request)["report_panel"]
    assert (shown["latest"].year, shown["latest_ready"].year) == (2025, 2024)
    assert shown["figures"].year == current_year()
    assert "html" in shown["figures"].get_deferred_fields()
