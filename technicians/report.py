"""The technicians app's sections of the annual report: who we are and visibility
(registered in TechniciansConfig.ready(); sustainability, with the skills, is the skills
app's: skills.report).

Headcounts are of active technicians who had started by the end of the year (or by today,
for the year under way): the staff list keeps leavers but not their leaving date, so leavers
are counted from HR's staff-list imports during the year.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from portal.models import ImportRun
from portal.periods import academic_year_bounds
from portal.registry import ReportChart, ReportSection, ReportTable
from portal.reports.builders import bar_chart, rows_table
from technicians.models import Department, Technician
from technicians.selectors import PROFILE_PARTS, STAFF_LIST_IMPORT_KIND


def _as_of(year: int) -> tuple[datetime.date, datetime.date, datetime.date]:
    first_day, last_day = academic_year_bounds(year)
    return first_day, last_day, min(last_day, timezone.localdate())


def staff_of_year(year: int) -> QuerySet[Technician]:
    """Active technicians who had started by the end of the year."""
    _, _, as_of = _as_of(year)
    return Technician.objects.filter(is_active=True).filter(
        Q(started_on__isnull=True) | Q(started_on__lte=as_of)
    )


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _missing(name: str) -> Q:
    return Q(**{name: ""}) | Q(**{f"{name}__isnull": True})


# --- who we are ----------------------------------------------------------------------------


def who_we_are_figures(year: int) -> dict[str, Any]:
    first_day, last_day, _ = _as_of(year)
    staff = staff_of_year(year)
    by_department = list(
        staff.values("department__faculty", "department__name")
        .order_by("department__faculty", "department__name")
        .annotate(count=Count("pk"), apprentices=Count("pk", filter=Q(is_apprentice=True)))
    )
    faculties: dict[str, int] = defaultdict(int)
    for row in by_department:
        faculties[row["department__faculty"]] += row["count"]
    families = dict(
        staff.values_list("role_family").order_by("role_family").annotate(count=Count("pk"))
    )
    leavers = sum(
        int((counts or {}).get("leavers", 0) or 0)
        for counts in ImportRun.objects.filter(
            kind=STAFF_LIST_IMPORT_KIND, created__date__range=(first_day, last_day)
        ).values_list("counts", flat=True)
    )
    return {
        "headcount": sum(row["count"] for row in by_department),
        "apprentices": sum(row["apprentices"] for row in by_department),
        "joiners": Technician.objects.filter(started_on__range=(first_day, last_day)).count(),
        "leavers": leavers,
        "by_faculty": sorted(faculties.items()),
        "by_department": [
            [row["department__faculty"], row["department__name"], row["count"]]
            for row in by_department
        ],
        "by_role_family": [
            [label, families.get(value, 0)]
            for value, label in Technician.RoleFamily.choices
            if families.get(value)
        ],
    }


def who_we_are_tables(figures: dict[str, Any]) -> list[ReportTable]:
    return [
        rows_table(
            "headcount-by-faculty",
            "Technicians by faculty",
            ["Faculty", "Technicians"],
            figures["by_faculty"],
        ),
        rows_table(
            "headcount-by-role-family",
            "Technicians by role family",
            ["Role family", "Technicians"],
            figures["by_role_family"],
        ),
        rows_table(
            "headcount-by-department",
            "Technicians by department",
            ["Faculty", "Department", "Technicians"],
            figures["by_department"],
        ),
        ReportTable(
            "joiners-and-leavers",
            "Joiners and leavers",
            ["Figure", "Number"],
            [
                ["Technicians", figures["headcount"]],
                ["Apprentices", figures["apprentices"]],
                ["Joined this year", figures["joiners"]],
                ["Left this year", figures["leavers"]],
            ],
        ),
    ]


def who_we_are_charts(figures: dict[str, Any]) -> list[ReportChart]:
    faculties = figures["by_faculty"]
    families = figures["by_role_family"]
    return [
        bar_chart(
            slug="chart-headcount-by-faculty",
            title="Technicians by faculty",
            about="technicians by faculty",
            rows=faculties,
            series="Technicians",
            table="headcount-by-faculty",
        ),
        bar_chart(
            slug="chart-headcount-by-role-family",
            title="Technicians by role family",
            about="technicians by role family",
            rows=families,
            series="Technicians",
            table="headcount-by-role-family",
        ),
    ]


def who_we_are_headlines(figures: dict[str, Any]) -> list[tuple[str, float]]:
    return [
        ("Technicians", figures["headcount"]),
        ("Joined this year", figures["joiners"]),
        ("Left this year", figures["leavers"]),
    ]


# --- visibility ----------------------------------------------------------------------------


def visibility_figures(year: int) -> dict[str, Any]:
    staff = staff_of_year(year)
    incomplete = Q()
    for name in PROFILE_PARTS:
        incomplete |= _missing(name)
    by_department = list(
        staff.values("department__name")
        .order_by("department__name")
        .annotate(
            count=Count("pk"),
            complete=Count("pk", filter=~incomplete),
            public=Count("pk", filter=Q(visibility=Technician.Visibility.PUBLIC)),
            photos=Count("pk", filter=~_missing("photo")),
        )
    )
    total = sum(row["count"] for row in by_department)
    complete = sum(row["complete"] for row in by_department)
    public = sum(row["public"] for row in by_department)
    photos = sum(row["photos"] for row in by_department)
    departments = list(
        Department.objects.order_by("faculty", "name").values_list(
            "faculty", "name", "helpdesk_email"
        )
    )
    with_helpdesk = [row for row in departments if row[2]]
    return {
        "technicians": total,
        "profiles_complete": complete,
        "profiles_complete_percent": percent(complete, total),
        "public_profiles": public,
        "public_profiles_percent": percent(public, total),
        "photos": photos,
        "photos_percent": percent(photos, total),
        "departments": len(departments),
        "departments_with_helpdesk": len(with_helpdesk),
        "departments_without_helpdesk": [[f, n] for f, n, email in departments if not email],
        "by_department": [
            [row["department__name"], row["count"], row["complete"], row["public"], row["photos"]]
            for row in by_department
        ],
        "profile_parts": list(PROFILE_PARTS.values()),
    }


def visibility_tables(figures: dict[str, Any]) -> list[ReportTable]:
    total = figures["technicians"]
    return [
        ReportTable(
            "visibility-profiles",
            "Profiles of active technicians",
            ["Figure", "Technicians", "Per cent"],
            [
                [
                    "Complete profiles",
                    figures["profiles_complete"],
                    figures["profiles_complete_percent"],
                ],
                ["Public profiles", figures["public_profiles"], figures["public_profiles_percent"]],
                ["Profiles with a photo", figures["photos"], figures["photos_percent"]],
                ["All active technicians", total, 100.0 if total else 0.0],
            ],
        ),
        rows_table(
            "visibility-by-department",
            "Profiles by department",
            ["Department", "Technicians", "Complete", "Public", "With a photo"],
            figures["by_department"],
        ),
        rows_table(
            "departments-without-helpdesk",
            f"Departments without a helpdesk address ({figures['departments_with_helpdesk']} "
            f"of {figures['departments']} have one)",
            ["Faculty", "Department"],
            figures["departments_without_helpdesk"],
        ),
    ]


def visibility_charts(figures: dict[str, Any]) -> list[ReportChart]:
    labels = ["Complete profiles", "Public profiles", "With a photo"]
    values = [
        figures["profiles_complete_percent"],
        figures["public_profiles_percent"],
        figures["photos_percent"],
    ]
    return [
        ReportChart(
            slug="chart-visibility",
            title="Profiles, per cent of active technicians",
            kind="bar",
            labels=labels,
            series={"Per cent": values},
            description="Bar chart of the share of active technicians with "
            + "; ".join(
                f"{label.lower()} {value} %" for label, value in zip(labels, values, strict=True)
            )
            + ".",
            table="visibility-profiles",
        )
    ]


def visibility_headlines(figures: dict[str, Any]) -> list[tuple[str, float]]:
    return [
        ("Complete profiles (%)", figures["profiles_complete_percent"]),
        ("Public profiles", figures["public_profiles"]),
        ("Profiles with a photo", figures["photos"]),
        ("Departments with a helpdesk address", figures["departments_with_helpdesk"]),
    ]


SECTIONS = [
    ReportSection(
        name="who_we_are",
        title="Who we are",
        figures=who_we_are_figures,
        template="technicians/report/who_we_are.html",
        order=10,
        tables=who_we_are_tables,
        charts=who_we_are_charts,
        headlines=who_we_are_headlines,
    ),
    ReportSection(
        name="visibility",
        title="Visibility",
        figures=visibility_figures,
        template="technicians/report/visibility.html",
        order=20,
        tables=visibility_tables,
        charts=visibility_charts,
        headlines=visibility_headlines,
    ),
]
