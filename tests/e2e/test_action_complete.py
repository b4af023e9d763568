"""Choosing "Complete" for an action sets its progress box to 100 at once (the server rule
stays: tests/actionplan/test_services.py)."""

import datetime

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_complete_sets_progress_to_100(page, live_server, log_in, personas):
    today = datetime.date.today()
    plan = factories.ActionPlanFactory(
        starts_on=today - datetime.timedelta(days=30), ends_on=today + datetime.timedelta(days=300)
    )
    action = factories.ActionFactory(
        plan=plan, owner=personas.technician, progress=40, status="in_progress"
    )
    log_in(personas.technician)
    page.goto(f"{live_server.url}{action.get_absolute_url()}")
    progress = page.get_by_label("Progress (%)")
    expect(progress).to_have_value("40")
    page.get_by_label("Status").select_option("complete")
    expect(progress).to_have_value("100")
    page.get_by_label("Status").select_option("in_progress")
    expect(progress).to_have_value("100")  # only Complete changes the box


def test_the_steering_groups_action_form_does_the_same(page, live_server, log_in, personas):
    today = datetime.date.today()
    plan = factories.ActionPlanFactory(
        starts_on=today - datetime.timedelta(days=30), ends_on=today + datetime.timedelta(days=300)
    )
    action = factories.ActionFactory(plan=plan, progress=10, status="not_started")
    log_in(personas.steering)
    page.goto(f"{live_server.url}/action-plans/{plan.pk}/actions/{action.pk}/edit/")
    page.get_by_label("Status").select_option("complete")
    expect(page.get_by_label("Progress (%)")).to_have_value("100")
