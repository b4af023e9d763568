"""The Commitment's workflows move through the kernel's one step (portal.workflow.transition):
each move of a submission (start drafting, extend, submit, mark reviewed) and the approval of
an annual report, and each refusal: a wrong state refused in a sentence, the wrong person
refused as such, and nothing written either way."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from commitment import services
from commitment.models import AnnualReport, Commitment, Submission, SubmissionEvent
from portal import workflow
from portal.actors import COMMAND_LINE

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_a_day():
    with time_machine.travel(datetime.datetime(2027, 3, 1, 12, 0), tick=False):
        yield


@pytest.fixture
def steps(monkeypatch):
    """Every call the commitment services make to the kernel's step, by target state."""
    calls = []
    real = workflow.transition

    def spy(*args, **kwargs):
        moved = real(*args, **kwargs)
        calls.append((type(moved.obj).__name__, moved.from_state, moved.to_state))
        return moved

    monkeypatch.setattr(services, "transition", spy)
    return calls


@pytest.fixture
def commitment(personas):
    return Commitment.objects.create(
        signed_on=D(2023, 6, 1), announced_on=D(2023, 7, 1), chair=personas.steering
    )


def stage(commitment, status, *, number=2, extended=False):
    return Submission.objects.create(
        commitment=commitment,
        stage=number,
        due_on=D(2027, 7, 31),
        status=status,
        extended=extended,
        submitted_on=D(2027, 1, 1) if status in ("submitted", "reviewed") else None,
    )


def unchanged(submission, before):
    """Nothing was written: the row as it was, and no event."""
    submission.refresh_from_db()
    assert (submission.status, submission.due_on, submission.extended) == before
    assert not SubmissionEvent.objects.filter(submission=submission).exists()


def snapshot(submission):
    return (submission.status, submission.due_on, submission.extended)


# --- planned → drafting ------------------------------------------------------------------


def test_start_drafting_moves_planned_to_drafting_with_an_event(commitment, personas, steps):
    planned = stage(commitment, "planned")
    moved = services.start_drafting(planned, by=personas.steering)
    assert moved.status == "drafting"
    assert Submission.objects.get(pk=planned.pk).status == "drafting"
    [event] = SubmissionEvent.objects.filter(submission=planned)
    assert (event.kind, event.actor) == ("started", personas.steering)
    assert steps == [("Submission", "planned", "drafting")]


@pytest.mark.parametrize("status", ["drafting", "submitted", "reviewed"])
def test_start_drafting_is_refused_unless_planned(commitment, personas, status):
    row = stage(commitment, status)
    before = snapshot(row)
    with pytest.raises(ValidationError, match="not planned: its drafting has already started"):
        services.start_drafting(row, by=personas.steering)
    unchanged(row, before)


# --- the one extension ---------------------------------------------------------------------


@pytest.mark.parametrize("status", ["planned", "drafting"])
def test_the_extension_keeps_the_state_moves_the_window_and_records_it(
    commitment, personas, steps, status
):
    row = stage(commitment, status)
    later = stage(commitment, "planned", number=3)
    moved = services.extend_submission(row, by=personas.hr)
    assert (moved.status, moved.extended, moved.due_on) == (status, True, D(2028, 1, 31))
    [event] = SubmissionEvent.objects.filter(submission=row)
    assert (event.kind, event.actor, event.note) == ("extended", personas.hr, "from 2027-07-31")
    assert not Submission.objects.filter(pk=later.pk).exists()  # it follows the moved window
    assert steps == [("Submission", status, status)]


def test_a_second_extension_is_refused(commitment, personas):
    row = stage(commitment, "drafting", extended=True)
    before = snapshot(row)
    with pytest.raises(ValidationError, match="already been extended once"):
        services.extend_submission(row, by=personas.steering)
    unchanged(row, before)


@pytest.mark.parametrize("status", ["submitted", "reviewed"])
def test_a_submitted_stage_cannot_be_extended(commitment, personas, status):
    row = stage(commitment, status)
    before = snapshot(row)
    with pytest.raises(ValidationError, match="Stage 2 has been submitted"):
        services.extend_submission(row, by=personas.steering)
    unchanged(row, before)


# --- drafting → submitted ------------------------------------------------------------------


def test_submitting_moves_drafting_to_submitted_freezes_and_plans_the_next(
    commitment, personas, steps
):
    stage(commitment, "reviewed", number=1)
    row = stage(commitment, "drafting")
    moved = services.submit_submission(row, by=personas.steering)
    assert (moved.status, moved.submitted_on, moved.submitted_by) == (
        "submitted",
        D(2027, 3, 1),
        personas.steering,
    )
    assert moved.snapshot  # the frozen copy
    [event] = SubmissionEvent.objects.filter(submission=row)
    assert (event.kind, event.actor) == ("submitted", personas.steering)
    assert commitment.submissions.filter(stage=3, status="planned").exists()
    assert steps == [("Submission", "drafting", "submitted")]


def test_submitting_a_planned_stage_asks_to_start_drafting(commitment, personas):
    row = stage(commitment, "planned")
    before = snapshot(row)
    with pytest.raises(ValidationError, match="Start drafting stage 2 before submitting it"):
        services.submit_submission(row, by=personas.steering)
    unchanged(row, before)
    assert not Submission.objects.get(pk=row.pk).snapshot


@pytest.mark.parametrize("status", ["submitted", "reviewed"])
def test_submitting_twice_is_refused(commitment, personas, status):
    row = stage(commitment, status)
    before = snapshot(row)
    with pytest.raises(ValidationError, match="can no longer change"):
        services.submit_submission(row, by=personas.steering)
    unchanged(row, before)


# --- submitted → reviewed ------------------------------------------------------------------


def test_marking_reviewed_moves_submitted_to_reviewed(commitment, personas, steps):
    row = stage(commitment, "submitted")
    moved = services.mark_reviewed(row, by=personas.hr)
    assert moved.status == "reviewed"
    [event] = SubmissionEvent.objects.filter(submission=row)
    assert (event.kind, event.actor) == ("reviewed", personas.hr)
    assert steps == [("Submission", "submitted", "reviewed")]


@pytest.mark.parametrize("status", ["planned", "drafting", "reviewed"])
def test_marking_reviewed_is_refused_unless_submitted(commitment, personas, status):
    row = stage(commitment, status)
    before = snapshot(row)
    with pytest.raises(
        ValidationError, match=f"Only a submitted stage can be marked reviewed; stage 2 is {status}"
    ):
        services.mark_reviewed(row, by=personas.steering)
    unchanged(row, before)


# --- who may move a submission --------------------------------------------------------------


@pytest.mark.parametrize(
    "move, status",
    [
        (services.start_drafting, "planned"),
        (services.extend_submission, "planned"),
        (services.submit_submission, "drafting"),
        (services.mark_reviewed, "submitted"),
    ],
)
def test_only_the_steering_group_and_hr_move_a_submission(commitment, personas, move, status):
    row = stage(commitment, status)
    before = snapshot(row)
    for person in (personas.technician, personas.manager, personas.coordinator):
        with pytest.raises(PermissionDenied):
            move(row, by=person)
    unchanged(row, before)


def test_the_command_line_moves_a_submission_naming_nobody(commitment):
    row = stage(commitment, "planned")
    services.start_drafting(row, by=COMMAND_LINE)
    [event] = SubmissionEvent.objects.filter(submission=row)
    assert (event.kind, event.actor) == ("started", None)


# --- the annual report's approval: ready → queued ------------------------------------------------


def report(status, **fields):
    return AnnualReport.objects.create(year=2025, status=status, **fields)


def test_the_chair_approves_a_ready_report(commitment, personas, steps, monkeypatch):
    queued = []
    monkeypatch.setattr(services.work, "enqueue", queued.append)
    ready = report("ready")
    moved = services.approve_annual_report(ready, by=personas.steering)
    ready.refresh_from_db()
    assert (ready.status, ready.approved_by) == ("queued", personas.steering)
    assert ready.approved_at is not None and moved.pk == ready.pk
    assert queued == [ready.pk]  # made again, saying it is approved
    assert steps == [("AnnualReport", "ready", "queued")]


@pytest.mark.parametrize("status", ["queued", "rendering", "failed"])
def test_only_a_ready_report_is_approved(commitment, personas, status, monkeypatch):
    monkeypatch.setattr(services.work, "enqueue", lambda pk: pytest.fail("queued"))
    row = report(status)
    with pytest.raises(ValidationError, match="Only a report that is ready can be approved"):
        services.approve_annual_report(row, by=personas.steering)
    row.refresh_from_db()
    assert (row.status, row.approved_at) == (status, None)


def test_an_approved_report_is_not_approved_twice(commitment, personas, monkeypatch):
    monkeypatch.setattr(services.work, "enqueue", lambda pk: pytest.fail("queued"))
    approved_at = datetime.datetime(2027, 2, 1, 9, 0, tzinfo=datetime.UTC)
    row = report("ready", approved_at=approved_at, approved_by=personas.steering)
    with pytest.raises(ValidationError, match="already been approved"):
        services.approve_annual_report(row, by=personas.steering)
    row.refresh_from_db()
    assert (row.status, row.approved_at) == ("ready", approved_at)


def test_only_the_chair_approves(commitment, personas, monkeypatch):
    monkeypatch.setattr(services.work, "enqueue", lambda pk: pytest.fail("queued"))
    row = report("ready")
    for person in (personas.hr, personas.technician, personas.admin):
        with pytest.raises(PermissionDenied, match="steering chair"):
            services.approve_annual_report(row, by=person)
    row.refresh_from_db()
    assert (row.status, row.approved_at) == ("ready", None)
