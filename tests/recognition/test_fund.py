"""The development fund: call limits at their boundaries, who may apply, awards within the pot,
claims, payment, the report back and HR's withdrawal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models import Notification
from recognition import services
from recognition.models import FundApplication, FundEvent
from tests.recognition.conftest import TODAY, S, close, receipt_upload

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- limits at their boundaries ----------------------------------------------------------------


def test_an_activity_exactly_28_days_ahead_is_accepted(make_application, personas):
    application = make_application(
        S.SUBMITTED, activity_starts_on=TODAY + datetime.timedelta(days=28)
    )
    assert application.status == S.SUBMITTED


def test_an_activity_27_days_ahead_is_refused_with_a_sentence(make_application):
    with pytest.raises(ValidationError) as refused:
        make_application(activity_starts_on=TODAY + datetime.timedelta(days=27))
    assert "starts too soon" in _messages(refused.value)
    assert "28 days" in _messages(refused.value)
    assert "30 March 2026" in _messages(refused.value)  # the first day that would do
    assert not FundApplication.objects.exists()


def test_a_draft_that_became_too_soon_is_refused_at_submission(make_application, clock):
    application = make_application(activity_starts_on=TODAY + datetime.timedelta(days=28))
    clock.move_to(datetime.datetime(2026, 3, 3, 12, tzinfo=datetime.UTC))
    with pytest.raises(ValidationError, match="starts too soon"):
        services.submit_fund_application(application, by=application.applicant.user)
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_the_largest_award_is_accepted_and_a_penny_more_is_refused(make_application):
    # 70 % of £2,000 is £1,400, so only the largest award (£1,000) limits.
    ok = make_application(cost=Decimal("2000.00"), amount_requested=Decimal("1000.00"))
    assert ok.amount_requested == Decimal("1000.00")
    with pytest.raises(ValidationError) as refused:
        make_application(cost=Decimal("2000.00"), amount_requested=Decimal("1000.01"))
    assert "The largest award from this call is £1,000.00" in _messages(refused.value)


@pytest.mark.parametrize(
    "certified, at_limit",
    [(True, Decimal("400.00")), (False, Decimal("560.00"))],  # 50 % / 70 % of £800
)
def test_the_share_of_the_cost_is_accepted_at_its_limit_and_refused_above(
    make_application, certified, at_limit
):
    ok = make_application(certified=certified, cost=Decimal("800.00"), amount_requested=at_limit)
    assert ok.pk
    with pytest.raises(ValidationError) as refused:
        make_application(
            certified=certified,
            cost=Decimal("800.00"),
            amount_requested=at_limit + Decimal("0.01"),
        )
    share = 50 if certified else 70
    assert f"at most {share} % of the cost" in _messages(refused.value)
    assert f"£{at_limit:,}" in _messages(refused.value)


def test_a_call_sets_its_own_limits(make_application, call):
    call.min_days_ahead = 14
    call.max_share_other = 100
    call.save()
    ok = make_application(
        activity_starts_on=TODAY + datetime.timedelta(days=14), amount_requested=Decimal("1000.00")
    )
    assert ok.pk


def test_match_funding_needs_its_source(make_application):
    with pytest.raises(ValidationError, match="where the match funding comes from"):
        make_application(match_funding=Decimal("200.00"))
    ok = make_application(match_funding=Decimal("200.00"), match_funding_source="School budget")
    assert ok.match_funding_source == "School budget"


def test_every_question_of_the_call_is_answered(make_application):
    with pytest.raises(ValidationError, match="answer every question"):
        make_application(answers=[""])


# --- who applies --------------------------------------------------------------------------


def test_a_line_manager_applies_on_their_reports_behalf(make_application, personas):
    application = make_application(S.SUBMITTED, by=personas.manager)
    assert application.applicant == personas.technician_profile
    assert application.made_by == personas.manager


def test_nobody_else_applies_for_a_technician(make_application, personas):
    for user in (personas.hr, personas.steering):
        with pytest.raises(PermissionDenied):
            make_application(by=user)


def test_a_closed_call_takes_no_applications(make_application, call, clock):
    close(call, clock)
    with pytest.raises(ValidationError, match="not open"):
        make_application(activity_starts_on=call.closes_on + datetime.timedelta(days=40))


def test_only_hr_or_the_steering_group_open_a_call(personas):
    kwargs = {
        "title": "Summer call",
        "opens_on": TODAY,
        "closes_on": TODAY + datetime.timedelta(days=30),
        "pot": Decimal("15000"),
        "max_award": Decimal("1000"),
        "criteria": "Benefit\nValue",
    }
    call = services.open_call(by=personas.steering, **kwargs)
    assert (call.min_days_ahead, call.max_share_certified, call.max_share_other) == (28, 50, 70)
    assert call.report_back_weeks == 4
    assert call.panel.scoring_closes_on == TODAY + datetime.timedelta(days=44)
    with pytest.raises(PermissionDenied):
        services.open_call(by=personas.technician, **kwargs)


# --- awards within the pot ----------------------------------------------------------------


def test_an_award_waits_for_the_call_to_close(make_application, personas):
    application = make_application(S.SUBMITTED)
    with pytest.raises(ValidationError, match="once the call has closed"):
        services.award_fund_application(application, by=personas.hr, amount=Decimal("500"))


def test_awards_never_take_the_call_over_its_pot(make_application, personas, call, clock):
    call.pot = Decimal("1200.00")
    call.save()
    first = make_application(S.SUBMITTED, amount_requested=Decimal("700.00"))
    second = make_application(S.SUBMITTED, amount_requested=Decimal("700.00"))
    close(call, clock)
    services.award_fund_application(first, by=personas.hr, amount=Decimal("700.00"))
    with pytest.raises(ValidationError) as refused:
        services.award_fund_application(second, by=personas.hr, amount=Decimal("700.00"))
    assert "over its pot: £500.00 of £1,200.00 is left" in _messages(refused.value)
    # Within what is left it goes through: down the ranking within the pot.
    services.award_fund_application(second, by=personas.hr, amount=Decimal("500.00"))
    assert services.remaining_pot(call) == Decimal("0.00")


def test_an_award_is_at_most_what_was_asked(make_application, personas, call, clock):
    application = make_application(S.SUBMITTED, amount_requested=Decimal("300.00"))
    close(call, clock)
    with pytest.raises(ValidationError, match="more than the £300.00 asked"):
        services.award_fund_application(application, by=personas.hr, amount=Decimal("300.01"))


def test_the_coordinator_awards_and_unscored_applications_can_be_awarded(
    make_application, personas, call, clock, members
):
    call.panel.coordinator = members[0]
    call.panel.save()
    application = make_application(S.SUBMITTED)
    close(call, clock)
    services.award_fund_application(
        application, by=members[0], amount=Decimal("450.00"), feedback="A clear plan."
    )
    application.refresh_from_db()
    assert application.status == S.AWARDED
    assert application.amount_awarded == Decimal("450.00")
    assert application.report_due_on == application.activity_ends_on + datetime.timedelta(weeks=4)
    event = FundEvent.objects.filter(application=application).last()
    assert (event.from_status, event.to_status, event.actor) == (S.SUBMITTED, S.AWARDED, members[0])
    other = FundApplication.objects.get(pk=application.pk)
    other.status = S.SUBMITTED
    other.save()
    with pytest.raises(PermissionDenied):  # a member who is not the coordinator
        services.award_fund_application(other, by=members[1], amount=Decimal("1"))


def test_the_applicant_is_told_the_outcome_with_feedback_at_the_staff_list_address(
    make_application, personas, call, clock, members
):
    application = make_application(S.SUBMITTED)
    services.review_fund_application(application, by=members[0], scores=[4, 5], comment="Secret")
    close(call, clock)
    services.award_fund_application(
        application, by=personas.hr, amount=Decimal("400.00"), feedback="Strong case."
    )
    told = Notification.objects.get(kind="fund_awarded")
    assert told.technician == personas.technician_profile
    assert "Strong case." in told.body
    assert "Secret" not in told.body  # never individual scores or comments


def test_decline_needs_feedback(make_application, personas, call, clock):
    application = make_application(S.SUBMITTED)
    close(call, clock)
    with pytest.raises(ValidationError, match="feedback"):
        services.decline_fund_application(application, by=personas.hr, feedback=" ")
    services.decline_fund_application(application, by=personas.hr, feedback="Apply again.")
    assert Notification.objects.filter(kind="fund_not_funded").count() == 1


# --- after the award ----------------------------------------------------------------------


@pytest.fixture
def awarded(make_application, personas, call, clock):
    application = make_application(S.SUBMITTED)
    close(call, clock)
    return services.award_fund_application(application, by=personas.hr, amount=Decimal("500.00"))


def test_a_claim_needs_receipts_and_is_at_most_the_award(awarded, personas):
    with pytest.raises(ValidationError, match="at least one receipt"):
        services.claim_fund_application(
            awarded, by=personas.technician, amount=Decimal("400"), receipts=[]
        )
    with pytest.raises(ValidationError, match="At most the award of £500.00"):
        services.claim_fund_application(
            awarded, by=personas.technician, amount=Decimal("500.01"), receipts=[receipt_upload()]
        )
    services.claim_fund_application(
        awarded, by=personas.technician, amount=Decimal("480.00"), receipts=[receipt_upload()]
    )
    awarded.refresh_from_db()
    assert awarded.status == S.CLAIMED
    assert awarded.receipts.count() == 1


def test_a_receipt_is_checked_as_evidence_is(awarded, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("receipt.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError, match="receipt.pdf"):
        services.claim_fund_application(
            awarded, by=personas.technician, amount=Decimal("100"), receipts=[fake]
        )
    awarded.refresh_from_db()
    assert awarded.status == S.AWARDED


def test_payment_is_up_to_the_award_then_the_report_goes_back(awarded, personas):
    services.claim_fund_application(
        awarded, by=personas.technician, amount=Decimal("500.00"), receipts=[receipt_upload()]
    )
    with pytest.raises(ValidationError, match="At most the award"):
        services.pay_fund_application(
            awarded, by=personas.hr, amount=Decimal("600"), reference="PO-1"
        )
    with pytest.raises(PermissionDenied):
        services.pay_fund_application(
            awarded, by=personas.manager, amount=Decimal("500"), reference="PO-1"
        )
    services.pay_fund_application(awarded, by=personas.hr, amount=Decimal("500"), reference="PO-1")
    services.submit_fund_report(
        awarded, by=personas.technician, report="I learned a lot.", shareable=True
    )
    awarded.refresh_from_db()
    assert awarded.status == S.REPORTED
    assert awarded.report_shareable
    from recognition import selectors

    assert selectors.impact_stories() == [awarded]


def test_hr_withdraws_an_award_with_a_reason(awarded, personas):
    with pytest.raises(ValidationError, match="reason"):
        services.withdraw_fund_award(awarded, by=personas.hr, reason="")
    with pytest.raises(PermissionDenied):
        services.withdraw_fund_award(awarded, by=personas.manager, reason="Late")
    services.withdraw_fund_award(awarded, by=personas.hr, reason="No report after reminders.")
    awarded.refresh_from_db()
    assert awarded.status == S.WITHDRAWN
    assert awarded.withdrawal_reason == "No report after reminders."
    # The money goes back to the pot.
    assert services.remaining_pot(awarded.call) == awarded.call.pot
