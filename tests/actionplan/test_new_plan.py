"""A new plan starts as a draft or published, never archived: a rule of the service, which the
create page's form follows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionplan import services
from actionplan.models import ActionPlan

PERIOD = {"starts_on": datetime.date(2028, 8, 1), "ends_on": datetime.date(2031, 7, 31)}


@pytest.mark.parametrize("status", ["draft", "published"])
def test_a_new_plan_may_start_as_a_draft_or_published(personas, status):
    plan = services.create_plan(personas.steering, title="Plan", status=status, **PERIOD)
    assert plan.status == status


def test_the_service_refuses_a_new_archived_plan_and_creates_nothing(personas):
    with pytest.raises(ValidationError) as refused:
        services.create_plan(personas.steering, title="Plan", status="archived", **PERIOD)
    assert refused.value.message_dict == {"status": [services.NEW_PLAN_STATUS]}
    assert not ActionPlan.objects.exists()


def test_the_create_page_offers_no_archived_status(login, personas):
    client = login(personas.steering)
    form = client.get(reverse("actionplan:create")).context["form"]
    assert [value for value, _label in form.fields["status"].choices] == ["draft", "published"]

    response = client.post(
        reverse("actionplan:create"),
        {"title": "Plan", "starts_on": "2028-08-01", "ends_on": "2031-07-31", "status": "archived"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert not ActionPlan.objects.exists()
