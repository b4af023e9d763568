"""The directory in a real browser: find a technician by filtering live, open their profile;
and an accessibility scan (axe-core) of the pages of the directory."""

import re

import pytest
from playwright.sync_api import expect

from technicians.models import Technician
from tests import factories
from tests.e2e.conftest import assert_no_serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(personas):
    engineering = factories.DepartmentFactory(
        name="Mechanical Engineering", slug="mech-eng", faculty="Faculty of Engineering"
    )
    welding = factories.SkillFactory(name="TIG welding", category="Engineering")
    tom = factories.TechnicianFactory(
        first_name="Tom",
        last_name="Baxter",
        job_title="Workshop Technician",
        role_family=Technician.RoleFamily.ENGINEERING,
        department=engineering,
        equipment="CNC milling machine",
        expertise="Fabrication of test rigs",
        visibility=Technician.Visibility.PUBLIC,
        orcid="0000-0002-1825-0097",
    )
    factories.TechnicianSkillFactory(technician=tom, skill=welding, level=4)
    factories.attach_photo(tom)
    lena = factories.TechnicianFactory(
        first_name="Lena",
        last_name="Zhou",
        job_title="Research Technician",
        department=engineering,
        expertise="Fatigue testing",
    )
    factories.TechnicianSkillFactory(technician=lena, skill=welding, level=2)
    for index in range(6):
        factories.TechnicianFactory(
            first_name=f"Chris{index}",
            last_name="Chemist",
            department=personas.technician_profile.department,
        )
    return {"tom": tom, "lena": lena}


def card_names(page):
    return page.locator("#results .tech-card h3")


def test_find_a_technician_by_filtering_and_open_their_profile(
    directory, personas, log_in, live_server, page
):
    problems = []  # console errors, e.g. a Content-Security-Policy violation by htmx

    def console(message):
        if message.type == "error" and "favicon" not in message.location.get("url", ""):
            problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(personas.technician)
    page.goto(f"{live_server.url}/technicians/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Technician directory")
    expect(card_names(page)).to_have_count(10)
    assert_no_serious_accessibility_violations(page)

    # Typing filters the results in place (htmx), without pressing the button.
    page.get_by_label("Search", exact=True).fill("welding")
    expect(card_names(page)).to_have_count(2)
    expect(page.locator("#results-count")).to_have_text("2 technicians found.")
    expect(page).to_have_url(re.compile(r"/technicians/\?q=welding"))

    # Choosing a filter narrows them further.
    page.get_by_label("Skill level at least").select_option("4")
    expect(card_names(page)).to_have_count(1)
    expect(card_names(page)).to_have_text(["Tom Baxter"])
    expect(page).to_have_url(re.compile(r"min_level=4"))

    page.get_by_role("link", name="Tom Baxter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tom Baxter")
    expect(page.get_by_role("cell", name="4 of 4: Can train others")).to_be_visible()
    photo = page.get_by_role("img", name="Photo of Tom Baxter")
    expect(photo).to_be_visible()
    # Visible comes before loaded: wait (up to Playwright's timeout) for the decoded photo.
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
    )
    assert_no_serious_accessibility_violations(page)

    # Back in the browser history, the filtered directory comes back.
    page.go_back()
    expect(page).to_have_url(re.compile(r"min_level=4"))
    expect(card_names(page)).to_have_text(["Tom Baxter"])
    assert not problems


def test_the_directory_works_without_javascript(directory, personas, browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(personas.technician.email)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/technicians/")
    page.get_by_label("Search", exact=True).fill("fatigue")
    page.get_by_role("button", name="Show results").click()
    expect(page).to_have_url(re.compile(r"q=fatigue"))
    expect(card_names(page)).to_have_text(["Lena Zhou"])
    context.close()


def test_accessibility_of_login_public_page_and_my_profile(
    directory, personas, log_in, live_server, page
):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_no_serious_accessibility_violations(page)

    page.goto(f"{live_server.url}/meet-our-technicians/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meet our technicians")
    expect(card_names(page)).to_have_text(["Tom Baxter"])
    assert_no_serious_accessibility_violations(page)

    page.get_by_role("link", name="Tom Baxter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tom Baxter")
    assert_no_serious_accessibility_violations(page)

    log_in(personas.technician)
    page.goto(f"{live_server.url}/technicians/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    assert_no_serious_accessibility_violations(page)
