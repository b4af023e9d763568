"""The registration app's section of the annual report: recognition (registered in
RegistrationConfig.ready()).

Registrations are the active ones of active technicians (as the HR summary counts them); new
registrations are those registered during the academic year. Funding follows the UK
financial year that starts in the academic year (academic 2025–26 → financial 2025–26, from
1 April 2025), which is how its budget is set.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from portal.periods import academic_year_bounds, financial_year_label
from portal.registry import ReportChart, ReportSection, ReportTable
from portal.reports.builders import bar_chart, number, rows_table
from registration.models import (
    FundingApplication,
    FundingBudget,
    ProfessionalBody,
    Register,
    Registration,
)
from technicians.models import Technician

S = FundingApplication.Status


def _money(value: Decimal | None) -> float:
    return float(Decimal(value or 0).quantize(Decimal("0.01")))


def pounds(value: float | None) -> str:
    return "" if value is None else f"£{value:,.2f}"


def figures(year: int) -> dict[str, Any]:
    first_day, last_day = academic_year_bounds(year)
    active = Q(
        registrations__status=Registration.Status.ACTIVE, registrations__technician__is_active=True
    )
    technicians = Technician.objects.filter(is_active=True)
    total = technicians.count()
    registered = (
        technicians.filter(registrations__status=Registration.Status.ACTIVE).distinct().count()
    )
    by_register = [
        [row["code"], row["title"], row["count"]]
        for row in Register.objects.annotate(count=Count("registrations", filter=active))
        .order_by("order", "code")
        .values("code", "title", "count")
        if row["count"]
    ]
    by_body = [
        [row["name"], row["count"]]
        for row in ProfessionalBody.objects.annotate(count=Count("registrations", filter=active))
        .filter(count__gt=0)
        .order_by("-count", "name")
        .values("name", "count")
    ]
    new = Registration.objects.filter(
        registered_on__range=(first_day, last_day), technician__is_active=True
    ).exclude(status=Registration.Status.IN_PROGRESS)
    applications = FundingApplication.objects.filter(financial_year=year).exclude(status=S.DRAFT)
    counts = applications.aggregate(
        applications=Count("pk"),
        approved=Count("pk", filter=Q(status__in=FundingApplication.FUNDED)),
        rejected=Count("pk", filter=Q(status=S.REJECTED)),
        committed=Sum("amount_requested", filter=Q(status__in=FundingApplication.COMMITTED)),
        spent=Sum("amount_requested", filter=Q(status=S.PAID)),
    )
    budget = (
        FundingBudget.objects.filter(financial_year=year).values_list("amount", flat=True).first()
    )
    committed, spent = _money(counts["committed"]), _money(counts["spent"])
    return {
        "technicians": total,
        "registered": registered,
        "registered_percent": round(100 * registered / total, 1) if total else 0.0,
        "by_register": by_register,
        "by_body": by_body,
        "new_registrations": new.count(),
        "new_by_register": [
            [code, count]
            for code, count in new.values_list("register__code")
            .annotate(count=Count("pk"))
            .order_by("register__code")
        ],
        "financial_year": financial_year_label(year),
        "applications": counts["applications"],
        "approved": counts["approved"],
        "rejected": counts["rejected"],
        "budget": None if budget is None else _money(budget),
        "committed": committed,
        "spent": spent,
        "remaining": None if budget is None else round(_money(budget) - committed - spent, 2),
    }


def tables(figures: dict[str, Any]) -> list[ReportTable]:
    return [
        rows_table(
            "registrations-by-register",
            f"Registrations by register ({figures['registered']} of {figures['technicians']} "
            f"technicians registered, {number(figures['registered_percent'])} %)",
            ["Register", "Title", "Technicians"],
            figures["by_register"],
        ),
        rows_table(
            "registrations-by-body",
            "Registrations by professional body",
            ["Body", "Technicians"],
            figures["by_body"],
        ),
        rows_table(
            "new-registrations",
            f"New registrations this year ({figures['new_registrations']})",
            ["Register", "New registrations"],
            figures["new_by_register"],
        ),
        ReportTable(
            "registration-funding",
            f"Registration funding, financial year {figures['financial_year']}",
            ["Figure", "Value"],
            [
                ["Applications", figures["applications"]],
                ["Approved", figures["approved"]],
                ["Rejected", figures["rejected"]],
                ["Budget", pounds(figures["budget"]) or "no budget set"],
                ["Committed (approved, not yet paid)", pounds(figures["committed"])],
                ["Spent (paid)", pounds(figures["spent"])],
                ["Remaining", pounds(figures["remaining"]) or "no budget set"],
            ],
        ),
    ]


def charts(figures: dict[str, Any]) -> list[ReportChart]:
    rows = figures["by_register"]
    if not rows:
        return []
    return [
        bar_chart(
            slug="chart-registrations-by-register",
            title="Registrations by register",
            about="registered technicians by register",
            rows=rows,
            series="Technicians",
            value=2,
            table="registrations-by-register",
        )
    ]


def headlines(figures: dict[str, Any]) -> list[tuple[str, float]]:
    return [
        ("Technicians registered (%)", figures["registered_percent"]),
        ("New registrations", figures["new_registrations"]),
        ("Funding applications approved", figures["approved"]),
        ("Registration fees paid (£)", figures["spent"]),
    ]


SECTION = ReportSection(
    name="recognition",
    title="Recognition",
    figures=figures,
    template="registration/report/section.html",
    order=30,
    tables=tables,
    charts=charts,
    headlines=headlines,
)
