"""The recognition app's sections of the annual report (registered in RecognitionConfig.ready()).

- "development_fund_and_awards" (Recognition, after registration's section): calls that closed
  in the academic year, applications, awards and money; impact stories shared; award winners
  decided in the year.
- "research_outputs" (Visibility, after the technicians' section): confirmed outputs of the
  calendar year the academic year starts in (2025–26 counts 2025's outputs) with technician
  authors and technicians acknowledged, by department.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from portal.periods import academic_year_bounds
from portal.registry import ReportSection, ReportTable
from portal.reports.builders import rows_table
from recognition.models import Contribution, FundApplication, Nomination

F = FundApplication.Status


def _money(value) -> float:
    return float(Decimal(value or 0).quantize(Decimal("0.01")))


def fund_figures(year: int) -> dict[str, Any]:
    first_day, last_day = academic_year_bounds(year)
    applications = FundApplication.objects.filter(
        call__closes_on__range=(first_day, last_day)
    ).exclude(status=F.DRAFT)
    counts = applications.aggregate(
        applications=Count("pk"),
        awarded=Count("pk", filter=Q(status__in=FundApplication.FUNDED)),
        amount=Sum("amount_awarded", filter=Q(status__in=FundApplication.FUNDED)),
        paid=Sum("amount_paid", filter=Q(status__in=(F.PAID, F.REPORTED))),
        withdrawn=Count("pk", filter=Q(status=F.WITHDRAWN)),
    )
    stories = [
        [row.applicant.full_name, row.activity, row.report[:300]]
        for row in FundApplication.objects.filter(
            status=F.REPORTED,
            report_shareable=True,
            reported_on__range=(first_day, last_day),
        )
        .select_related("applicant")
        .order_by("reported_on", "pk")
    ]
    winners = [
        [row.category.name, row.nominee.full_name if row.consent_to_publish else "(not published)"]
        for row in Nomination.objects.filter(
            status=Nomination.Status.WINNER, decided_at__date__range=(first_day, last_day)
        )
        .select_related("category", "nominee")
        .order_by("category__name", "pk")
    ]
    nominations = Nomination.objects.filter(created__date__range=(first_day, last_day)).count()
    return {
        "applications": counts["applications"],
        "awarded": counts["awarded"],
        "amount_awarded": _money(counts["amount"]),
        "amount_paid": _money(counts["paid"]),
        "withdrawn": counts["withdrawn"],
        "stories": stories,
        "nominations": nominations,
        "winners": winners,
    }


def fund_tables(figures: dict[str, Any]) -> list[ReportTable]:
    return [
        rows_table(
            "development-fund",
            "Development fund",
            ["Figure", "Value"],
            [
                ["Applications", figures["applications"]],
                ["Awards", figures["awarded"]],
                ["Awarded", f"£{figures['amount_awarded']:,.2f}"],
                ["Paid", f"£{figures['amount_paid']:,.2f}"],
                ["Awards withdrawn", figures["withdrawn"]],
            ],
        ),
        rows_table(
            "impact-stories",
            "Impact stories",
            ["Technician", "Activity", "Story"],
            figures["stories"],
        ),
        rows_table(
            "award-winners",
            f"Award winners ({len(figures['winners'])} from {figures['nominations']} nominations)",
            ["Category", "Winner"],
            figures["winners"],
        ),
    ]


def fund_headlines(figures: dict[str, Any]) -> list[tuple[str, float]]:
    return [
        ("Development fund awards", figures["awarded"]),
        ("Development fund awarded (£)", figures["amount_awarded"]),
        ("Award winners", len(figures["winners"])),
    ]


def output_figures(year: int) -> dict[str, Any]:
    rows = (
        Contribution.objects.filter(confirmed=True, output__year=year)
        .values("technician__department__name")
        .annotate(
            authored=Count("output", filter=Q(credit="author"), distinct=True),
            acknowledged=Count("output", filter=Q(credit="acknowledged"), distinct=True),
        )
        .order_by("technician__department__name")
    )
    by_department = [
        [row["technician__department__name"], row["authored"], row["acknowledged"]]
        for row in rows
        if row["authored"] or row["acknowledged"]
    ]
    total = (
        Contribution.objects.filter(confirmed=True, output__year=year)
        .values("output")
        .distinct()
        .count()
    )
    return {"outputs": total, "by_department": by_department, "output_year": year}


def output_tables(figures: dict[str, Any]) -> list[ReportTable]:
    return [
        rows_table(
            "outputs-by-department",
            f"Research outputs of {figures['output_year']} with technicians "
            f"({figures['outputs']} outputs)",
            ["Department", "Technician authors", "Technicians acknowledged"],
            figures["by_department"],
        )
    ]


def output_headlines(figures: dict[str, Any]) -> list[tuple[str, float]]:
    return [("Research outputs with technicians", figures["outputs"])]


FUND_SECTION = ReportSection(
    name="development_fund_and_awards",
    title="Recognition: development fund and awards",
    figures=fund_figures,
    template="recognition/report/fund_section.html",
    order=31,
    tables=fund_tables,
    headlines=fund_headlines,
)

OUTPUTS_SECTION = ReportSection(
    name="research_outputs",
    title="Visibility: research outputs",
    figures=output_figures,
    template="recognition/report/outputs_section.html",
    order=21,
    tables=output_tables,
    headlines=output_headlines,
)
