"""HR requests the annual report in a real browser: the page shows it being made and updates
itself (htmx polling) when the worker has rendered it; the figures page fits a phone; both
pass an axe scan."""

import pytest
from playwright.sync_api import expect

from commitment.models import AnnualReport
from commitment.reports import work
from commitment.reports.selectors import current_year
from tests import factories
from tests.celery_helpers import celery_config
from tests.e2e.conftest import assert_no_serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def some_data(personas):
    for n in range(12):
        factories.TechnicianFactory(visibility="public" if n % 2 else "internal")
    action = factories.ActionFactory(ref="V1", title="Publish every technician's profile")
    # This year has data (a progress update), so the reports page offers it.
    factories.ActionUpdateFactory(action=action)


def test_hr_requests_the_report_and_the_page_updates_when_it_is_ready(
    personas, some_data, log_in, live_server
):
    page = log_in(personas.hr)
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", name="Annual progress reports")).to_be_visible()
    assert_no_serious_accessibility_violations(page)

    # Published to a broker nobody consumes: the report waits as a worker's queue would.
    with celery_config(task_always_eager=False, broker_url="memory://"):
        page.get_by_label("Academic year").select_option(str(current_year()))
        page.get_by_role("button", name="Request the report").click()
        expect(page.get_by_text("is queued")).to_be_visible()
        expect(page.get_by_text("Being made: this page updates itself.")).to_be_visible()

    report = AnnualReport.objects.get()
    work.render(report.pk)  # the worker renders it; the open page notices by itself
    download = page.get_by_role("link", name="Download the PDF")
    expect(download).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Being made")).to_have_count(0)
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename.endswith("-v1.pdf")


def test_the_figures_page_fits_a_phone(personas, some_data, log_in, live_server):
    page = log_in(personas.steering)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/reports/figures/{current_year()}/")
    expect(page.get_by_role("heading", name="Executive summary")).to_be_visible()
    expect(page.get_by_role("img", name="Bar chart of technicians by faculty")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways ({width} px)"
    assert_no_serious_accessibility_violations(page)
