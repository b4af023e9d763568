"""The demo plan, and the import command (the same service as the import page)."""

import pytest
from django.core.management import CommandError, call_command

from actionplan import demo
from actionplan.models import Action, ActionPlan, ActionUpdate, Pillar
from portal import roles
from tests import factories
from tests.conftest import make_user


def test_the_demo_plan_is_realistic_published_and_idempotent(db):
    steering = make_user("steering@example.ac.uk", roles.STEERING_GROUP)
    plan = demo.seed_demo_plan()
    assert plan.status == "published"
    assert (plan.starts_on.isoformat(), plan.ends_on.isoformat()) == ("2025-08-01", "2028-07-31")
    actions = list(plan.actions.all())
    assert 35 <= len(actions) <= 45
    assert {action.pillar for action in actions} == set(Pillar.values)
    assert {action.status for action in actions} == set(Action.Status.values)
    assert all(plan.covers(action.due_on) for action in actions)
    assert any(action.owner == steering for action in actions)
    assert ActionUpdate.objects.filter(action__plan=plan).count() >= 10
    counts = (ActionPlan.objects.count(), Action.objects.count(), ActionUpdate.objects.count())
    demo.seed_demo_plan()
    assert (ActionPlan.objects.count(), Action.objects.count(), ActionUpdate.objects.count()) == (
        counts
    )


def test_the_demo_plan_creates_owners_when_there_are_no_users(db):
    from io import StringIO

    out = StringIO()
    plan = demo.seed_demo_plan(out)
    assert plan.actions.filter(owner__isnull=True).count() == 0
    assert "created demo owner" in out.getvalue()


def test_the_import_command_uses_the_same_checks(tmp_path, personas):
    plan = factories.ActionPlanFactory()
    good = tmp_path / "good.csv"
    good.write_text("pillar,ref,action,due\nVisibility,V1.1,Profiles,2026-01-31\n")
    call_command("import_actions", plan.pk, good, "--dry-run")
    assert not plan.actions.exists()
    call_command("import_actions", plan.pk, good, "--as", personas.steering.email)
    assert plan.actions.get().history.first().history_user == personas.steering
    bad = tmp_path / "bad.csv"
    bad.write_text("pillar,ref,action,due\nVisibility,V1.2,Profiles,2030-01-31\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_actions", plan.pk, bad)
    assert plan.actions.count() == 1
