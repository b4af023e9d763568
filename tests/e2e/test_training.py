"""A technician books the last seat of a session, sees it in My training and cancels it; the
first person on the waiting list then has the seat. The pages pass an accessibility scan."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_serious_accessibility_violations
from tests.training.conftest import make_course, make_session, make_technician
from training import services
from training.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def full_after_alex(personas):
    """A two-seat session: one seat taken by Morgan, so Alex takes the last one; Sam waits."""
    course = make_course(title="COSHH risk assessment", slug="coshh", provider="Health and Safety")
    starts = (timezone.now() + datetime.timedelta(days=10)).replace(second=0, microsecond=0)
    session = make_session(course, starts_at=starts, capacity=2, location="Training Room 1")
    services.book_session(session, personas.manager_profile, by=personas.manager)
    return session


def test_book_see_cancel_and_the_waiting_list_moves(
    page, live_server, log_in, personas, full_after_alex
):
    session = full_after_alex
    log_in(personas.technician)
    page.goto(f"{live_server.url}/training/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("link", name="COSHH risk assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("COSHH risk assessment")
    expect(page.get_by_text("1 of 2 seats left")).to_be_visible()
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("link", name="Book COSHH risk assessment").click()
    page.get_by_role("button", name="Book this session").click()

    expect(page).to_have_url(f"{live_server.url}/training/me/")
    expect(page.get_by_role("status")).to_contain_text("the place is confirmed")
    bookings = page.get_by_role("region", name="My bookings")
    expect(bookings.get_by_role("row", name="COSHH risk assessment")).to_contain_text("Confirmed")
    assert_no_serious_accessibility_violations(page)

    # Sam joins the waiting list now that the session is full.
    sam = make_technician(personas.technician_profile.department, first_name="Sam")
    waiting = services.book_session(session, sam, by=sam.user)
    assert waiting.status == "waitlisted"

    bookings.get_by_role("link", name="Cancel COSHH risk assessment").click()
    page.get_by_role("button", name="Cancel the booking").click()
    expect(page.get_by_role("status")).to_contain_text("is cancelled")
    expect(page.get_by_role("region", name="My bookings")).to_contain_text(
        "You have no upcoming bookings"
    )
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.CONFIRMED


def test_my_training_fits_a_phone(page, live_server, log_in, personas, full_after_alex):
    services.book_session(full_after_alex, personas.technician_profile, by=personas.technician)
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(personas.technician)
    for path in ("/training/", "/training/courses/coshh/", "/training/me/"):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways at 375 px ({width} px)"


def test_the_other_training_pages_pass_an_accessibility_scan(
    page, live_server, log_in, personas, full_after_alex
):
    session = full_after_alex
    services.book_session(session, personas.technician_profile, by=personas.technician)
    log_in(personas.technician)
    for path in ("/training/me/log/", f"/training/sessions/{session.pk}/book/"):
        page.goto(f"{live_server.url}{path}")
        assert_no_serious_accessibility_violations(page)
    page.context.clear_cookies()
    log_in(personas.coordinator)
    for path in (
        "/training/manage/",
        f"/training/sessions/{session.pk}/register/",
        f"/training/manage/courses/{session.course.slug}/sessions/new/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_no_serious_accessibility_violations(page)
    page.context.clear_cookies()
    log_in(personas.manager)
    page.goto(f"{live_server.url}/training/team/")
    assert_no_serious_accessibility_violations(page)
    page.context.clear_cookies()
    log_in(personas.hr)
    page.goto(f"{live_server.url}/training/totals/")
    assert_no_serious_accessibility_violations(page)
