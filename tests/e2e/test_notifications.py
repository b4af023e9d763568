"""In a real browser: a technician chooses how they get reminders, the steering group writes
an announcement that lands on the technician's dashboard, and an unsubscribe link works
without signing in. Each page fits a phone and passes an accessibility scan."""

import pytest
from playwright.sync_api import expect

from portal import preferences
from portal import unsubscribe as links
from tests.e2e.conftest import assert_no_serious_accessibility_violations
from tests.e2e.test_phones import PHONE, assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KIND = "training_session_tomorrow"


def test_settings_announcements_and_unsubscribe(page, live_server, log_in, personas):
    page.set_viewport_size(PHONE)
    log_in(personas.technician)
    page.goto(f"{live_server.url}/technicians/me/")
    page.get_by_role("link", name="Choose how you get reminders").click()
    assert_fits(page, "notification settings")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role(
        "group", name="Training: the day before a session you are booked on"
    ).get_by_label("In a weekly digest").check()
    page.get_by_role("button", name="Save my notification settings").click()
    expect(page.get_by_text("Your notification settings have been saved.")).to_be_visible()
    assert preferences.choice_for(personas.technician_profile, KIND) == "digest"

    log_in(personas.steering)
    page.goto(f"{live_server.url}/announcements/new/")
    assert_fits(page, "writing an announcement")
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Title").fill("Technician Commitment week")
    page.get_by_label("Announcement").fill("Programme: https://example.ac.uk/week")
    page.get_by_role("button", name="Send the announcement").click()
    expect(page.get_by_role("link", name="https://example.ac.uk/week")).to_be_visible()
    page.goto(f"{live_server.url}/announcements/")
    assert_fits(page, "past announcements")
    assert_no_serious_accessibility_violations(page)

    log_in(personas.technician)
    expect(page.get_by_role("heading", name="Technician Commitment week")).to_be_visible()

    page.context.clear_cookies()
    token = links.make_token(personas.technician_profile, "announcements")
    page.goto(f"{live_server.url}/notifications/unsubscribe/{token}/")
    assert_fits(page, "unsubscribe")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert preferences.choice_for(personas.technician_profile, "announcements") == "never"
