"""Read-only queries of the reports page and the dashboard panel."""

from __future__ import annotations

from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone

from commitment.models import FIRST_REPORT_YEAR, AnnualReport
from portal.periods import academic_year_label, academic_year_of
from portal.prepared import PreparedQuery

# How many years back the reports page offers.
YEARS_OFFERED = 10


def current_year() -> int:
    return academic_year_of(timezone.localdate())


def reportable_years() -> list[tuple[int, str]]:
    """(year, "2025–26") from this academic year back, newest first."""
    newest = current_year()
    oldest = max(FIRST_REPORT_YEAR, newest - YEARS_OFFERED + 1)
    return [(year, academic_year_label(year)) for year in range(newest, oldest - 1, -1)]


def years_with_data() -> list[tuple[int, str]]:
    """The reportable years (as `reportable_years`) in which anything the report counts
    happened: training logged or delivered, action-plan progress, funding decisions, a report
    asked for. Newest first. One query per source, of its distinct months."""
    from actionplan.models import ActionUpdate
    from registration.models import FundingEvent
    from training.models import Session, TrainingRecord

    now = timezone.now()
    months = set(TrainingRecord.objects.dates("date", "month"))
    for queryset, field in (
        (Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__lte=now), "starts_at"),
        (ActionUpdate.objects.all(), "created"),
        (FundingEvent.objects.all(), "created"),
    ):
        months |= {moment.date() for moment in queryset.datetimes(field, "month")}
    years = {academic_year_of(month) for month in months}
    years |= set(AnnualReport.objects.values_list("year", flat=True).distinct())
    return [(year, label) for year, label in reportable_years() if year in years]


def default_year(years: list[tuple[int, str]]) -> int:
    """The year the reports page opens on: the last complete academic year when it has data,
    else the newest year with data, else the last complete year."""
    last_complete = current_year() - 1
    offered = [year for year, _label in years]
    if last_complete in offered or not offered:
        return last_complete
    return offered[0]


def is_reportable(year: int) -> bool:
    return FIRST_REPORT_YEAR <= year <= current_year()


def all_reports() -> QuerySet[AnnualReport]:
    """Every version, the newest year first and its latest version first. One query."""
    return AnnualReport.objects.select_related("requested_by").order_by("-year", "-version")


def any_pending(reports) -> bool:
    return any(report.is_pending for report in reports)


def newest_and_latest_ready() -> tuple[AnnualReport | None, AnnualReport | None]:
    """The newest year's latest version, whatever its state (`all_reports()`'s first), and the
    latest version ready to download (the same report when it is ready). One query."""
    found = _NEWEST_AND_LATEST_READY.list()
    ready = next((report for report in found if report.status == AnnualReport.Status.READY), None)
    return (found[0] if found else None), ready


def _newest(reports: QuerySet[AnnualReport]):
    return Subquery(reports.order_by("-year", "-version").values("pk")[:1])


# The dashboard panel of HR and the steering group asks it at every visit: compiled once
# (portal.prepared).
_NEWEST_AND_LATEST_READY = PreparedQuery(
    lambda: AnnualReport.objects.filter(
        Q(pk=_newest(AnnualReport.objects.all()))
        | Q(pk=_newest(AnnualReport.objects.filter(status=AnnualReport.Status.READY)))
    ).order_by("-year", "-version")
)


def report_by_pk(pk: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(pk=pk).first()
