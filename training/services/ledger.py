"""The ledger of training days: days a technician logs, records imported from elsewhere.
(Attended sessions add their record in booking.mark_attendance.)"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from training import permissions as rules
from training.models import Category, TrainingRecord
from training.services.messages import DAYS_OR_HOURS, IN_FUTURE, NOT_IMPORTER
from training.services.rules import days_from_hours


def log_training(
    technician,
    *,
    by,
    date: datetime.date,
    category: str,
    title: str,
    provider: str = "",
    days: Decimal | None = None,
    hours: Decimal | None = None,
    evidence=None,
    reflection: str = "",
) -> TrainingRecord:
    """Log training days one has done: in days, or in hours (TRAINING_HOURS_PER_DAY a day),
    with an optional evidence file (checked by content) and a short reflection."""
    if not rules.is_own(by, technician) or not rules.can_log_training(by):
        raise PermissionDenied("You can log training days for yourself only.")
    if (days is None) == (hours is None):
        raise ValidationError({"days": [DAYS_OR_HOURS]})
    if days is None:
        days = days_from_hours(Decimal(hours))
    if date and date > timezone.localdate():
        raise ValidationError({"date": [IN_FUTURE]})
    if category not in Category.values:
        raise ValidationError(
            {"category": ["Choose on the job, conference or workshop, or formal."]}
        )
    record = TrainingRecord(
        technician=technician,
        date=date,
        days=days,
        category=category,
        title=(title or "").strip(),
        provider=(provider or "").strip(),
        reflection=(reflection or "").strip(),
    )
    checked = None
    if evidence:
        from portal.evidence import check_evidence_file

        try:
            checked = check_evidence_file(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from None
        evidence.seek(0)
    record.full_clean(exclude=["technician", "evidence", "booking"])
    with transaction.atomic():
        if checked is not None:
            record.evidence_name = checked.original_name
            record.evidence_content_type = checked.kind.content_type
            record.evidence.save(checked.storage_name, evidence, save=False)
        record.save()
    return record


def add_training_record(
    technician,
    *,
    by,
    date: datetime.date,
    days: Decimal,
    category: str,
    title: str,
    provider: str = "",
    reflection: str = "",
) -> TrainingRecord:
    """A record kept elsewhere, added to a technician's ledger (the CSV import)."""
    if not rules.can_import_training_records(by):
        raise PermissionDenied(NOT_IMPORTER)
    if date and date > timezone.localdate():
        raise ValidationError({"date": [IN_FUTURE]})
    record = TrainingRecord(
        technician=technician,
        date=date,
        days=days,
        category=category,
        title=(title or "").strip(),
        provider=(provider or "").strip(),
        reflection=(reflection or "").strip(),
    )
    record.full_clean(exclude=["technician", "evidence", "booking"])
    record.save()
    return record


def delete_training_record(record: TrainingRecord, *, by) -> None:
    if not rules.can_delete_record(by, record):
        raise PermissionDenied(
            "You can remove days you logged yourself; attended sessions follow the register."
        )
    with transaction.atomic():
        if record.evidence:
            record.evidence.delete(save=False)
        record.delete()
