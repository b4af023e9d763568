"""The PDF, the figures page and the CSVs of a small known data set (tests/commitment/conftest.py)
give the same figures, section by section."""

import csv
import io
import re

import pypdf
import pytest
from django.core.management import call_command

from commitment.models import AnnualReport
from commitment.reports import document, rendering, work
from commitment.services import request_annual_report
from portal import roles
from portal.csv_export import unneutralise
from tests.commitment.conftest import YEAR
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PILLAR_TITLES = ["Visibility", "Recognition", "Career development", "Sustainability"]
APPENDICES = {
    "Who we are": "Appendix: Who we are",
    "Visibility": "Appendix: Visibility",
    "Recognition": "Appendix: Recognition",
    "Career development": "Appendix: Career development",
    "Sustainability": "Appendix: Sustainability",
    "The action plan": "Appendix: The action plan",
}
# The narrative first (a summary, each pillar, the highlights), then the data as appendices.
SECTION_TITLES = ["Executive summary", *PILLAR_TITLES, "Highlights", *APPENDICES.values()]


def squash(text: str) -> str:
    """Extracted text without spaces: the PDF's kerning splits words ("T echnicians")."""
    return re.sub(r"\s+", "", text)


def pdf_sections(pdf: bytes) -> tuple[int, list[str], dict[str, str]]:
    """(pages, text of each page, squashed text of each section): a section runs from the
    page that opens with its title to the next section's first page."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    sections: dict[str, str] = {}
    current = None
    for text in pages[2:]:
        first_line = text.strip().splitlines()[0].strip()
        # Appendices are lettered in the order apps registered them: keyed without the letter.
        first_line = re.sub(r"^Appendix [A-Z]: ", "Appendix: ", first_line)
        if first_line in SECTION_TITLES or first_line.startswith("Appendix: "):
            current = first_line
        if current:
            sections[current] = sections.get(current, "") + squash(text)
    return len(pages), pages, sections


@pytest.fixture
def hr(db):
    return make_user("harper.hr@example.ac.uk", roles.HR)


@pytest.fixture
def ready_report(known_data, hr):
    report = request_annual_report(YEAR, by=hr)  # in-process in tests: rendered on commit
    work.render(report.pk)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.READY, report.error
    return report


def test_the_section_figures_of_the_known_data_set(known_data):
    figures = document.section_figures(YEAR)
    who = figures["who_we_are"]
    assert (who["headcount"], who["apprentices"], who["joiners"], who["leavers"]) == (5, 1, 2, 1)
    assert who["by_faculty"] == [("Faculty of Arts", 1), ("Faculty of Science", 4)]
    visibility = figures["visibility"]
    assert visibility["profiles_complete"] == 1
    assert visibility["profiles_complete_percent"] == 20.0
    assert (visibility["public_profiles"], visibility["photos"]) == (2, 1)
    assert (visibility["departments"], visibility["departments_with_helpdesk"]) == (3, 2)
    sustainability = figures["sustainability"]
    assert sustainability["single_holder_by_department"] == [
        ["Design Studio", 1, "Laser cutting"],
        ["Physics Workshop", 1, "Glassblowing"],
    ]
    assert [row[0] for row in sustainability["untaught"]] == ["Glassblowing", "Laser cutting"]
    recognition = figures["recognition"]
    assert (recognition["registered"], recognition["registered_percent"]) == (2, 40.0)
    assert [[code, count] for code, _, count in recognition["by_register"]] == [
        ["RSciTech", 1],
        ["CSci", 1],
    ]
    assert recognition["by_body"] == [
        ["Institute of Physics", 1],
        ["Royal Society of Chemistry", 1],
    ]
    assert recognition["new_registrations"] == 1
    assert (recognition["applications"], recognition["approved"], recognition["rejected"]) == (
        3,
        2,
        1,
    )
    assert (recognition["budget"], recognition["committed"], recognition["spent"]) == (
        1000.0,
        66.0,
        58.0,
    )
    assert recognition["remaining"] == 876.0
    career = figures["career_development"]
    assert (career["technicians"], career["days"], career["average_days"]) == (5, 8.0, 1.6)
    assert (career["meeting_target"], career["meeting_target_percent"]) == (1, 20.0)
    assert career["mix"] == [
        ["On the job", 5.0, 62.5, 70.0],
        ["Conference or workshop", 2.0, 25.0, 20.0],
        ["Formal course", 1.0, 12.5, 10.0],
    ]
    assert (career["sessions_delivered"], career["sessions_cancelled"]) == (1, 1)
    assert (career["attended"], career["no_shows"]) == (2, 1)
    assert (career["attendance_percent"], career["no_show_percent"]) == (66.7, 33.3)
    assert career["demand"] == [
        ["Fume cupboard safety", 1, 0, 2],
        ["Glassblowing basics", 0, 1, 0],  # its one session was cancelled
    ]
    plan = figures["action_plan"]
    assert plan["actions"] == 5  # the draft plan's action is not reported
    assert plan["pillars"][0] == ["Visibility", 2, 1, 0, 0, 1, 70]
    assert plan["completed"] == [["V1", "Publish the directory", "Visibility"]]
    assert plan["overdue"] == [
        ["V2", "Photos for every profile", "Visibility", "Olive Owner", "2026-01-31", 43]
    ]
    assert plan["updates"] == 2  # last year's update is not counted


def test_the_pdf_holds_the_figures_section_by_section(ready_report):
    pages, page_texts, sections = pdf_sections(ready_report.file.read())
    assert 8 <= pages <= 30
    assert ready_report.pages == pages
    # The contents run over as many pages as the registered sections need.
    cover, contents = squash(page_texts[0]), "".join(squash(text) for text in page_texts[1:4])
    assert "annualprogressreport" in cover and "2025–26" in cover
    # The contents page lists every section with its page number.
    assert contents.startswith("Contents")
    for title in SECTION_TITLES:
        pattern = re.escape(squash(title)).replace("Appendix:", "Appendix[A-Z]:")
        assert re.search(pattern + r"\.{3,}\d+", contents), title
    # Apps registered since (careers, recognition, the voice) add appendices after these.
    assert set(SECTION_TITLES) <= set(sections)

    summary = sections["Executive summary"]
    # Each pillar's narrative, in the order a reader expects.
    for title in PILLAR_TITLES:
        text = sections[title]
        headings = ["Whatwecommittedto", "Whatwedid", "Whatthefiguresshow", "Whatcomesnext"]
        positions = [text.find(heading) for heading in headings]
        assert -1 not in positions and positions == sorted(positions), title
    assert "Draft:notyetapprovedbythesteeringchair" in cover
    assert "VisibilityTechnicians53up2" in summary  # 5 now, 3 had started by July 2025
    who = sections[APPENDICES["Who we are"]]
    assert "FacultyofArts1" in who and "FacultyofScience4" in who
    assert "Joinedthisyear2" in who and "Leftthisyear1" in who
    visibility = sections[APPENDICES["Visibility"]]
    assert "Completeprofiles120" in visibility  # 1 technician, 20 %
    assert "Publicprofiles240" in visibility
    assert "FacultyofSciencePhysicsWorkshop" in visibility  # no helpdesk address
    recognition = sections[APPENDICES["Recognition"]]
    assert "2of5techniciansregistered,40%" in recognition
    assert "Newregistrationsthisyear(1)" in recognition
    assert "Budget£1,000.00" in recognition and "Spent(paid)£58.00" in recognition
    assert "Remaining£876.00" in recognition
    career = sections[APPENDICES["Career development"]]
    assert "Dayspertechnician1.6" in career
    assert "Meetingthepro-ratatarget(%)20" in career
    assert "Onthejob562.570" in career  # 5 days, 62.5 % of them, against 70 %
    assert "Attendancerate(%)66.7" in career and "No-showrate(%)33.3" in career
    assert "Fumecupboardsafety102" in career  # waiting-list demand: 1 waiting, 2 sessions
    sustainability = sections[APPENDICES["Sustainability"]]
    assert "DesignStudio1Lasercutting" in sustainability
    assert "PhysicsWorkshop1Glassblowing" in sustainability
    assert "GlassblowingWorkshop1" in sustainability
    plan = sections[APPENDICES["The action plan"]]
    assert "Visibility21001" in plan  # 2 actions: 1 red, 0 amber, 0 green, 1 complete
    assert "V1PublishthedirectoryVisibility" in plan
    assert "V2PhotosforeveryprofileVisibilityOliveOwner31January202643" in plan
    # Every chart has its text alternative beside it.
    assert "Barchartoftechniciansbyfaculty" in who


def test_the_pdf_is_tagged_for_accessibility(ready_report):
    reader = pypdf.PdfReader(io.BytesIO(ready_report.file.read()))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    metadata = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in metadata  # declared PDF/UA-1
    assert reader.metadata.title.startswith("Technician Commitment annual progress report 2025–26")


def _page_text(response) -> str:
    return squash(re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_figures_page_and_the_csvs_give_the_pdfs_figures(ready_report, hr, client):
    _, _, sections = pdf_sections(ready_report.file.read())
    client.force_login(hr)
    response = client.get(f"/reports/figures/{YEAR}/")
    assert response.status_code == 200
    page = _page_text(response)
    built = document.build(YEAR, with_charts=False)
    for slug, table in built.tables().items():
        assert f"/reports/figures/{YEAR}/{slug}.csv" in response.content.decode()
        download = client.get(f"/reports/figures/{YEAR}/{slug}.csv")
        assert download.status_code == 200
        rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
        assert rows[0] == table.header
        # Cells a spreadsheet would run as a formula come neutralised (a leading apostrophe).
        assert [[unneutralise(cell) for cell in row] for row in rows[1:]] == [
            [str(cell) for cell in row] for row in table.rows
        ]
        # The same numbers, row by row, on the page and in the PDF.
        for row in table.rows:
            cells = squash("".join(document.number(cell) for cell in row))
            assert cells in page, (slug, row)
            assert cells in "".join(sections.values()), (slug, row)


def test_an_unknown_table_or_year_is_not_found(known_data, hr, client):
    client.force_login(hr)
    assert client.get(f"/reports/figures/{YEAR}/nope.csv").status_code == 404
    assert client.get("/reports/figures/2090/").status_code == 404


def test_render_annual_report_makes_the_same_pdf_without_the_web(known_data, tmp_path):
    output = tmp_path / "report.pdf"
    out = io.StringIO()
    call_command("render_annual_report", str(YEAR), "--output", str(output), stdout=out)
    assert "2025–26" in out.getvalue()
    pages, _, sections = pdf_sections(output.read_bytes())
    assert pages >= 5
    assert "Completeprofiles120" in sections[APPENDICES["Visibility"]]


def test_render_annual_report_without_the_libraries_says_what_to_install(
    known_data, monkeypatch, tmp_path
):
    from django.core.management import CommandError

    monkeypatch.setattr(rendering, "load_weasyprint", _missing_libraries)
    with pytest.raises(CommandError, match="apt-get install libpango-1.0-0"):
        call_command("render_annual_report", str(YEAR), "--output", str(tmp_path / "x.pdf"))


def _missing_libraries():
    raise rendering.RenderingUnavailable(
        rendering.missing_libraries_message(OSError("cannot load library 'libpango-1.0-0'"))
    )


def _more_of_everything(count: int) -> None:
    from tests import factories

    department = factories.DepartmentFactory()
    plan = factories.ActionPlanFactory(title="More actions")
    for n in range(count):
        technician = factories.TechnicianFactory(department=department, is_apprentice=n % 3 == 0)
        factories.TechnicianSkillFactory(technician=technician, level=2 + n % 3)
        action = factories.ActionFactory(plan=plan, ref=f"M{n}", pillar="sustainability")
        factories.ActionUpdateFactory(action=action)


def test_the_figures_page_runs_the_same_queries_whatever_the_data(
    known_data, hr, client, django_assert_max_num_queries
):
    client.force_login(hr)
    # Every registered section runs its own constant queries (careers, recognition, the voice).
    with django_assert_max_num_queries(130) as small:
        assert client.get(f"/reports/figures/{YEAR}/").status_code == 200
    _more_of_everything(25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/reports/figures/{YEAR}/").status_code == 200
