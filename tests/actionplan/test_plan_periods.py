"""Plan periods fall between the years 2000 and 2100 and last at most 10 years, so every date
sum on plans ("Start the next plan", due dates moved on) stays safe."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from actionplan import services
from actionplan.forms import PlanForm
from actionplan.models import ActionPlan
from tests import factories

pytestmark = pytest.mark.django_db


def plan_values(starts_on, ends_on, **extra):
    return {"title": "A plan", "starts_on": starts_on, "ends_on": ends_on, **extra}


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [
        (datetime.date(2025, 8, 1), datetime.date(9999, 12, 31), "ends_on"),
        (datetime.date(1999, 12, 31), datetime.date(2002, 7, 31), "starts_on"),
        (datetime.date(2098, 8, 1), datetime.date(2101, 1, 1), "ends_on"),
        (datetime.date(1, 1, 1), datetime.date(2001, 1, 1), "starts_on"),
        # Longer than ten years.
        (datetime.date(2025, 8, 1), datetime.date(2035, 8, 1), "ends_on"),
    ],
)
def test_a_period_outside_the_rules_is_refused_and_nothing_is_saved(
    personas, starts_on, ends_on, field
):
    with pytest.raises(ValidationError) as refused:
        services.create_plan(personas.steering, **plan_values(starts_on, ends_on))
    assert field in refused.value.message_dict
    assert not ActionPlan.objects.exists()

    form = PlanForm(data=plan_values(starts_on.isoformat(), ends_on.isoformat(), status="draft"))
    assert not form.is_valid()
    assert field in form.errors


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (datetime.date(2000, 1, 1), datetime.date(2009, 12, 31)),  # exactly ten years
        (datetime.date(2025, 8, 1), datetime.date(2035, 7, 31)),
        (datetime.date(2091, 1, 1), datetime.date(2100, 12, 31)),
    ],
)
def test_periods_at_the_boundaries_are_accepted(personas, starts_on, ends_on):
    plan = services.create_plan(personas.steering, **plan_values(starts_on, ends_on))
    assert (plan.starts_on, plan.ends_on) == (starts_on, ends_on)


def test_the_messages_say_what_is_wrong(personas):
    with pytest.raises(ValidationError) as years:
        services.create_plan(
            personas.steering,
            **plan_values(datetime.date(2025, 8, 1), datetime.date(9999, 12, 31)),
        )
    assert years.value.message_dict["ends_on"] == [
        "Plans run between the years 2000 and 2100: check the year."
    ]
    with pytest.raises(ValidationError) as length:
        services.create_plan(
            personas.steering,
            **plan_values(datetime.date(2025, 8, 1), datetime.date(2040, 7, 31)),
        )
    assert length.value.message_dict["ends_on"] == ["A plan lasts at most 10 years."]


def test_a_plan_cannot_be_moved_to_9999(personas, plan):
    with pytest.raises(ValidationError):
        services.update_plan(personas.steering, plan, ends_on=datetime.date(9999, 12, 31))
    plan.refresh_from_db()
    assert plan.ends_on == datetime.date(2028, 7, 31)


def test_the_edit_page_refuses_9999_with_a_message(login, personas, plan):
    response = login(personas.steering).post(
        f"/action-plans/{plan.pk}/edit/",
        {
            "title": plan.title,
            "starts_on": "2025-08-01",
            "ends_on": "9999-12-31",
            "status": "published",
        },
    )
    assert response.status_code == 200
    assert "Plans run between the years 2000 and 2100" in response.content.decode()


def test_the_date_inputs_offer_only_the_allowed_years():
    html = str(PlanForm()["ends_on"])
    assert 'min="2000-01-01"' in html and 'max="2100-12-31"' in html


# A plan saved before the rules (or by a bulk path that skips them) must not break any page.
@pytest.fixture
def plan_ending_9999(db):
    return factories.ActionPlanFactory(
        title="Plan 2025–9999",
        starts_on=datetime.date(2025, 8, 1),
        ends_on=datetime.date(9999, 12, 31),
        status="published",
    )


def test_start_the_next_plan_of_a_plan_ending_9999_is_refused_not_a_500(
    login, personas, plan_ending_9999
):
    client = login(personas.steering)
    url = f"/action-plans/{plan_ending_9999.pk}/next/"
    page = client.get(url)
    assert page.status_code == 200
    assert "ends too late for a next plan" in page.content.decode()

    response = client.post(url, {"title": "The next one"})
    assert response.status_code == 200
    assert ActionPlan.objects.count() == 1

    with pytest.raises(ValidationError) as refused:
        services.start_next_plan(personas.steering, plan_ending_9999)
    assert "ends too late for a next plan" in refused.value.messages[0]


def test_a_next_plan_that_would_run_past_2100_is_refused(personas):
    plan = factories.ActionPlanFactory(
        title="Plan 2095–2100",
        starts_on=datetime.date(2095, 1, 1),
        ends_on=datetime.date(2100, 12, 31),
        status="published",
    )
    assert services.next_period(plan) == (None, None)
    assert services.suggest_next_title(plan) == "Plan 2095–2100"
    with pytest.raises(ValidationError):
        services.start_next_plan(personas.steering, plan)
    assert ActionPlan.objects.count() == 1


def test_a_next_plan_ending_in_2100_is_still_started(personas):
    plan = factories.ActionPlanFactory(
        title="Plan 2091–2095",
        starts_on=datetime.date(2091, 1, 1),
        ends_on=datetime.date(2095, 12, 31),
        status="published",
    )
    new = services.start_next_plan(personas.steering, plan)
    assert (new.starts_on, new.ends_on) == (datetime.date(2096, 1, 1), datetime.date(2100, 12, 31))
