"""The Django admin of action plans, with simple-history's history pages."""

import pytest
from django.urls import reverse

from actionplan import services
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


# --- the admin cannot get around the services ------------------------------------------------


def _admin_post(client, url: str, data: dict):
    """POST a change form as the admin page would send it (no inline rows changed)."""
    return client.post(
        url,
        {
            **data,
            "actions-TOTAL_FORMS": "0",
            "actions-INITIAL_FORMS": "0",
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
        },
    )


def test_the_admin_cannot_change_or_delete_an_archived_plan(login, personas, archived_plan):
    factories.ActionFactory(
        plan=archived_plan, ref="V1.1", title="Old action", due_on=archived_plan.ends_on
    )
    client = login(personas.admin)
    change = reverse("admin:actionplan_actionplan_change", args=[archived_plan.pk])

    page = client.get(change)
    assert page.status_code == 200  # shown, read-only
    assert 'name="_save"' not in page.content.decode()
    response = _admin_post(
        client, change, {"title": "Reopened", "status": "published", "starts_on": "2022-08-01"}
    )
    assert response.status_code == 403
    delete = reverse("admin:actionplan_actionplan_delete", args=[archived_plan.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403

    archived_plan.refresh_from_db()
    assert (archived_plan.title, archived_plan.status) == ("Action Plan 2022–2025", "archived")
    assert archived_plan.history.count() == 1


def test_the_admin_cannot_change_an_action_of_an_archived_plan(login, personas, archived_plan):
    action = factories.ActionFactory(
        plan=archived_plan, ref="V1.1", title="Old action", due_on=archived_plan.ends_on
    )
    client = login(personas.admin)
    change = reverse("admin:actionplan_action_change", args=[action.pk])

    assert 'name="_save"' not in client.get(change).content.decode()
    response = _admin_post(client, change, {"title": "Changed", "progress": "100"})
    assert response.status_code == 403
    delete = reverse("admin:actionplan_action_delete", args=[action.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403

    action.refresh_from_db()
    assert (action.title, action.progress) == ("Old action", action.history.last().progress)
    assert action.history.count() == 1


def test_the_admin_changes_nothing_the_services_guard(login, personas, owned_action):
    client = login(personas.admin)
    change = reverse("admin:actionplan_action_change", args=[owned_action.pk])
    response = _admin_post(
        client,
        change,
        {"title": "Changed in the admin", "due_on": "2030-01-01", "progress": "100"},
    )
    assert response.status_code == 403
    owned_action.refresh_from_db()
    assert owned_action.title == "Publish technician profiles on the website"
    assert (owned_action.due_on.isoformat(), owned_action.progress) == ("2027-03-31", 40)
    # Plans, actions and updates are added on the pages, through the services.
    for name in ("actionplan", "action", "actionupdate"):
        assert client.get(reverse(f"admin:actionplan_{name}_add")).status_code == 403


def test_the_admin_offers_no_revert_to_an_old_version(login, personas, owned_action):
    services.update_action(personas.steering, owned_action, title="A newer title")
    old = owned_action.history.earliest()
    client = login(personas.admin)
    url = reverse("admin:actionplan_action_simple_history", args=[owned_action.pk, old.history_id])
    assert client.post(url, {"title": old.title}).status_code == 403
    owned_action.refresh_from_db()
    assert owned_action.title == "A newer title"
