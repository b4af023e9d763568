"""Funding applications and their workflow: draft, submitted, endorsed (or sent back),
approved or rejected, registered, paid; withdrawn before a decision.

Each move is the kernel's workflow step (portal.workflow.transition through `_step`): the
application is locked, a wrong person or state is refused with a sentence and nothing
changes; otherwise it moves, a FundingEvent records who moved it, and the next person to act
is told through the outbox, in the same transaction.

Approvals are serialised on the year's FundingBudget row (select_for_update): the check
"committed + spent + this ≤ budget" and the approval happen under that lock, so two HR users
approving at once cannot overspend."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portal import roles
from portal.periods import financial_year_label, financial_year_of, format_money
from portal.services import queue_notification
from portal.workflow import Transition, lock, transition
from registration import files, permissions
from registration.models import (
    FundingApplication,
    FundingBudget,
    FundingEvent,
    ProfessionalBody,
    Register,
    Registration,
)
from registration.services.budgets import year_figures
from registration.services.messages import (
    AMOUNT_REASON_REQUIRED,
    BODY_CANNOT_AWARD,
    CHANGES_REQUIRED,
    FROM_STATES,
    NO_BUDGET,
    NO_RECORDS,
    NOT_APPLICANT,
    NOT_ENDORSER,
    NOT_HR,
    NOTE_REQUIRED,
    OVER_BUDGET,
    OWN_APPLICATION,
    REFERENCE_REQUIRED,
    WRONG_STATE,
    S,
)
from technicians.permissions import technician_of


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


APPLICATION_RELATED = ("applicant__line_manager", "register", "body")


def _lock(application: FundingApplication) -> FundingApplication:
    return lock(application, select_related=APPLICATION_RELATED)


def _applicant_only(by):
    def refuse(locked: FundingApplication) -> None:
        if not permissions.is_applicant(by, locked):
            raise PermissionDenied(NOT_APPLICANT)

    return refuse


def _endorser_only(by):
    def refuse(locked: FundingApplication) -> None:
        if not permissions.is_endorser(by, locked):
            raise PermissionDenied(NOT_ENDORSER)

    return refuse


def _decider_only(by):
    """HR may decide and pay, and never on their own application."""

    def refuse(locked: FundingApplication) -> None:
        if not permissions.can_manage_funding(by):
            raise PermissionDenied(NOT_HR)
        if permissions.is_applicant(by, locked):
            raise PermissionDenied(OWN_APPLICATION)

    return refuse


def _lock_for_applicant(application: FundingApplication, by) -> FundingApplication:
    """The application locked, once `by` is known to be its applicant (else PermissionDenied)."""
    locked = _lock(application)
    _applicant_only(by)(locked)
    return locked


def _copy_back(target: FundingApplication, source: FundingApplication) -> None:
    """The caller's object reflects what was saved."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _record_event(step: Transition) -> FundingEvent:
    """The application's timeline: one FundingEvent per move, naming the actor."""
    return FundingEvent.objects.create(
        application=step.obj,
        from_status=step.from_state,
        to_status=step.to_state,
        actor=step.actor,
        note=step.note,
        created=step.at,
    )


def _step(
    application: FundingApplication,
    name: str,
    to_status: str,
    *,
    by,
    who,
    note: str = "",
    check=None,
    changes=None,
    also_save: tuple[str, ...] = (),
) -> tuple[FundingApplication, FundingEvent]:
    """One move of the funding workflow through the kernel's step (portal.workflow): lock the
    application, refuse the wrong person (`who`), a state not in FROM_STATES[name] (with
    WRONG_STATE[name]) and whatever `check` refuses; then move, stamp status_changed_at and
    record the FundingEvent, in one transaction."""
    moved = transition(
        application,
        to=to_status,
        allowed_from=FROM_STATES[name],
        actor=by,
        refusal=WRONG_STATE[name],
        record=_record_event,
        note=note,
        precheck=who,
        check=check,
        changes=changes,
        stamp="status_changed_at",
        full_clean=True,
        also_save=also_save,
        select_related=APPLICATION_RELATED,
    )
    return moved.obj, moved.event


def _summary(application: FundingApplication) -> str:
    return (
        f"Applicant: {application.applicant.full_name}\n"
        f"Register: {application.register.title} ({application.register.code})\n"
        f"Through: {application.body.name}\n"
        f"Amount: {format_money(application.amount_requested)}\n"
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
        errors["amount_reason"] = [AMOUNT_REASON_REQUIRED.format(standard=format_money(standard))]
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
    locked, event = _step(application, "submit", S.SUBMITTED, by=by, who=_applicant_only(by))
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
    locked, event = _step(
        application,
        "endorse",
        S.ENDORSED,
        by=by,
        who=_endorser_only(by),
        note=(note or "").strip(),
        changes={"endorsed_by": by},
    )
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
    locked, event = _step(
        application,
        "send_back",
        S.DRAFT,
        by=by,
        who=_endorser_only(by),
        note=(note or "").strip(),
        check=lambda _locked: _required(note, "note", CHANGES_REQUIRED),
    )
    _tell(
        [_applicant(locked)],
        event,
        "Your registration funding application was sent back",
        "Your application was not endorsed as it stands: the note says what to change. Edit "
        "the draft and submit it again.",
    )
    _copy_back(application, locked)
    return application


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
    year = financial_year_of(timezone.localdate())
    note = (note or "").strip()

    def within_budget(locked: FundingApplication) -> None:
        label = financial_year_label(year)
        budget = FundingBudget.objects.select_for_update().filter(financial_year=year).first()
        if budget is None:
            raise ValidationError(NO_BUDGET.format(year=label), code="no_budget")
        figures = year_figures(year)  # read under the lock: no other approval can change it now
        remaining = budget.amount - figures["committed"] - figures["spent"]
        if locked.amount_requested > remaining:
            raise ValidationError(
                OVER_BUDGET.format(
                    amount=format_money(locked.amount_requested),
                    year=label,
                    remaining=format_money(max(remaining, Decimal(0))),
                    budget=format_money(budget.amount),
                ),
                code="over_budget",
            )

    locked, event = _step(
        application,
        "approve",
        S.APPROVED,
        by=by,
        who=_decider_only(by),
        note=note,
        check=within_budget,
        changes={
            "decided_by": by,
            "decided_at": timezone.now(),
            "decision_note": note,
            "financial_year": year,
        },
    )
    _tell(
        [_applicant(locked)],
        event,
        "Your registration funding application was approved",
        f"HR approved {format_money(locked.amount_requested)} for your "
        f"{locked.register.code} registration. "
        "Apply to the body, then upload your proof of registration on the application page "
        "so the fees can be paid.",
    )
    _copy_back(application, locked)
    return application


@transaction.atomic
def reject_application(application: FundingApplication, *, by, note: str) -> FundingApplication:
    note = (note or "").strip()
    locked, event = _step(
        application,
        "reject",
        S.REJECTED,
        by=by,
        who=_decider_only(by),
        note=note,
        check=lambda _locked: _required(note, "note", NOTE_REQUIRED),
        changes={"decided_by": by, "decided_at": timezone.now(), "decision_note": note},
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
    locked, event = _step(application, "withdraw", S.WITHDRAWN, by=by, who=_applicant_only(by))
    was = event.from_status
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
    checked, stored = [], []

    def check_proof(locked: FundingApplication) -> None:
        try:
            checked.append(files.check_upload(proof, default_stem="proof"))
        except ValidationError as error:
            raise ValidationError({"proof": error.messages}) from None

    def store_proof(locked: FundingApplication) -> dict[str, Any]:
        upload = checked[0]
        locked.proof.save(upload.content.name, upload.content, save=False)
        stored.append(locked.proof)
        return {"proof_name": upload.original_name, "proof_content_type": upload.content_type}

    try:
        locked, event = _step(
            application,
            "record_registration",
            S.REGISTERED,
            by=by,
            who=_applicant_only(by),
            check=check_proof,
            changes=store_proof,
            also_save=("proof",),
        )
        _record_active_registration(locked)
    except Exception:
        for proof_file in stored:  # the row was not saved: no orphan file
            proof_file.storage.delete(proof_file.name)
        raise
    _tell(
        hr_users(),
        event,
        f"Registration fees to pay: {locked.applicant.full_name} ({locked.register.code})",
        f"{locked.applicant.full_name} uploaded proof of registration. Please pay "
        f"{format_money(locked.amount_requested)} and record the payment reference.",
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
    reference = (reference or "").strip()
    locked, event = _step(
        application,
        "mark_paid",
        S.PAID,
        by=by,
        who=_decider_only(by),
        note=f"Payment reference {reference}.",
        check=lambda _locked: _required(reference, "reference", REFERENCE_REQUIRED),
        changes={"payment_reference": reference},
    )
    _tell(
        [_applicant(locked)],
        event,
        "Your registration fees have been paid",
        f"HR paid {format_money(locked.amount_requested)} for your "
        f"{locked.register.code} registration "
        f"(reference {reference}).",
    )
    _copy_back(application, locked)
    return application
