"""The steering group drafts a self-assessment in a real browser, exports it (Word and PDF)
and submits it; the submitted copy can no longer change. The workspace and the public
Commitment page pass an accessibility scan and fit a phone."""

import datetime
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commitment import services
from commitment.models import Submission
from tests import factories
from tests.e2e.conftest import assert_no_serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def commitment(personas):
    today = datetime.date.today()
    plan = factories.ActionPlanFactory(
        title="Technician Commitment Action Plan",
        starts_on=today - datetime.timedelta(days=365),
        ends_on=today + datetime.timedelta(days=730),
    )
    factories.ActionFactory(
        plan=plan, ref="V1", pillar="visibility", title="Publish technician profiles"
    )
    commitment = services.save_commitment(
        by=personas.steering,
        signed_on=today - datetime.timedelta(days=800),
        announced_on=today - datetime.timedelta(days=790),
        lead=personas.steering,
        contact_email="tc@example.ac.uk",
        champion="Jo Rivers",
    )
    return commitment


def test_the_steering_group_drafts_exports_and_submits(
    page, live_server, log_in, personas, commitment
):
    log_in(personas.steering)
    panel = page.get_by_role("region", name="Technician Commitment", exact=True)
    expect(panel).to_contain_text("Stage 1 due")
    panel.get_by_role("link", name="Open the stage 1 self-assessment").click()
    expect(page.get_by_role("heading", name="Stage 1 self-assessment")).to_be_visible()
    page.get_by_role("button", name="Start drafting").click()
    expect(page.get_by_text("Drafting has started.")).to_be_visible()

    visibility = page.get_by_role("region", name="Visibility", exact=True)
    expect(visibility).to_contain_text("Publish technician profiles")
    visibility.get_by_label("Reflection").fill("Profiles are public in every department.")
    visibility.get_by_role("button", name="Save Visibility").click()
    expect(page.get_by_text("Visibility is saved.")).to_be_visible()
    expect(
        page.get_by_role("region", name="Visibility", exact=True).get_by_label("Reflection")
    ).to_have_value("Profiles are public in every department.")
    assert_no_serious_accessibility_violations(page)

    with page.expect_download() as word:
        page.get_by_role("link", name="Export as Word (.docx)").click()
    from docx import Document

    doc = Document(io.BytesIO(Path(word.value.path()).read_bytes()))
    assert "Profiles are public in every department." in [p.text for p in doc.paragraphs]
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Export as PDF").click()
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"

    page.get_by_role("button", name="Submit stage 1").click()
    expect(page.get_by_text("This is the self-assessment as submitted.")).to_be_visible()
    expect(page.get_by_role("button", name="Save Visibility")).to_have_count(0)
    submission = Submission.objects.get(stage=1)
    assert submission.status == "submitted"
    assert submission.snapshot["pillars"][0]["reflection"] == (
        "Profiles are public in every department."
    )


def test_the_public_page_fits_a_phone(page, live_server, commitment):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/commitment/")
    expect(page.get_by_role("heading", name="Our Technician Commitment")).to_be_visible()
    expect(page.get_by_text("Publish technician profiles")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways ({width} px)"
    assert_no_serious_accessibility_violations(page)
