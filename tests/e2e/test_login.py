"""The sign-in pages in a real browser: accessible (axe-core), and logging in works."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from portal import roles
from tests.e2e.conftest import assert_no_serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _groups(transactional_db, settings):
    """Transactional tests empty every table, the migration-made groups included."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for name in roles.ALL_GROUPS:
        Group.objects.get_or_create(name=name)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/login/", "Sign in"),
        ("/accounts/signup/", "Create your account"),
        ("/accounts/password/reset/", "Reset your password"),
    ],
)
def test_the_sign_in_pages_are_accessible(page, live_server, path, heading):
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_no_serious_accessibility_violations(page)


def test_a_wrong_password_is_announced_and_the_dashboard_is_accessible(
    page, live_server, personas, log_in
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(personas.technician.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not correct")
    assert_no_serious_accessibility_violations(page)

    log_in(personas.manager)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Morgan")
    expect(page.get_by_role("heading", name="My team", exact=True)).to_be_visible()
    assert_no_serious_accessibility_violations(page)
