"""The report's content for a year, as a steering group would send it.

Order: an executive summary; then a short narrative for each pillar (what we committed to,
what we did, what the figures show, what comes next); the highlights the steering group wrote;
then every registered section's full data as appendices.

One source for every figure: the headline figures are `commitment.kpis` figures, computed
once here, and the summary and each pillar's "what the figures show" render the same objects;
the appendices, the figures page and the CSVs read the sections' one figures dict. A figure
with no data behind it says so in words. Dates are written "31 July 2026" and numbers "1,243"
throughout (the appendices' ISO dates are rewritten).

Last year's headline figures are those its latest ready report stored (what was reported
then), or, when there is none, computed now.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as format_date

from commitment import kpis
from commitment.models import AnnualReport
from portal import registry
from portal.periods import academic_year_bounds, academic_year_label
from portal.registry import ReportSection, ReportTable
from portal.reports import charts as chart_rendering
from portal.reports.builders import number  # noqa: F401  (the tests read numbers this way)

SUMMARY_TABLE = "summary"
APPENDIX_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def long_date(day: datetime.date) -> str:
    return format_date(day, "j F Y")


def tidy_text(value: Any) -> Any:
    """ISO dates in a string become "31 July 2026"; anything else is left as it is."""
    if not isinstance(value, str):
        return value

    def replace(match: re.Match) -> str:
        try:
            return long_date(datetime.date(*(int(part) for part in match.groups())))
        except ValueError:
            return match.group(0)

    return ISO_DATE.sub(replace, value)


def tidy_table(table: ReportTable) -> ReportTable:
    return ReportTable(
        slug=table.slug,
        title=tidy_text(table.title),
        header=list(table.header),
        rows=[[tidy_text(cell) for cell in row] for row in table.rows],
    )


@dataclass
class RenderedSection:
    name: str
    title: str
    template: str
    figures: dict[str, Any]
    tables: list[ReportTable]
    charts: list[chart_rendering.RenderedChart]
    # What the section's own headline boxes would show: stored with a ready report, never
    # shown (the report's headline figures are `commitment.kpis`, one source for all).
    section_headlines: list[tuple[str, float]]
    letter: str = ""
    headlines: list[tuple[str, float]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"section-{self.name}"

    @property
    def appendix_title(self) -> str:
        return f"Appendix {self.letter}: {self.title}" if self.letter else self.title

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
class ActionLine:
    ref: str
    title: str
    status: str
    progress: int
    due_on: str
    evidence: int  # updates with evidence


@dataclass
class PillarNarrative:
    pillar: str
    title: str
    aim: str
    committed: list[ActionLine]
    completed: list[ActionLine]
    progressing: list[ActionLine]
    next_steps: list[ActionLine]
    figures: list[kpis.Figure]

    @property
    def anchor(self) -> str:
        return f"pillar-{self.pillar}"


@dataclass
class ReportDocument:
    year: int
    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    generated: datetime.datetime
    institution: str
    sections: list[RenderedSection]
    figures: list[kpis.Figure] = field(default_factory=list)
    pillars: list[PillarNarrative] = field(default_factory=list)
    highlights: list[Any] = field(default_factory=list)
    previous_source: str = ""  # "report" or "computed": where last year's figures came from
    approval: dict[str, str] | None = None  # {"by": name, "on": "31 July 2026"}

    @property
    def previous_label(self) -> str:
        return academic_year_label(self.year - 1)

    @property
    def period(self) -> str:
        return f"{long_date(self.starts_on)} to {long_date(self.ends_on)}"

    @property
    def summary_table(self) -> ReportTable:
        return ReportTable(
            slug=SUMMARY_TABLE,
            title=f"Headline figures, {self.label} against {self.previous_label}",
            header=["Pillar", "Figure", self.label, self.previous_label, "Change"],
            rows=[
                [
                    figure.pillar_label,
                    figure.label,
                    figure.text,
                    figure.previous_text,
                    figure.change_text,
                ]
                for figure in self.figures
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
    def headlines(self) -> dict[str, Any]:
        """What a ready report stores: section name -> {label: value}, and under "kpis" the
        headline figures by pillar (next year's summary compares against them)."""
        stored: dict[str, Any] = {
            section.name: dict(section.section_headlines) for section in self.sections
        }
        stored["kpis"] = kpis.stored(self.figures)
        return stored


def section_figures(year: int) -> dict[str, dict[str, Any]]:
    return {section.name: section.figures(year) for section in registry.report_sections()}


def _render_section(
    section: ReportSection, figures: dict[str, Any], *, with_charts: bool, letter: str = ""
) -> RenderedSection:
    return RenderedSection(
        name=section.name,
        title=section.title,
        template=section.template,
        # What the section's template prints: its ISO dates written the report's way.
        figures={key: tidy_text(value) for key, value in figures.items()},
        tables=[tidy_table(table) for table in section.tables(figures)],
        charts=[chart_rendering.render(chart) for chart in section.charts(figures)]
        if with_charts
        else [],
        section_headlines=[(label, value) for label, value in section.headlines(figures)],
        letter=letter,
    )


def reported_headlines(year: int) -> dict[str, Any] | None:
    """What the latest ready report of `year` stored, if it stored the headline figures."""
    reported = (
        AnnualReport.objects.filter(year=year, status=AnnualReport.Status.READY)
        .exclude(headlines={})
        .order_by("-version")
        .values_list("headlines", flat=True)
        .first()
    )
    return reported if reported and "kpis" in reported else None


def _previous_figures(year: int) -> tuple[list[kpis.Figure] | None, dict | None, str]:
    reported = reported_headlines(year - 1)
    if reported:
        return None, reported["kpis"], "report"
    return None, None, "computed"


def _action_lines(year: int) -> dict[str, dict[str, list[ActionLine]]]:
    """Each pillar's actions of the plans that ran during the year (drafts never), in four
    lists. Two queries."""
    from actionplan.models import Action, ActionPlan, ActionUpdate

    first_day, last_day = academic_year_bounds(year)
    actions = list(
        Action.objects.exclude(plan__status=ActionPlan.Status.DRAFT)
        .filter(plan__starts_on__lte=last_day, plan__ends_on__gte=first_day)
        .order_by("due_on", "ref", "pk")
    )
    evidence: dict[int, int] = {}
    for action_id in (
        ActionUpdate.objects.filter(action__in=[action.pk for action in actions])
        .exclude(evidence="", evidence_url="")
        .values_list("action_id", flat=True)
    ):
        evidence[action_id] = evidence.get(action_id, 0) + 1
    found = {
        pillar: {"committed": [], "completed": [], "progressing": [], "next": []}
        for pillar, _ in kpis.PILLARS
    }
    for action in actions:
        lists = found.get(action.pillar)
        if lists is None:
            continue
        line = ActionLine(
            ref=action.ref,
            title=action.title,
            status=action.get_status_display(),
            progress=action.progress,
            due_on=long_date(action.due_on),
            evidence=evidence.get(action.pk, 0),
        )
        lists["committed"].append(line)
        if action.status == Action.Status.COMPLETE:
            lists["completed"].append(line)
        else:
            if action.status == Action.Status.IN_PROGRESS:
                lists["progressing"].append(line)
            lists["next"].append(line)
    return found


def _approval(report: AnnualReport | None) -> dict[str, str] | None:
    if report is None or not report.approved_at:
        return None
    by = report.approved_by
    return {
        "by": (by.get_full_name() or by.email) if by else "the steering chair",
        "on": long_date(timezone.localtime(report.approved_at).date()),
    }


def build(
    year: int, *, with_charts: bool = True, report: AnnualReport | None = None
) -> ReportDocument:
    from actionplan.models import PILLAR_AIMS
    from commitment.models import ReportHighlight

    starts_on, ends_on = academic_year_bounds(year)
    registered = registry.report_sections()
    figures = {section.name: section.figures(year) for section in registered}
    sections = [
        _render_section(
            section,
            figures[section.name],
            with_charts=with_charts,
            letter=APPENDIX_LETTERS[index % len(APPENDIX_LETTERS)],
        )
        for index, section in enumerate(registered)
    ]
    reported = reported_headlines(year - 1)
    if reported:
        headline_figures = [
            kpis.Figure(
                kpi=figure.kpi,
                value=figure.value,
                previous=(reported["kpis"].get(figure.kpi.pillar) or {}).get(figure.kpi.slug),
            )
            for figure in kpis.compute(figures, None)
        ]
        source = "report"
    else:
        previous = {section.name: section.figures(year - 1) for section in registered}
        headline_figures = kpis.compute(figures, previous)
        source = "computed"
    by_pillar = kpis.by_pillar(headline_figures)
    lines = _action_lines(year)
    pillars = [
        PillarNarrative(
            pillar=pillar,
            title=label,
            aim=str(PILLAR_AIMS.get(pillar, "")),
            committed=lines[pillar]["committed"],
            completed=lines[pillar]["completed"],
            progressing=lines[pillar]["progressing"],
            next_steps=lines[pillar]["next"],
            figures=by_pillar[pillar],
        )
        for pillar, label in kpis.PILLARS
    ]
    return ReportDocument(
        year=year,
        label=academic_year_label(year),
        starts_on=starts_on,
        ends_on=ends_on,
        generated=timezone.localtime(),
        institution=settings.PORTAL_INSTITUTION_NAME,
        sections=sections,
        figures=headline_figures,
        pillars=pillars,
        highlights=list(ReportHighlight.objects.filter(year=year).order_by("created", "pk")),
        previous_source=source,
        approval=_approval(report),
    )
