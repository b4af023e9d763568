"""Reminders of the next submission at 6 months, 3 months, 1 month and 1 week, each once,
to the lead, through the outbox."""

import datetime

import pytest

from commitment import reminders
from commitment.models import Commitment
from portal import reminders as portal_reminders
from portal.models import Notification

D = datetime.date
pytestmark = pytest.mark.django_db
DUE = D(2024, 7, 31)  # stage 1 of a Commitment announced on 1 July 2023


@pytest.fixture
def commitment(personas):
    return Commitment.objects.create(
        signed_on=D(2023, 6, 1), announced_on=D(2023, 7, 1), lead=personas.steering
    )


def run(day):
    return reminders.queue_submission_reminders(day)


def sent():
    return list(
        Notification.objects.filter(kind=reminders.KIND)
        .order_by("pk")
        .values_list("key", flat=True)
    )


def test_each_reminder_fires_once_on_the_first_day_of_its_window(commitment):
    assert run(D(2024, 1, 30)) == 0  # the day before six months
    assert run(D(2024, 1, 31)) == 1
    assert run(D(2024, 1, 31)) == 0  # the same pass again
    assert run(D(2024, 3, 15)) == 0  # still the six-month window: already sent
    assert run(D(2024, 4, 30)) == 1
    assert run(D(2024, 5, 2)) == 0
    assert run(D(2024, 6, 30)) == 1
    assert run(D(2024, 7, 23)) == 0
    assert run(D(2024, 7, 24)) == 1
    assert run(D(2024, 7, 31)) == 0
    assert run(D(2024, 8, 1)) == 0  # overdue: the dashboard says so, no more reminders
    assert sent() == [
        "stage:1:2024-07-31:6-months",
        "stage:1:2024-07-31:3-months",
        "stage:1:2024-07-31:1-month",
        "stage:1:2024-07-31:1-week",
    ]
    notification = Notification.objects.filter(kind=reminders.KIND).first()
    assert notification.recipient == commitment.lead
    assert "due on 31 July 2024" in notification.body


def test_a_pass_that_first_sees_several_windows_sends_only_the_nearest(commitment):
    assert run(D(2024, 7, 10)) == 1
    assert sent() == ["stage:1:2024-07-31:1-month"]


def test_the_periodic_pass_runs_the_producer(commitment):
    counts = portal_reminders.run_all(D(2024, 1, 31))
    assert counts["commitment.submissions"] == 1


def test_an_extension_reminds_again_for_the_new_date(commitment, personas):
    from commitment import services

    submission = services.ensure_next_submission(commitment, today=D(2024, 7, 24))
    run(D(2024, 7, 24))
    services.extend_submission(submission, by=personas.steering)
    run(D(2024, 8, 1))  # inside the six-month window of 31 January 2025
    assert sent() == ["stage:1:2024-07-31:1-week", "stage:1:2025-01-31:6-months"]


def test_no_lead_no_reminder(commitment):
    commitment.lead = None
    commitment.save()
    assert run(D(2024, 7, 24)) == 0
