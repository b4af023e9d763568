"""Every state change of the fund and the awards goes through the kernel's workflow step
(portal.workflow.transition): the row is locked, a wrong person or state is refused in a
sentence and nothing changes, otherwise it moves and a typed event names the actor.

One test per move that goes through, one where the state is wrong, one where the person is
wrong, and one where the move's own rule refuses (the call is still open, the pot, the
receipts, the cut-off, …)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal import workflow
from recognition import services
from recognition.models import AwardCategory, FundApplication, FundEvent, Nomination
from recognition.models import NominationEvent as NEvent
from recognition.services import awards as award_services
from recognition.services import fund as fund_services
from tests.recognition.conftest import S, close, frozen, receipt_upload

pytestmark = pytest.mark.django_db
N = Nomination.Status


@pytest.fixture
def steps(monkeypatch):
    """The kernel's step, watched: each call's model and target state, in order."""
    seen = []

    def watched(model_or_obj, pk=None, **kwargs):
        step = workflow.transition(model_or_obj, pk, **kwargs)
        seen.append((type(step.obj).__name__, step.from_state, step.to_state))
        return step

    monkeypatch.setattr(fund_services, "transition", watched)
    monkeypatch.setattr(award_services, "transition", watched)
    return seen


# --- the fund ----------------------------------------------------------------------------


@pytest.fixture
def bring(make_application, personas, call, clock):
    """bring(state): the technician's application taken to `state` through the services
    (the clock moves past the call's closing day once it is submitted)."""

    def _bring(state):
        application = make_application(S.DRAFT)
        if state == S.DRAFT:
            return application
        services.submit_fund_application(application, by=personas.technician)
        if state == S.SUBMITTED:
            return application
        close(call, clock)
        if state == S.NOT_FUNDED:
            return services.decline_fund_application(application, by=personas.hr, feedback="No.")
        services.award_fund_application(application, by=personas.hr, amount=Decimal("500"))
        if state == S.AWARDED:
            return application
        if state == S.WITHDRAWN:
            return services.withdraw_fund_award(application, by=personas.hr, reason="Late.")
        services.claim_fund_application(
            application, by=personas.technician, amount=Decimal("450"), receipts=[receipt_upload()]
        )
        if state == S.CLAIMED:
            return application
        services.pay_fund_application(
            application, by=personas.hr, amount=Decimal("450"), reference="PO-7"
        )
        if state == S.PAID:
            return application
        return services.submit_fund_report(application, by=personas.technician, report="Done.")

    return _bring


# move: (from, to, who may, who may not, a call of the move, a wrong state, its sentence)
FUND_MOVES = {
    "submit": (S.DRAFT, S.SUBMITTED, "technician", "hr", S.SUBMITTED, "cannot be submitted"),
    "award": (S.SUBMITTED, S.AWARDED, "hr", "manager", S.AWARDED, "cannot be awarded"),
    "decline": (S.SUBMITTED, S.NOT_FUNDED, "hr", "manager", S.NOT_FUNDED, "cannot be declined"),
    "claim": (S.AWARDED, S.CLAIMED, "technician", "hr", S.SUBMITTED, "cannot be claimed"),
    "pay": (S.CLAIMED, S.PAID, "hr", "manager", S.AWARDED, "cannot be paid"),
    "report": (S.PAID, S.REPORTED, "technician", "hr", S.NOT_FUNDED, "cannot be reported on"),
    "withdraw": (S.AWARDED, S.WITHDRAWN, "hr", "manager", S.REPORTED, "cannot be withdrawn"),
}


def _fund_move(name, application, user):
    if name == "submit":
        return services.submit_fund_application(application, by=user)
    if name == "award":
        return services.award_fund_application(application, by=user, amount=Decimal("400"))
    if name == "decline":
        return services.decline_fund_application(application, by=user, feedback="Not now.")
    if name == "claim":
        return services.claim_fund_application(
            application, by=user, amount=Decimal("400"), receipts=[receipt_upload()]
        )
    if name == "pay":
        return services.pay_fund_application(
            application, by=user, amount=Decimal("400"), reference="PO-9"
        )
    if name == "report":
        return services.submit_fund_report(application, by=user, report="What I learned.")
    return services.withdraw_fund_award(application, by=user, reason="No report.")


def _unchanged(application, state, events):
    application.refresh_from_db()
    assert application.status == state
    assert FundEvent.objects.filter(application=application).count() == events


@pytest.mark.parametrize("name", sorted(FUND_MOVES))
def test_each_fund_move_goes_through_the_kernel_step_and_records_the_actor(
    name, bring, personas, steps, call, clock
):
    from_state, to_state, who, _, _, _ = FUND_MOVES[name]
    application = bring(from_state)
    if from_state == S.SUBMITTED:
        close(call, clock)  # decisions wait for the call to close
    steps.clear()
    user = getattr(personas, who)
    _fund_move(name, application, user)
    assert steps == [("FundApplication", from_state, to_state)]
    application.refresh_from_db()
    assert application.status == to_state
    event = FundEvent.objects.filter(application=application).last()
    assert (event.from_status, event.to_status, event.actor) == (from_state, to_state, user)


@pytest.mark.parametrize("name", sorted(FUND_MOVES))
def test_each_fund_move_from_a_wrong_state_is_refused_in_a_sentence(name, bring, personas):
    _, _, who, _, wrong_state, sentence = FUND_MOVES[name]
    application = bring(wrong_state)
    events = FundEvent.objects.filter(application=application).count()
    with pytest.raises(ValidationError) as refused:
        _fund_move(name, application, getattr(personas, who))
    message = " ".join(refused.value.messages)
    assert sentence in message
    label = FundApplication.Status(wrong_state).label.lower()
    assert f"This application is {label}" in message
    _unchanged(application, wrong_state, events)


@pytest.mark.parametrize("name", sorted(FUND_MOVES))
def test_each_fund_move_by_the_wrong_person_is_refused(name, bring, personas):
    from_state, _, _, intruder, _, _ = FUND_MOVES[name]
    application = bring(from_state)
    events = FundEvent.objects.filter(application=application).count()
    with pytest.raises(PermissionDenied):
        _fund_move(name, application, getattr(personas, intruder))
    _unchanged(application, from_state, events)


def test_the_wrong_person_is_refused_as_such_whatever_the_state(bring, personas):
    application = bring(S.DRAFT)
    with pytest.raises(PermissionDenied):  # not "cannot be awarded": not theirs to decide
        services.award_fund_application(application, by=personas.manager, amount=Decimal("1"))


def test_submit_is_refused_once_the_call_has_closed(bring, personas, call, clock):
    application = bring(S.DRAFT)
    close(call, clock)
    with pytest.raises(ValidationError, match="This call is not open"):
        services.submit_fund_application(application, by=personas.technician)
    _unchanged(application, S.DRAFT, 1)


def test_award_and_decline_wait_for_the_call_to_close(bring, personas):
    application = bring(S.SUBMITTED)
    for move in ("award", "decline"):
        with pytest.raises(ValidationError, match="once the call has closed"):
            _fund_move(move, application, personas.hr)
    _unchanged(application, S.SUBMITTED, 2)


def test_award_over_the_pot_is_refused_and_nothing_moves(bring, personas, call, clock):
    application = bring(S.SUBMITTED)
    close(call, clock)
    call.pot = Decimal("300.00")
    call.save()
    with pytest.raises(ValidationError, match="over its pot: £300.00 of £300.00 is left"):
        services.award_fund_application(application, by=personas.hr, amount=Decimal("400"))
    _unchanged(application, S.SUBMITTED, 2)


def test_decline_needs_the_panels_feedback(bring, personas, call, clock):
    application = bring(S.SUBMITTED)
    close(call, clock)
    with pytest.raises(ValidationError, match="panel's feedback"):
        services.decline_fund_application(application, by=personas.hr, feedback="  ")
    _unchanged(application, S.SUBMITTED, 2)


def test_a_claim_without_receipts_or_over_the_award_is_refused_and_stores_nothing(bring, personas):
    application = bring(S.AWARDED)
    with pytest.raises(ValidationError, match="at least one receipt"):
        services.claim_fund_application(
            application, by=personas.technician, amount=Decimal("100"), receipts=[]
        )
    with pytest.raises(ValidationError, match="At most the award of £500.00"):
        services.claim_fund_application(
            application,
            by=personas.technician,
            amount=Decimal("500.01"),
            receipts=[receipt_upload()],
        )
    _unchanged(application, S.AWARDED, 3)
    assert not application.receipts.exists()


def test_a_claim_refused_after_its_receipts_were_stored_leaves_no_file(
    bring, personas, monkeypatch
):
    application = bring(S.AWARDED)
    stored = []
    from recognition.models import Receipt

    real_save = Receipt.save

    def save_and_remember(self, *args, **kwargs):
        real_save(self, *args, **kwargs)
        stored.append(self.file.name)

    monkeypatch.setattr(Receipt, "save", save_and_remember)
    monkeypatch.setattr(fund_services, "_record_event", lambda step: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.claim_fund_application(
            application, by=personas.technician, amount=Decimal("100"), receipts=[receipt_upload()]
        )
    assert stored
    storage = Receipt._meta.get_field("file").storage
    assert not any(storage.exists(name) for name in stored)
    _unchanged(application, S.AWARDED, 3)


def test_payment_needs_a_reference_and_stays_within_the_award(bring, personas):
    application = bring(S.CLAIMED)
    with pytest.raises(ValidationError, match="payment reference"):
        services.pay_fund_application(
            application, by=personas.hr, amount=Decimal("100"), reference=" "
        )
    with pytest.raises(ValidationError, match="At most the award"):
        services.pay_fund_application(
            application, by=personas.hr, amount=Decimal("501"), reference="PO-1"
        )
    _unchanged(application, S.CLAIMED, 4)


def test_an_empty_report_and_a_withdrawal_without_reason_are_refused(bring, personas):
    application = bring(S.PAID)
    with pytest.raises(ValidationError, match="write your report"):
        services.submit_fund_report(application, by=personas.technician, report=" ")
    with pytest.raises(ValidationError, match="reason for withdrawing"):
        services.withdraw_fund_award(application, by=personas.hr, reason="")
    _unchanged(application, S.PAID, 5)


@pytest.mark.parametrize("state", [S.AWARDED, S.CLAIMED])
def test_a_report_is_accepted_from_awarded_or_claimed_too(state, bring, personas):
    application = bring(state)
    services.submit_fund_report(application, by=personas.technician, report="Learned.")
    assert application.status == S.REPORTED


def test_the_timeline_names_every_move_in_order(bring):
    application = bring(S.REPORTED)
    assert [
        (e.from_status, e.to_status) for e in FundEvent.objects.filter(application=application)
    ] == [
        ("", S.DRAFT),
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.AWARDED),
        (S.AWARDED, S.CLAIMED),
        (S.CLAIMED, S.PAID),
        (S.PAID, S.REPORTED),
    ]


# --- nominations --------------------------------------------------------------------------

NOMINATED_ON = datetime.date(2026, 2, 1)  # round 1 of 2026, cut-off 31 March
JUDGED_ON = datetime.date(2026, 4, 10)


@pytest.fixture
def nomination(personas):
    category = AwardCategory.objects.create(name="Research")
    with frozen(NOMINATED_ON):
        return services.nominate(
            category=category,
            nominee=personas.technician_profile,
            by=personas.manager,
            statement="Runs the facility.",
        )


def _nomination_events(nomination):
    return [
        (e.from_status, e.to_status, e.actor) for e in NEvent.objects.filter(nomination=nomination)
    ]


def test_a_nomination_starts_its_timeline_when_it_is_made(nomination, personas):
    assert _nomination_events(nomination) == [("", N.OPEN, personas.manager)]


@pytest.mark.parametrize(
    "move, to_state",
    [(services.award_nomination, N.WINNER), (services.decline_nomination, N.NOT_AWARDED)],
)
def test_each_judging_move_goes_through_the_kernel_step_and_records_the_actor(
    move, to_state, nomination, personas, steps
):
    with frozen(JUDGED_ON):
        move(nomination, by=personas.hr)
    assert steps == [("Nomination", N.OPEN, to_state)]
    nomination.refresh_from_db()
    assert nomination.status == to_state
    assert nomination.decided_by == personas.hr
    assert nomination.decided_at is not None
    assert _nomination_events(nomination)[-1] == (N.OPEN, to_state, personas.hr)


@pytest.mark.parametrize("move", [services.award_nomination, services.decline_nomination])
def test_a_nomination_already_judged_is_refused_in_a_sentence(move, nomination, personas):
    with frozen(JUDGED_ON):
        services.decline_nomination(nomination, by=personas.hr)
        with pytest.raises(ValidationError, match="already been judged: it is not awarded"):
            move(nomination, by=personas.hr)
    nomination.refresh_from_db()
    assert nomination.status == N.NOT_AWARDED
    assert len(_nomination_events(nomination)) == 2


@pytest.mark.parametrize("move", [services.award_nomination, services.decline_nomination])
def test_judging_by_the_wrong_person_is_refused(move, nomination, personas):
    with frozen(JUDGED_ON):
        with pytest.raises(PermissionDenied, match="Only HR or the round's coordinator"):
            move(nomination, by=personas.steering)
        nomination.nominee.user = personas.hr
        nomination.nominee.save()
        with pytest.raises(PermissionDenied, match="your own nomination"):
            move(nomination, by=personas.hr)
    nomination.refresh_from_db()
    assert nomination.status == N.OPEN
    assert len(_nomination_events(nomination)) == 1


@pytest.mark.parametrize("move", [services.award_nomination, services.decline_nomination])
def test_judging_before_the_cut_off_is_refused(move, nomination, personas):
    with frozen(datetime.date(2026, 3, 31)), pytest.raises(ValidationError, match="cut-off"):
        move(nomination, by=personas.hr)
    nomination.refresh_from_db()
    assert nomination.status == N.OPEN
    assert len(_nomination_events(nomination)) == 1


def test_hr_sees_the_nominations_timeline_on_its_page(nomination, personas, login):
    with frozen(JUDGED_ON):
        services.decline_nomination(nomination, by=personas.hr)
        page = login(personas.hr).get(f"/recognition/nominations/{nomination.pk}/")
    text = page.content.decode()
    assert "Nominated for judging round 1 of 2026." in text and "Not awarded." in text
    nominator_page = login(personas.manager).get(f"/recognition/nominations/{nomination.pk}/")
    assert "Timeline" not in nominator_page.content.decode()
