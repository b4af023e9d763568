"""At 375 px every action button of every page whose rows carry actions is inside the screen:
the rows become cards (approvals, my training, registrations, the funding review, skills
review, manage sessions)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registration.models import Registration
from tests import factories
from tests.registration.conftest import advance, load_registers
from tests.training.conftest import make_course, make_session
from training import services as training

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def world(personas):
    from portal.periods import financial_year_of
    from registration import services as registration
    from registration.models import FundingBudget, ProfessionalBody, Register

    alex = personas.technician_profile
    alex.first_name, alex.last_name = "Alexandra-Victoria", "Montgomery-Fitzwilliam"
    alex.save()
    approval = make_course(
        title="Leadership and management for senior technical staff", requires_manager_approval=True
    )
    soon = timezone.now() + datetime.timedelta(days=3)
    requested = make_session(approval, starts_at=soon)
    training.book_session(requested, alex, by=personas.technician)  # waits for the manager
    other = make_session(
        make_course(title="Radiation protection supervisor refresher"), starts_at=soon
    )
    training.book_session(other, alex, by=personas.technician)
    load_registers()
    register = Register.objects.get(code="RSciTech")
    body = ProfessionalBody.objects.get(short_name="IST")
    FundingBudget.objects.get_or_create(
        financial_year=financial_year_of(timezone.localdate()), defaults={"amount": 5000}
    )
    Registration.objects.create(
        technician=alex,
        register=register,
        body=body,
        membership_number="RST123456",
        registered_on=timezone.localdate() - datetime.timedelta(days=400),
        renewal_due_on=timezone.localdate() + datetime.timedelta(days=30),
        status="active",
    )
    application = registration.create_application(
        by=personas.technician,
        register=Register.objects.get(code="RSci"),
        body=body,
        justification="Registration recognises my work with the mass spectrometers.",
    )
    advance(application, "submitted", personas)
    skill = factories.SkillFactory(name="Fluorescence-activated cell sorting and analysis")
    factories.TechnicianSkillFactory(
        technician=alex,
        skill=skill,
        level=3,
        confirmed_on=timezone.localdate() - datetime.timedelta(days=800),
    )
    return alex


PAGES = [
    ("manager", "/training/approvals/"),
    ("technician", "/training/me/"),
    ("technician", "/registration/"),
    ("manager", "/registration/review/"),
    ("technician", "/technicians/skills/review/"),
    ("manager", "/technicians/skills/review/"),
    ("coordinator", "/training/manage/"),
]


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_every_row_action_is_on_screen_at_375_px(
    who, path, page, live_server, log_in, personas, world
):
    page.set_viewport_size(PHONE)
    log_in(getattr(personas, who))
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("h1")).to_be_visible()
    actions = page.locator(
        "main table tbody button, main table tbody a, main table tbody input[type=submit]"
    )
    count = actions.count()
    assert count > 0, f"{path} has no row actions for the {who}"
    for index in range(count):
        action = actions.nth(index)
        action.scroll_into_view_if_needed()
        box = action.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
            f"{path}: “{action.inner_text()}” is outside the screen ({box})"
        )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide"
