"""A steering group member completes an action with a progress update and sees the pillar's
progress and RAG counts change; the plan page passes an accessibility scan."""

import datetime

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import assert_no_serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_plan(personas):
    today = datetime.date.today()
    plan = factories.ActionPlanFactory(
        title="Technician Commitment Action Plan",
        starts_on=today - datetime.timedelta(days=365),
        ends_on=today + datetime.timedelta(days=730),
        status="published",
    )
    due = today + datetime.timedelta(days=365)
    factories.ActionFactory(
        plan=plan,
        ref="V1.1",
        pillar="visibility",
        title="Publish technician profiles",
        status="in_progress",
        progress=50,
        due_on=due,
        owner=personas.technician,
    )
    factories.ActionFactory(
        plan=plan,
        ref="V1.2",
        pillar="visibility",
        title="Film a tour of the core facilities",
        status="not_started",
        progress=0,
        due_on=due,
        owner=personas.steering,
    )
    factories.ActionFactory(
        plan=plan,
        ref="R1.1",
        pillar="recognition",
        title="Fund registration fees",
        status="blocked",
        progress=10,
        due_on=due,
    )
    return plan


def test_completing_an_action_moves_the_pillar(page, live_server, log_in, personas, live_plan):
    log_in(personas.steering)
    page.goto(f"{live_server.url}/action-plans/")
    expect(page.get_by_role("region", name="Actions you own")).to_contain_text("V1.2")
    assert_no_serious_accessibility_violations(page)
    page.goto(f"{live_server.url}{live_plan.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(live_plan.title)
    visibility = page.locator("#pillar-visibility")
    expect(visibility.locator("progress")).to_have_attribute("value", "25")
    expect(visibility.get_by_text("Progress: 25 %")).to_be_visible()
    expect(visibility.locator('[data-rag="green"] .rag-count')).to_have_text("2")
    expect(visibility.locator('[data-rag="complete"] .rag-count')).to_have_text("0")
    assert_no_serious_accessibility_violations(page)

    # The filter works (with htmx here; the same form works without JavaScript).
    page.get_by_label("Pillar", exact=True).select_option("recognition")
    expect(page.locator("#actions-results tbody tr")).to_have_count(1)
    expect(page.locator("#actions-results")).to_contain_text("Fund registration fees")
    page.get_by_label("Pillar", exact=True).select_option("")
    expect(page.locator("#actions-results tbody tr")).to_have_count(3)

    page.get_by_role("link", name="Film a tour of the core facilities").click()
    page.get_by_label("Note").fill("The tour film is on the intranet and YouTube.")
    page.get_by_label("Progress (%)", exact=True).fill("90")
    page.get_by_label("Status", exact=True).select_option("complete")
    page.get_by_role("button", name="Post the update").click()
    expect(page.get_by_text("Update posted on V1.2.")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("The tour film is on the intranet")
    assert_no_serious_accessibility_violations(page)

    page.get_by_role("link", name=live_plan.title).click()
    visibility = page.locator("#pillar-visibility")
    expect(visibility.locator("progress")).to_have_attribute("value", "75")
    expect(visibility.get_by_text("Progress: 75 %")).to_be_visible()
    expect(visibility.locator('[data-rag="green"] .rag-count')).to_have_text("1")
    expect(visibility.locator('[data-rag="complete"] .rag-count')).to_have_text("1")
    # The other pillars did not move.
    expect(page.locator('#pillar-recognition [data-rag="red"] .rag-count')).to_have_text("1")
