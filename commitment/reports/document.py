"""The report's content for a year: every registered section's figures, tables and charts.

The PDF, the HR figures page and the CSVs are all built from one `ReportDocument`, so they
can never disagree. The executive summary compares each section's headline figures with the
previous year: those the previous year's latest ready report stored (what was reported then),
or, when there is none, the previous year's figures computed now.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from commitment.models import AnnualReport
from portal import registry
from portal.periods import academic_year_bounds, academic_year_label
from portal.registry import ReportSection, ReportTable
from portal.reports import charts as chart_rendering
from portal.reports.builders import number

SUMMARY_TABLE = "summary"


@dataclass
class RenderedSection:
    name: str
    title: str
    template: str
    figures: dict[str, Any]
    tables: list[ReportTable]
    charts: list[chart_rendering.RenderedChart]
    headlines: list[tuple[str, float]]

    @property
    def anchor(self) -> str:
        return f"section-{self.name}"

    @property
    def tables_by_slug(self) -> dict[str, ReportTable]:
        return {table.slug: table for table in self.tables}

    @property
    def charts_by_slug(self) -> dict[str, chart_rendering.RenderedChart]:
        return {chart.slug: chart for chart in self.charts}

    @property
    def charted(self) -> list[tuple[chart_rendering.RenderedChart, ReportTable | None]]:
        """Each chart with the table of its numbers."""
        tables = self.tables_by_slug
        return [(chart, tables.get(chart.table)) for chart in self.charts]

    @property
    def other_tables(self) -> list[ReportTable]:
        """The tables no chart shows."""
        used = {chart.table for chart in self.charts}
        return [table for table in self.tables if table.slug not in used]


@dataclass
class SummaryRow:
    section: str
    label: str
    value: float
    previous: float | None

    @property
    def change(self) -> float | None:
        return None if self.previous is None else round(self.value - self.previous, 1)

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return "not reported"
        if change == 0:
            return "no change"
        # Words, not a sign: clearer read aloud, and a spreadsheet never takes "+2" for a formula.
        return f"{'up' if change > 0 else 'down'} {number(abs(change))}"


@dataclass
class ReportDocument:
    year: int
    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    generated: datetime.datetime
    institution: str
    sections: list[RenderedSection]
    summary: list[SummaryRow] = field(default_factory=list)
    previous_source: str = ""  # "report" or "computed": where last year's figures came from

    @property
    def previous_label(self) -> str:
        return academic_year_label(self.year - 1)

    @property
    def summary_table(self) -> ReportTable:
        return ReportTable(
            slug=SUMMARY_TABLE,
            title=f"Headline figures, {self.label} against {self.previous_label}",
            header=["Section", "Figure", self.label, self.previous_label, "Change"],
            rows=[
                [
                    row.section,
                    row.label,
                    number(row.value),
                    "" if row.previous is None else number(row.previous),
                    row.change_text,
                ]
                for row in self.summary
            ],
        )

    def tables(self) -> dict[str, ReportTable]:
        """Every table of the report by slug (the CSVs), the summary first."""
        found = {SUMMARY_TABLE: self.summary_table}
        for section in self.sections:
            for table in section.tables:
                found[table.slug] = table
        return found

    @property
    def headlines(self) -> dict[str, dict[str, float]]:
        """What a ready report stores: section name -> {label: value}."""
        return {section.name: dict(section.headlines) for section in self.sections}


def section_figures(year: int) -> dict[str, dict[str, Any]]:
    return {section.name: section.figures(year) for section in registry.report_sections()}


def _render_section(
    section: ReportSection, figures: dict[str, Any], *, with_charts: bool
) -> RenderedSection:
    return RenderedSection(
        name=section.name,
        title=section.title,
        template=section.template,
        figures=figures,
        tables=list(section.tables(figures)),
        charts=[chart_rendering.render(chart) for chart in section.charts(figures)]
        if with_charts
        else [],
        headlines=[(label, value) for label, value in section.headlines(figures)],
    )


def previous_headlines(year: int) -> tuple[dict[str, dict[str, float]], str]:
    """Last year's headline figures: as its latest ready report stored them, else computed."""
    reported = (
        AnnualReport.objects.filter(year=year - 1, status=AnnualReport.Status.READY)
        .exclude(headlines={})
        .order_by("-version")
        .values_list("headlines", flat=True)
        .first()
    )
    if reported:
        return reported, "report"
    return {
        section.name: dict(section.headlines(section.figures(year - 1)))
        for section in registry.report_sections()
    }, "computed"


def build(year: int, *, with_charts: bool = True) -> ReportDocument:
    starts_on, ends_on = academic_year_bounds(year)
    sections = [
        _render_section(section, section.figures(year), with_charts=with_charts)
        for section in registry.report_sections()
    ]
    previous, source = previous_headlines(year)
    summary = [
        SummaryRow(
            section=section.title,
            label=label,
            value=value,
            previous=previous.get(section.name, {}).get(label),
        )
        for section in sections
        for label, value in section.headlines
    ]
    return ReportDocument(
        year=year,
        label=academic_year_label(year),
        starts_on=starts_on,
        ends_on=ends_on,
        generated=timezone.localtime(),
        institution=settings.PORTAL_INSTITUTION_NAME,
        sections=sections,
        summary=summary,
        previous_source=source,
    )
