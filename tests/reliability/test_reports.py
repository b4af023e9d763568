"""The annual report on a real worker (the `reports` queue): rendered end to end and the
requester told; a worker killed mid-render is taken over by the redelivered task within
seconds; a request made while the
broker is down succeeds at once and is rendered once it is back."""

import os
import signal
import socket
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from commitment.models import AnnualReport
from commitment.reports import work
from commitment.services import request_annual_report
from portal import roles
from portal.models import Notification
from tests.celery_helpers import celery_config
from tests.conftest import make_user
from tests.reliability.conftest import wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

Status = AnnualReport.Status


def hr():
    return make_user("harper.hr@example.ac.uk", roles.HR)


def status_of(report: AnnualReport) -> str:
    report.refresh_from_db()
    return report.status


def current_year() -> int:
    from portal.periods import academic_year_of

    return academic_year_of(timezone.localdate())


def worker_env(**extra: str) -> dict[str, str]:
    # The worker stores the PDF where this test process (and its MEDIA_ROOT) can read it.
    return {"MEDIA_ROOT": str(settings.MEDIA_ROOT), **extra}


def test_a_real_worker_renders_the_report_and_tells_the_requester(start_worker, tmp_path):
    worker = start_worker(pool="solo", **worker_env())
    user = hr()
    with transaction.atomic():
        report = request_annual_report(current_year(), by=user)
    wait_until(
        lambda: status_of(report) in (Status.READY, Status.FAILED),
        60,
        lambda: f"not rendered by the worker:\n{worker.log()[-4000:]}",
    )
    assert report.status == Status.READY, report.error
    assert report.file.read(5) == b"%PDF-"
    assert "commitment.tasks.render_annual_report" in worker.log()
    notification = Notification.objects.get(recipient=user, kind="annual_report_ready")
    wait_until(
        lambda: status_of_notification(notification) == "sent",
        20,
        lambda: f"the requester was not told:\n{worker.log()[-4000:]}",
    )
    [mail] = list((tmp_path / "mail").iterdir())
    assert "is ready" in mail.read_text()


def status_of_notification(notification: Notification) -> str:
    notification.refresh_from_db()
    return notification.status


def test_a_worker_killed_mid_render_is_taken_over_by_the_redelivered_task(start_worker, tmp_path):
    """Issue 20, hole 3: the redelivered task sees that the attempt recorded on the row is
    gone (the same task id came back) and renders the report at once, without the sweep."""
    flag = tmp_path / "hold-the-render"
    flag.touch()
    worker = start_worker(
        pool="prefork",
        **worker_env(
            DJANGO_SETTINGS_MODULE="tests.reliability.slow_report_settings",
            SLOW_REPORT_FLAG=str(flag),
        ),
    )
    with transaction.atomic():
        report = request_annual_report(current_year(), by=hr())
    wait_until(
        lambda: status_of(report) == Status.RENDERING,
        30,
        lambda: f"the render never started:\n{worker.log()[-4000:]}",
    )
    first_attempt = (report.attempt_id, report.attempt_worker)
    assert all(first_attempt)
    [child] = worker.children()
    os.kill(child, signal.SIGKILL)
    killed_at = time.monotonic()
    flag.unlink()  # the next render is not held

    # acks_late + reject_on_worker_lost: the message comes back with the same task id; the new
    # pool process sees that the attempt on the row is gone and takes the report over.
    wait_until(
        lambda: status_of(report) in (Status.READY, Status.FAILED),
        60,
        lambda: f"not taken over after the kill:\n{worker.log()[-4000:]}",
    )
    assert time.monotonic() - killed_at < 60
    assert report.status == Status.READY, report.error
    assert report.attempts == 2  # the killed attempt, and the one that finished
    assert report.attempt_id == first_attempt[0]  # the same task, redelivered
    assert report.attempt_worker != first_attempt[1]  # another process
    assert "is gone" in worker.log()
    assert worker.process.poll() is None, "the worker itself survived its pool process"


@pytest.fixture
def hung_redis():
    """A TCP server that accepts connections and never answers: a hung Redis."""
    server = socket.create_server(("127.0.0.1", 0))
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_a_report_requested_while_the_broker_hangs_is_rendered_once_it_is_back(
    start_worker, hung_redis, client
):
    user = hr()
    client.force_login(user)
    with celery_config(broker_url=hung_redis):
        started = time.monotonic()
        response = client.post("/reports/", {"year": str(current_year())})
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 8, f"the request took {elapsed:.1f}s"
    report = AnnualReport.objects.get()
    assert report.status == Status.QUEUED

    # The broker is back: the worker runs, and the sweep queues what the broker never got.
    worker = start_worker(pool="solo", **worker_env())
    later = timezone.now() + timedelta(seconds=settings.ANNUAL_REPORT_REQUEUE_AFTER + 1)
    assert work.sweep(now=later) == {"reset": 0, "requeued": 1}
    wait_until(
        lambda: status_of(report) in (Status.READY, Status.FAILED),
        60,
        lambda: f"not rendered after the broker came back:\n{worker.log()[-4000:]}",
    )
    assert report.status == Status.READY, report.error
    assert report.attempts == 1
