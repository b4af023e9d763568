"""The reports pages: request and list (HR), download, the figures page and its CSVs (HR and
the steering group). Thin: the rules are in portal.permissions, the data change in
portal.services, the figures in commitment.reports.document."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commitment import permissions, services
from commitment.models import AnnualReport
from commitment.reports import document as report_document
from commitment.reports import selectors, stored
from portal.csv_export import csv_response
from portal.decorators import permission_required
from portal.files import serve_private_file
from portal.periods import academic_year_label

POLL_SECONDS = 3


def _list_context(request) -> dict:
    reports = list(selectors.all_reports())
    return {
        "reports": reports,
        "polling": selectors.any_pending(reports),
        "poll_seconds": POLL_SECONDS,
        "can_read": permissions.can_read_annual_report(request.user),
    }


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_request_annual_report)
def report_list(request):
    if request.method == "POST":
        try:
            report = services.request_annual_report(request.POST.get("year"), by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"The report for {academic_year_label(report.year)} (version {report.version}) "
                "is queued. This page shows when it is ready, and you will get an email.",
            )
        return redirect("reports:list")
    context = _list_context(request)
    if request.htmx and request.htmx.target == "report-versions":
        return render(request, "commitment/reports/_versions.html", context)
    context["years"] = _years()
    context["default_year"] = selectors.default_year(context["years"])
    return render(request, "commitment/reports/list.html", context)


@require_GET
@permission_required(permissions.can_read_annual_report)
def download(request, pk: int):
    report = selectors.report_by_pk(pk)
    if report is None or report.status != AnnualReport.Status.READY or not report.file:
        raise Http404("No such report, or it is not ready yet.")
    label = academic_year_label(report.year).replace("–", "-")
    # An attachment, sandboxed, never stored (404 if the file is missing from storage).
    return serve_private_file(
        report.file,
        content_type="application/pdf",
        filename=f"technician-commitment-report-{label}-v{report.version}.pdf",
    )


def _years() -> list[tuple[int, str]]:
    return stored.offered_years()


def _document(year: int, *, with_charts: bool):
    if not selectors.is_reportable(year):
        raise Http404("There is no report for that year.")
    return report_document.build(year, with_charts=with_charts)


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_read_annual_report)
def figures(request, year: int):
    """The figures as last worked out (commitment.reports.stored): one row read, whoever asks.
    A POST asks for them to be worked out again now."""
    if not selectors.is_reportable(year):
        raise Http404("There is no report for that year.")
    if request.method == "POST":
        stored.request_refresh(year=year, force=True)
        messages.success(
            request, "The figures are being worked out again: reload this page in a minute."
        )
        return redirect("reports:figures", year=year)
    figures = stored.figures_for_page(year)
    return render(
        request,
        "commitment/reports/figures.html",
        {
            "figures": figures,
            "label": academic_year_label(year),
            "year": year,
            "years": figures.years,
            "can_request": permissions.can_request_annual_report(request.user),
        },
    )


@require_GET
@permission_required(permissions.can_read_annual_report)
def figures_csv(request, year: int, slug: str):
    table = _document(year, with_charts=False).tables().get(slug)
    if table is None:
        raise Http404("No such table.")
    response = csv_response(f"{slug}-{year}.csv", table.header, table.rows)
    response["Cache-Control"] = "private, no-store"
    return response
