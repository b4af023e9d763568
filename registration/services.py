"""Every change to registrations, CPD entries, applications and budgets goes through a
function here: the views, the admin actions, the import and the demo data call these.

The funding workflow: each transition names the states it may start from (FROM_STATES).
A refused transition raises ValidationError (wrong state, over budget, bad values) or
PermissionDenied (wrong person) with a sentence for the user, and changes nothing. Every
transition writes a FundingEvent and tells the next person to act through the outbox, in
the same transaction.

Approvals are serialised on the year's FundingBudget row (select_for_update): the check
"committed + spent + this ≤ budget" and the approval happen under that lock, so two HR users
approving at once cannot overspend.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.dateformat import format as format_date

from portal import roles
from portal.periods import financial_year_label, financial_year_of
from portal.services import queue_notification
from registration import files, permissions
from registration.models import (
    CPDEntry,
    FundingApplication,
    FundingBudget,
    FundingEvent,
    ProfessionalBody,
    Register,
    Registration,
)
from technicians.models import Technician
from technicians.permissions import technician_of

S = FundingApplication.Status
CENTS = Decimal("0.01")

FROM_STATES: dict[str, tuple[str, ...]] = {
    "submit": (S.DRAFT,),
    "endorse": (S.SUBMITTED,),
    "send_back": (S.SUBMITTED,),
    "approve": (S.ENDORSED,),
    "reject": (S.ENDORSED,),
    "withdraw": (S.DRAFT, S.SUBMITTED, S.ENDORSED),
    "record_registration": (S.APPROVED,),
    "mark_paid": (S.REGISTERED,),
}

WRONG_STATE = {
    "submit": "Only a draft can be submitted; this application is {status}.",
    "endorse": "Only a submitted application can be endorsed; this one is {status}.",
    "send_back": "Only a submitted application can be sent back; this one is {status}.",
    "approve": "Only an endorsed application can be approved; this one is {status}.",
    "reject": "Only an endorsed application can be rejected; this one is {status}.",
    "withdraw": "An application can be withdrawn only before a decision; this one is {status}.",
    "record_registration": "Proof of registration is recorded once an application is approved; "
    "this one is {status}.",
    "mark_paid": "Only an application with proof of registration can be marked paid; this one "
    "is {status}.",
}

NOT_APPLICANT = "Only the applicant can do this."
NOT_ENDORSER = "Only the applicant's line manager can endorse this application."
NOT_HR = "Only HR can decide on applications and record payments."
OWN_APPLICATION = "You cannot decide on or pay your own application: another member of HR must."
NO_RECORDS = "Only technicians on the staff list can keep registrations and apply for funding."
NOTE_REQUIRED = "Please write a note saying why."
CHANGES_REQUIRED = "Please say what the applicant should change."
REFERENCE_REQUIRED = "Please give the payment reference."
NO_BUDGET = "No budget is set for {year}: set one on the budget page before approving."
OVER_BUDGET = (
    "Approving £{amount} would take {year} over budget: £{remaining} of £{budget} is left."
)
AMOUNT_REASON_REQUIRED = (
    "The amount differs from the application fee plus the first year's fee (£{standard}): "
    "please give a reason."
)
BODY_CANNOT_AWARD = "{body} does not award {register}: choose a body that does."


# --- helpers -------------------------------------------------------------------------------


def _link(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def hr_users():
    """Who HR's notifications go to: active members of the HR group."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.HR)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def endorsers(application: FundingApplication) -> list:
    """Who endorses: the applicant's line manager (the person, told at their staff-list
    address, account or not); HR when there is none."""
    if permissions.has_no_line_manager(application):
        return hr_users()
    return [application.applicant.line_manager]


def _applicant(application: FundingApplication):
    """The applicant, told at their staff-list address whether or not they have an account."""
    return application.applicant


def _lock(application: FundingApplication) -> FundingApplication:
    return (
        FundingApplication.objects.select_for_update(of=("self",))
        .select_related("applicant__line_manager", "register", "body")
        .get(pk=application.pk)
    )


def _lock_for_applicant(application: FundingApplication, by) -> FundingApplication:
    """The application locked, once `by` is known to be its applicant (else PermissionDenied)."""
    locked = _lock(application)
    if not permissions.is_applicant(by, locked):
        raise PermissionDenied(NOT_APPLICANT)
    return locked


def _refuse_wrong_state(transition: str, application: FundingApplication) -> None:
    if application.status not in FROM_STATES[transition]:
        raise ValidationError(
            WRONG_STATE[transition].format(status=application.get_status_display().lower()),
            code="wrong_state",
        )


def _copy_back(target: FundingApplication, source: FundingApplication) -> None:
    """The caller's object reflects what was saved."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _move(
    application: FundingApplication, to_status: str, *, by, note: str = "", **changes: Any
) -> FundingEvent:
    from_status = application.status
    now = timezone.now()
    for name, value in changes.items():
        setattr(application, name, value)
    application.status = to_status
    application.status_changed_at = now
    application.full_clean()
    application.save()
    return FundingEvent.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        actor=by if getattr(by, "is_authenticated", False) else None,
        note=note,
        created=now,
    )


def _summary(application: FundingApplication) -> str:
    return (
        f"Applicant: {application.applicant.full_name}\n"
        f"Register: {application.register.title} ({application.register.code})\n"
        f"Through: {application.body.name}\n"
        f"Amount: £{application.amount_requested}\n"
    )


def _tell(recipients, event: FundingEvent, subject: str, opening: str) -> None:
    application = event.application
    body = (
        f"{opening}\n\n{_summary(application)}"
        + (f"Note: {event.note}\n" if event.note else "")
        + f"\n{_link(application.get_absolute_url())}\n"
    )
    for recipient in recipients:
        if recipient is None:
            continue
        queue_notification(
            recipient,
            f"funding_{event.to_status}",
            f"funding:{application.pk}:event:{event.pk}",
            subject,
            body,
        )


# --- budget figures ------------------------------------------------------------------------


def year_figures(year: int) -> dict[str, Decimal | None]:
    """Budget, committed (approved, not paid), spent (paid) and remaining for `year`."""
    budget = FundingBudget.objects.filter(financial_year=year).values_list("amount", flat=True)
    budget_amount = next(iter(budget), None)
    sums = {
        status: Decimal(total or 0).quantize(CENTS)
        for status, total in FundingApplication.objects.filter(
            financial_year=year, status__in=FundingApplication.FUNDED
        )
        .values_list("status")
        .annotate(total=Sum("amount_requested"))
        .order_by()
    }
    committed = sums.get(S.APPROVED, Decimal(0)) + sums.get(S.REGISTERED, Decimal(0))
    spent = sums.get(S.PAID, Decimal(0))
    committed, spent = committed.quantize(CENTS), spent.quantize(CENTS)
    remaining = None if budget_amount is None else budget_amount - committed - spent
    return {
        "year": year,
        "label": financial_year_label(year),
        "budget": budget_amount,
        "committed": committed,
        "spent": spent,
        "remaining": remaining,
    }


# --- the budget ----------------------------------------------------------------------------


@transaction.atomic
def set_budget(*, by, financial_year: int, amount: Decimal) -> FundingBudget:
    """Set (or change) a year's budget; it may not go below what is already approved or paid."""
    if not permissions.can_manage_funding(by):
        raise PermissionDenied("Only HR can set the registration funding budget.")
    budget, _ = FundingBudget.objects.select_for_update().get_or_create(
        financial_year=financial_year, defaults={"amount": amount}
    )
    figures = year_figures(financial_year)
    used = figures["committed"] + figures["spent"]
    if amount < used:
        raise ValidationError(
            {
                "amount": [
                    f"£{used} is already approved or paid in "
                    f"{financial_year_label(financial_year)}: the budget cannot be less than that."
                ]
            }
        )
    budget.amount = amount
    budget.full_clean()
    budget.save()
    return budget


# --- register fees -------------------------------------------------------------------------


@transaction.atomic
def update_register_fees(
    register: Register, *, by, application_fee: Decimal, annual_fee: Decimal, fee_note: str = ""
) -> Register:
    """HR keeps the fees up to date. Applications keep the fees of the day they were made."""
    if not permissions.can_manage_funding(by):
        raise PermissionDenied("Only HR can change the registers' fees.")
    locked = Register.objects.select_for_update().get(pk=register.pk)
    locked.application_fee = application_fee
    locked.annual_fee = annual_fee
    locked.fee_note = (fee_note or "").strip()
    locked.full_clean()
    locked.save()
    return locked


# --- applications --------------------------------------------------------------------------


def _application_values(
    *,
    register: Register,
    body: ProfessionalBody,
    justification: str,
    amount_requested: Decimal | None,
    amount_reason: str,
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if not body.registers.filter(pk=register.pk).exists():
        errors["body"] = [BODY_CANNOT_AWARD.format(body=body.name, register=register.code)]
    standard = register.first_year_cost
    amount = standard if amount_requested is None else amount_requested
    amount_reason = (amount_reason or "").strip()
    if amount != standard and not amount_reason:
        errors["amount_reason"] = [AMOUNT_REASON_REQUIRED.format(standard=standard)]
    if not (justification or "").strip():
        errors["justification"] = ["Please say why you are applying."]
    if errors:
        raise ValidationError(errors)
    return {
        "register": register,
        "body": body,
        "application_fee": register.application_fee,
        "annual_fee": register.annual_fee,
        "amount_requested": amount,
        "amount_reason": amount_reason if amount != standard else "",
        "justification": justification.strip(),
    }


@transaction.atomic
def create_application(
    *,
    by,
    register: Register,
    body: ProfessionalBody,
    justification: str,
    amount_requested: Decimal | None = None,
    amount_reason: str = "",
) -> FundingApplication:
    """A draft application by `by`'s technician; the fees are the register's of today."""
    if not permissions.can_apply(by):
        raise PermissionDenied(NO_RECORDS)
    values = _application_values(
        register=register,
        body=body,
        justification=justification,
        amount_requested=amount_requested,
        amount_reason=amount_reason,
    )
    application = FundingApplication(applicant=technician_of(by), status=S.DRAFT, **values)
    application.full_clean()
    application.save()
    FundingEvent.objects.create(
        application=application, from_status="", to_status=S.DRAFT, actor=by, note="Created."
    )
    return application


@transaction.atomic
def update_application(
    application: FundingApplication,
    *,
    by,
    register: Register,
    body: ProfessionalBody,
    justification: str,
    amount_requested: Decimal | None = None,
    amount_reason: str = "",
) -> FundingApplication:
    locked = _lock_for_applicant(application, by)
    if locked.status != S.DRAFT:
        raise ValidationError("Only a draft can be edited: this application has been submitted.")
    values = _application_values(
        register=register,
        body=body,
        justification=justification,
        amount_requested=amount_requested,
        amount_reason=amount_reason,
    )
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    _copy_back(application, locked)
    return application


@transaction.atomic
def submit_application(application: FundingApplication, *, by) -> FundingApplication:
    locked = _lock_for_applicant(application, by)
    _refuse_wrong_state("submit", locked)
    event = _move(locked, S.SUBMITTED, by=by)
    _tell(
        endorsers(locked),
        event,
        f"Please endorse {locked.applicant.full_name}'s registration funding application",
        f"{locked.applicant.full_name} has applied for funding to register as "
        f"{locked.register.code}. As their line manager, please endorse it (or talk to them).",
    )
    _copy_back(application, locked)
    return application


@transaction.atomic
def endorse_application(
    application: FundingApplication, *, by, note: str = ""
) -> FundingApplication:
    locked = _lock(application)
    if not permissions.is_endorser(by, locked):
        raise PermissionDenied(NOT_ENDORSER)
    _refuse_wrong_state("endorse", locked)
    event = _move(locked, S.ENDORSED, by=by, note=(note or "").strip(), endorsed_by=by)
    _tell(
        hr_users(),
        event,
        f"A registration funding application waits for a decision ({locked.register.code})",
        f"{locked.applicant.full_name}'s application has been endorsed and waits for HR's "
        "decision.",
    )
    _tell(
        [_applicant(locked)],
        event,
        "Your registration funding application was endorsed",
        "Your line manager endorsed your application; HR will decide on it next.",
    )
    _copy_back(application, locked)
    return application


@transaction.atomic
def send_back_application(application: FundingApplication, *, by, note: str) -> FundingApplication:
    """The endorser does not endorse it as it stands: back to a draft, with a note saying
    what to change; the applicant edits it and submits it again."""
    locked = _lock(application)
    if not permissions.is_endorser(by, locked):
        raise PermissionDenied(NOT_ENDORSER)
    _refuse_wrong_state("send_back", locked)
    note = _required(note, "note", CHANGES_REQUIRED)
    event = _move(locked, S.DRAFT, by=by, note=note)
    _tell(
        [_applicant(locked)],
        event,
        "Your registration funding application was sent back",
        "Your application was not endorsed as it stands: the note says what to change. Edit "
        "the draft and submit it again.",
    )
    _copy_back(application, locked)
    return application


def _lock_for_decider(application: FundingApplication, by) -> FundingApplication:
    """The application locked, once `by` may decide it: HR, and not their own."""
    locked = _lock(application)
    if not permissions.can_manage_funding(by):
        raise PermissionDenied(NOT_HR)
    if permissions.is_applicant(by, locked):
        raise PermissionDenied(OWN_APPLICATION)
    return locked


def _required(value: str | None, field: str, message: str) -> str:
    """The text given, stripped; a ValidationError on `field` when there is none."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    return value


@transaction.atomic
def approve_application(
    application: FundingApplication, *, by, note: str = ""
) -> FundingApplication:
    """Approve against this financial year's budget, under a lock on the budget row."""
    locked = _lock_for_decider(application, by)
    _refuse_wrong_state("approve", locked)
    year = financial_year_of(timezone.localdate())
    label = financial_year_label(year)
    budget = FundingBudget.objects.select_for_update().filter(financial_year=year).first()
    if budget is None:
        raise ValidationError(NO_BUDGET.format(year=label), code="no_budget")
    figures = year_figures(year)  # read under the lock: no other approval can change it now
    remaining = budget.amount - figures["committed"] - figures["spent"]
    if locked.amount_requested > remaining:
        raise ValidationError(
            OVER_BUDGET.format(
                amount=locked.amount_requested,
                year=label,
                remaining=max(remaining, Decimal(0)),
                budget=budget.amount,
            ),
            code="over_budget",
        )
    now = timezone.now()
    event = _move(
        locked,
        S.APPROVED,
        by=by,
        note=(note or "").strip(),
        decided_by=by,
        decided_at=now,
        decision_note=(note or "").strip(),
        financial_year=year,
    )
    _tell(
        [_applicant(locked)],
        event,
        "Your registration funding application was approved",
        f"HR approved £{locked.amount_requested} for your {locked.register.code} registration. "
        "Apply to the body, then upload your proof of registration on the application page "
        "so the fees can be paid.",
    )
    _copy_back(application, locked)
    return application


@transaction.atomic
def reject_application(application: FundingApplication, *, by, note: str) -> FundingApplication:
    locked = _lock_for_decider(application, by)
    _refuse_wrong_state("reject", locked)
    note = _required(note, "note", NOTE_REQUIRED)
    event = _move(
        locked,
        S.REJECTED,
        by=by,
        note=note,
        decided_by=by,
        decided_at=timezone.now(),
        decision_note=note,
    )
    _tell(
        [_applicant(locked)],
        event,
        "Your registration funding application was not approved",
        "HR did not approve your application. Their note says why.",
    )
    _copy_back(application, locked)
    return application


@transaction.atomic
def withdraw_application(application: FundingApplication, *, by) -> FundingApplication:
    locked = _lock_for_applicant(application, by)
    _refuse_wrong_state("withdraw", locked)
    was = locked.status
    event = _move(locked, S.WITHDRAWN, by=by)
    if was == S.SUBMITTED:
        recipients = endorsers(locked)
    elif was == S.ENDORSED:
        recipients = hr_users()
    else:
        recipients = []
    _tell(
        recipients,
        event,
        f"{locked.applicant.full_name} withdrew a registration funding application",
        "The applicant withdrew this application: nothing more is needed from you.",
    )
    _copy_back(application, locked)
    return application


@transaction.atomic
def record_registration(application: FundingApplication, *, by, proof) -> FundingApplication:
    """The applicant uploads proof of registration; their registration is recorded as active."""
    locked = _lock_for_applicant(application, by)
    _refuse_wrong_state("record_registration", locked)
    try:
        checked = files.check_upload(proof, default_stem="proof")
    except ValidationError as error:
        raise ValidationError({"proof": error.messages}) from None
    locked.proof.save(checked.content.name, checked.content, save=False)
    try:
        event = _move(
            locked,
            S.REGISTERED,
            by=by,
            proof_name=checked.original_name,
            proof_content_type=checked.content_type,
        )
        _record_active_registration(locked)
    except Exception:
        locked.proof.storage.delete(locked.proof.name)  # the row was not saved: no orphan file
        raise
    _tell(
        hr_users(),
        event,
        f"Registration fees to pay: {locked.applicant.full_name} ({locked.register.code})",
        f"{locked.applicant.full_name} uploaded proof of registration. Please pay "
        f"£{locked.amount_requested} and record the payment reference.",
    )
    _copy_back(application, locked)
    return application


def _record_active_registration(application: FundingApplication) -> Registration:
    today = timezone.localdate()
    registration, created = Registration.objects.get_or_create(
        technician=application.applicant,
        register=application.register,
        defaults={
            "body": application.body,
            "registered_on": today,
            "renewal_due_on": _one_year_after(today),
            "status": Registration.Status.ACTIVE,
        },
    )
    if not created and registration.status != Registration.Status.ACTIVE:
        registration.status = Registration.Status.ACTIVE
        registration.body = application.body
        registration.registered_on = registration.registered_on or today
        registration.renewal_due_on = _one_year_after(today)
        registration.full_clean()
        registration.save()
    return registration


def _one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def mark_paid(application: FundingApplication, *, by, reference: str) -> FundingApplication:
    locked = _lock_for_decider(application, by)
    _refuse_wrong_state("mark_paid", locked)
    reference = _required(reference, "reference", REFERENCE_REQUIRED)
    event = _move(
        locked, S.PAID, by=by, note=f"Payment reference {reference}.", payment_reference=reference
    )
    _tell(
        [_applicant(locked)],
        event,
        "Your registration fees have been paid",
        f"HR paid £{locked.amount_requested} for your {locked.register.code} registration "
        f"(reference {reference}).",
    )
    _copy_back(application, locked)
    return application


# --- registrations and CPD -----------------------------------------------------------------


REGISTRATION_FIELDS = (
    "register",
    "body",
    "membership_number",
    "registered_on",
    "renewal_due_on",
    "status",
)


def _check_registration(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    register, body = values.get("register"), values.get("body")
    if register and body and not body.registers.filter(pk=register.pk).exists():
        errors["body"] = [BODY_CANNOT_AWARD.format(body=body.name, register=register.code)]
    registered_on, renewal = values.get("registered_on"), values.get("renewal_due_on")
    if registered_on and renewal and renewal <= registered_on:
        errors["renewal_due_on"] = ["The renewal date must come after the date registered."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_registration(
    registration: Registration | None,
    *,
    by,
    technician: Technician | None = None,
    **values: Any,
) -> Registration:
    """Create (registration None, for `technician`, default: by's own) or change one."""
    unknown = set(values) - set(REGISTRATION_FIELDS)
    if unknown:
        raise TypeError(f"save_registration() cannot set {sorted(unknown)}")
    if registration is None:
        technician = technician or technician_of(by)
        if technician is None:
            raise PermissionDenied(NO_RECORDS)
        registration = Registration(technician=technician)
    if not permissions.can_edit_registration(by, registration):
        raise PermissionDenied("Only the technician and HR can change this registration.")
    _check_registration(values)
    for name, value in values.items():
        setattr(registration, name, value)
    registration.full_clean()
    registration.save()
    return registration


@transaction.atomic
def delete_registration(registration: Registration, *, by) -> None:
    if not permissions.can_edit_registration(by, registration):
        raise PermissionDenied("Only the technician and HR can remove this registration.")
    registration.delete()


@transaction.atomic
def add_cpd_entry(
    *,
    by,
    date: datetime.date,
    activity: str,
    hours: Decimal,
    learning: str,
    evidence=None,
) -> CPDEntry:
    if not permissions.can_keep_records(by):
        raise PermissionDenied(NO_RECORDS)
    entry = CPDEntry(
        technician=technician_of(by),
        date=date,
        activity=(activity or "").strip(),
        hours=hours,
        learning=(learning or "").strip(),
    )
    if date and date > timezone.localdate():
        raise ValidationError(
            {"date": ["CPD entries record what you have done: not a future date."]}
        )
    entry.full_clean(exclude=["evidence"])
    if evidence:
        try:
            checked = files.check_upload(evidence, default_stem="evidence")
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from None
        entry.evidence.save(checked.content.name, checked.content, save=False)
        entry.evidence_name = checked.original_name
        entry.evidence_content_type = checked.content_type
    entry.save()
    return entry


@transaction.atomic
def delete_cpd_entry(entry: CPDEntry, *, by) -> None:
    if not permissions.can_delete_cpd_entry(by, entry):
        raise PermissionDenied("Only the technician can remove their CPD entries.")
    if entry.evidence:
        name, storage = entry.evidence.name, entry.evidence.storage
        transaction.on_commit(lambda: storage.delete(name))
    entry.delete()


def format_day(day: datetime.date) -> str:
    return format_date(day, "j F Y")
