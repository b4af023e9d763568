"""Seats and waiting lists under concurrency (PostgreSQL, real threads)."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from tests.training.conftest import make_course, make_session, make_technician
from training import services
from training.models import Booking

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_together(targets):
    """Run the callables at once (a barrier), each in its own thread and connection."""
    barrier = threading.Barrier(len(targets))
    failures, results = [], []

    def run(target):
        try:
            barrier.wait(timeout=20)
            results.append(target())
        except Exception as error:  # reported below
            failures.append(error)
        finally:
            connection.close()  # the thread's own connection, or teardown cannot drop the db

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return failures, results


def test_thirty_threads_on_ten_seats(department):
    session = make_session(make_course(), capacity=10)
    people = [make_technician(department) for _ in range(30)]
    failures, results = _run_together(
        [lambda p=p: services.book_session(session, p, by=p.user) for p in people]
    )
    assert not failures
    assert len(results) == 30
    statuses = list(Booking.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count("confirmed") == 10
    assert statuses.count("waitlisted") == 20


def test_the_same_person_booking_twice_at_once_gets_one_booking(department):
    session = make_session(make_course(), capacity=10)
    person = make_technician(department)
    failures, results = _run_together(
        [lambda: services.book_session(session, person, by=person.user) for _ in range(6)]
    )
    assert len(results) == 1
    assert len(failures) == 5
    assert all("already have a booking" in str(error) for error in failures)
    assert Booking.objects.filter(session=session).count() == 1


def test_concurrent_cancellations_promote_as_many_as_freed_in_order(department):
    session = make_session(
        make_course(), capacity=5, starts_at=timezone.now() + datetime.timedelta(days=10)
    )
    seated = [make_technician(department) for _ in range(5)]
    waiting = [make_technician(department) for _ in range(8)]
    seats = [services.book_session(session, p, by=p.user) for p in seated]
    queue = [services.book_session(session, p, by=p.user) for p in waiting]
    assert {b.status for b in queue} == {"waitlisted"}

    failures, _ = _run_together(
        [lambda b=b: services.cancel_booking(b, by=b.technician.user) for b in seats[:4]]
    )
    assert not failures
    statuses = [Booking.objects.get(pk=b.pk).status for b in queue]
    # The first four on the waiting list (by created) have the four freed seats.
    assert statuses == ["confirmed"] * 4 + ["waitlisted"] * 4
    assert Booking.objects.filter(session=session, status="confirmed").count() == 5


def test_cancelling_and_booking_at_once_never_overfill(department):
    session = make_session(make_course(), capacity=3)
    seated = [make_technician(department) for _ in range(3)]
    seats = [services.book_session(session, p, by=p.user) for p in seated]
    newcomers = [make_technician(department) for _ in range(6)]
    targets = [lambda b=b: services.cancel_booking(b, by=b.technician.user) for b in seats[:2]]
    targets += [lambda p=p: services.book_session(session, p, by=p.user) for p in newcomers]
    failures, _ = _run_together(targets)
    assert not failures
    assert Booking.objects.filter(session=session, status="confirmed").count() == 3


def test_two_large_imports_started_at_once_by_one_person_give_one(personas):
    """The database, not a check in Python, keeps one import running per person."""
    from portal.imports import background
    from portal.models import PendingImport
    from training import importing
    from training.views import TrainingRecordImportPage

    def start():
        return background.start_preview(
            page=TrainingRecordImportPage.dotted_path(),
            kind=importing.KIND,
            target="",
            by=personas.hr,
            data=b"staff number,date,days,category,title\nT1,2025-10-01,1,formal,X\n",
            file_name="records.csv",
        )

    failures, results = _run_together([start, start, start, start])
    assert len(results) == 1
    assert len(failures) == 3
    assert all(isinstance(error, background.ImportBusy) for error in failures)
    # The one that started was previewed in-process once committed (no broker here).
    assert PendingImport.objects.filter(uploaded_by=personas.hr).count() == 1
