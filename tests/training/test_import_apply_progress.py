"""The apply of a large import is one transaction, all or nothing: its progress is written
from a connection of its own, so the page's poll sees "Applying… N %" while nothing of the
import's data can be seen yet (PostgreSQL, committed data)."""

from __future__ import annotations

import pytest
from django.db import connections

from portal.imports import background
from portal.models import PendingImport
from training import importing, services
from training.models import TrainingRecord
from training.views import TrainingRecordImportPage

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HEADER = "staff number,date,days,hours,category,title,provider,reflection\n"


def seen_from_another_connection(pk: int) -> tuple[int, str, int]:
    """What the page's poll would read now: rows applied, state, records visible."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT rows_applied, state FROM portal_pendingimport WHERE id = %s", [pk]
            )
            rows_applied, state = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM training_trainingrecord")
            records = cursor.fetchone()[0]
    finally:
        other.close()
    return rows_applied, state, records


def test_the_apply_progress_is_seen_while_its_data_is_not(personas, alex, monkeypatch):
    alex.staff_number = "T123"
    alex.save()
    rows = "".join(f"T123,2025-10-01,1,,formal,Course {n},,\n" for n in range(5))
    job = background.start_preview(  # previewed in-process once committed (no broker)
        page=TrainingRecordImportPage.dotted_path(),
        kind=importing.KIND,
        by=personas.hr,
        data=(HEADER + rows).encode(),
        file_name="records.csv",
    )
    job.refresh_from_db()
    assert job.state == "ready"

    monkeypatch.setattr(background, "APPLIED_EVERY", 0)
    real, calls, seen = services.add_training_record, [], []

    def watched(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:  # three rows written, in the open transaction
            seen.append(seen_from_another_connection(job.pk))
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "add_training_record", watched)
    background.start_apply(job)  # applied in-process, at once (autocommit)

    assert seen == [(3, "applying", 0)]
    job.refresh_from_db()
    assert job.state == "applied"
    assert TrainingRecord.objects.count() == 5
    assert PendingImport.objects.get(pk=job.pk).rows_applied == 5
