"""Start the next plan: same length, from the day after the old one ends, with every unfinished
action copied in and linked to the action it continues."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from actionplan import services
from actionplan.models import ActionPlan
from tests import factories
from tests.actionplan.conftest import ENDS


@pytest.fixture
def ending_plan(plan, personas):
    make = factories.ActionFactory
    make(plan=plan, ref="V1.1", status="complete", progress=100, due_on=datetime.date(2026, 1, 1))
    make(
        plan=plan,
        ref="V1.2",
        status="in_progress",
        progress=60,
        owner=personas.technician,
        due_on=datetime.date(2028, 3, 31),
        lead="Web team",
        description="Keep going",
    )
    make(plan=plan, ref="R2.3", pillar="recognition", status="blocked", progress=20, due_on=ENDS)
    make(
        plan=plan,
        ref="S1.1",
        pillar="sustainability",
        status="not_started",
        progress=0,
        due_on=datetime.date(2026, 2, 28),
    )
    return plan


def test_the_next_plan_copies_every_unfinished_action_with_continues(personas, ending_plan):
    new = services.start_next_plan(personas.steering, ending_plan)
    assert (new.starts_on, new.ends_on) == (datetime.date(2028, 8, 1), datetime.date(2031, 7, 31))
    assert new.status == "draft"
    assert new.title == "Technician Commitment Action Plan 2028–2031"
    assert new.previous == ending_plan
    copies = {action.ref: action for action in new.actions.select_related("continues")}
    assert sorted(copies) == ["R2.3", "S1.1", "V1.2"]
    for ref, copy in copies.items():
        assert copy.continues == ending_plan.actions.get(ref=ref)
        assert new.starts_on <= copy.due_on <= new.ends_on
    v12 = copies["V1.2"]
    assert (v12.status, v12.progress, v12.owner, v12.lead, v12.description) == (
        "in_progress",
        60,
        personas.technician,
        "Web team",
        "Keep going",
    )
    assert v12.due_on == datetime.date(2031, 3, 31)  # moved on by the plan's three years
    assert copies["S1.1"].due_on == datetime.date(2029, 2, 28)
    assert v12.history.first().history_user == personas.steering
    # The old plan is untouched.
    assert ending_plan.actions.count() == 4


def test_a_plan_whose_length_is_not_whole_months_keeps_its_length_in_days(personas):
    odd = factories.ActionPlanFactory(
        starts_on=datetime.date(2025, 1, 15), ends_on=datetime.date(2025, 6, 3)
    )
    starts_on, ends_on = services.next_period(odd)
    assert starts_on == datetime.date(2025, 6, 4)
    assert ends_on - starts_on == odd.ends_on - odd.starts_on


def test_the_next_plan_is_started_once(personas, ending_plan):
    services.start_next_plan(personas.steering, ending_plan)
    with pytest.raises(ValidationError, match="already been started"):
        services.start_next_plan(personas.admin, ending_plan)
    assert ActionPlan.objects.count() == 2


@pytest.mark.parametrize("persona", ["technician", "hr", "coordinator"])
def test_only_the_steering_group_starts_the_next_plan(persona, personas, ending_plan):
    with pytest.raises(PermissionDenied):
        services.start_next_plan(getattr(personas, persona), ending_plan)
    assert ActionPlan.objects.count() == 1


def test_the_page_starts_the_next_plan(login, personas, ending_plan):
    client = login(personas.steering)
    page = client.get(reverse("actionplan:next", args=[ending_plan.pk]))
    assert "1 August 2028" in page.content.decode() and "31 July 2031" in page.content.decode()
    assert page.context["form"]["title"].value() == "Technician Commitment Action Plan 2028–2031"
    response = client.post(
        reverse("actionplan:next", args=[ending_plan.pk]), {"title": "Plan 2028–2031"}
    )
    new = ActionPlan.objects.get(title="Plan 2028–2031")
    assert response["Location"] == new.get_absolute_url()
    action_page = client.get(new.actions.get(ref="V1.2").get_absolute_url()).content.decode()
    assert "Continues" in action_page and ending_plan.title in action_page
