"""Read-only queries of the reports page and the dashboard panel."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from commitment.models import FIRST_REPORT_YEAR, AnnualReport
from portal.periods import academic_year_label, academic_year_of

# How many years back the reports page offers.
YEARS_OFFERED = 10


def current_year() -> int:
    return academic_year_of(timezone.localdate())


def reportable_years() -> list[tuple[int, str]]:
    """(year, "2025–26") from this academic year back, newest first."""
    newest = current_year()
    oldest = max(FIRST_REPORT_YEAR, newest - YEARS_OFFERED + 1)
    return [(year, academic_year_label(year)) for year in range(newest, oldest - 1, -1)]


def is_reportable(year: int) -> bool:
    return FIRST_REPORT_YEAR <= year <= current_year()


def all_reports() -> QuerySet[AnnualReport]:
    """Every version, the newest year first and its latest version first. One query."""
    return AnnualReport.objects.select_related("requested_by").order_by("-year", "-version")


def any_pending(reports) -> bool:
    return any(report.is_pending for report in reports)


def latest_ready() -> AnnualReport | None:
    return (
        AnnualReport.objects.filter(status=AnnualReport.Status.READY)
        .order_by("-year", "-version")
        .first()
    )


def report_by_pk(pk: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(pk=pk).first()
