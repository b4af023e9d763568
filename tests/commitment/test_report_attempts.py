"""Which attempt is rendering a report (issue 20, hole 3): a row whose attempt is gone is
free, so a redelivered task takes it over at once; a live attempt is left alone; the sweep
resets a render whose heartbeat stopped without waiting for the time limit."""

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from commitment.models import AnnualReport
from commitment.reports import work
from commitment.services import request_annual_report
from tests.commitment.conftest import YEAR
from tests.commitment.test_requests import hr, queued_only  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
Status = AnnualReport.Status


def rendering(report, **fields) -> AnnualReport:
    now = timezone.now()
    values = {
        "status": Status.RENDERING,
        "started": now,
        "heartbeat": now,
        "attempts": 1,
        "attempt_id": "task-1",
        "attempt_worker": "another-host:4242",
        **fields,
    }
    AnnualReport.objects.filter(pk=report.pk).update(**values)
    report.refresh_from_db()
    return report


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    process.wait()
    return process.pid


def test_the_redelivered_task_takes_over_a_render_whose_attempt_died(hr, queued_only):  # noqa: F811
    report = rendering(request_annual_report(YEAR, by=hr))
    assert work.render(report.pk, attempt="task-1") is True
    report.refresh_from_db()
    assert report.status == Status.READY
    assert report.attempts == 2
    assert report.attempt_worker == work.this_worker()


def test_another_task_leaves_a_live_attempt_alone(hr, queued_only):  # noqa: F811
    report = rendering(request_annual_report(YEAR, by=hr))
    assert work.render(report.pk, attempt="task-2") is False
    report.refresh_from_db()
    assert (report.status, report.attempts, report.attempt_id) == (Status.RENDERING, 1, "task-1")


def test_a_render_whose_process_on_this_host_is_gone_is_taken_over(hr, queued_only):  # noqa: F811
    worker = f"{socket.gethostname()}:{dead_pid()}"
    report = rendering(request_annual_report(YEAR, by=hr), attempt_worker=worker)
    assert work.render(report.pk, attempt="task-2") is True


def test_a_render_whose_process_on_this_host_lives_is_left_alone(hr, queued_only):  # noqa: F811
    worker = f"{socket.gethostname()}:{os.getppid()}"
    report = rendering(request_annual_report(YEAR, by=hr), attempt_worker=worker)
    assert work.render(report.pk, attempt="task-2") is False


def test_a_stale_heartbeat_frees_the_report_at_its_boundary(hr, queued_only):  # noqa: F811
    report = request_annual_report(YEAR, by=hr)
    now = timezone.now()
    stale = work.heartbeat_stale()
    live = rendering(report, heartbeat=now - stale + timedelta(seconds=2))
    assert work.attempt_gone(live, attempt="task-2", now=now) is False
    gone = rendering(report, heartbeat=now - stale - timedelta(seconds=1))
    assert work.attempt_gone(gone, attempt="task-2", now=now) is True


def test_the_sweep_resets_a_render_whose_heartbeat_stopped(
    hr,  # noqa: F811
    queued_only,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    report = request_annual_report(YEAR, by=hr)
    now = timezone.now()
    rendering(report, heartbeat=now - work.heartbeat_stale() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=False):
        assert work.sweep(now=now) == {"reset": 1, "requeued": 1}
    report.refresh_from_db()
    assert report.status == Status.QUEUED


def test_the_heartbeat_setting_sets_the_staleness(settings):
    settings.ANNUAL_REPORT_HEARTBEAT_SECONDS = 5
    assert work.heartbeat_stale() == timedelta(seconds=15)
