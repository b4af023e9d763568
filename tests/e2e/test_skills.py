"""The skills matrix in a real browser: readable on a phone (375 px, no sideways scrolling,
one unit at a time), and a technician finds who can teach them a skill, asks for shadowing,
and the colleague accepts; with accessibility scans (axe-core) of the pages on the way."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.conftest import make_user
from tests.e2e.conftest import assert_no_serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def skills_world(personas):
    chemistry = personas.technician_profile.department
    nmr = factories.SkillFactory(name="NMR spectroscopy", category="Analytical")
    hplc = factories.SkillFactory(name="HPLC method development", category="Analytical")
    welding = factories.SkillFactory(name="TIG welding", category="Engineering and workshop")
    faculties = [
        ("Faculty of Engineering", "Mechanical Engineering", "mech-eng"),
        ("Faculty of Medicine and Health Sciences", "Biomedical Sciences", "biomed"),
        ("Faculty of Arts and Humanities", "Fine Art", "fine-art"),
    ]
    for faculty, name, slug in faculties:
        department = factories.DepartmentFactory(name=name, slug=slug, faculty=faculty)
        for level in (2, 3):
            technician = factories.TechnicianFactory(department=department)
            factories.TechnicianSkillFactory(technician=technician, skill=welding, level=level)
            factories.TechnicianSkillFactory(technician=technician, skill=hplc, level=level + 1)
    teacher_user = make_user("nadia.nmr@example.ac.uk")
    teacher = factories.TechnicianFactory(
        user=teacher_user,
        email=teacher_user.email,
        first_name="Nadia",
        last_name="Okoro",
        job_title="NMR Facility Manager",
        department=chemistry,
    )
    factories.TechnicianSkillFactory(technician=teacher, skill=nmr, level=4)
    factories.TechnicianSkillFactory(technician=personas.manager_profile, skill=nmr, level=2)
    return {"nmr": nmr, "teacher": teacher, "teacher_user": teacher_user}


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_the_matrix_on_a_phone(skills_world, personas, log_in, live_server, page):
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(personas.technician)
    page.goto(f"{live_server.url}/technicians/skills/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills matrix")
    matrix = page.get_by_role("table", name="Skills by faculty")
    expect(matrix).to_be_visible()
    # One unit at a time: the viewer's own faculty first, the others hidden.
    expect(matrix.get_by_role("columnheader", name="Faculty of Science")).to_be_visible()
    expect(matrix.get_by_role("columnheader", name="Faculty of Engineering")).to_be_hidden()
    assert no_sideways_scroll(page)
    assert_no_serious_accessibility_violations(page)

    page.get_by_label("Show faculty").select_option("Faculty of Engineering")
    page.locator(".unit-picker").get_by_role("button", name="Show").click()
    expect(matrix.get_by_role("columnheader", name="Faculty of Engineering")).to_be_visible()
    expect(matrix.get_by_role("columnheader", name="Faculty of Science")).to_be_hidden()
    assert no_sideways_scroll(page)

    page.goto(f"{live_server.url}/technicians/skills/?faculty=Faculty+of+Science")
    expect(
        page.get_by_role("table", name="Skills by department of Faculty of Science")
    ).to_be_visible()
    assert no_sideways_scroll(page)
    assert_no_serious_accessibility_violations(page)


def test_find_who_can_teach_me_ask_and_be_accepted(
    skills_world, personas, log_in, live_server, page
):
    log_in(personas.technician)
    page.goto(f"{live_server.url}/technicians/skills/")
    page.get_by_role("link", name="NMR spectroscopy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("NMR spectroscopy")
    teachers = page.locator(".teacher-list")
    expect(teachers.get_by_role("heading", name="Nadia Okoro")).to_be_visible()
    assert_no_serious_accessibility_violations(page)

    page.get_by_label("Note for Nadia (optional)").fill("Could I join a Tuesday session?")
    page.get_by_role("button", name="Ask Nadia Okoro for shadowing").click()
    expect(page.get_by_text("Your request has been sent to Nadia Okoro.")).to_be_visible()
    expect(page.get_by_text("You have asked Nadia")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()
    log_in(skills_world["teacher_user"])
    page.goto(f"{live_server.url}/technicians/skills/shadowing/")
    request = page.locator(".request-list li").filter(has_text="Alex Tech: NMR spectroscopy")
    expect(request).to_contain_text("Could I join a Tuesday session?")
    assert_no_serious_accessibility_violations(page)
    request.get_by_label("Note to Alex (optional)").fill("Yes, see you at nine.")
    request.get_by_role("button", name="Accept Alex Tech's request").click()
    expect(page.get_by_text("You accepted the request.")).to_be_visible()
    expect(page.locator(".request-list li").first).to_contain_text("Accepted")


def test_hr_declares_a_need_on_a_phone_and_sees_the_risk(
    skills_world, personas, log_in, live_server, page
):
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(personas.hr)
    page.goto(f"{live_server.url}/technicians/skills/needs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills each unit needs")
    page.get_by_role("link", name="Chemistry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills Chemistry needs")
    assert no_sideways_scroll(page)
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("NMR spectroscopy").fill("3")
    page.get_by_role("button", name="Save the needs").click()
    expect(page.get_by_text("1 added, 0 changed, 0 removed")).to_be_visible()
    expect(page.get_by_label("NMR spectroscopy")).to_have_value("3")

    page.goto(f"{live_server.url}/technicians/skills/risks/")
    row = page.get_by_role("row").filter(has_text="NMR spectroscopy")
    expect(row).to_contain_text("Chemistry")
    expect(row).to_contain_text("Thin")  # two practitioners of the three wanted
    assert no_sideways_scroll(page)
    assert_no_serious_accessibility_violations(page)
