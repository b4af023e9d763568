"""The action plan's section of the annual report (registered in ActionplanConfig.ready()).

It covers the published (and archived) plans that run during the academic year: each
pillar's RAG counts and mean progress on the last day of the year (today, for the year under
way), the actions completed during the year (from their history), the overdue actions with
their owners, and the year's progress updates. Drafts are never reported.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.utils import timezone

from actionplan import rag
from actionplan.models import Action, ActionPlan, ActionUpdate, Pillar
from actionplan.selectors import display_name
from portal.periods import academic_year_bounds
from portal.registry import ReportChart, ReportSection, ReportTable
from portal.reports.builders import rows_table

NOTE_LENGTH = 160
# The chart's colours follow the ratings (the legend and the table name them too).
RAG_COLOURS = {
    rag.Rag.RED: "#b42318",
    rag.Rag.AMBER: "#b54708",
    rag.Rag.GREEN: "#2e7d32",
    rag.Rag.COMPLETE: "#52606d",
}


def _plans(first_day: datetime.date, last_day: datetime.date):
    return ActionPlan.objects.exclude(status=ActionPlan.Status.DRAFT).filter(
        starts_on__lte=last_day, ends_on__gte=first_day
    )


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= NOTE_LENGTH else text[: NOTE_LENGTH - 1].rstrip() + "…"


def figures(year: int) -> dict[str, Any]:
    first_day, last_day = academic_year_bounds(year)
    on = min(last_day, timezone.localdate())
    plans = list(_plans(first_day, last_day).order_by("starts_on", "pk"))
    actions = list(
        Action.objects.filter(plan__in=plans)
        .select_related("owner", "plan")
        .order_by("due_on", "ref", "pk")
    )
    labels = dict(Pillar.choices)
    counts = {pillar: Counter() for pillar in Pillar.values}
    progress: dict[str, list[int]] = {pillar: [] for pillar in Pillar.values}
    overdue = []
    for action in actions:
        rating = rag.rag_for(action.status, action.progress, action.due_on, on)
        counts[action.pillar][rating] += 1
        progress[action.pillar].append(action.progress)
        if action.status != Action.Status.COMPLETE and action.due_on < on:
            overdue.append(
                [
                    action.ref,
                    action.title,
                    labels.get(action.pillar, action.pillar),
                    display_name(action.owner) or action.lead or "nobody",
                    action.due_on.isoformat(),
                    (on - action.due_on).days,
                ]
            )
    overdue.sort(key=lambda row: (-row[5], row[0]))  # the latest first
    completed_ids = set(
        Action.history.filter(
            id__in=[action.pk for action in actions if action.status == Action.Status.COMPLETE],
            status=Action.Status.COMPLETE,
            history_date__date__range=(first_day, last_day),
        ).values_list("id", flat=True)
    )
    completed = [
        [action.ref, action.title, labels.get(action.pillar, action.pillar)]
        for action in actions
        if action.pk in completed_ids
    ]
    updates = list(
        ActionUpdate.objects.filter(
            action__plan__in=plans, created__date__range=(first_day, last_day)
        )
        .select_related("action", "author")
        .order_by("-created", "-pk")
    )
    per_pillar_updates: dict[str, dict[str, Any]] = {
        pillar: {"updates": 0, "actions": set(), "evidence": 0} for pillar in Pillar.values
    }
    for update in updates:
        entry = per_pillar_updates[update.action.pillar]
        entry["updates"] += 1
        entry["actions"].add(update.action_id)
        entry["evidence"] += bool(update.evidence or update.evidence_url)
    pillars = []
    for pillar, label in Pillar.choices:
        values = progress[pillar]
        pillars.append(
            [
                label,
                len(values),
                *[counts[pillar].get(rating, 0) for rating in rag.Rag],
                round(sum(values) / len(values)) if values else 0,
            ]
        )
    everything = [value for values in progress.values() for value in values]
    return {
        "plans": [plan.title for plan in plans],
        "actions": len(actions),
        "progress": round(sum(everything) / len(everything)) if everything else 0,
        "as_of": on.isoformat(),
        "rag_labels": [rating.label for rating in rag.Rag],
        "pillars": pillars,
        "completed": completed,
        "overdue": overdue,
        "updates": len(updates),
        "updates_by_pillar": [
            [
                labels[pillar],
                entry["updates"],
                len(entry["actions"]),
                entry["evidence"],
            ]
            for pillar, entry in per_pillar_updates.items()
        ],
        "latest_updates": [
            [
                timezone.localtime(update.created).date().isoformat(),
                update.action.ref,
                _short(update.note),
                display_name(update.author),
            ]
            for update in updates[:10]
        ],
    }


def tables(figures: dict[str, Any]) -> list[ReportTable]:
    return [
        rows_table(
            "action-plan-pillars",
            f"Actions by pillar and RAG rating on {figures['as_of']}",
            ["Pillar", "Actions", *figures["rag_labels"], "Mean progress (%)"],
            figures["pillars"],
        ),
        rows_table(
            "actions-completed",
            f"Actions completed this year ({len(figures['completed'])})",
            ["Reference", "Action", "Pillar"],
            figures["completed"],
        ),
        rows_table(
            "actions-overdue",
            f"Overdue actions ({len(figures['overdue'])})",
            ["Reference", "Action", "Pillar", "Owner", "Due on", "Days overdue"],
            figures["overdue"],
        ),
        rows_table(
            "progress-updates",
            f"Progress updates this year ({figures['updates']})",
            ["Pillar", "Updates", "Actions updated", "With evidence"],
            figures["updates_by_pillar"],
        ),
        rows_table(
            "latest-progress-updates",
            "The latest progress updates",
            ["Date", "Action", "Note", "By"],
            figures["latest_updates"],
        ),
    ]


def charts(figures: dict[str, Any]) -> list[ReportChart]:
    pillars = figures["pillars"]
    rag_labels = figures["rag_labels"]
    return [
        ReportChart(
            slug="chart-action-plan-rag",
            title="Actions by pillar and RAG rating",
            kind="stacked",
            labels=[row[0] for row in pillars],
            series={
                label: [row[2 + index] for row in pillars] for index, label in enumerate(rag_labels)
            },
            description="Stacked bar chart of each pillar's actions by RAG rating: "
            + "; ".join(
                f"{row[0]}: "
                + ", ".join(f"{row[2 + i]} {label.lower()}" for i, label in enumerate(rag_labels))
                for row in pillars
            )
            + ".",
            table="action-plan-pillars",
            colors=tuple(RAG_COLOURS[rating] for rating in rag.Rag),
        )
    ]


def headlines(figures: dict[str, Any]) -> list[tuple[str, float]]:
    return [
        ("Actions overdue", len(figures["overdue"])),  # what needs attention first
        ("Action plan progress (%)", figures["progress"]),
        ("Actions completed this year", len(figures["completed"])),
        ("Progress updates this year", figures["updates"]),
    ]


SECTION = ReportSection(
    name="action_plan",
    title="The action plan",
    figures=figures,
    template="actionplan/report/section.html",
    order=60,
    tables=tables,
    charts=charts,
    headlines=headlines,
)
