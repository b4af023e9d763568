"""The dashboard of each role, and a plan page, pass an accessibility scan (axe-core)."""

import pytest

from tests.e2e.conftest import assert_no_serious_accessibility_violations
from tests.e2e.test_phones import world  # noqa: F401  (the same data set)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("who", ["technician", "manager", "steering", "hr", "admin"])
def test_the_dashboard_passes_an_accessibility_scan(
    who,
    page,
    live_server,
    log_in,
    personas,
    world,  # noqa: F811  (the fixture imported above)
):
    log_in(getattr(personas, who))
    page.goto(f"{live_server.url}/")
    assert_no_serious_accessibility_violations(page)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/action-plans/{world.pk}/")
    assert_no_serious_accessibility_violations(page)
