"""The rules of changing plans and actions: every refusal says why and changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from actionplan import services
from actionplan.models import Action, ActionPlan, ActionUpdate
from tests import factories
from tests.actionplan.conftest import ENDS, STARTS


def snapshot(action: Action) -> dict:
    action.refresh_from_db()
    return {
        "fields": {name: getattr(action, name) for name in services.ACTION_FIELDS},
        "history": action.history.count(),
        "updates": action.updates.count(),
    }


def plan_snapshot(plan: ActionPlan) -> dict:
    plan.refresh_from_db()
    return {
        "fields": {name: getattr(plan, name) for name in services.PLAN_FIELDS},
        "history": plan.history.count(),
        "actions": plan.actions.count(),
    }


# --- wrong role ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["technician", "manager", "coordinator", "hr"])
def test_only_the_steering_group_edits_actions(persona, personas, owned_action):
    before = snapshot(owned_action)
    user = getattr(personas, persona)
    with pytest.raises(PermissionDenied, match="Only members of the steering group"):
        services.update_action(user, owned_action, title="Renamed")
    with pytest.raises(PermissionDenied, match="Only members of the steering group"):
        services.create_action(
            user, owned_action.plan, pillar="recognition", ref="R9.9", title="New", due_on=ENDS
        )
    with pytest.raises(PermissionDenied, match="Only members of the steering group"):
        services.update_plan(user, owned_action.plan, title="Renamed")
    with pytest.raises(PermissionDenied, match="Only members of the steering group"):
        services.start_next_plan(user, owned_action.plan)
    assert snapshot(owned_action) == before
    assert ActionPlan.objects.count() == 1


def test_the_owner_of_an_action_cannot_edit_it_only_update_it(personas, owned_action):
    with pytest.raises(PermissionDenied):
        services.update_action(personas.technician, owned_action, progress=90)
    update = services.post_update(
        personas.technician, owned_action, note="Half way", progress=55, status="in_progress"
    )
    owned_action.refresh_from_db()
    assert (owned_action.progress, update.author) == (55, personas.technician)


@pytest.mark.parametrize("persona", ["manager", "coordinator", "hr"])
def test_others_cannot_post_updates(persona, personas, owned_action):
    before = snapshot(owned_action)
    with pytest.raises(PermissionDenied, match="Only the steering group and the action's owner"):
        services.post_update(
            getattr(personas, persona), owned_action, note="x", progress=90, status="in_progress"
        )
    assert snapshot(owned_action) == before


def test_anonymous_users_cannot_change_anything(owned_action):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.post_update(AnonymousUser(), owned_action, note="x", progress=1, status="blocked")
    with pytest.raises(PermissionDenied):
        services.update_action(AnonymousUser(), owned_action, progress=1)


def test_an_owner_cannot_update_an_action_in_a_draft_plan(personas, draft_plan):
    action = factories.ActionFactory(plan=draft_plan, owner=personas.technician)
    with pytest.raises(PermissionDenied):
        services.post_update(personas.technician, action, note="x", progress=60, status="blocked")


# --- archived plans ------------------------------------------------------------------------


def test_an_archived_plan_takes_no_edits_and_no_updates(personas, archived_plan):
    action = factories.ActionFactory(
        plan=archived_plan, owner=personas.technician, due_on=datetime.date(2025, 1, 31)
    )
    before, plan_before = snapshot(action), plan_snapshot(archived_plan)
    message = "This plan is archived"
    for user in (personas.steering, personas.admin):
        with pytest.raises(ValidationError, match=message):
            services.update_action(user, action, title="Renamed")
        with pytest.raises(ValidationError, match=message):
            services.post_update(user, action, note="Late news", progress=90, status="complete")
        with pytest.raises(ValidationError, match=message):
            services.update_plan(user, archived_plan, status="published")
        with pytest.raises(ValidationError, match=message):
            services.create_action(
                user, archived_plan, pillar="visibility", ref="V9", title="x", due_on=action.due_on
            )
    with pytest.raises(ValidationError, match=message):
        services.post_update(personas.technician, action, note="x", progress=90, status="complete")
    assert snapshot(action) == before
    assert plan_snapshot(archived_plan) == plan_before


# --- bad values ----------------------------------------------------------------------------


@pytest.mark.parametrize("progress", [-1, 101, 150, "abc", "", None, 12.5, True])
def test_progress_outside_0_to_100_is_refused(progress, personas, owned_action):
    before = snapshot(owned_action)
    with pytest.raises(ValidationError) as refused:
        services.post_update(
            personas.steering, owned_action, note="x", progress=progress, status="in_progress"
        )
    assert refused.value.message_dict["progress"] == [services.PROGRESS_RANGE]
    with pytest.raises(ValidationError) as refused:
        services.update_action(personas.steering, owned_action, progress=progress)
    assert refused.value.message_dict["progress"] == [services.PROGRESS_RANGE]
    assert snapshot(owned_action) == before


@pytest.mark.parametrize("progress", [0, 100, "100", "45%"])
def test_progress_from_0_to_100_is_accepted(progress, personas, owned_action):
    services.update_action(personas.steering, owned_action, progress=progress)
    owned_action.refresh_from_db()
    assert owned_action.progress == int(str(progress).rstrip("%"))


@pytest.mark.parametrize(
    "due_on",
    [STARTS - datetime.timedelta(days=1), ENDS + datetime.timedelta(days=1)],
    ids=["the day before the plan starts", "the day after it ends"],
)
def test_a_due_date_outside_the_plans_period_is_refused(due_on, personas, owned_action):
    before = snapshot(owned_action)
    message = "The due date must fall within the plan's period, 1 August 2025 to 31 July 2028."
    with pytest.raises(ValidationError) as refused:
        services.update_action(personas.steering, owned_action, due_on=due_on)
    assert refused.value.message_dict["due_on"] == [message]
    with pytest.raises(ValidationError) as refused:
        services.create_action(
            personas.steering,
            owned_action.plan,
            pillar="visibility",
            ref="V7.1",
            title="A new action",
            due_on=due_on,
        )
    assert refused.value.message_dict["due_on"] == [message]
    assert snapshot(owned_action) == before
    assert owned_action.plan.actions.count() == 1


@pytest.mark.parametrize("due_on", [STARTS, ENDS], ids=["first day", "last day"])
def test_the_first_and_last_days_of_the_plan_are_inside_it(due_on, personas, owned_action):
    services.update_action(personas.steering, owned_action, due_on=due_on)
    owned_action.refresh_from_db()
    assert owned_action.due_on == due_on


def test_a_duplicate_reference_is_refused(personas, owned_action):
    with pytest.raises(ValidationError) as refused:
        services.create_action(
            personas.steering,
            owned_action.plan,
            pillar="visibility",
            ref="v1.1",
            title="Same ref, other case",
            due_on=ENDS,
        )
    assert "already has the reference" in refused.value.message_dict["ref"][0]
    assert owned_action.plan.actions.count() == 1


def test_a_plan_must_end_after_it_starts(personas, plan):
    with pytest.raises(ValidationError) as refused:
        services.update_plan(personas.steering, plan, ends_on=plan.starts_on)
    assert refused.value.message_dict["ends_on"] == [services.PERIOD_ORDER]
    with pytest.raises(ValidationError):
        services.create_plan(personas.steering, title="Backwards", starts_on=ENDS, ends_on=STARTS)
    assert ActionPlan.objects.count() == 1


def test_a_plan_period_cannot_leave_actions_outside_it(personas, owned_action):
    plan = owned_action.plan
    with pytest.raises(ValidationError, match="V1.1"):
        services.update_plan(personas.steering, plan, ends_on=datetime.date(2026, 12, 31))
    plan.refresh_from_db()
    assert plan.ends_on == ENDS


def test_the_database_refuses_what_the_services_refuse(owned_action):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=owned_action.pk).update(progress=101)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlan.objects.filter(pk=owned_action.plan_id).update(ends_on=STARTS)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ActionFactory(plan=owned_action.plan, ref=owned_action.ref)


def test_data_written_around_the_services_may_say_complete_with_any_progress(plan):
    """The services set 100 % on completion; bulk loads and fixtures are not refused for it."""
    Action.objects.bulk_create(
        [
            Action(plan=plan, pillar="visibility", ref=ref, title="x", due_on=ENDS, status=status)
            for ref, status in (("V1", "complete"), ("V2", "not_started"))
        ]
    )
    done = Action.objects.get(ref="V1")
    assert (done.status, done.progress, done.rag) == ("complete", 0, "complete")


# --- completing and updating -----------------------------------------------------------------


def test_completing_an_action_by_update_sets_progress_to_100(personas, owned_action):
    update = services.post_update(
        personas.steering, owned_action, note="Done at last", progress=80, status="complete"
    )
    owned_action.refresh_from_db()
    assert (owned_action.status, owned_action.progress) == ("complete", 100)
    assert (update.status, update.progress) == ("complete", 100)


def test_completing_an_action_by_edit_sets_progress_to_100(personas, owned_action):
    services.update_action(personas.steering, owned_action, status="complete", progress=30)
    owned_action.refresh_from_db()
    assert owned_action.progress == 100


def test_an_update_sets_the_actions_progress_and_status_and_keeps_the_note(personas, owned_action):
    update = services.post_update(
        personas.technician,
        owned_action,
        note="  Waiting for the web team.  ",
        progress=45,
        status="blocked",
        evidence_url="https://intranet.example.ac.uk/technicians",
    )
    owned_action.refresh_from_db()
    assert (owned_action.progress, owned_action.status) == (45, "blocked")
    assert update.note == "Waiting for the web team."
    assert update.evidence_url == "https://intranet.example.ac.uk/technicians"
    latest = owned_action.history.first()
    assert latest.history_user == personas.technician


def test_an_update_needs_a_note_and_a_real_link(personas, owned_action):
    before = snapshot(owned_action)
    with pytest.raises(ValidationError) as refused:
        services.post_update(
            personas.steering,
            owned_action,
            note="   ",
            progress=50,
            status="in_progress",
            evidence_url="javascript:alert(1)",
        )
    assert refused.value.message_dict["note"] == [services.NOTE_REQUIRED]
    assert "evidence_url" in refused.value.message_dict
    assert snapshot(owned_action) == before
    assert ActionUpdate.objects.count() == 0


def test_an_unchanged_edit_records_no_history(personas, owned_action):
    before = owned_action.history.count()
    services.update_action(personas.steering, owned_action, title=owned_action.title)
    assert owned_action.history.count() == before


def test_steering_group_creates_and_publishes_a_plan(personas):
    plan = services.create_plan(
        personas.steering, title="  Plan 2028–2031 ", starts_on=ENDS, ends_on=ENDS.replace(2031)
    )
    assert (plan.title, plan.status) == ("Plan 2028–2031", "draft")
    services.update_plan(personas.steering, plan, status="published")
    plan.refresh_from_db()
    assert plan.status == "published"
    assert plan.history.first().history_user == personas.steering
