"""Reminders: every producer the apps register, by the task and by the command."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from portal import registry, reminders, tasks
from portal.models import Notification
from portal.services import queue_notification
from tests import factories

calls: list[tuple[str, datetime.date]] = []


def remind_everyone(today):
    """A producer for these tests: one reminder per user and day, keyed by the date."""
    calls.append(("remind_everyone", today))
    queued = 0
    for user in get_user_model().objects.order_by("pk"):
        queued += bool(
            queue_notification(user, "test_reminder", today.isoformat(), "Reminder", "Body")
        )
    return queued


def count_nothing(today):
    calls.append(("count_nothing", today))
    return None


def broken(today):
    raise ValueError("the producer has a bug")


HERE = "tests"
TEST_PRODUCERS = (f"{HERE}.remind_everyone", f"{HERE}.count_nothing")
FUNCTIONS = {
    f"{HERE}.remind_everyone": remind_everyone,
    f"{HERE}.count_nothing": count_nothing,
    f"{HERE}.broken": broken,
}


def _registered(*names):
    return {name: FUNCTIONS[name] for name in names}


@pytest.fixture(autouse=True)
def _calls():
    calls.clear()
    yield
    calls.clear()


@pytest.fixture
def test_producers(monkeypatch):
    monkeypatch.setattr(registry, "_reminders", _registered(*TEST_PRODUCERS))


def test_the_action_plan_reminders_are_a_producer_registered_by_their_app():
    from actionplan.reminders import queue_action_reminders

    assert registry.reminders()["actionplan.actions"] is queue_action_reminders


def test_every_registered_producer_is_callable():
    for name, producer in registry.reminders().items():
        assert callable(producer), name


@pytest.mark.django_db
def test_run_all_calls_every_producer_with_the_day_and_counts_what_each_queued(
    test_producers, django_capture_on_commit_callbacks
):
    factories.UserFactory(email="a@example.ac.uk", username="a@example.ac.uk")
    factories.UserFactory(email="b@example.ac.uk", username="b@example.ac.uk")
    day = datetime.date(2025, 3, 14)

    with django_capture_on_commit_callbacks(execute=True):
        counts = reminders.run_all(today=day)

    assert counts == {TEST_PRODUCERS[0]: 2, TEST_PRODUCERS[1]: 0}
    assert calls == [("remind_everyone", day), ("count_nothing", day)]
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_running_the_reminders_again_the_same_day_reminds_nobody_twice(
    test_producers, django_capture_on_commit_callbacks
):
    factories.UserFactory(email="a@example.ac.uk", username="a@example.ac.uk")
    day = datetime.date(2025, 3, 14)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.run_all(today=day)[TEST_PRODUCERS[0]] == 1
        assert reminders.run_all(today=day)[TEST_PRODUCERS[0]] == 0
        assert reminders.run_all(today=day + datetime.timedelta(days=1))[TEST_PRODUCERS[0]] == 1
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_today_is_the_date_in_london(test_producers):
    # 23:30 UTC on 31 July is already 1 August in London (BST): a new academic year.
    with time_machine.travel(datetime.datetime(2025, 7, 31, 23, 30, tzinfo=datetime.UTC)):
        reminders.run_all()
    assert calls[0] == ("remind_everyone", datetime.date(2025, 8, 1))


@pytest.mark.django_db
def test_a_failing_producer_does_not_stop_the_others_but_is_reported():
    producers = {
        f"{HERE}.broken": broken,
        f"{HERE}.count_nothing": count_nothing,
        f"{HERE}.also_broken": lambda today: 1 / 0,
    }
    with pytest.raises(reminders.ReminderErrors) as raised:
        reminders.run_all(today=datetime.date(2025, 3, 14), producers=producers)
    assert raised.value.counts == {f"{HERE}.count_nothing": 0}
    assert set(raised.value.failures) == {f"{HERE}.broken", f"{HERE}.also_broken"}
    assert "the producer has a bug" in str(raised.value)
    assert calls == [("count_nothing", datetime.date(2025, 3, 14))]


@pytest.mark.django_db
def test_the_task_runs_every_producer(test_producers):
    factories.UserFactory(email="a@example.ac.uk", username="a@example.ac.uk")
    with time_machine.travel(datetime.datetime(2025, 3, 14, 9, 0, tzinfo=datetime.UTC)):
        result = tasks.send_reminders.delay().get()
    assert result == {TEST_PRODUCERS[0]: 1, TEST_PRODUCERS[1]: 0}
    assert [name for name, _ in calls] == ["remind_everyone", "count_nothing"]


@pytest.mark.django_db
def test_the_command_runs_every_producer_and_prints_the_counts(test_producers):
    factories.UserFactory(email="a@example.ac.uk", username="a@example.ac.uk")
    out = StringIO()
    call_command("send_reminders", "--date", "2025-03-14", stdout=out)
    assert calls[0] == ("remind_everyone", datetime.date(2025, 3, 14))
    assert f"{TEST_PRODUCERS[0]}: 1 queued" in out.getvalue()
    assert "1 reminders queued." in out.getvalue()


@pytest.mark.django_db
def test_the_command_defaults_to_today(test_producers):
    with time_machine.travel(datetime.datetime(2025, 12, 1, 12, 0, tzinfo=datetime.UTC)):
        call_command("send_reminders", stdout=StringIO())
    assert calls[0] == ("remind_everyone", datetime.date(2025, 12, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["14/03/2025", "2025-02-30", "tomorrow"])
def test_the_command_refuses_a_date_that_is_not_iso(test_producers, value):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", value, stdout=StringIO())
    assert calls == []


@pytest.mark.django_db
def test_the_command_fails_when_a_producer_fails(monkeypatch):
    monkeypatch.setattr(
        registry, "_reminders", _registered(f"{HERE}.count_nothing", f"{HERE}.broken")
    )
    out = StringIO()
    with pytest.raises(CommandError, match="the producer has a bug"):
        call_command("send_reminders", "--date", "2025-03-14", stdout=out)
    assert f"{HERE}.count_nothing: 0 queued" in out.getvalue()
