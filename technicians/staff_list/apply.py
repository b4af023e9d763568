"""Applying HR's staff list: exactly what was previewed, everything or nothing."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from portal import registry
from portal.imports import progress
from portal.imports.pending import check_fingerprint, record_run
from technicians import search, services, versions
from technicians.models import Technician
from technicians.staff_list.columns import FIELD_LABELS, KIND
from technicians.staff_list.preview import (
    StaffImportRefused,
    StaffImportResult,
    leaving_numbers,
    preview_staff_import,
)

logger = logging.getLogger(__name__)

STALE = "The directory has changed since your preview: review it again"
LEAVERS_NOT_CONFIRMED = (
    "This import would mark {count} technicians as leavers: type {count} in the box to "
    "confirm. Nothing was changed."
)
_STAFF_IMPORT_LOCK = 7_204_113  # a PostgreSQL advisory lock: one staff-list import at a time
# What an import writes besides line managers (services.link_line_managers sets those): the
# fields its preview compares (FIELD_LABELS), and the timestamp.
_STAFF_IMPORT_FIELDS = [name for name in FIELD_LABELS if name != "line_manager"] + ["updated"]


class LeaversNotConfirmed(ValidationError):
    """A file making more than a fifth of the active technicians leavers, applied without
    their number typed in: nothing was changed."""


def apply_staff_import(
    text: str,
    *,
    by=None,
    fingerprint: str | None = None,
    file_name: str = "",
    partial: bool = False,
    confirmed_leavers: object = None,
) -> StaffImportResult:
    """Import HR's full staff list (CSV text): everything or nothing.

    Re-checks the text against the directory as it is now, with the technicians locked, and
    raises StaffImportRefused, changing nothing, if any row is invalid. With `fingerprint`
    (the preview's), raises StalePreview with STALE, changing nothing, when the changes are
    no longer the ones previewed. Otherwise creates new staff numbers, updates changed ones,
    reactivates returning leavers and marks active technicians absent from the file as
    leavers (is_active=False; never deleted, their logins are kept), and records an ImportRun.
    `partial`: the file is only part of the staff list; nobody is made a leaver. Rows outside
    the saved rule of who counts as a technician are ignored (StaffListMapping).

    When more than a fifth of the active technicians would become leavers, a person (`by`)
    must confirm with their number (`confirmed_leavers`, as typed), or LeaversNotConfirmed is
    raised and nothing changes. `by` None is the command line, trusted (it prints the warning).
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_STAFF_IMPORT_LOCK])
        # Lock every technician: no profile edit slips in between the check and the writes.
        list(Technician.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
        preview = preview_staff_import(text, partial=partial)
        if not preview.is_valid:
            raise StaffImportRefused(preview)
        check_fingerprint(preview, fingerprint, STALE)
        if by is not None and not preview.leavers_confirmed(confirmed_leavers):
            raise LeaversNotConfirmed(
                LEAVERS_NOT_CONFIRMED.format(count=len(preview.leavers)), code="confirm_leavers"
            )
        # Before anyone leaves: what they take with them, such as the last holder of a skill
        # in a department (other apps' watches, portal.registry), told after the writes.
        leaving = leaving_numbers(preview)
        losses = [(watch, watch.losses(leaving)) for watch in registry.leaver_watches()]

        now = timezone.now()
        listed = {row.staff_number: row for row in preview.rows}
        existing = Technician.objects.in_bulk(list(listed), field_name="staff_number")
        wanted_emails = {row.email.lower(): row.staff_number for row in preview.rows}
        # An address moving from one technician to another: free it first (unique e-mails).
        freed = [
            technician
            for number, technician in existing.items()
            if wanted_emails.get(technician.email.lower(), number) != number
        ]
        for technician in freed:
            technician.email = f"moving-{technician.pk}@import.invalid"
        Technician.objects.bulk_update(freed, ["email"], batch_size=500)

        new_rows = [row for row in preview.rows if row.staff_number not in existing]
        services.create_technicians_in_bulk([Technician(**row.model_values()) for row in new_rows])
        progress.applied(len(new_rows), preview.apply_count)
        updated_numbers = {update.staff_number for update in preview.to_update}
        changed = []
        for row in preview.rows:
            technician = existing.get(row.staff_number)
            if technician is None or row.staff_number not in updated_numbers:
                continue
            for name, value in row.model_values().items():
                setattr(technician, name, value)
            technician.updated = now
            changed.append(technician)
        Technician.objects.bulk_update(changed, _STAFF_IMPORT_FIELDS, batch_size=500)
        progress.applied(len(new_rows) + len(preview.to_update), preview.apply_count)
        search.refresh_search_vectors(technician.pk for technician in changed)  # names, titles
        services.link_line_managers(
            {row.staff_number: row.line_manager_staff_number for row in preview.rows}
        )

        leavers = [leaver.staff_number for leaver in preview.leavers]
        left_on = timezone.localdate(now)
        for start in range(0, len(leavers), 500):
            progress.applied(len(new_rows) + len(preview.to_update) + start, preview.apply_count)
            Technician.objects.filter(
                staff_number__in=leavers[start : start + 500], is_active=True
            ).update(is_active=False, left_on=left_on, updated=now)
        versions.people_changed()  # departments and leavers, written in bulk (no signals)
        back = [update.staff_number for update in preview.reactivated]
        for start in range(0, len(back), 500):
            Technician.objects.filter(staff_number__in=back[start : start + 500]).update(
                left_on=None
            )  # "profiles" moved on with "people" above, in this transaction
        result = StaffImportResult(
            created=len(preview.to_create),
            updated=len(preview.to_update),
            leavers=len(preview.leavers),
            reactivated=len(preview.reactivated),
            unchanged=preview.unchanged,
            ignored=preview.ignored,
            partial=partial,
        )
        run = record_run(kind=KIND, by=by, file_name=file_name, counts=result.counts())
        progress.applied(preview.apply_count, preview.apply_count)
        for watch, lost in losses:
            watch.tell(lost, key=f"import-run:{run.pk}")
    logger.info(
        "Staff list imported by %s: %s", getattr(by, "email", None) or "a command", result.summary()
    )
    return result
