"""A large training-records import in a real browser on a phone: the upload shows a progress
bar while the worker reads the file, the page turns into the capped preview by itself (htmx
polling), and applying shows its progress and then what was imported."""

import pytest
from playwright.sync_api import expect

from portal.imports import background
from portal.models import PendingImport
from tests.e2e.conftest import assert_no_serious_accessibility_violations
from training.models import TrainingRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
HEADER = "staff number,date,days,hours,category,title,provider,reflection\n"


def fits_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_hr_follows_a_large_import_from_progress_to_preview_to_applied(
    page, live_server, log_in, personas, tmp_path, settings, monkeypatch
):
    settings.PORTAL_IMPORT_BACKGROUND_BYTES = 1
    queued = []  # the worker is this test: it runs each queued step when it chooses
    monkeypatch.setattr(background, "_enqueue", lambda pk, phase: queued.append((pk, phase)))
    alex = personas.technician_profile
    alex.staff_number = "T123"
    alex.save()
    path = tmp_path / "records.csv"
    path.write_text(
        HEADER + "".join(f"T123,2025-10-01,1,,formal,Course {n},,\n" for n in range(30))
    )

    page.set_viewport_size(PHONE)
    log_in(personas.hr)
    page.goto(f"{live_server.url}/training/records/import/")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()

    bar = page.get_by_role("progressbar", name="Reading records.csv…")
    expect(bar).to_be_visible()
    fits_a_phone(page)
    assert_no_serious_accessibility_violations(page)
    assert len(queued) == 1
    background.run(*queued.pop())

    # The poll sees it is ready and the page shows the preview, without a click.
    expect(page.get_by_role("heading", name="What the import will do")).to_be_visible()
    expect(page.get_by_text("New: 30")).to_be_visible()
    expect(page.get_by_role("link", name="Download every row of the preview (CSV)")).to_be_visible()
    fits_a_phone(page)
    assert_no_serious_accessibility_violations(page)

    page.get_by_role("button", name="Import 30 rows").click()
    expect(page.get_by_role("progressbar", name="Applying records.csv… 0 %")).to_be_visible()
    expect(page.get_by_text("0 of 30 rows written, all or nothing")).to_be_visible()
    assert queued == [(PendingImport.objects.get().pk, "apply")]
    background.run(*queued.pop())

    expect(page.get_by_text("Imported training records: 30 added")).to_be_visible()
    assert TrainingRecord.objects.filter(technician=alex).count() == 30
