"""Retention (UK GDPR storage limitation): a leaver's personal data is anonymised
PORTAL_RETENTION_YEARS_AFTER_LEAVING years (6 by default) after their `left_on` date.

`due(today)` lists the leavers whose period is over (left on or before the same day that many
years ago, never anonymised yet); `apply_retention(today=..., dry_run=...)` runs every app's
anonymiser (portal.personal_data.anonymise, registered through the registry) on each of them,
in one transaction per person, and logs it as an audit event. Figures and history stay: the
rows remain, with "Former technician" as the name.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal import audit, personal_data
from technicians.models import Technician
from technicians.versions import profiles_changed

logger = logging.getLogger(__name__)


def years() -> int:
    return int(settings.PORTAL_RETENTION_YEARS_AFTER_LEAVING)


def cutoff(today: datetime.date) -> datetime.date:
    """Who left on or before this day has been gone `years()` years by `today`."""
    try:
        return today.replace(year=today.year - years())
    except ValueError:  # 29 February, and the year then had none
        return today.replace(year=today.year - years(), day=28)


def due(today: datetime.date):
    """Leavers whose retention period is over and who are not anonymised yet."""
    return Technician.objects.filter(
        is_active=False,
        left_on__isnull=False,
        left_on__lte=cutoff(today),
        anonymised_on__isnull=True,
    ).order_by("left_on", "pk")


@dataclass
class Anonymised:
    technician_id: int
    name: str  # before anonymising
    left_on: datetime.date
    changes: dict[str, list[str]]


def apply_retention(
    *, today: datetime.date | None = None, dry_run: bool = False, by=None
) -> list[Anonymised]:
    """Anonymise every leaver whose retention period is over (see the module's doc); with
    `dry_run`, change nothing and say what would change."""
    today = today or timezone.localdate()
    done: list[Anonymised] = []
    for technician in due(today):
        name = technician.full_name
        with transaction.atomic():
            locked = Technician.objects.select_for_update().get(pk=technician.pk)
            if locked.anonymised_on is not None or locked.is_active:
                continue
            changes = personal_data.anonymise(locked, dry_run=dry_run)
            if not dry_run:
                Technician.objects.filter(pk=locked.pk).update(anonymised_on=today)
                profiles_changed()
                audit.record(
                    audit.Kind.ANONYMISED,
                    by=by,
                    subject_id=locked.pk,
                    subject_label="Former technician",
                    left_on=locked.left_on.isoformat(),
                    years=years(),
                )
        done.append(Anonymised(technician.pk, name, technician.left_on, changes))
    if done and not dry_run:
        logger.info("Retention: %s leaver(s) anonymised", len(done))
    return done
