"""At 375 px wide (a phone, 375×812) no page scrolls sideways: the dashboards, the directory,
a profile, My profile, a plan and the staff-list preview. Wide tables become stacked rows with
each cell labelled, or scroll inside their own box with the key columns kept."""

import datetime

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def world(personas):
    """Enough of everything that long names, tables and panels are on the pages."""
    today = datetime.date.today()
    department = personas.technician_profile.department
    department.helpdesk_email = "chemistry-technical-helpdesk@example.ac.uk"
    department.save()
    profile = personas.technician_profile
    profile.job_title = "Senior Research Technician (Nuclear Magnetic Resonance Spectroscopy)"
    profile.expertise = "Confocal microscopy; cryo-electron microscopy; superresolution imaging"
    profile.equipment = "Zeiss LSM 880 with Airyscan, Bruker Avance III HD 600 MHz"
    profile.visibility = "public"
    profile.save()
    for level, name in enumerate(
        ["Confocal microscopy", "Fluorescence-activated cell sorting", "Mass spectrometry"], 2
    ):
        factories.TechnicianSkillFactory(
            technician=profile, skill=factories.SkillFactory(name=name), level=level
        )
    for n in range(30):
        factories.TechnicianFactory(
            department=department,
            line_manager=personas.manager_profile,
            job_title="Laboratory Technician in Analytical and Environmental Chemistry",
            visibility="public" if n % 2 else "internal",
        )
    plan = factories.ActionPlanFactory(
        title="Technician Commitment Action Plan 2025–2028",
        starts_on=today - datetime.timedelta(days=200),
        ends_on=today + datetime.timedelta(days=900),
    )
    pillars = ["visibility", "recognition", "career_development", "sustainability"]
    for n in range(12):
        action = factories.ActionFactory(
            plan=plan,
            ref=f"{pillars[n % 4][0].upper()}{n}.1",
            pillar=pillars[n % 4],
            title="Publish every technician's profile on the departmental website and intranet",
            owner=[personas.technician, personas.manager, personas.steering][n % 3],
            due_on=today + datetime.timedelta(days=(n - 4) * 9),
            status="blocked" if n == 5 else "in_progress",
        )
        factories.ActionUpdateFactory(
            action=action,
            author=personas.steering,
            note="Agreed with the faculty's communications team; drafts circulated for comment.",
        )
    return plan


def assert_fits(page, what: str) -> None:
    expect(page.locator("h1")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{what} is {width} px wide"


@pytest.mark.parametrize("who", ["technician", "manager", "steering", "hr"])
def test_no_page_scrolls_sideways_on_a_phone(who, phone, live_server, log_in, personas, world):
    log_in(getattr(personas, who))
    profile = personas.technician_profile
    pages = {
        "the dashboard": "/",
        "the directory": "/technicians/",
        "a search": "/technicians/?q=confocal",
        "a profile": f"/technicians/{profile.pk}/",
        "My profile": "/technicians/me/",
        "a plan": f"/action-plans/{world.pk}/",
    }
    if who in ("steering", "hr"):
        del pages["My profile"]  # no profile of their own: the page says so
    for what, path in pages.items():
        phone.goto(f"{live_server.url}{path}")
        assert_fits(phone, f"{what} ({path}) for {who}")


def test_public_pages_fit_a_phone(phone, live_server, personas, world):
    department = personas.technician_profile.department
    for path in (
        "/meet-our-technicians/",
        f"/technicians/departments/{department.slug}/",
        f"/technicians/{personas.technician_profile.pk}/",
        "/accounts/login/",
    ):
        phone.goto(f"{live_server.url}{path}")
        assert_fits(phone, path)


def test_the_plan_table_keeps_its_key_columns_labelled_on_a_phone(
    phone, live_server, log_in, personas, world
):
    log_in(personas.technician)
    phone.goto(f"{live_server.url}/action-plans/{world.pk}/")
    first_row = phone.locator(".actions-table tbody tr").first
    for label in ("Due", "RAG"):
        cell = first_row.locator(f'td[data-label="{label}"]')
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    expect(first_row.locator("th")).to_be_visible()  # the reference


def test_the_staff_list_preview_fits_a_phone(phone, live_server, log_in, personas, world):
    """HR's preview of the sample staff list (its counts, changes and any bad lines)."""
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "docs" / "sample-staff-list.csv"
    log_in(personas.hr)
    phone.goto(f"{live_server.url}/technicians/import/")
    assert_fits(phone, "the staff list page")
    phone.locator('input[type="file"]').set_input_files(str(sample))
    phone.get_by_role("button", name="Preview the import").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Staff list preview")
    assert_fits(phone, "the staff-list preview")


def test_the_skills_table_on_my_profile_fits_without_scrolling(
    phone, live_server, log_in, personas, world
):
    log_in(personas.technician)
    phone.goto(f"{live_server.url}/technicians/me/")
    table = phone.locator("table.skills-edit")
    expect(table).to_be_visible()
    box = table.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    wrap_scrolls = phone.evaluate(
        "() => { const w = document.querySelector('table.skills-edit').parentElement;"
        " return w.scrollWidth > w.clientWidth; }"
    )
    assert not wrap_scrolls
