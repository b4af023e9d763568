"""A technician applies for registration funding, their line manager endorses, HR approves,
and the technician sees the approved status; the main pages pass an accessibility scan."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.periods import financial_year_of
from registration.models import FundingApplication, FundingBudget
from tests.e2e.conftest import assert_no_serious_accessibility_violations
from tests.registration.conftest import load_registers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def funding(personas):
    load_registers()  # transactional tests flush the data migration's rows
    return FundingBudget.objects.create(
        financial_year=financial_year_of(timezone.localdate()), amount=Decimal("2000.00")
    )


def _as(page, log_in, user):
    page.context.clear_cookies()
    return log_in(user)


def test_apply_endorse_approve(page, live_server, log_in, personas, funding):
    # The technician applies.
    _as(page, log_in, personas.technician)
    page.goto(f"{live_server.url}/registration/")
    page.get_by_role("link", name="Apply for registration funding").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply for registration funding")
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Register").select_option(index=1)  # RSciTech, first listed
    page.get_by_label("Body").select_option(label="Institute of Science & Technology (IST)")
    page.get_by_label("Justification").fill("I train students on the lab's analytical kit.")
    page.get_by_role("button", name="Submit for endorsement").click()
    expect(page.get_by_text("Submitted, waiting for endorsement").first).to_be_visible()
    application = FundingApplication.objects.get()
    assert application.register.code == "RSciTech"

    # The line manager endorses it from the review page.
    _as(page, log_in, personas.manager)
    page.goto(f"{live_server.url}/registration/review/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("link", name="Alex Tech").click()
    page.get_by_label("Note").fill("Fully supported.")
    page.get_by_role("button", name="Endorse").click()
    expect(page.get_by_text("Endorsed: HR has been asked to decide.")).to_be_visible()

    # HR sees the budget and approves.
    _as(page, log_in, personas.hr)
    page.goto(f"{live_server.url}/registration/review/")
    expect(page.get_by_role("region", name="Budget")).to_contain_text("£2,000.00")
    page.get_by_role("link", name="Alex Tech").click()
    expect(page.locator(".timeline")).to_contain_text("Fully supported.")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("button", name="Approve £58.00").click()
    expect(page.get_by_text("Approved: the applicant has been told.")).to_be_visible()

    # The technician sees the approved status.
    _as(page, log_in, personas.technician)
    page.goto(f"{live_server.url}/registration/")
    expect(page.get_by_text("Approved, waiting for proof of registration")).to_be_visible()
    assert_no_serious_accessibility_violations(page)
    application.refresh_from_db()
    assert application.status == "approved"


PAGES = {
    "technician": ("/registration/", "/registration/apply/", "/registration/cpd/new/"),
    "hr": (
        "/registration/review/",
        "/registration/budget/",
        "/registration/fees/",
        "/registration/summary/",
        "/registration/import/",
    ),
}


@pytest.mark.parametrize("persona", sorted(PAGES))
def test_the_registration_pages_fit_a_phone_and_pass_a_scan(
    persona, page, live_server, log_in, personas, funding
):
    page.set_viewport_size({"width": 375, "height": 800})
    _as(page, log_in, getattr(personas, persona))
    for path in PAGES[persona]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not overflow, f"{path} scrolls sideways at 375 px"
        assert_no_serious_accessibility_violations(page)


def test_the_body_list_offers_only_the_bodies_of_the_chosen_register(
    page, live_server, log_in, personas, funding
):
    from registration.models import ProfessionalBody, Register

    _as(page, log_in, personas.technician)
    page.goto(f"{live_server.url}/registration/apply/")
    register = Register.objects.get(code="RSciTech")
    page.get_by_label("Register").select_option(value=str(register.pk))
    offered = set(register.bodies.values_list("name", flat=True))
    assert offered and set(ProfessionalBody.objects.values_list("name", flat=True)) - offered
    options = page.locator("select[name=body] option:not([value=''])")
    expect(options.first).to_be_attached()
    shown = page.locator("select[name=body] option:not([value='']):not([hidden])")
    expect(shown).to_have_count(len(offered))
    labels = shown.all_inner_texts()  # settled: the count above waited for the narrowing
    assert sorted(label.split(" (")[0] for label in labels) == sorted(offered)
