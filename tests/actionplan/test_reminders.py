"""Reminders to owners: once, the first time an action is seen due within 14 days, and once
overdue; at their boundaries, and never twice."""

import datetime

import pytest
import time_machine

from actionplan import reminders
from portal.models import Notification
from tests import factories
from tests.actionplan.conftest import TODAY, at_noon

DAY = datetime.timedelta(days=1)


@pytest.fixture
def owner(db):
    return factories.UserFactory(email="owner@example.ac.uk")


def action_due_in(days, plan, owner, **extra):
    return factories.ActionFactory(
        plan=plan, owner=owner, ref=f"D{days}", due_on=TODAY + days * DAY, **extra
    )


def sent(kind=None):
    rows = Notification.objects.order_by("pk")
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.values_list("kind", "key"))


@pytest.mark.parametrize(
    ("days", "expected_kind"),
    [
        (15, None),
        (14, "action_due_soon"),
        (13, "action_due_soon"),
        (1, "action_due_soon"),
        (0, "action_due_soon"),
        (-1, "action_overdue"),
        (-90, "action_overdue"),
    ],
)
def test_reminders_at_their_boundaries(days, expected_kind, plan, owner):
    action = action_due_in(days, plan, owner)
    with time_machine.travel(at_noon(TODAY), tick=False):
        queued = reminders.queue_action_reminders(TODAY)
    if expected_kind is None:
        assert (queued, sent()) == (0, [])
    else:
        assert queued == 1
        word = "due" if expected_kind == "action_due_soon" else "overdue"
        assert sent() == [(expected_kind, f"action:{action.pk}:{word}:{action.due_on}")]
        notification = Notification.objects.get()
        assert notification.recipient == owner  # an account with no technician profile
        assert action.ref in notification.subject
        assert action.get_absolute_url() in notification.body


def test_reminders_are_idempotent(plan, owner):
    action_due_in(14, plan, owner)
    action_due_in(-3, plan, owner)
    assert reminders.queue_action_reminders(TODAY) == 2
    assert reminders.queue_action_reminders(TODAY) == 0
    # The next day the overdue action is not reminded again.
    assert reminders.queue_action_reminders(TODAY + DAY) == 0
    assert len(sent()) == 2


def test_a_new_due_date_reminds_again_once(plan, owner):
    action = action_due_in(-3, plan, owner)
    assert reminders.queue_action_reminders(TODAY) == 1
    action.due_on = TODAY - DAY
    action.save()
    assert reminders.queue_action_reminders(TODAY) == 1
    assert reminders.queue_action_reminders(TODAY) == 0
    assert len(sent("action_overdue")) == 2


def test_no_reminders_for_finished_unowned_or_unpublished_actions(
    plan, draft_plan, archived_plan, owner
):
    action_due_in(-2, plan, owner, status="complete", progress=100)
    action_due_in(14, plan, None)
    factories.ActionFactory(plan=draft_plan, owner=owner, due_on=TODAY - DAY)
    factories.ActionFactory(plan=archived_plan, owner=owner, due_on=datetime.date(2025, 1, 1))
    inactive = factories.UserFactory(is_active=False)
    action_due_in(-5, plan, inactive)
    leaver = factories.TechnicianFactory(is_active=False, user=factories.UserFactory()).user
    action_due_in(-6, plan, leaver)
    assert reminders.queue_action_reminders(TODAY) == 0


def test_an_owner_with_a_technician_profile_is_reminded(plan, owner):
    factories.TechnicianFactory(user=owner, email=owner.email)
    action_due_in(-1, plan, owner)
    assert reminders.queue_action_reminders(TODAY) == 1


def test_a_blocked_action_is_reminded(plan, owner):
    action_due_in(14, plan, owner, status="blocked")
    assert reminders.queue_action_reminders(TODAY) == 1


def test_due_soon_fires_once_from_the_first_day_of_the_window(plan, owner):
    """Each day of the window is seen by the pass; only the first one reminds."""
    action = action_due_in(20, plan, owner)
    reminded_on = []
    for offset in range(0, 21):
        day = TODAY + offset * DAY
        with time_machine.travel(at_noon(day), tick=False):
            if reminders.queue_action_reminders(day):
                reminded_on.append(offset)
    assert reminded_on == [6]  # 14 days before the due date, and never again
    assert sent("action_due_soon") == [
        ("action_due_soon", f"action:{action.pk}:due:{action.due_on}")
    ]


def test_an_action_created_inside_the_window_is_reminded(plan, owner):
    """Created 10 days before it is due: no day 14 ever comes, the first pass reminds."""
    with time_machine.travel(at_noon(TODAY), tick=False):
        action_due_in(10, plan, owner)
        assert reminders.queue_action_reminders(TODAY) == 1
    notification = Notification.objects.get()
    assert notification.subject.endswith("is due in 10 days")


def test_a_pass_that_missed_day_14_still_reminds(plan, owner):
    action_due_in(14, plan, owner)
    later = TODAY + 3 * DAY  # no pass ran on TODAY
    with time_machine.travel(at_noon(later), tick=False):
        assert reminders.queue_action_reminders(later) == 1
        assert reminders.queue_action_reminders(later + DAY) == 0


def test_due_today_says_so(plan, owner):
    action_due_in(0, plan, owner)
    with time_machine.travel(at_noon(TODAY), tick=False):
        assert reminders.queue_action_reminders(TODAY) == 1
    assert Notification.objects.get().subject.endswith("is due today")
