"""The skills app's section of the annual report: sustainability (apprentices, skills held by
only one technician in a department, skills nobody can train others in), registered in
SkillsConfig.ready(). Headcounts as the directory's sections count them (technicians.report).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q

from portal.registry import ReportChart, ReportSection, ReportTable
from portal.reports.builders import bar_chart, rows_table
from skills import risk as rules
from skills.models import TechnicianSkill
from technicians.report import staff_of_year

# --- sustainability ------------------------------------------------------------------------


def sustainability_figures(year: int) -> dict[str, Any]:
    staff = staff_of_year(year)
    apprentices = list(
        staff.filter(is_apprentice=True)
        .values("department__name")
        .order_by("department__name")
        .annotate(count=Count("pk"))
    )
    held = TechnicianSkill.objects.filter(technician__in=staff.values("pk"))
    per_department = (
        held.values("technician__department__name", "skill__name")
        .order_by("technician__department__name", "skill__name")
        .annotate(
            holders=Count("pk", filter=Q(level__gte=rules.PRACTITIONER)),
            trainers=Count("pk", filter=Q(level__gte=rules.TRAINER)),
        )
    )
    single: dict[str, list[str]] = defaultdict(list)
    for row in per_department:
        if rules.risk_from_counts(row["holders"], row["trainers"]) == rules.SINGLE_POINT:
            single[row["technician__department__name"]].append(row["skill__name"])
    per_skill = list(
        held.values("skill__name", "skill__category")
        .order_by("skill__category", "skill__name")
        .annotate(
            holders=Count("pk", filter=Q(level__gte=rules.PRACTITIONER)),
            trainers=Count("pk", filter=Q(level__gte=rules.TRAINER)),
        )
    )
    untaught = [
        [row["skill__name"], row["skill__category"], row["holders"]]
        for row in per_skill
        if row["holders"] and rules.is_untaught(row["trainers"])
    ]
    one_holder = [row["skill__name"] for row in per_skill if row["holders"] == 1]
    return {
        "apprentices": sum(row["count"] for row in apprentices),
        "apprentices_by_department": [
            [row["department__name"], row["count"]] for row in apprentices
        ],
        "single_holder_by_department": [
            [department, len(names), ", ".join(names)]
            for department, names in sorted(single.items())
        ],
        "single_holder_in_a_department": sum(len(names) for names in single.values()),
        "single_holder_university": len(one_holder),
        "untaught": untaught,
    }


def sustainability_tables(figures: dict[str, Any]) -> list[ReportTable]:
    return [
        rows_table(
            "apprentices-by-department",
            f"Apprentices by department ({figures['apprentices']} in all)",
            ["Department", "Apprentices"],
            figures["apprentices_by_department"],
        ),
        rows_table(
            "single-holder-skills",
            "Skills held by only one technician in the department (practitioner or above)",
            ["Department", "Skills", "Which"],
            figures["single_holder_by_department"],
        ),
        rows_table(
            "untaught-skills",
            "Skills nobody can train others in",
            ["Skill", "Category", "Holders (practitioner or above)"],
            figures["untaught"],
        ),
    ]


def sustainability_charts(figures: dict[str, Any]) -> list[ReportChart]:
    rows = figures["single_holder_by_department"]
    if not rows:
        return []
    return [
        bar_chart(
            slug="chart-single-holder-skills",
            title="Skills held by only one technician, by department",
            about="the number of skills held by only one technician in each department",
            rows=rows,
            series="Skills",
            table="single-holder-skills",
        )
    ]


def sustainability_headlines(figures: dict[str, Any]) -> list[tuple[str, float]]:
    return [
        ("Apprentices", figures["apprentices"]),
        ("Skills held by one technician only", figures["single_holder_university"]),
        ("Skills nobody can train others in", len(figures["untaught"])),
    ]


SECTION = ReportSection(
    name="sustainability",
    title="Sustainability",
    figures=sustainability_figures,
    template="skills/report/sustainability.html",
    order=50,
    tables=sustainability_tables,
    charts=sustainability_charts,
    headlines=sustainability_headlines,
)
