"""The Django admin of action plans, with simple-history's history pages."""

import pytest
from django.urls import reverse

from tests import factories


@pytest.mark.parametrize(
    "name",
    [
        "admin:actionplan_actionplan_changelist",
        "admin:actionplan_action_changelist",
        "admin:actionplan_actionupdate_changelist",
    ],
)
def test_admin_lists(name, login, personas, owned_action):
    factories.ActionUpdateFactory(action=owned_action)
    assert login(personas.admin).get(reverse(name)).status_code == 200


def test_admin_change_and_history_pages(login, personas, owned_action):
    client = login(personas.admin)
    update = factories.ActionUpdateFactory(action=owned_action, evidence_name="x.pdf")
    for url in (
        reverse("admin:actionplan_action_change", args=[owned_action.pk]),
        reverse("admin:actionplan_action_history", args=[owned_action.pk]),
        reverse("admin:actionplan_actionplan_change", args=[owned_action.plan_id]),
        reverse("admin:actionplan_actionplan_history", args=[owned_action.plan_id]),
        reverse("admin:actionplan_actionupdate_change", args=[update.pk]),
    ):
        assert client.get(url).status_code == 200, url
