"""Careers' part of the annual report's career development: the promotion pipeline (people at
each band, and how many meet the next band) and mentoring (applications, pairs, meetings and
the evaluations' figures). Registered in CareersConfig.ready(), right after training's
career-development section."""

from __future__ import annotations

from typing import Any

from portal.periods import academic_year_bounds
from portal.registry import ReportSection, ReportTable
from portal.reports.builders import rows_table


def figures(year: int) -> dict[str, Any]:
    from careers import selectors

    start, end = academic_year_bounds(year)
    pipeline = [
        [
            row.pathway.name,
            row.band.name if row.band else "Not yet placed",
            row.people,
            row.ready if row.next_band else "—",
        ]
        for row in selectors.pipeline()
    ]
    mentoring = selectors.mentoring_figures(start, end)
    return {
        "pipeline": pipeline,
        "people_placed": sum(row[2] for row in pipeline),
        "ready": sum(row[3] for row in pipeline if isinstance(row[3], int)),
        "applications": mentoring["applications"],
        "pairs": mentoring["pairs"],
        "meetings": mentoring["meetings"],
        "evaluations": [
            [entry["label"], entry["count"], entry["usefulness"], entry["goals_met"]]
            for entry in mentoring["evaluations"].values()
        ],
    }


def tables(figures: dict[str, Any]) -> list[ReportTable]:
    return [
        rows_table(
            "careers-pipeline",
            "The promotion pipeline: people at each band, and how many meet the next band",
            ["Pathway", "Band", "People", "Meeting the next band"],
            figures["pipeline"],
        ),
        rows_table(
            "careers-mentoring",
            "Mentoring",
            ["Figure", "Value"],
            [
                ["Applications", figures["applications"]],
                ["Pairs started", figures["pairs"]],
                ["Meetings logged", figures["meetings"]],
            ],
        ),
        rows_table(
            "careers-evaluations",
            "Mentoring evaluations (average of 1 to 5)",
            ["Evaluation", "Answers", "Usefulness", "Goals met"],
            figures["evaluations"],
        ),
    ]


def headlines(figures: dict[str, Any]) -> list[tuple[str, float]]:
    return [
        ("Mentoring pairs started", figures["pairs"]),
        ("Ready for the next band", figures["ready"]),
    ]


SECTION = ReportSection(
    name="careers",
    title="Career development: pathways and mentoring",
    figures=figures,
    template="careers/report/section.html",
    order=41,
    tables=tables,
    headlines=headlines,
)
