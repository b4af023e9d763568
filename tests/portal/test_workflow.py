"""The kernel's workflow step (portal.workflow.transition): lock the row, refuse a wrong state
in a sentence, move, record a typed event with the actor, all in one transaction. Shown on a
shadowing request (any model with a status field would do)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.actors import COMMAND_LINE
from portal.workflow import Transition, transition
from skills.models import ShadowingRequest
from tests import factories

REFUSAL = "This request is {status}: it can no longer be accepted."


@pytest.fixture
def request_row(personas):
    skill = factories.SkillFactory(name="Confocal microscopy")
    return ShadowingRequest.objects.create(
        learner=personas.technician_profile, teacher=personas.manager_profile, skill=skill
    )


def accept(row, *, actor, **extra) -> Transition:
    return transition(
        row,
        to=ShadowingRequest.Status.ACCEPTED,
        allowed_from=(ShadowingRequest.Status.REQUESTED,),
        actor=actor,
        refusal=REFUSAL,
        **extra,
    )


def test_a_move_saves_the_new_state_and_records_a_typed_event_with_the_actor(request_row, personas):
    recorded = []
    step = accept(
        request_row,
        actor=personas.manager,
        note="Tuesdays suit me.",
        stamp="decided_at",
        changes={"decision_note": "Tuesdays suit me."},
        record=lambda step: recorded.append(step) or "the event",
    )
    assert isinstance(step, Transition)
    assert (step.from_state, step.to_state) == ("requested", "accepted")
    assert step.actor == personas.manager
    assert step.note == "Tuesdays suit me."
    assert step.event == "the event"
    assert recorded[0].obj.pk == request_row.pk and recorded[0].event is None
    request_row.refresh_from_db()
    assert request_row.status == "accepted"
    assert request_row.decided_at == step.at
    assert request_row.decision_note == "Tuesdays suit me."


def test_a_wrong_state_is_refused_in_a_sentence_and_nothing_changes(request_row, personas):
    ShadowingRequest.objects.filter(pk=request_row.pk).update(status="declined")
    recorded = []
    with pytest.raises(ValidationError) as refused:
        accept(request_row, actor=personas.manager, record=recorded.append)
    assert refused.value.messages == ["This request is declined: it can no longer be accepted."]
    assert refused.value.code == "wrong_state"
    assert recorded == []
    request_row.refresh_from_db()
    assert request_row.status == "declined"


def test_the_row_is_read_again_not_trusted_from_the_caller(request_row, personas):
    stale = ShadowingRequest.objects.get(pk=request_row.pk)
    accept(request_row, actor=personas.manager)
    with pytest.raises(ValidationError, match="is accepted"):
        accept(stale, actor=personas.manager)  # the caller's copy still says "requested"


def test_the_wrong_person_is_refused_before_the_state_and_other_checks_after_it(
    request_row, personas
):
    def nobody(row):
        raise PermissionDenied("Only the colleague who was asked can accept this request.")

    def never(row):
        raise ValidationError("Not today.")

    ShadowingRequest.objects.filter(pk=request_row.pk).update(status="declined")
    with pytest.raises(PermissionDenied):
        accept(request_row, actor=personas.technician, precheck=nobody, check=never)
    with pytest.raises(ValidationError, match="is declined"):
        accept(request_row, actor=personas.manager, check=never)
    ShadowingRequest.objects.filter(pk=request_row.pk).update(status="requested")
    with pytest.raises(ValidationError, match="Not today."):
        accept(request_row, actor=personas.manager, check=never)
    request_row.refresh_from_db()
    assert request_row.status == "requested"


def test_a_failing_record_undoes_the_move(request_row, personas):
    def broken(step):
        raise RuntimeError("the event table is gone")

    with pytest.raises(RuntimeError):
        accept(request_row, actor=personas.manager, record=broken)
    request_row.refresh_from_db()
    assert request_row.status == "requested"


def test_the_command_line_and_visitors_are_recorded_as_nobody(request_row):
    step = accept(request_row, actor=COMMAND_LINE)
    assert step.actor is None


def test_the_new_state_may_be_chosen_from_the_locked_row_and_a_model_and_pk_do(request_row):
    step = transition(
        ShadowingRequest,
        request_row.pk,
        to=lambda row: "done" if row.note else "cancelled",
        allowed_from=ShadowingRequest.OPEN_STATUSES,
        actor=None,
        refusal=REFUSAL,
    )
    assert step.to_state == "cancelled"
    assert step.obj.status == "cancelled"


@pytest.mark.postgres
def test_the_row_is_locked_for_update(request_row, personas):
    with CaptureQueriesContext(connection) as queries:
        accept(request_row, actor=personas.manager)
    assert any("FOR UPDATE" in query["sql"] for query in queries)
