"""Every change to a plan or an action is kept: who, when, which field, old and new value, and
the action's page shows it as a timeline with the progress updates, newest first."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from actionplan import history, selectors, services
from actionplan.history import Reason
from tests import factories
from tests.actionplan.conftest import at_noon


def test_editing_an_action_records_who_when_which_field_old_and_new(today, personas, owned_action):
    with time_machine.travel(at_noon(datetime.date(2026, 4, 2)), tick=False):
        services.update_action(
            personas.steering,
            owned_action,
            title="Publish a profile for every technician",
            due_on=datetime.date(2027, 6, 30),
            owner=personas.manager,
        )
    record = owned_action.history.first()
    assert record.history_user == personas.steering
    assert record.history_date == at_noon(datetime.date(2026, 4, 2))
    delta = record.diff_against(record.prev_record)
    changes = {change.field: (change.old, change.new) for change in delta.changes}
    assert changes == {
        "title": (
            "Publish technician profiles on the website",
            "Publish a profile for every technician",
        ),
        "due_on": (datetime.date(2027, 3, 31), datetime.date(2027, 6, 30)),
        "owner": (personas.technician.pk, personas.manager.pk),
    }


def test_the_timeline_shows_changes_and_updates_newest_first(today, login, personas, owned_action):
    with time_machine.travel(at_noon(datetime.date(2026, 4, 2)), tick=False):
        services.update_action(personas.steering, owned_action, lead="Web team", progress=45)
    with time_machine.travel(at_noon(datetime.date(2026, 5, 5)), tick=False):
        services.post_update(
            personas.technician,
            owned_action,
            note="Half the faculties done.",
            progress=70,
            status="in_progress",
        )
    timeline = selectors.action_timeline(owned_action)
    assert [entry.kind for entry in timeline] == ["update", "changed", "created"]
    update, change = timeline[0], timeline[1]
    assert update.who == personas.technician
    assert [(c.field, c.old, c.new) for c in update.changes] == [("Progress", "45 %", "70 %")]
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("Lead", "Technical Services", "Web team"),
        ("Progress", "40 %", "45 %"),
    ]

    html = login(personas.hr).get(owned_action.get_absolute_url()).content.decode()
    assert html.index("Half the faculties done.") < html.index("<td>Web team</td>")
    assert "5 May 2026, 12:00" in html and "2 April 2026, 12:00" in html
    assert '<th scope="row">Lead</th><td>Technical Services</td><td>Web team</td>' in html
    assert "sam.steering@example.ac.uk" in html  # who made the change


def test_the_owner_shows_as_a_person_and_choices_as_labels(personas, owned_action):
    services.update_action(
        personas.steering, owned_action, owner=personas.manager, status="blocked"
    )
    changes = {c.field: (c.old, c.new) for c in selectors.action_timeline(owned_action)[0].changes}
    assert changes["Owner"] == ("alex.tech@example.ac.uk", "morgan.manager@example.ac.uk")
    assert changes["Status"] == ("In progress", "Blocked")


def test_plan_changes_are_kept_too(login, personas, plan):
    services.update_plan(personas.steering, plan, title="Renamed plan", status="archived")
    entry = selectors.plan_timeline(plan)[0]
    assert entry.who == personas.steering
    assert {(c.field, c.old, c.new) for c in entry.changes} == {
        ("Title", "Technician Commitment Action Plan 2025–2028", "Renamed plan"),
        ("Status", "Published", "Archived"),
    }
    page = login(personas.technician).get(reverse("actionplan:history", args=[plan.pk]))
    assert "Renamed plan" in page.content.decode()


def test_changes_made_on_the_pages_record_the_request_user(login, personas, owned_action):
    login(personas.steering).post(
        reverse("actionplan:action_edit", args=[owned_action.plan_id, owned_action.pk]),
        {
            "pillar": "recognition",
            "ref": "R1.1",
            "title": owned_action.title,
            "owner": personas.technician.email,
            "due_on": "2027-03-31",
            "status": "in_progress",
            "progress": "40",
            "lead": owned_action.lead,
            "success_measure": owned_action.success_measure,
        },
    )
    record = owned_action.history.first()
    assert record.history_user == personas.steering
    changed = record.diff_against(record.prev_record).changed_fields
    assert sorted(changed) == ["pillar", "ref"]


def test_the_timeline_query_count_does_not_grow_with_history(
    personas, owned_action, django_assert_max_num_queries
):
    for progress in range(41, 61):
        services.post_update(
            personas.steering,
            owned_action,
            note=f"{progress}",
            progress=progress,
            status="in_progress",
        )
    factories.ActionUpdateFactory(action=owned_action)
    with django_assert_max_num_queries(5):
        assert len(selectors.action_timeline(owned_action)) == 22


# --- why a change was made ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "ref", "stored", "words"),
    [
        (Reason.PROGRESS_UPDATE, 12, "update:12", "Progress update."),
        (Reason.NEXT_PLAN, 3, "next plan after 3", "Started as the next plan."),
        (Reason.CARRIED_OVER, 3, "continues plan 3", "Carried over from the previous plan."),
        (Reason.IMPORT, None, "import", "Imported from a CSV file."),
        (Reason.DEMO, None, "demo data", "Demo data."),
    ],
)
def test_each_reason_is_stored_and_read_back_by_one_table(reason, ref, stored, words):
    assert history.format_reason(reason, ref) == stored  # what the history already holds
    assert history.parse_reason(stored) == history.ParsedReason(reason, ref)
    assert history.describe(stored) == words


def test_an_ordinary_edit_or_free_text_is_no_reason_of_ours():
    assert history.parse_reason(None) is None
    assert history.parse_reason("") is None
    assert history.describe(None) == ""
    assert history.parse_reason("update:twelve") is None
    assert history.parse_reason("an update:12") is None
    assert history.describe("Fixed a typo") == "Fixed a typo"


def test_a_reason_names_a_row_exactly_when_its_table_says_so():
    with pytest.raises(ValueError):
        history.format_reason(Reason.PROGRESS_UPDATE)
    with pytest.raises(ValueError):
        history.format_reason(Reason.IMPORT, 5)


def test_the_timeline_says_why_plans_and_actions_were_made(personas, owned_action):
    next_plan = services.start_next_plan(personas.steering, owned_action.plan)
    [created] = selectors.plan_timeline(next_plan)
    assert created.reason == "Started as the next plan."
    carried = next_plan.actions.get()
    assert selectors.action_timeline(carried)[-1].reason == "Carried over from the previous plan."
