"""HR's staff list in a real browser: an HR system's export mapped once, then a file making
many leavers applied only with their number typed in; the pages fit a phone and pass an
accessibility scan."""

import csv
import io

import pytest
from playwright.sync_api import expect

from technicians.models import StaffListMapping, Technician
from tests import factories
from tests.e2e.conftest import assert_no_serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def fits_a_phone(page) -> None:
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def export_file(tmp_path, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "Employee Number",
            "Forename",
            "Surname",
            "Work Email",
            "Job Title",
            "Job Family",
            "Grade",
            "Department",
            "Start Date",
        ]
    )
    writer.writerows(rows)
    path = tmp_path / "itrent-export.csv"
    path.write_text(buffer.getvalue())
    return str(path)


def test_hr_maps_an_export_then_confirms_many_leavers(
    page, live_server, log_in, personas, tmp_path
):
    department = personas.technician_profile.department
    for n in range(8):
        factories.TechnicianFactory(staff_number=f"S{n:03d}", department=department)
    page.set_viewport_size(PHONE)
    log_in(personas.hr)
    page.goto(f"{live_server.url}/technicians/import/")
    fits_a_phone(page)
    assert_no_serious_accessibility_violations(page)

    path = export_file(
        tmp_path,
        [
            [
                "E1",
                "Rhian",
                "Evans",
                "rhian.evans@example.ac.uk",
                "Technician",
                "Technical",
                "5",
                department.name,
                "2021-09-01",
            ],
            [
                "E2",
                "Prof",
                "Smith",
                "prof.smith@example.ac.uk",
                "Lecturer",
                "Academic",
                "9",
                department.name,
                "2010-01-01",
            ],
        ],
    )
    page.locator('input[type="file"]').set_input_files(path)
    page.get_by_role("button", name="Preview the import").click()

    # The mapping step, with the common names chosen.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Map the columns of the HR system's export"
    )
    expect(page.get_by_label("Staff number", exact=True)).to_have_value("employee number")
    expect(page.get_by_label("Email", exact=True)).to_have_value("work email")
    fits_a_phone(page)
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Role family of someone new").select_option("laboratory")
    page.get_by_label("Column that says who is a technician").select_option("job family")
    page.get_by_label("Values that mean a technician").fill("Technical")
    page.get_by_role("button", name="Save the mapping and preview the file").click()

    # The preview: counts and the warning first; 10 of 11 active would leave.
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff list preview")
    expect(page.get_by_text("This file would mark 10 of the 10 active technicians")).to_be_visible()
    expect(page.get_by_text("1 row ignored", exact=False).first).to_be_visible()
    fits_a_phone(page)
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_text("type 10 in the box to confirm")).to_be_visible()
    assert Technician.objects.filter(is_active=True).count() == 10

    page.get_by_label("To apply, type the number of leavers (10)").fill("10")
    page.get_by_role("button", name="Apply the import").click()

    expect(page.get_by_text("Staff list imported: 1 created")).to_be_visible()
    expect(page.locator("#history-heading")).to_be_visible()
    expect(page.get_by_role("cell", name="itrent-export.csv")).to_be_visible()
    assert StaffListMapping.objects.get().technician_values == ["Technical"]
    assert list(
        Technician.objects.filter(is_active=True).values_list("staff_number", flat=True)
    ) == ["E1"]
