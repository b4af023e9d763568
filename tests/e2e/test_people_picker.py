"""The people picker in a real browser: type, choose a suggestion with the keyboard, book."""

import pytest
from playwright.sync_api import expect

from tests.training.conftest import make_course, make_session
from training.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_books_a_report_by_keyboard(page, live_server, log_in, personas):
    alex = personas.technician_profile
    session = make_session(make_course(title="Working safely with lasers"))
    log_in(personas.manager)
    page.goto(f"{live_server.url}/training/sessions/{session.pk}/book/")
    box = page.get_by_role("combobox", name="Who is this booking for?")
    box.fill("")
    box.press_sequentially(alex.last_name[:4], delay=30)
    option = page.get_by_role("option", name=alex.full_name)
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    box.press("Enter")  # chooses; does not submit
    expect(box).to_have_value(alex.email)
    expect(page.get_by_role("listbox")).to_be_hidden()
    page.get_by_role("button", name="Book this session").click()
    page.wait_for_url(f"{live_server.url}{session.course.get_absolute_url()}")
    assert Booking.objects.get().technician == alex
