"""Changes owned by the commitment app: the annual progress report."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from commitment import permissions
from commitment.models import FIRST_REPORT_YEAR, AnnualReport
from commitment.reports import work
from portal.periods import academic_year_label, academic_year_of


def request_annual_report(year: int, *, by) -> AnnualReport:
    """Queue a new version of the annual report of academic year `year` (2025 means 2025–26).

    HR only. Returns at once: the `reports` worker renders it, and tells `by` through the
    outbox when it is ready. A broker that is down does not fail the request; the sweep of
    `commitment.reports.work` queues the report when the broker is back.
    """
    if not permissions.can_request_annual_report(by):
        raise PermissionDenied("Only HR can request the annual report.")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError("Choose an academic year.") from None
    current = academic_year_of(timezone.localdate())
    if year > current:
        raise ValidationError(
            f"The {academic_year_label(year)} academic year has not started yet: "
            "choose this year or an earlier one."
        )
    if year < FIRST_REPORT_YEAR:
        raise ValidationError(
            f"Reports start with the {academic_year_label(FIRST_REPORT_YEAR)} year."
        )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                latest = AnnualReport.objects.filter(year=year).order_by("-version").first()
                report = AnnualReport(
                    year=year, version=(latest.version + 1) if latest else 1, requested_by=by
                )
                report.full_clean()
                report.save()
                work.enqueue(report.pk)
                return report
        except IntegrityError:  # two requests for the same year at once: take the next number
            continue
    raise ValidationError("Too many requests for this year at once: please try again.")
