"""Mentoring in a real browser: a mentee applies, the coordinator matches and publishes, and
the pair logs a meeting whose private note the mentor then reads; accessibility scans of the
pages on the way, and My pathway on a phone."""

import datetime

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.careers.conftest import apply, make_round, told  # noqa: F401  (told: a fixture)
from tests.conftest import make_user
from tests.e2e.conftest import assert_no_serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mentoring_world(personas):
    nmr = factories.SkillFactory(name="NMR spectroscopy", category="Analytical")
    other = factories.DepartmentFactory(
        name="Physics", slug="physics", faculty="Faculty of Science"
    )
    mentor_user = make_user("mira.mentor@example.ac.uk", "Technician")
    mentor = factories.TechnicianFactory(
        user=mentor_user,
        email=mentor_user.email,
        first_name="Mira",
        last_name="Mentor",
        department=other,
    )
    factories.TechnicianSkillFactory(technician=mentor, skill=nmr, level=4)
    round = make_round(today=datetime.date.today(), name="Spring round")
    apply(round, mentor, mentor=True, capacity=2, offered=[nmr])
    return {"round": round, "mentor_user": mentor_user}


def test_apply_match_publish_and_log_a_meeting(
    mentoring_world,
    personas,
    told,  # noqa: F811
    log_in,
    live_server,
    page,  # noqa: F811
):
    round = mentoring_world["round"]
    log_in(personas.technician)
    page.goto(f"{live_server.url}/careers/mentoring/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentoring")
    page.get_by_role("link", name="Apply to Spring round").click()
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("checkbox", name="Apply as a mentee").check()
    page.get_by_label("Skills I want to develop (as a mentee)").select_option(
        label="NMR spectroscopy"
    )
    page.get_by_role("checkbox", name="I would like a partner from another department").check()
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text("Your application is saved")).to_be_visible()

    log_in(personas.coordinator)
    page.goto(f"{live_server.url}/careers/mentoring/rounds/{round.pk}/")
    expect(page.get_by_text("Preferences: another department.")).to_be_visible()
    page.get_by_role("button", name="Match pairs").click()
    expect(page.get_by_text("Matching done: 1 new pair proposed.")).to_be_visible()
    pair = page.locator(".pair-card").filter(has_text="Mira Mentor → Alex Tech")
    expect(pair).to_contain_text("offers NMR spectroscopy")
    expect(pair).to_contain_text("another department, as the mentee asked")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("button", name="Publish 1 pair").click()
    expect(page.get_by_text("Published 1 pair")).to_be_visible()
    assert {message[0].first_name for message in told()} == {"Mira", "Alex"}

    log_in(personas.technician)
    page.goto(f"{live_server.url}/careers/mentoring/")
    page.get_by_role("link", name="Mentored by Mira Mentor").click()
    page.get_by_label("Private note").fill("Planned three NMR sessions.")
    page.get_by_role("button", name="Log the meeting").click()
    expect(page.get_by_text("logged.")).to_be_visible()
    expect(page.locator(".item-list")).to_contain_text("Planned three NMR sessions.")
    assert_no_serious_accessibility_violations(page)

    log_in(mentoring_world["mentor_user"])
    page.goto(f"{live_server.url}/careers/mentoring/")
    page.get_by_role("link", name="Mentoring Alex Tech").click()
    expect(page.locator(".item-list")).to_contain_text("Planned three NMR sessions.")


def test_my_pathway_on_a_phone(personas, log_in, live_server, page):
    from careers.models import Band, Pathway

    pathway = Pathway.objects.create(name="Research technical professional")
    Band.objects.create(
        pathway=pathway, order=1, name="Band 1", grades=[personas.technician_profile.grade]
    )
    Band.objects.create(pathway=pathway, order=2, name="Band 2", years_experience=50)
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(personas.technician)
    page.goto(f"{live_server.url}/careers/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My pathway")
    expect(page.get_by_text("What Band 2 expects: 0 of 1 met")).to_be_visible()
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert_no_serious_accessibility_violations(page)
