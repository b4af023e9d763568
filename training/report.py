"""The training app's section of the annual report: career development (registered in
TrainingConfig.ready()).

Training days per technician against the pro-rata target and the share meeting it come from
`selectors.hr_totals`, the same numbers as HR's training table (for a past year, meeting it
means the whole year's target; for the year under way, the share of it due by today).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from portal.periods import academic_year_bounds
from portal.registry import ReportChart, ReportSection, ReportTable
from portal.reports.builders import bar_chart, rows_table
from training import selectors
from training.models import Booking, Category, CourseInterest, Session


def _float(value: Decimal | float | int) -> float:
    return round(float(value), 1)


def _percent(part: float, whole: float) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def figures(year: int) -> dict[str, Any]:
    first_day, last_day = academic_year_bounds(year)
    today = timezone.localdate()
    totals = selectors.hr_totals(today=today, year=year)
    everyone = totals.all
    labels = dict(Category.choices)
    mix_days = {category: _float(everyone.by_category[category]) for category in Category.values}
    all_days = sum(mix_days.values())
    split = settings.TRAINING_TARGET_SPLIT
    target_days = settings.TRAINING_TARGET_DAYS

    in_year = Q(starts_at__date__gte=first_day, starts_at__date__lte=last_day)
    now = timezone.now()
    sessions = Session.objects.filter(in_year)
    delivered = sessions.filter(status=Session.Status.SCHEDULED, starts_at__lte=now)
    marks = Booking.objects.filter(session__in=delivered).aggregate(
        attended=Count("pk", filter=Q(status=Booking.Status.ATTENDED)),
        no_show=Count("pk", filter=Q(status=Booking.Status.NO_SHOW)),
        late=Count("pk", filter=Q(status=Booking.Status.CANCELLED, cancelled_late=True)),
    )
    marked = marks["attended"] + marks["no_show"]
    demand: dict[str, dict[str, int]] = defaultdict(
        lambda: {"waiting": 0, "sessions": 0, "interested": 0}
    )
    for title, waiting, count in (
        sessions.filter(status=Session.Status.SCHEDULED)
        .values_list("course__title")
        .annotate(
            waiting=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED)),
            count=Count("pk", distinct=True),
        )
        .order_by()
    ):
        demand[title]["waiting"] += waiting
        demand[title]["sessions"] += count
    for title, interested in (
        CourseInterest.objects.values_list("course__title").annotate(n=Count("pk")).order_by()
    ):
        demand[title]["interested"] += interested
    demand_rows = sorted(
        (
            [title, row["waiting"], row["interested"], row["sessions"]]
            for title, row in demand.items()
            if row["waiting"] or row["interested"]
        ),
        key=lambda row: (-row[1], -row[2], row[0]),
    )
    return {
        "technicians": everyone.technicians,
        "days": _float(everyone.days),
        "average_days": _float(everyone.average),
        "target_days": target_days,
        "meeting_target": everyone.on_track,
        "meeting_target_percent": _percent(everyone.on_track, everyone.technicians),
        "year_complete": last_day < today,
        "mix": [
            [
                labels[category],
                mix_days[category],
                _percent(mix_days[category], all_days),
                _percent(split.get(category, 0), target_days),
            ]
            for category in Category.values
        ],
        "split": [split.get(category, 0) for category in Category.values],
        "by_faculty": [
            [
                unit.name,
                unit.technicians,
                _float(unit.days),
                _float(unit.average),
                _percent(unit.on_track, unit.technicians),
            ]
            for unit in sorted(totals.faculties, key=lambda unit: unit.name)
        ],
        "sessions_delivered": delivered.count(),
        "sessions_cancelled": sessions.filter(status=Session.Status.CANCELLED).count(),
        "attended": marks["attended"],
        "no_shows": marks["no_show"],
        "late_cancellations": marks["late"],
        "attendance_percent": _percent(marks["attended"], marked),
        "no_show_percent": _percent(marks["no_show"], marked),
        "demand": demand_rows,
    }


def tables(figures: dict[str, Any]) -> list[ReportTable]:
    return [
        ReportTable(
            "training-days",
            "Training days against the target",
            ["Figure", "Value"],
            [
                ["Technicians", figures["technicians"]],
                ["Training days recorded", figures["days"]],
                ["Days per technician", figures["average_days"]],
                ["Target per full-time technician", figures["target_days"]],
                ["Meeting the pro-rata target", figures["meeting_target"]],
                ["Meeting the pro-rata target (%)", figures["meeting_target_percent"]],
            ],
        ),
        rows_table(
            "training-mix",
            "The mix of training days against the {}/{}/{} target".format(*figures["split"]),
            ["Category", "Days", "Share (%)", "Target share (%)"],
            figures["mix"],
        ),
        rows_table(
            "training-by-faculty",
            "Training days by faculty",
            ["Faculty", "Technicians", "Days", "Days per technician", "Meeting the target (%)"],
            figures["by_faculty"],
        ),
        ReportTable(
            "training-sessions",
            "Sessions and attendance",
            ["Figure", "Value"],
            [
                ["Sessions delivered", figures["sessions_delivered"]],
                ["Sessions cancelled", figures["sessions_cancelled"]],
                ["Attended", figures["attended"]],
                ["Did not attend", figures["no_shows"]],
                ["Attendance rate (%)", figures["attendance_percent"]],
                ["No-show rate (%)", figures["no_show_percent"]],
                ["Late cancellations", figures["late_cancellations"]],
            ],
        ),
        rows_table(
            "training-demand",
            "Waiting-list demand by course: where more sessions are needed",
            ["Course", "On waiting lists", "Asked to be told", "Sessions this year"],
            figures["demand"],
        ),
    ]


def charts(figures: dict[str, Any]) -> list[ReportChart]:
    mix = figures["mix"]
    result = [
        ReportChart(
            slug="chart-training-mix",
            title="The mix of training days against the target",
            kind="bar",
            labels=[row[0] for row in mix],
            series={
                "Share of days (%)": [row[2] for row in mix],
                "Target share (%)": [row[3] for row in mix],
            },
            description="Bar chart of each category's share of training days against its "
            "share of the target: "
            + "; ".join(f"{row[0].lower()} {row[2]} % (target {row[3]} %)" for row in mix)
            + ".",
            table="training-mix",
        )
    ]
    demand = figures["demand"][:12]
    if demand:
        result.append(
            bar_chart(
                slug="chart-training-demand",
                title="Waiting-list demand by course",
                about="technicians on waiting lists by course",
                rows=demand,
                series="On waiting lists",
                table="training-demand",
            )
        )
    return result


def headlines(figures: dict[str, Any]) -> list[tuple[str, float]]:
    return [
        ("Meeting the training target (%)", figures["meeting_target_percent"]),
        ("Training days per technician", figures["average_days"]),
        ("Sessions delivered", figures["sessions_delivered"]),
        ("No-show rate (%)", figures["no_show_percent"]),
    ]


SECTION = ReportSection(
    name="career_development",
    title="Career development",
    figures=figures,
    template="training/report/section.html",
    order=40,
    tables=tables,
    charts=charts,
    headlines=headlines,
)
