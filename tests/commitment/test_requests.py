"""Requesting the annual report, the reports page, downloads, the render task and the sweep."""

import datetime
import socket
import sys
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commitment.models import AnnualReport
from commitment.reports import rendering, work
from commitment.services import request_annual_report
from portal import roles
from portal.models import Notification
from tests import factories
from tests.celery_helpers import celery_config
from tests.commitment.conftest import NOW, YEAR
from tests.conftest import make_user

Status = AnnualReport.Status
CLOSED_PORT = 1  # nothing listens on port 1: connecting is refused at once


@pytest.fixture
def hr(db):
    return make_user("harper.hr@example.ac.uk", roles.HR)


@pytest.fixture
def steering(db):
    return make_user("sam.steering@example.ac.uk", roles.STEERING_GROUP)


@pytest.fixture
def queued_only():
    """The render task is published but nothing runs it (a broker nobody consumes)."""
    with celery_config(task_always_eager=False, broker_url="memory://"):
        yield


# --- the service ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_hr_requests_a_report_and_it_is_rendered_and_the_requester_told(
    hr, on_report_day, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_annual_report(YEAR, by=hr)
    report.refresh_from_db()
    assert report.status == Status.READY
    assert (report.year, report.version, report.requested_by) == (YEAR, 1, hr)
    assert report.started and report.finished and report.pages >= 5
    assert report.file.read(5) == b"%PDF-"
    assert report.headlines["who_we_are"]["Technicians"] == 0
    [notification] = Notification.objects.filter(recipient=hr)
    assert notification.kind == "annual_report_ready"
    assert notification.subject == "The annual report for 2025–26 is ready"
    assert "/reports/" in notification.body


@pytest.mark.django_db
def test_asking_again_makes_a_new_version_and_keeps_the_earlier_ones(
    hr, on_report_day, queued_only
):
    first = request_annual_report(YEAR, by=hr)
    second = request_annual_report(YEAR, by=hr)
    other_year = request_annual_report(YEAR - 1, by=hr)
    assert (first.version, second.version, other_year.version) == (1, 2, 1)
    assert AnnualReport.objects.filter(year=YEAR).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["steering", "technician", "leaver"])
def test_only_hr_may_request_a_report(who, steering, on_report_day):
    user = {
        "steering": steering,
        "technician": make_user("alex.tech@example.ac.uk", roles.TECHNICIAN),
        "leaver": make_user("lee.leaver@example.ac.uk", roles.HR),
    }[who]
    if who == "leaver":
        factories.TechnicianFactory(user=user, email=user.email, is_active=False)
    with pytest.raises(PermissionDenied, match="Only HR"):
        request_annual_report(YEAR, by=user)
    assert not AnnualReport.objects.exists()


@pytest.mark.django_db
def test_a_year_that_has_not_started_is_refused(hr):
    # 31 July 2026 is still 2025–26; on 1 August 2026 the 2026–27 report may be asked for.
    with (
        time_machine.travel(datetime.datetime(2026, 7, 31, 12, tzinfo=datetime.UTC)),
        pytest.raises(ValidationError, match="2026–27 academic year has not started"),
    ):
        request_annual_report(2026, by=hr)
    with (
        time_machine.travel(datetime.datetime(2026, 8, 1, 12, tzinfo=datetime.UTC)),
        celery_config(task_always_eager=False, broker_url="memory://"),
    ):
        assert request_annual_report(2026, by=hr).year == 2026
    with pytest.raises(ValidationError):
        request_annual_report("next year", by=hr)


# --- the task: idempotent, and failures said in a sentence -------------------------------------


@pytest.mark.django_db
def test_rendering_a_ready_report_again_changes_nothing(hr, on_report_day, queued_only):
    report = request_annual_report(YEAR, by=hr)
    assert work.render(report.pk) is True
    report.refresh_from_db()
    name, finished = report.file.name, report.finished
    assert work.render(report.pk) is False
    report.refresh_from_db()
    assert (report.file.name, report.finished, report.attempts) == (name, finished, 1)
    assert Notification.objects.filter(kind="annual_report_ready").count() == 1
    assert work.render(999_999) is False  # gone: nothing to do


@pytest.mark.django_db
def test_a_report_another_worker_is_rendering_is_left_to_it(hr, on_report_day, queued_only):
    report = request_annual_report(YEAR, by=hr)
    AnnualReport.objects.filter(pk=report.pk).update(
        status=Status.RENDERING, started=timezone.now()
    )
    assert work.render(report.pk) is False
    report.refresh_from_db()
    assert report.status == Status.RENDERING


@pytest.mark.django_db
def test_missing_weasyprint_libraries_fail_the_report_with_what_to_install(
    hr, on_report_day, queued_only, monkeypatch, client
):
    # As when Pango is not installed: importing weasyprint fails.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    report = request_annual_report(YEAR, by=hr)
    assert work.render(report.pk) is False
    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert "WeasyPrint's system libraries are missing" in report.error
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in report.error
    [notification] = Notification.objects.filter(recipient=hr)
    assert notification.kind == "annual_report_failed"

    client.force_login(hr)
    page = client.get("/reports/").content.decode()
    assert "apt-get install libpango-1.0-0" in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_an_unexpected_error_fails_the_report_without_a_traceback(
    hr, on_report_day, queued_only, monkeypatch, client
):
    def broken(year, *, version=None):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    report = request_annual_report(YEAR, by=hr)
    work.render(report.pk)
    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert "secret internals" not in report.error
    client.force_login(hr)
    page = client.get("/reports/").content.decode()
    assert "Something went wrong while making the PDF" in page
    assert "Traceback" not in page and "secret internals" not in page


# --- the sweep ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_resets_a_render_whose_worker_died_and_it_is_rendered_again(
    hr, on_report_day, settings, django_capture_on_commit_callbacks
):
    with celery_config(task_always_eager=False, broker_url="memory://"):
        stuck = request_annual_report(YEAR, by=hr)
        fresh = request_annual_report(YEAR - 1, by=hr)
    limit = settings.ANNUAL_REPORT_STUCK_AFTER
    AnnualReport.objects.filter(pk=stuck.pk).update(
        status=Status.RENDERING, started=NOW - timedelta(seconds=limit + 1), attempts=1
    )
    AnnualReport.objects.filter(pk=fresh.pk).update(
        status=Status.RENDERING, started=NOW - timedelta(seconds=limit - 60), attempts=1
    )
    # Both were created just now: only the stuck one is reset and queued again.
    with django_capture_on_commit_callbacks(execute=True):
        assert work.sweep() == {"reset": 1, "requeued": 1}
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == Status.READY
    assert stuck.attempts == 2
    assert fresh.status == Status.RENDERING


@pytest.mark.django_db
def test_the_sweep_queues_again_a_report_whose_message_was_lost(
    hr, on_report_day, settings, django_capture_on_commit_callbacks
):
    with celery_config(task_always_eager=False, broker_url="memory://"):
        report = request_annual_report(YEAR, by=hr)
    assert work.sweep() == {"reset": 0, "requeued": 0}  # just asked: its message may be on its way
    later = timezone.now() + timedelta(seconds=settings.ANNUAL_REPORT_REQUEUE_AFTER + 1)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert work.sweep() == {"reset": 0, "requeued": 1}
    report.refresh_from_db()
    assert report.status == Status.READY


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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", ["refused", "hung"])
def test_a_request_succeeds_while_the_broker_is_down_and_the_sweep_queues_it_later(
    broker, request, client, settings
):
    hr_user = make_user("harper.hr@example.ac.uk", roles.HR)
    client.force_login(hr_user)
    url = (
        f"redis://127.0.0.1:{CLOSED_PORT}/0"
        if broker == "refused"
        else request.getfixturevalue("hung_redis")
    )
    with celery_config(broker_url=url, task_always_eager=False):
        started = time.monotonic()
        response = client.post("/reports/", {"year": str(YEAR)})
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    # The short broker timeouts of settings: a hung broker costs seconds, never a hang.
    assert elapsed < (2 if broker == "refused" else 8), f"the request took {elapsed:.1f}s"
    report = AnnualReport.objects.get()
    assert report.status == Status.QUEUED

    # The broker is back (in-process here; tests/reliability runs a real worker).
    later = timezone.now() + timedelta(seconds=settings.ANNUAL_REPORT_REQUEUE_AFTER + 1)
    with time_machine.travel(later):
        assert work.sweep()["requeued"] == 1
    report.refresh_from_db()
    assert report.status == Status.READY


# --- the pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_reports_page_polls_while_a_report_is_being_made(
    hr, client, on_report_day, queued_only
):
    client.force_login(hr)
    response = client.post("/reports/", {"year": str(YEAR)}, follow=True)
    page = response.content.decode()
    assert "The report for 2025–26 (version 1) is queued" in page
    assert 'hx-trigger="every 3s"' in page
    assert "Being made" in page

    partial = client.get("/reports/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="report-versions")
    assert partial.status_code == 200
    assert partial.content.decode().lstrip().startswith('<div id="report-versions"')
    assert "<html" not in partial.content.decode()

    report = AnnualReport.objects.get()
    work.render(report.pk)
    done = client.get("/reports/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="report-versions")
    html = done.content.decode()
    assert "hx-trigger" not in html  # nothing pending: the polling stops
    assert f"/reports/{report.pk}/download/" in html


@pytest.mark.django_db
def test_a_bad_year_is_refused_with_a_message(hr, client, on_report_day):
    client.force_login(hr)
    response = client.post("/reports/", {"year": "2090"}, follow=True)
    assert "2090–91 academic year has not started yet" in response.content.decode()
    assert not AnnualReport.objects.exists()


@pytest.mark.django_db
def test_the_download_is_private_and_not_cached(hr, steering, client, on_report_day, queued_only):
    report = request_annual_report(YEAR, by=hr)
    client.force_login(steering)
    assert client.get(f"/reports/{report.pk}/download/").status_code == 404  # not ready yet
    work.render(report.pk)
    response = client.get(f"/reports/{report.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "technician-commitment-report-2025-26-v1.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.django_db
def test_the_reports_page_lists_every_version_in_constant_queries(
    hr, client, on_report_day, queued_only, django_assert_max_num_queries
):
    client.force_login(hr)

    def make(count):
        for _ in range(count):
            request_annual_report(
                YEAR, by=make_user(f"hr{AnnualReport.objects.count()}@example.ac.uk", roles.HR)
            )

    make(2)
    with django_assert_max_num_queries(12) as small:
        client.get("/reports/")
    make(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/reports/")
    assert response.content.decode().count('<tr class="report-') == 22


@pytest.mark.django_db
def test_the_dashboard_panel_shows_the_latest_report_and_this_years_figures(
    hr, steering, client, known_data, queued_only
):
    from commitment.reports import selectors as report_selectors
    from commitment.reports import stored

    report = request_annual_report(YEAR, by=hr)
    work.render(report.pk)
    client.force_login(hr)
    # No figures worked out yet for this year: the panel says so (and has one queued).
    assert "The figures are being worked out" in client.get("/").content.decode()
    stored.refresh_figures(year=report_selectors.current_year())  # as the worker does
    for user in (hr, steering):
        client.force_login(user)
        page = client.get("/").content.decode()
        assert 'id="annual-report-heading"' in page
        assert f"/reports/{report.pk}/download/" in page
        # The report's own headline figures, as its summary gives them, and when.
        assert "Public profiles" in page and "Technicians registered (%)" in page
        assert "Worked out at" in page
    assert ("Request the report" in page) is False  # the steering group does not request it
    client.force_login(make_user("alex.tech@example.ac.uk", roles.TECHNICIAN))
    assert 'id="annual-report-heading"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_sweep_queues_a_waiting_report_again_at_most_once_in_a_while(
    hr, on_report_day, settings, queued_only
):
    report = request_annual_report(YEAR, by=hr)
    later = timezone.now() + timedelta(seconds=settings.ANNUAL_REPORT_REQUEUE_AFTER + 1)
    with time_machine.travel(later, tick=False):
        assert work.sweep()["requeued"] == 1
        # The reports worker is still busy or down: the next minute's sweep adds no copy.
        assert work.sweep()["requeued"] == 0
    much_later = later + timedelta(seconds=settings.ANNUAL_REPORT_REQUEUE_AFTER + 1)
    with time_machine.travel(much_later, tick=False):
        assert work.sweep()["requeued"] == 1
    report.refresh_from_db()
    assert report.status == Status.QUEUED
