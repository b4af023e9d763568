"""The development fund: calls, applications, the panel's advice, awards within the pot,
claims with receipts, payment, the report back, and HR's withdrawal of an award.

Every move is the kernel's workflow step (`portal.workflow.transition`, through `_step`): the
application is locked (an award locks the call first: its pot), a wrong person, a wrong state
and whatever else the move forbids are refused in a sentence and nothing changes; otherwise it
moves and a FundEvent records who moved it, and whom it must tell is told through the outbox,
all in one transaction. Technicians are addressed by their
Technician row (the staff-list address, account or not).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from portal.evidence import check_evidence_file
from portal.permissions import is_hr, is_steering_group
from portal.services import queue_notification
from portal.workflow import Transition, lock, refuse_unless, transition
from recognition import permissions
from recognition.models import FundApplication, FundCall, FundEvent, Receipt
from recognition.services import panels
from recognition.services._common import (
    CENTS,
    actor,
    copy_back,
    hr_users,
    link,
    money,
    required,
)

S = FundApplication.Status

NOT_OPENER = "Only HR or the steering group can open a call."
NOT_APPLICANT = "Only the applicant or their line manager can do this."
NOT_DECIDER = "Only HR or the call's coordinator can decide on applications."
NOT_HR = "Only HR can do this."
OWN_APPLICATION = "You cannot decide on your own application."
CALL_NOT_OPEN = "This call is not open: it takes applications from {opens} to {closes}."
CALL_NOT_CLOSED = "Awards are made once the call has closed (it closes on {closes})."
TOO_SOON = (
    "The activity starts too soon: this call needs applications at least {days} days "
    "before it starts, so on or after {earliest}."
)
ABOVE_MAX_AWARD = "The largest award from this call is {max}: please ask for no more."
ABOVE_SHARE = (
    "This call funds at most {share} % of the cost of {kind} activity, so at most {limit} "
    "of {cost}."
)
OVER_POT = "Awarding {amount} would take the call over its pot: {remaining} of {pot} is left."
ABOVE_REQUEST = "The award cannot be more than the {requested} asked for."
WRONG_STATE = "This application is {status}: it cannot be {verb}."
RECEIPTS_NEEDED = "Please attach at least one receipt."
ABOVE_AWARD = "At most the award of {awarded} can be {verb}."


def _day(day: datetime.date) -> str:
    return day.strftime("%-d %B %Y")


APPLICATION_RELATED = ("call__panel", "applicant__line_manager")


def _lock(application: FundApplication) -> FundApplication:
    return lock(application, select_related=APPLICATION_RELATED)


def _wrong_state(verb: str):
    """The refusal sentence of a move from the wrong state ("… it cannot be awarded.")."""
    return lambda row: WRONG_STATE.format(status=row.get_status_display().lower(), verb=verb)


def _record_event(step: Transition) -> FundEvent:
    """The application's timeline: one FundEvent per move, naming the actor."""
    return FundEvent.objects.create(
        application=step.obj,
        from_status=step.from_state,
        to_status=step.to_state,
        actor=step.actor,
        note=step.note,
        created=step.at,
    )


def _step(
    application: FundApplication,
    to_status: str,
    *,
    by,
    allowed_from,
    verb: str,
    who,
    check=None,
    changes=None,
    note: str = "",
    stamp: str | None = None,
) -> tuple[FundApplication, FundEvent]:
    """One move of the fund's workflow through the kernel's step: lock the application,
    refuse the wrong person (`who`), a state not in `allowed_from` ("… it cannot be {verb}")
    and whatever `check` refuses; then move, set `changes`, validate, and record the
    FundEvent, in one transaction."""
    moved = transition(
        application,
        to=to_status,
        allowed_from=allowed_from,
        actor=by,
        refusal=_wrong_state(verb),
        record=_record_event,
        note=note,
        precheck=who,
        check=check,
        changes=changes,
        stamp=stamp,
        full_clean=True,
        select_related=APPLICATION_RELATED,
    )
    return moved.obj, moved.event


def _applicant_or_manager(by):
    def refuse(locked: FundApplication) -> None:
        if not permissions.can_apply_for(by, locked.applicant):
            raise PermissionDenied(NOT_APPLICANT)

    return refuse


def _decider(by):
    """HR or the call's coordinator, never on their own application."""

    def refuse(locked: FundApplication) -> None:
        if not permissions.can_decide(by, locked.call.panel):
            raise PermissionDenied(NOT_DECIDER)
        if permissions.is_applicant(by, locked):
            raise PermissionDenied(OWN_APPLICATION)

    return refuse


def _hr(by):
    def refuse(locked: FundApplication) -> None:
        if not permissions.can_manage(by):
            raise PermissionDenied(NOT_HR)

    return refuse


def _hr_not_own(by):
    def refuse(locked: FundApplication) -> None:
        _hr(by)(locked)
        if permissions.is_applicant(by, locked):
            raise PermissionDenied(OWN_APPLICATION)

    return refuse


def _tell_applicant(
    application: FundApplication, event: FundEvent, subject: str, body: str
) -> None:
    queue_notification(
        application.applicant,
        f"fund_{event.to_status}",
        f"fund:{application.pk}:event:{event.pk}",
        subject,
        f"{body}\n\n{link(application.get_absolute_url())}\n",
    )


def _tell_users(users, application, event, subject: str, body: str) -> None:
    for user in users:
        if user is None:
            continue
        queue_notification(
            user,
            f"fund_{event.to_status}",
            f"fund:{application.pk}:event:{event.pk}",
            subject,
            f"{body}\n\n{link(application.get_absolute_url())}\n",
        )


# --- calls -----------------------------------------------------------------------------------


def can_open_call(user) -> bool:
    return permissions.can_use(user) and (is_hr(user) or is_steering_group(user))


@transaction.atomic
def open_call(
    *,
    by,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    pot: Decimal,
    max_award: Decimal,
    description: str = "",
    max_share_certified: int = 50,
    max_share_other: int = 70,
    min_days_ahead: int = 28,
    questions: str = "",
    criteria: str = "",
    report_back_weeks: int = 4,
    scoring_closes_on: datetime.date | None = None,
    coordinator=None,
    panel_members=(),
) -> FundCall:
    """A new call with its panel (scoring closes two weeks after the call unless given)."""
    if not can_open_call(by):
        raise PermissionDenied(NOT_OPENER)
    call = FundCall(
        title=(title or "").strip(),
        description=(description or "").strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        pot=pot,
        max_award=max_award,
        max_share_certified=max_share_certified,
        max_share_other=max_share_other,
        min_days_ahead=min_days_ahead,
        questions=(questions or "").strip(),
        report_back_weeks=report_back_weeks,
        created_by=actor(by),
    )
    call.full_clean()
    scoring_closes_on = scoring_closes_on or closes_on + datetime.timedelta(days=14)
    if scoring_closes_on < closes_on:
        raise ValidationError(
            {"scoring_closes_on": ["Scoring closes on or after the day the call closes."]}
        )
    call.panel = panels.make_panel(
        name=f"Panel: {call.title}",
        criteria=criteria,
        scoring_closes_on=scoring_closes_on,
        coordinator=coordinator or actor(by),
        members=panel_members,
    )
    call.save()
    return call


# --- applications ----------------------------------------------------------------------------


def remaining_pot(call: FundCall) -> Decimal:
    awarded = FundApplication.objects.filter(
        call=call, status__in=FundApplication.FUNDED
    ).aggregate(total=Sum("amount_awarded"))["total"] or Decimal("0")
    return (call.pot - awarded).quantize(CENTS)


def check_limits(
    call: FundCall,
    *,
    activity_starts_on: datetime.date,
    cost: Decimal,
    amount_requested: Decimal,
    certified: bool,
    today: datetime.date,
) -> None:
    """Refuse, with a sentence on the field, an activity too soon or an amount over the call's
    limits: at least `min_days_ahead` days ahead (exactly that many is accepted), at most the
    largest award, at most the share of the cost (50 % certified, 70 % other by default)."""
    errors: dict[str, list[str]] = {}
    earliest = today + datetime.timedelta(days=call.min_days_ahead)
    if activity_starts_on < earliest:
        errors["activity_starts_on"] = [
            TOO_SOON.format(days=call.min_days_ahead, earliest=_day(earliest))
        ]
    messages = []
    if amount_requested > call.max_award:
        messages.append(ABOVE_MAX_AWARD.format(max=money(call.max_award)))
    share = call.max_share_certified if certified else call.max_share_other
    limit = (cost * share / Decimal(100)).quantize(CENTS)
    if amount_requested > limit:
        messages.append(
            ABOVE_SHARE.format(
                share=share,
                kind="a certified" if certified else "an uncertified",
                limit=money(limit),
                cost=money(cost),
            )
        )
    if messages:
        errors["amount_requested"] = messages
    if errors:
        raise ValidationError(errors)


APPLICATION_FIELDS = (
    "activity",
    "certified",
    "activity_starts_on",
    "activity_ends_on",
    "cost",
    "amount_requested",
    "match_funding",
    "match_funding_source",
    "expected_return",
    "sharing_plan",
    "answers",
)


def _set_values(application: FundApplication, values: dict[str, Any]) -> None:
    unknown = set(values) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"cannot set {sorted(unknown)}")
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(application, name, value)
    if application.match_funding and not application.match_funding_source:
        raise ValidationError(
            {"match_funding_source": ["Please say where the match funding comes from."]}
        )
    questions = application.call.questions_list
    answers = [str(answer).strip() for answer in (application.answers or [])]
    if len(answers) < len(questions) or not all(answers[: len(questions)]):
        raise ValidationError({"answers": ["Please answer every question of the call."]})
    application.answers = answers[: len(questions)]
    application.full_clean()


@transaction.atomic
def create_fund_application(*, by, call: FundCall, applicant, **values: Any) -> FundApplication:
    """A draft, by the technician or their line manager on their behalf."""
    if not permissions.can_apply_for(by, applicant):
        raise PermissionDenied(NOT_APPLICANT)
    if not call.is_open():
        raise ValidationError(
            CALL_NOT_OPEN.format(opens=_day(call.opens_on), closes=_day(call.closes_on))
        )
    application = FundApplication(call=call, applicant=applicant, made_by=actor(by))
    _set_values(application, values)
    check_limits(
        call,
        activity_starts_on=application.activity_starts_on,
        cost=application.cost,
        amount_requested=application.amount_requested,
        certified=application.certified,
        today=timezone.localdate(),
    )
    application.save()
    FundEvent.objects.create(
        application=application, to_status=S.DRAFT, actor=actor(by), note="Created."
    )
    return application


@transaction.atomic
def update_fund_application(application: FundApplication, *, by, **values: Any) -> FundApplication:
    """Edit a draft (not a move: the state stays, so no event)."""
    locked = _lock(application)
    _applicant_or_manager(by)(locked)
    refuse_unless(locked, (S.DRAFT,), _wrong_state("edited"))
    _set_values(locked, values)
    check_limits(
        locked.call,
        activity_starts_on=locked.activity_starts_on,
        cost=locked.cost,
        amount_requested=locked.amount_requested,
        certified=locked.certified,
        today=timezone.localdate(),
    )
    locked.save()
    copy_back(application, locked)
    return application


@transaction.atomic
def submit_fund_application(application: FundApplication, *, by) -> FundApplication:
    """Send a draft to the call's panel: the call must be open and the limits met today."""

    def open_and_within_limits(locked: FundApplication) -> None:
        call = locked.call
        today = timezone.localdate()
        if not call.is_open(today):
            raise ValidationError(
                CALL_NOT_OPEN.format(opens=_day(call.opens_on), closes=_day(call.closes_on)),
                code="call_closed",
            )
        check_limits(
            call,
            activity_starts_on=locked.activity_starts_on,
            cost=locked.cost,
            amount_requested=locked.amount_requested,
            certified=locked.certified,
            today=today,
        )

    locked, event = _step(
        application,
        S.SUBMITTED,
        by=by,
        allowed_from=(S.DRAFT,),
        verb="submitted",
        who=_applicant_or_manager(by),
        check=open_and_within_limits,
        stamp="submitted_at",
    )
    call = locked.call
    _tell_applicant(
        locked,
        event,
        f"Your application to {call.title} was received",
        f"Your application for {locked.activity} ({money(locked.amount_requested)}) was "
        f"submitted to {call.title}. The panel scores applications after the call closes on "
        f"{_day(call.closes_on)}; you will hear the outcome with the panel's feedback.",
    )
    copy_back(application, locked)
    return application


# --- decisions -------------------------------------------------------------------------------


def _call_closed(locked: FundApplication) -> None:
    call = locked.call
    if not call.has_closed():
        raise ValidationError(CALL_NOT_CLOSED.format(closes=_day(call.closes_on)), code="open")


@transaction.atomic
def award_fund_application(
    application: FundApplication, *, by, amount: Decimal, feedback: str = ""
) -> FundApplication:
    """Award `amount` (at most what was asked and the largest award) once the call has closed,
    for a submitted application, never above what is left of the pot. The call's row is locked
    first (in this transaction, before the kernel's step locks the application), so two awards
    at once cannot both take the last money. The panel's scores advise; they do not gate."""
    call = FundCall.objects.select_for_update().get(pk=application.call_id)
    amount = Decimal(amount).quantize(CENTS)
    feedback = (feedback or "").strip()

    def within_the_pot(locked: FundApplication) -> None:
        _call_closed(locked)
        if amount <= 0:
            raise ValidationError({"amount": ["The award must be more than £0."]})
        if amount > locked.amount_requested:
            raise ValidationError(
                {"amount": [ABOVE_REQUEST.format(requested=money(locked.amount_requested))]}
            )
        if amount > call.max_award:
            raise ValidationError({"amount": [ABOVE_MAX_AWARD.format(max=money(call.max_award))]})
        remaining = remaining_pot(call)  # read under the call's lock
        if amount > remaining:
            raise ValidationError(
                OVER_POT.format(
                    amount=money(amount),
                    remaining=money(max(remaining, Decimal(0))),
                    pot=money(call.pot),
                ),
                code="over_pot",
            )

    locked, event = _step(
        application,
        S.AWARDED,
        by=by,
        allowed_from=(S.SUBMITTED,),
        verb="awarded",
        who=_decider(by),
        check=within_the_pot,
        note=f"Awarded {money(amount)}.",
        stamp="decided_at",
        changes=lambda locked: {
            "amount_awarded": amount,
            "decided_by": actor(by),
            "feedback": feedback,
            "report_due_on": locked.activity_ends_on
            + datetime.timedelta(weeks=call.report_back_weeks),
        },
    )
    _tell_applicant(
        locked,
        event,
        f"Your application to {call.title} was awarded {money(amount)}",
        f"The panel awarded {money(amount)} towards {locked.activity}.\n\n"
        + (f"The panel's feedback:\n{feedback}\n\n" if feedback else "")
        + "After the activity, send your claim with the receipts from the application page "
        f"(it is paid up to the award), and your short report by {_day(locked.report_due_on)}.",
    )
    copy_back(application, locked)
    return application


@transaction.atomic
def decline_fund_application(application: FundApplication, *, by, feedback: str) -> FundApplication:
    """Not funded, with the panel's feedback for the applicant, once the call has closed."""
    feedback = (feedback or "").strip()

    def closed_with_feedback(locked: FundApplication) -> None:
        _call_closed(locked)
        required(feedback, "feedback", "Please give the applicant the panel's feedback.")

    locked, event = _step(
        application,
        S.NOT_FUNDED,
        by=by,
        allowed_from=(S.SUBMITTED,),
        verb="declined",
        who=_decider(by),
        check=closed_with_feedback,
        stamp="decided_at",
        changes={"decided_by": actor(by), "feedback": feedback},
    )
    _tell_applicant(
        locked,
        event,
        f"Your application to {locked.call.title} was not funded",
        f"The panel could not fund {locked.activity} this time.\n\nThe panel's feedback:\n"
        f"{feedback}",
    )
    copy_back(application, locked)
    return application


# --- after the award -------------------------------------------------------------------------


def _checked_receipts(receipts) -> list:
    """Each upload checked by content as evidence is: (upload, checked) pairs."""
    receipts = [upload for upload in receipts or [] if upload]
    if not receipts:
        raise ValidationError({"receipts": [RECEIPTS_NEEDED]})
    checked = []
    for upload in receipts:
        try:
            checked.append((upload, check_evidence_file(upload)))
        except ValidationError as error:
            raise ValidationError(
                {"receipts": [f"{getattr(upload, 'name', 'A file')}: {m}" for m in error.messages]}
            ) from None
    return checked


@transaction.atomic
def claim_fund_application(
    application: FundApplication, *, by, amount: Decimal, receipts
) -> FundApplication:
    """The applicant claims the money with receipts (checked as evidence is), up to the award.
    The receipts are stored with the move; a refusal after they were stored removes them."""
    amount = Decimal(amount).quantize(CENTS)
    checked: list = []
    saved: list[Receipt] = []

    def within_the_award_with_receipts(locked: FundApplication) -> None:
        if amount <= 0:
            raise ValidationError({"amount": ["The claim must be more than £0."]})
        if amount > locked.amount_awarded:
            raise ValidationError(
                {
                    "amount": [
                        ABOVE_AWARD.format(awarded=money(locked.amount_awarded), verb="claimed")
                    ]
                }
            )
        checked.extend(_checked_receipts(receipts))

    def store_receipts(locked: FundApplication) -> dict:
        for upload, result in checked:
            upload.seek(0)
            receipt = Receipt(
                application=locked,
                name=result.original_name,
                content_type=result.kind.content_type,
            )
            receipt.file.save(result.storage_name, upload, save=False)
            receipt.save()
            saved.append(receipt)
        return {"amount_claimed": amount}

    try:
        locked, event = _step(
            application,
            S.CLAIMED,
            by=by,
            allowed_from=(S.AWARDED,),
            verb="claimed",
            who=_applicant_or_manager(by),
            check=within_the_award_with_receipts,
            changes=store_receipts,
            note=f"Claimed {money(amount)}.",
        )
    except Exception:
        for receipt in saved:
            receipt.file.storage.delete(receipt.file.name)
        raise
    _tell_users(
        hr_users(),
        locked,
        event,
        f"A development fund claim to pay: {locked.applicant.full_name}",
        f"{locked.applicant.full_name} claimed {money(amount)} of an award of "
        f"{money(locked.amount_awarded)} for {locked.activity}, with "
        f"{len(saved)} receipt{'s' if len(saved) != 1 else ''}.",
    )
    copy_back(application, locked)
    return application


@transaction.atomic
def pay_fund_application(
    application: FundApplication, *, by, amount: Decimal, reference: str
) -> FundApplication:
    """HR pays a claim, up to the award, with the payment reference."""
    amount = Decimal(amount).quantize(CENTS)
    reference = (reference or "").strip()

    def within_the_award(locked: FundApplication) -> None:
        if amount <= 0:
            raise ValidationError({"amount": ["The payment must be more than £0."]})
        if amount > locked.amount_awarded:
            raise ValidationError(
                {"amount": [ABOVE_AWARD.format(awarded=money(locked.amount_awarded), verb="paid")]}
            )
        required(reference, "reference", "Please give the payment reference.")

    locked, event = _step(
        application,
        S.PAID,
        by=by,
        allowed_from=(S.CLAIMED,),
        verb="paid",
        who=_hr_not_own(by),
        check=within_the_award,
        note=f"Paid {money(amount)}, reference {reference}.",
        changes={"amount_paid": amount, "payment_reference": reference},
    )
    _tell_applicant(
        locked,
        event,
        f"Your development fund claim was paid ({money(amount)})",
        f"HR paid {money(amount)} for {locked.activity} (reference {reference}). Your report "
        f"is due by {_day(locked.report_due_on)}.",
    )
    copy_back(application, locked)
    return application


@transaction.atomic
def submit_fund_report(
    application: FundApplication, *, by, report: str, shareable: bool = False
) -> FundApplication:
    """The short report after the activity; a shareable one becomes an impact story."""
    report = (report or "").strip()
    locked, event = _step(
        application,
        S.REPORTED,
        by=by,
        allowed_from=FundApplication.REPORT_DUE,
        verb="reported on",
        who=_applicant_or_manager(by),
        check=lambda _locked: required(report, "report", "Please write your report."),
        changes=lambda _locked: {
            "report": report,
            "report_shareable": bool(shareable),
            "reported_on": timezone.localdate(),
        },
    )
    coordinator = locked.call.panel.coordinator if locked.call.panel else None
    _tell_users(
        [coordinator] if coordinator else hr_users(),
        locked,
        event,
        f"{locked.applicant.full_name} reported back on {locked.activity}",
        "The report is on the application page.",
    )
    copy_back(application, locked)
    return application


@transaction.atomic
def withdraw_fund_award(application: FundApplication, *, by, reason: str) -> FundApplication:
    """HR withdraws the money (an overdue report, for example), with a reason; it goes back to
    the call's pot."""
    reason = (reason or "").strip()
    locked, event = _step(
        application,
        S.WITHDRAWN,
        by=by,
        allowed_from=FundApplication.REPORT_DUE,
        verb="withdrawn",
        who=_hr(by),
        check=lambda _locked: required(
            reason, "reason", "Please give the reason for withdrawing the award."
        ),
        note=reason,
        changes={"withdrawal_reason": reason},
    )
    _tell_applicant(
        locked,
        event,
        f"Your development fund award for {locked.activity} was withdrawn",
        f"HR withdrew the award. Their reason:\n{reason}",
    )
    copy_back(application, locked)
    return application


# --- the panel -------------------------------------------------------------------------------


def review_fund_application(
    application: FundApplication,
    *,
    by,
    conflict: bool = False,
    conflict_reason: str = "",
    scores=(),
    comment: str = "",
):
    """A panel member declares a conflict, or scores each criterion 1–5 with a comment."""
    if permissions.is_applicant(by, application):
        raise PermissionDenied(panels.OWN_ITEM)
    if application.status != S.SUBMITTED:
        raise ValidationError(
            WRONG_STATE.format(status=application.get_status_display().lower(), verb="scored")
        )
    return panels.record_review(
        application.call.panel,
        by=by,
        application=application,
        conflict=conflict,
        conflict_reason=conflict_reason,
        scores=scores,
        comment=comment,
    )
