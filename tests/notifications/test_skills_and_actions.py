"""Skills (shadowing, reviews, leavers) and action-plan notifications reach people at their
staff-list address, with or without an account."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings as django_settings

from actionplan import reminders as action_reminders
from actionplan import services as action_services
from portal.models import Notification
from tests import factories
from tests.notifications.conftest import no_account, received

try:  # the skills code moves from technicians/ to skills/ this round
    from skills import reminders as skills_reminders
    from skills import services as skill_services
except ImportError:  # pragma: no cover - before the move
    from technicians import skill_services, skills_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def skill(db):
    return factories.SkillFactory(name="HPLC", category="Analytical")


@pytest.fixture
def trainer(personas, skill, boss, department):
    """Terry can train others in HPLC, has no account, and Bo (no account) manages him."""
    terry = no_account(
        department, "terry.trainer@example.ac.uk", first_name="Terry", line_manager=boss
    )
    factories.TechnicianSkillFactory(
        technician=terry, skill=skill, level=4, confirmed_on=datetime.date(2026, 1, 1)
    )
    return terry


def test_a_shadowing_request_reaches_the_teacher_and_managers_without_accounts(
    personas, skill, trainer, boss, sends
):
    with sends():
        skill_services.request_shadowing(trainer, skill, by=personas.technician, note="Please")
    notification = received(trainer, "skills.shadowing_requested")
    assert f"{django_settings.SITE_URL}/technicians/" in notification.body
    received(boss, "skills.shadowing_requested_manager")


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_decisions_reach_a_learner_without_an_account(personas, skill, trainer, decision, sends):
    trainer_user = factories.UserFactory(email="terry.account@example.ac.uk")
    trainer.user = trainer_user
    trainer.save(update_fields=["user"])
    shadowing = skill_services.request_shadowing(trainer, skill, by=personas.technician)
    alex = personas.technician_profile
    alex.user = None  # the learner's account goes; they stay on the staff list
    alex.save(update_fields=["user"])
    shadowing.refresh_from_db()
    with sends():
        if decision == "accept":
            skill_services.accept_shadowing(shadowing, by=trainer_user)
        else:
            skill_services.decline_shadowing(shadowing, by=trainer_user)
    received(
        alex, "skills.shadowing_accepted" if decision == "accept" else "skills.shadowing_declined"
    )
    if decision == "accept":
        received(trainer.line_manager, "skills.shadowing_accepted_manager")


def test_cancelled_and_done_reach_a_teacher_without_an_account(personas, skill, trainer, sends):
    first = skill_services.request_shadowing(trainer, skill, by=personas.technician)
    with sends():
        skill_services.cancel_shadowing(first, by=personas.technician)
    received(trainer, "skills.shadowing_cancelled")
    second = skill_services.request_shadowing(trainer, skill, by=personas.technician)
    type(second).objects.filter(pk=second.pk).update(status="accepted")
    second.refresh_from_db()
    with sends():
        skill_services.complete_shadowing(second, by=personas.technician)
    received(trainer, "skills.shadowing_done")


def test_the_review_reminder_reaches_a_technician_without_an_account(nobody, skill, sends):
    factories.TechnicianSkillFactory(
        technician=nobody, skill=skill, confirmed_on=datetime.date(2024, 1, 1)
    )
    with time_machine.travel(datetime.datetime(2026, 3, 11, 12, tzinfo=datetime.UTC)), sends():
        assert skills_reminders.queue_skill_review_reminders(datetime.date(2026, 3, 11)) == 1
    notification = received(nobody, "skills.review_due")
    assert f"{django_settings.SITE_URL}/technicians/skills/review/" in notification.body


def test_leaver_losses_reach_a_manager_without_an_account(personas, skill, boss, sends):
    no_account(boss.department, "rae.report@example.ac.uk", line_manager=boss)  # Bo manages
    # What the staff-list import computes (a SkillLoss): the parts the message reads.
    losses = [
        SimpleNamespace(
            department_id=boss.department_id,
            department=boss.department.name,
            message="Leaves Chemistry with nobody who holds HPLC",
        )
    ]
    with sends():
        skill_services.tell_about_leaver_skill_losses(losses, key="import:1")
    received(boss, "skills.leaver_losses")
    received(personas.manager_profile, "skills.leaver_losses")


# --- action plan: owners are accounts; one linked to a technician is told as the person -------


def test_action_reminders_go_to_the_owners_staff_list_address(personas, sends):
    personas.technician.email = "alex.private@example.com"  # the account's own address
    personas.technician.save(update_fields=["email"])
    plan = factories.ActionPlanFactory(status="published")
    factories.ActionFactory(
        plan=plan, owner=personas.technician, ref="V9", due_on=datetime.date(2026, 3, 20)
    )
    with sends():
        assert action_reminders.queue_action_reminders(datetime.date(2026, 3, 10)) == 1
    notification = received(personas.technician_profile, action_reminders.DUE_SOON)
    assert notification.reminder_kind == action_reminders.REMINDER_KIND


def test_an_update_on_an_action_reaches_its_owner_as_the_person(personas, sends):
    plan = factories.ActionPlanFactory(status="published")
    action = factories.ActionFactory(plan=plan, owner=personas.technician, ref="V8")
    with sends():
        action_services.post_update(
            personas.steering, action, note="Drafted.", progress=10, status="in_progress"
        )
    received(personas.technician_profile, action_services.UPDATE_BY_OTHER)
    assert not Notification.objects.filter(recipient=personas.technician).exists()
