"""The technician voice's section of the annual report (registered in VoiceConfig.ready()):
the year's surveys with their response rates, and in each pillar the results of the questions
tagged with it. Only figures that reach VOICE_MIN_GROUP are ever reported."""

from __future__ import annotations

from typing import Any

from actionplan.models import Pillar
from portal.periods import academic_year_bounds
from portal.registry import ReportSection, ReportTable
from portal.reports.builders import rows_table
from voice import selectors


def figures(year: int) -> dict[str, Any]:
    start, end = academic_year_bounds(year)
    evidence = selectors.voice_evidence(start, end)
    labels = dict(Pillar.choices)
    by_pillar = selectors.pillar_headlines(start, end)
    return {
        "surveys": [
            [
                item["survey"],
                "anonymous" if item["anonymous"] else "named",
                item["invited"],
                item["answered"],
                item["rate"] if item["rate"] is not None else "",
            ]
            for item in evidence
        ],
        "pillars": [
            {
                "pillar": labels[pillar],
                "results": [
                    [
                        row["survey"],
                        row["question"],
                        row["mean"],
                        row["respondents"],
                        "" if row["change"] is None else row["change"],
                    ]
                    for row in by_pillar[pillar]
                ],
            }
            for pillar in Pillar.values
            if pillar in by_pillar
        ],
        "actions": sum(len(item["actions"]) for item in evidence),
        "invited": sum(item["invited"] for item in evidence),
        "answered": sum(item["answered"] for item in evidence),
    }


def tables(figures: dict[str, Any]) -> list[ReportTable]:
    result = [
        rows_table(
            "voice-surveys",
            "Surveys of the year",
            ["Survey", "Kind", "Invited", "Answered", "Response rate (%)"],
            figures["surveys"],
        )
    ]
    for index, pillar in enumerate(figures["pillars"]):
        result.append(
            rows_table(
                f"voice-pillar-{index + 1}",
                f"The technician voice on {pillar['pillar'].lower()}",
                ["Survey", "Question", "Mean (1–5)", "Respondents", "Change"],
                pillar["results"],
            )
        )
    return result


def headlines(figures: dict[str, Any]) -> list[tuple[str, float]]:
    rate = round(100 * figures["answered"] / figures["invited"]) if figures["invited"] else 0
    return [
        ("Survey invitations answered (%)", rate),
        ("Actions made from survey results", figures["actions"]),
    ]


SECTION = ReportSection(
    name="voice",
    title="The technician voice",
    figures=figures,
    template="voice/report/section.html",
    order=70,
    tables=tables,
    headlines=headlines,
)
