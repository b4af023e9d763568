"""The annual report as a steering group would send it: one source for every figure (the
summary equals each pillar's section), "no data" in words, one style of dates and numbers,
the highlights, the KPI export."""

import csv
import io
import json
import re

import pytest

from commitment import kpis, services
from commitment.reports import document as report_document
from commitment.reports.rendering import report_html
from tests.commitment.conftest import YEAR

pytestmark = pytest.mark.django_db

KPI_CELL = re.compile(r'data-kpi="([\w.]+)">([^<]*)<')


def split_html(html: str) -> tuple[str, dict[str, str]]:
    """(the executive summary's HTML, each pillar section's HTML by id)."""
    body = html.split("<body>", 1)[1]
    summary = body.split('id="section-summary"', 1)[1].split("</section>", 1)[0]
    pillars = {}
    for pillar, _ in kpis.PILLARS:
        pillars[pillar] = body.split(f'id="pillar-{pillar}"', 1)[1].split("</section>", 1)[0]
    return summary, pillars


def test_the_summary_figures_equal_the_section_figures(known_data):
    html = report_html(report_document.build(YEAR, with_charts=False))
    summary, pillars = split_html(html)
    in_summary = dict(KPI_CELL.findall(summary))
    in_sections = {}
    for pillar, text in pillars.items():
        found = dict(KPI_CELL.findall(text))
        assert found and all(key.startswith(pillar + ".") for key in found)
        in_sections |= found
    assert len(in_summary) == len(kpis.CATALOGUE)
    assert in_summary == in_sections
    # The known data set's figures, once each.
    assert in_summary["visibility.technicians"] == "5"
    assert in_summary["visibility.complete_profiles_percent"] == "20 %"
    assert in_summary["recognition.fees_paid"] == "£58.00"
    assert in_summary["career_development.meeting_target_percent"] == "20 %"
    # The skills held by one technician: the same count as the appendix's table by
    # department (Glassblowing in Physics, Laser cutting in Design), never a different one.
    assert in_summary["sustainability.single_holder_skills"] == "2"


def test_figures_with_no_data_say_so(db):
    html = report_html(report_document.build(YEAR, with_charts=False))
    summary, _ = split_html(html)
    cells = dict(KPI_CELL.findall(summary))
    assert (
        cells["career_development.meeting_target_percent"]
        == "No training days were recorded this year."
    )
    assert cells["career_development.sessions_delivered"] == "No sessions were recorded this year."
    assert cells["career_development.no_show_percent"] == "No attendance was marked this year."
    assert "0 %" not in summary


def test_dates_and_numbers_are_written_one_way(known_data):
    html = report_html(report_document.build(YEAR, with_charts=False))
    body = html.split("<body>", 1)[1]
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", body)  # never 2026-07-31
    assert "31 January 2026" in body  # the overdue action's due date, in the appendix
    assert "1 August 2025 to 31 July 2026" in body


def test_the_highlights_come_before_the_appendices(known_data, personas):
    services.add_highlight(
        by=personas.steering, year=YEAR, title="Award for the glassblowers", body="A case study."
    )
    html = report_html(report_document.build(YEAR, with_charts=False))
    body = html.split("<body>", 1)[1]
    assert body.index("Award for the glassblowers") < body.index('id="section-who_we_are"')
    assert body.index('id="pillar-sustainability"') < body.index("Award for the glassblowers")


def test_the_kpi_export_gives_every_headline_figure_by_pillar_and_year(
    known_data, personas, client
):
    client.force_login(personas.steering)
    response = client.get("/commitment/reports/kpis.json")
    assert response.status_code == 200
    rows = json.loads(response.content)["kpis"]
    this_year = [row for row in rows if row["year"] == YEAR]
    assert len(this_year) == len(kpis.CATALOGUE)
    assert {row["pillar"] for row in this_year} == {pillar for pillar, _ in kpis.PILLARS}
    by_key = {row["key"]: row for row in this_year}
    assert by_key["visibility.technicians"]["value"] == 7  # the known data and two personas
    response = client.get("/commitment/reports/kpis.csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][:4] == ["Academic year", "Pillar", "Key", "Figure"]
    assert lines[1 + 2 * len(kpis.CATALOGUE)][:5] == [
        "2025–26",
        "visibility",
        "visibility.technicians",
        "Technicians",
        "7",
    ]
