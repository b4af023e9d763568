"""The development fund in a real browser: HR opens a call, a technician applies, a panel
member scores, HR awards once the call has closed, the technician claims with a receipt and
sends the report back. The main pages pass an accessibility scan and fit a phone."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from recognition.models import FundApplication
from tests.actionplan.conftest import one_page_pdf
from tests.e2e.conftest import assert_no_serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONDON = ZoneInfo("Europe/London")


def _as(page, log_in, user):
    page.context.clear_cookies()
    return log_in(user)


def test_open_apply_score_award_claim_and_report(page, live_server, log_in, personas, tmp_path):
    today = timezone.localdate()
    # HR opens a call that closes today.
    _as(page, log_in, personas.hr)
    page.goto(f"{live_server.url}/recognition/")
    page.get_by_role("link", name="Open a call").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a development fund call")
    page.get_by_label("Title", exact=True).fill("Spring development call")
    page.get_by_label("Opens on", exact=True).fill(today.isoformat())
    page.get_by_label("Closes on", exact=True).fill(today.isoformat())
    page.get_by_label("Pot (£)").fill("2000")
    page.get_by_label("Largest award (£)").fill("1000")
    page.get_by_role("combobox", name="Panel member 1").fill(personas.steering.email)
    page.get_by_role("button", name="Open the call").click()
    expect(page.get_by_text("Call opened.")).to_be_visible()

    # The technician applies.
    _as(page, log_in, personas.technician)
    page.goto(f"{live_server.url}/recognition/")
    page.get_by_role("link", name="Apply to Spring development call").first.click()
    assert_no_serious_accessibility_violations(page)
    starts = today + datetime.timedelta(days=30)
    page.get_by_label("Activity", exact=True).fill("Confocal microscopy course")
    page.get_by_label("Starts on").fill(starts.isoformat())
    page.get_by_label("Ends on").fill((starts + datetime.timedelta(days=2)).isoformat())
    page.get_by_label("Total cost (£)").fill("1000")
    page.get_by_label("Amount asked for (£)").fill("500")
    page.get_by_label("Expected return for your role and your team").fill("New imaging methods.")
    page.get_by_label("How you will share what you learn").fill("A talk for the department.")
    page.get_by_role("button", name="Submit to the panel").click()
    expect(page.get_by_text("Application submitted to the panel.")).to_be_visible()
    application = FundApplication.objects.get()
    assert application.status == "submitted"

    # The panel member scores it.
    _as(page, log_in, personas.steering)
    page.goto(f"{live_server.url}/recognition/")
    page.get_by_role("link", name="Confocal microscopy course").first.click()
    page.get_by_label("Benefit to the applicant's role (1–5)").select_option("5")
    page.get_by_label("Benefit to the team (1–5)").select_option("4")
    page.get_by_label("Value for money (1–5)").select_option("4")
    page.get_by_label("Comment").fill("Clear plan.")
    page.get_by_role("button", name="Save my review").click()
    expect(page.get_by_text("Your review is saved.")).to_be_visible()

    # The call has closed: HR sees the ranking and awards.
    tomorrow = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time(10), tzinfo=LONDON
    )
    with time_machine.travel(tomorrow, tick=True):
        _as(page, log_in, personas.hr)
        page.goto(f"{live_server.url}/recognition/calls/{application.call_id}/")
        ranking = page.get_by_role("region", name="Ranking")
        expect(ranking).to_contain_text("4.33")
        assert_no_serious_accessibility_violations(page)
        ranking.get_by_role("link", name="Confocal microscopy course").click()
        page.get_by_label("Amount to award (£)").fill("450")
        page.get_by_label("Panel feedback for the applicant").fill("Well argued.")
        page.get_by_role("button", name="Award", exact=True).click()
        expect(page.get_by_text("Awarded: the applicant has been told.")).to_be_visible()

        # The technician claims with a receipt and sends the report back.
        receipt = tmp_path / "receipt.pdf"
        receipt.write_bytes(one_page_pdf())
        _as(page, log_in, personas.technician)
        page.goto(f"{live_server.url}{application.get_absolute_url()}")
        expect(page.get_by_text("Well argued.")).to_be_visible()
        expect(page.get_by_text("Clear plan.")).to_have_count(0)  # never the panel's comments
        page.get_by_label("Amount claimed (£)").fill("430")
        page.get_by_label("Receipts").set_input_files(str(receipt))
        page.get_by_role("button", name="Send the claim").click()
        expect(page.get_by_text("Claim sent: HR has been asked to pay it.")).to_be_visible()
        expect(page.get_by_role("link", name="receipt.pdf")).to_be_visible()
        page.get_by_label("Your report").fill("I now run confocal imaging for three groups.")
        page.get_by_label(re.compile("Share it as an impact story")).check()
        page.get_by_role("button", name="Send the report").click()
        expect(page.get_by_text("Report sent: thank you.")).to_be_visible()
        assert_no_serious_accessibility_violations(page)

    application.refresh_from_db()
    assert application.status == "reported"
    assert application.amount_awarded == 450 and application.amount_claimed == 430
    assert application.report_shareable


PAGES = {
    "technician": ("/recognition/", "/recognition/awards/", "/recognition/awards/nominate/",
                   "/recognition/outputs/"),
    "hr": ("/recognition/calls/new/", "/recognition/fund/", "/recognition/awards/manage/"),
}  # fmt: skip


@pytest.mark.parametrize("persona", sorted(PAGES))
def test_the_recognition_pages_fit_a_phone_and_pass_a_scan(
    persona, page, live_server, log_in, personas
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
