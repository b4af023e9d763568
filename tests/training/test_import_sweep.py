"""Large imports whose step stopped moving (the message never reached the broker, the worker
died) are queued again by the periodic sweep after PORTAL_IMPORT_STALLED_AFTER seconds, at most
PORTAL_IMPORT_ATTEMPTS times in all, then marked failed with a sentence for the person, which
frees their one running import. A step a worker holds is never run twice at once."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from config.celery import app as celery_app
from portal.imports import background
from portal.models import PendingImport
from training import importing
from training.views import TrainingRecordImportPage

URL = "/training/records/import/"
HEADER = "staff number,date,days,hours,category,title,provider,reflection\n"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def seconds(n: float) -> datetime.datetime:
    return START + datetime.timedelta(seconds=n)


@pytest.fixture
def stall(settings):
    settings.PORTAL_IMPORT_STALLED_AFTER = 300
    settings.PORTAL_IMPORT_ATTEMPTS = 3


def start(user, file_name: str = "records.csv") -> PendingImport:
    """A large import whose preview is queued but never run (its message lost)."""
    text = HEADER + "T123,2025-10-01,1,,formal,Course,Provider,\n"
    return background.start_preview(
        page=TrainingRecordImportPage.dotted_path(),
        kind=importing.KIND,
        by=user,
        data=text.encode(),
        file_name=file_name,
    )


def sweep_at(moment: datetime.datetime, capture) -> tuple[dict[str, int], list]:
    with time_machine.travel(moment, tick=False), capture() as queued:
        counts = background.sweep()
    return counts, queued


def test_the_sweep_is_a_task_of_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-imports"]
    assert entry == {"task": "portal.tasks.sweep_imports", "schedule": 60.0}
    assert "portal.tasks.sweep_imports" in celery_app.tasks


@pytest.mark.django_db
def test_a_stalled_preview_is_queued_again_at_the_stall_time_not_before(
    personas, alex_number, stall, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False):
        job = start(personas.hr)
    assert (job.state, job.attempts) == ("previewing", 1)

    counts, queued = sweep_at(seconds(299), django_capture_on_commit_callbacks)
    assert counts == {"requeued": 0, "failed": 0} and not queued
    job.refresh_from_db()
    assert job.attempts == 1

    counts, queued = sweep_at(seconds(300), django_capture_on_commit_callbacks)
    assert counts == {"requeued": 1, "failed": 0} and len(queued) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, job.updated) == ("previewing", 2, seconds(300))
    assert job.expires_at == seconds(300) + datetime.timedelta(hours=1)

    queued[0]()  # the message delivered this time: the task previews it
    job.refresh_from_db()
    assert job.state == "ready" and job.summary["apply_count"] == 1


@pytest.mark.django_db
def test_a_moving_step_is_left_alone(personas, stall, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False):
        job = start(personas.hr)
    with time_machine.travel(seconds(200), tick=False):  # rows read: the step moves
        PendingImport.objects.filter(pk=job.pk).update(
            rows_read=10, rows_total=100, updated=timezone.now()
        )
    counts, queued = sweep_at(seconds(499), django_capture_on_commit_callbacks)
    assert counts == {"requeued": 0, "failed": 0} and not queued
    counts, _ = sweep_at(seconds(500), django_capture_on_commit_callbacks)
    assert counts["requeued"] == 1


@pytest.mark.django_db
def test_after_the_last_attempt_the_import_fails_and_frees_the_persons_slot(
    login, personas, stall, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False):
        job = start(personas.hr, file_name="big-records.csv")
    assert sweep_at(seconds(300), django_capture_on_commit_callbacks)[0]["requeued"] == 1
    assert sweep_at(seconds(600), django_capture_on_commit_callbacks)[0]["requeued"] == 1
    job.refresh_from_db()
    assert job.attempts == 3  # the last one
    assert sweep_at(seconds(899), django_capture_on_commit_callbacks)[0] == {
        "requeued": 0,
        "failed": 0,
    }
    job.refresh_from_db()
    assert job.state == "previewing"

    counts, queued = sweep_at(seconds(900), django_capture_on_commit_callbacks)
    assert counts == {"requeued": 0, "failed": 1} and not queued
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.message == (
        "big-records.csv could not be read: the portal tried 3 times and it never finished. "
        "Nothing was imported: please upload it again."
    )
    assert background.run(job.pk, "preview") == "nothing to do"  # a late delivery

    with time_machine.travel(seconds(901), tick=False):
        html = login(personas.hr).get(URL, {"import": job.pk}).content.decode()
        assert "could not be read: the portal tried 3 times" in html
        assert 'role="alert"' in html
        assert background.running_import(personas.hr) is None
        start(personas.hr, file_name="again.csv")  # the slot is free


@pytest.mark.django_db
def test_a_stalled_apply_is_given_up_with_its_own_sentence(
    login, personas, stall, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False):
        job = start(personas.hr)
        PendingImport.objects.filter(pk=job.pk).update(
            state="applying", attempts=3, summary={"valid": True, "apply_count": 1}
        )
    counts, _ = sweep_at(seconds(300), django_capture_on_commit_callbacks)
    assert counts["failed"] == 1
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.message.startswith("records.csv could not be applied")
    assert "Nothing was changed: try again" in job.message
    with time_machine.travel(seconds(301), tick=False):
        html = login(personas.hr).get(URL, {"import": job.pk}).content.decode()
    assert 'value="retry"' in html


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_step_held_by_a_worker_is_not_run_twice_nor_swept(personas, alex_number, stall):
    """A duplicate delivery, or the sweep, finds the step's lock held: it leaves it alone."""
    with time_machine.travel(START, tick=False):
        job = PendingImport.objects.create(
            kind=importing.KIND,
            uploaded_by=personas.hr,
            fingerprint="",
            expires_at=START + datetime.timedelta(hours=1),
            state="previewing",
            attempts=1,
            page=TrainingRecordImportPage.dotted_path(),
        )
        job.file.save("import.csv", _file(), save=True)
    held, release = threading.Event(), threading.Event()

    def worker():  # another worker's connection holds the step
        try:
            with background.step_lock(job.pk) as mine:
                assert mine
                held.set()
                release.wait(20)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert held.wait(20)
        assert background.run(job.pk, "preview") == "running already"
        with time_machine.travel(seconds(900), tick=False):
            assert background.sweep() == {"requeued": 0, "failed": 0}
        job.refresh_from_db()
        assert (job.state, job.attempts) == ("previewing", 1)
    finally:
        release.set()
        thread.join(20)
    # The worker gone, the sweep queues it again (in-process here) and it is previewed.
    with time_machine.travel(seconds(900), tick=False):
        assert background.sweep() == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("ready", 2)


def _file():
    from django.core.files.base import ContentFile

    return ContentFile((HEADER + "T123,2025-10-01,1,,formal,Course,Provider,\n").encode())
