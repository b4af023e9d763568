"""A technician's registrations and CPD entries: kept by the technician (and HR for
registrations), and by the import."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date

from registration import files, permissions
from registration.models import CPDEntry, Registration
from registration.services.messages import BODY_CANNOT_AWARD, NO_RECORDS
from technicians.models import Technician
from technicians.permissions import technician_of

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
    registration: Registration | None, *, by, technician: Technician | None = None, **values: Any
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
    *, by, date: datetime.date, activity: str, hours: Decimal, learning: str, evidence=None
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
