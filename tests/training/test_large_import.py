"""A large training-records file is previewed and applied by a worker task on the `imports`
queue (here in-process, as with no broker): the page shows a progress bar, then a preview
capped to the first rows of each kind with their counts and a CSV of every row; a person
runs one import at a time, enforced by the database; a failed task says so and loses
nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.celery import app as celery_app
from portal.imports import background, progress
from portal.imports.pending import PREVIEW_LIFETIME
from portal.models import ImportRun, PendingImport
from training import importing
from training.models import TrainingRecord
from training.views import TrainingRecordImportPage

pytestmark = pytest.mark.django_db

URL = "/training/records/import/"
HEADER = "staff number,date,days,hours,category,title,provider,reflection\n"


def records(count: int, *, title: str = "Course", number: str = "T123") -> str:
    """`count` distinct records of Alex's (different titles), one a line."""
    return "".join(f"{number},2025-10-01,1,,formal,{title} {n},Provider,\n" for n in range(count))


def upload(client, text: str, name: str = "records.csv"):
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(URL, {"action": "upload", "file": file})


def preview_section(html: str) -> str:
    start = html.index('class="panel import-preview"')
    return html[start : html.index("</section>", start)]


def job_of(response) -> PendingImport:
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    assert location.startswith(URL + "?import=")
    return PendingImport.objects.get(pk=int(location.split("=", 1)[1]))


def test_the_import_task_has_its_own_queue():
    route = celery_app.amqp.router.route({}, "portal.tasks.run_import")
    assert route["queue"].name == "imports"


def test_a_large_file_is_previewed_and_applied_by_the_task(
    login, personas, alex_number, alex, django_capture_on_commit_callbacks
):
    """The default threshold: a file of 256 KB or more goes to the task, end to end."""
    client = login(personas.hr)
    text = HEADER + records(6000)
    assert len(text.encode()) >= background.threshold()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, text)
    job = job_of(response)
    assert callbacks, "the preview is queued once the upload is committed"
    job.refresh_from_db()
    assert job.state == "ready" and job.page.endswith("TrainingRecordImportPage")
    assert (job.rows_read, job.rows_total) == (6000, 6000)
    assert not TrainingRecord.objects.exists()

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "New: 6,000" in html
    shown = preview_section(html).count('<th scope="row">')
    assert shown == background.SAMPLE_ROWS  # never the whole file
    assert len(page.content) < 60_000
    assert "Import 6,000 rows" in html

    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(response["Location"], {"action": "apply", "token": job.pk})
    assert applied["Location"] == response["Location"]
    job.refresh_from_db()
    assert job.state == "applied"
    assert TrainingRecord.objects.filter(technician=alex).count() == 6000
    assert ImportRun.objects.get(kind=importing.KIND).counts["new"] == 6000

    done = client.get(response["Location"], follow=True)
    assert "Imported training records: 6000 added" in done.content.decode()
    assert not PendingImport.objects.filter(pk=job.pk).exists()


def test_a_small_file_stays_in_the_request(login, personas, alex_number):
    response = upload(login(personas.hr), HEADER + records(2))
    assert response.status_code == 200
    assert "What the import will do" in response.content.decode()
    assert not PendingImport.objects.exclude(page="").exists()


def test_a_file_with_a_wrong_header_is_refused_before_it_is_queued(
    login, personas, small_threshold
):
    response = upload(login(personas.hr), "name,when\nx,y\n")
    assert response.status_code == 200
    assert "Missing columns: staff number, date, category, title" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_progress_is_reported_row_by_row():
    seen = []
    text = HEADER + records(5, number="NOPE")
    with progress.reporting(lambda done, total: seen.append((done, total)), every=0):
        importing.preview_import(text)
    assert seen == [(n, 5) for n in range(1, 6)]
    progress.advance(1, 1)  # nobody listening: nothing happens


def _running(user, **values) -> PendingImport:
    return background.start_preview(
        page=TrainingRecordImportPage.dotted_path(),
        kind=importing.KIND,
        by=user,
        data=(HEADER + records(3)).encode(),
        file_name="records.csv",
        **values,
    )


def test_the_progress_fragment_and_the_page_while_it_runs(login, personas):
    job = _running(personas.hr)  # its task is not run: still previewing
    PendingImport.objects.filter(pk=job.pk).update(rows_read=500, rows_total=1000)
    client = login(personas.hr)

    fragment = client.get(URL, {"import": job.pk, "part": "progress"})
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "HX-Refresh" not in fragment
    assert 'id="import-progress-label"' in html and "500 of 1,000 rows read" in html
    assert '<progress aria-labelledby="import-progress-label" max="1000" value="500">' in html
    assert f'hx-get="{URL}?import={job.pk}&amp;part=progress"' in html
    assert 'hx-trigger="every 1s"' in html
    assert "<html" not in html  # a fragment

    full = client.get(URL, {"import": job.pk}).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in full
    assert f'<a href="{URL}?import={job.pk}">Refresh' in full  # without JavaScript
    assert "Check the file" not in full  # no second upload while it runs
    polled = client.get(URL, {"import": job.pk}, headers={"HX-Request": "true"})
    assert "<html" not in polled.content.decode()

    PendingImport.objects.filter(pk=job.pk).update(state="ready", summary={"valid": True})
    finished = client.get(URL, {"import": job.pk, "part": "progress"})
    assert finished["HX-Refresh"] == "true"  # htmx reloads the page: the preview
    assert "The preview is ready" in finished.content.decode()


def test_the_preview_shows_the_first_rows_of_each_kind_and_a_csv_of_every_row(
    login, personas, alex_number, alex, small_threshold, django_capture_on_commit_callbacks
):
    TrainingRecord.objects.bulk_create(
        TrainingRecord(
            technician=alex,
            date="2025-10-01",
            days=1,
            category="formal",
            title=f"Old {n}",
            provider="Provider",
        )
        for n in range(25)
    )
    text = HEADER + records(45) + records(25, title="Old") + records(30, number="NOPE")
    client = login(personas.hr)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(client, text, name="=evil.csv"))
    html = client.get(URL, {"import": job.pk}).content.decode()
    assert "New: 45" in html and "Already recorded: 25" in html
    assert "With problems: 30" in html
    assert "New: the first 20 of 45" in html
    assert "Already recorded: the first 20 of 25" in html
    assert preview_section(html).count('<th scope="row">') == 40
    assert html.count("Unknown staff number") == 30  # every bad line (fewer than 50)
    assert 'value="apply"' not in html  # a file with bad rows is not applied
    csv_url = f"{URL}?import={job.pk}&amp;part=csv"
    assert f'href="{csv_url}"' in html

    response = client.get(URL, {"import": job.pk, "part": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert 'filename="=evil-preview.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
    kinds = [row["kind"] for row in rows]
    assert (kinds.count("New"), kinds.count("Already recorded"), kinds.count("Refused")) == (
        45,
        25,
        30,
    )
    refused = [row for row in rows if row["kind"] == "Refused"]
    assert refused[0]["line"] == "72" and "NOPE" in refused[0]["problem"]
    assert {row["title"] for row in rows if row["kind"] == "New"} == {
        f"Course {n}" for n in range(45)
    }


def test_one_import_at_a_time_per_person(login, personas, small_threshold):
    running = _running(personas.hr)
    with pytest.raises(background.ImportBusy):
        _running(personas.hr)
    _running(personas.coordinator)  # another person's is no bar

    page = upload(login(personas.hr), HEADER + records(2))
    assert page.status_code == 200
    assert background.BUSY in page.content.decode()
    assert PendingImport.objects.filter(uploaded_by=personas.hr).get() == running

    # The database itself refuses a second running import of the same person.
    with pytest.raises(IntegrityError), transaction.atomic():
        PendingImport.objects.create(
            kind="other",
            uploaded_by=personas.hr,
            fingerprint="",
            expires_at=timezone.now() + PREVIEW_LIFETIME,
            state="applying",
        )


def test_an_apply_is_refused_while_another_import_runs(
    login, personas, alex_number, small_threshold, django_capture_on_commit_callbacks
):
    client = login(personas.hr)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(client, HEADER + records(3)))
    other = PendingImport.objects.create(
        kind="other",
        uploaded_by=personas.hr,
        fingerprint="",
        expires_at=timezone.now() + PREVIEW_LIFETIME,
        state="previewing",
    )
    response = client.post(f"{URL}?import={job.pk}", {"action": "apply", "token": job.pk})
    job.refresh_from_db()
    assert job.state == "ready"
    followed = client.get(response["Location"])
    assert background.BUSY in followed.content.decode()
    other.delete()


def test_a_failed_preview_says_so_and_keeps_the_file(
    login, personas, alex_number, small_threshold, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(self, text):
        raise RuntimeError("the worker's bug")

    monkeypatch.setattr(TrainingRecordImportPage, "preview", broken)
    client = login(personas.hr)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(client, HEADER + records(3)))
    job.refresh_from_db()
    assert job.state == "failed"
    html = client.get(URL, {"import": job.pk}).content.decode()
    assert f'<p class="errorlist" role="alert">{background.FAILED}' in html.replace("&#x27;", "'")
    assert 'value="retry"' in html

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{URL}?import={job.pk}", {"action": "retry", "token": job.pk})
    job.refresh_from_db()
    assert job.state == "ready" and job.summary["apply_count"] == 3


def test_a_failed_apply_changes_nothing_and_can_be_tried_again(
    login, personas, alex_number, alex, small_threshold, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from training import services

    client = login(personas.hr)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(client, HEADER + records(3)))
    real = services.add_training_record
    calls = []

    def fails_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "add_training_record", fails_on_the_third)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{URL}?import={job.pk}", {"action": "apply", "token": job.pk})
    job.refresh_from_db()
    assert job.state == "failed" and job.message == background.FAILED
    assert not TrainingRecord.objects.exists()  # all or nothing
    assert not ImportRun.objects.exists()

    monkeypatch.setattr(services, "add_training_record", real)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{URL}?import={job.pk}", {"action": "retry", "token": job.pk})
    job.refresh_from_db()
    assert job.state == "applied"
    assert TrainingRecord.objects.filter(technician=alex).count() == 3


def test_a_stale_preview_is_previewed_again_and_nothing_is_imported(
    login, personas, alex_number, alex, small_threshold, django_capture_on_commit_callbacks
):
    client = login(personas.hr)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(client, HEADER + records(3)))
    TrainingRecord.objects.create(
        technician=alex, date="2025-10-01", days=1, category="formal", title="Course 0"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{URL}?import={job.pk}", {"action": "apply", "token": job.pk})
    job.refresh_from_db()
    assert job.state == "ready"
    assert job.message.startswith(importing.STALE)
    assert TrainingRecord.objects.count() == 1
    html = client.get(URL, {"import": job.pk}).content.decode()
    assert "New: 2" in html and "Already recorded: 1" in html
    assert importing.STALE in html


def test_the_task_delivered_twice_does_the_work_once(
    login, personas, alex_number, alex, small_threshold, django_capture_on_commit_callbacks
):
    client = login(personas.hr)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(client, HEADER + records(3)))
    assert background.run(job.pk, "preview") == "nothing to do"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{URL}?import={job.pk}", {"action": "apply", "token": job.pk})
    assert background.run(job.pk, "apply") == "nothing to do"
    assert TrainingRecord.objects.count() == 3
    assert ImportRun.objects.count() == 1


def test_cancel_while_previewing_and_not_while_applying(login, personas, small_threshold):
    client = login(personas.hr)
    job = _running(personas.hr)
    response = client.post(f"{URL}?import={job.pk}", {"action": "cancel", "token": job.pk})
    assert response["Location"] == URL
    assert not PendingImport.objects.filter(pk=job.pk).exists()
    assert background.run(job.pk, "preview") == "nothing to do"

    job = _running(personas.hr)
    PendingImport.objects.filter(pk=job.pk).update(state="applying")
    client.post(f"{URL}?import={job.pk}", {"action": "cancel", "token": job.pk})
    assert PendingImport.objects.filter(pk=job.pk, state="applying").exists()


def test_another_persons_import_is_hidden(login, personas, small_threshold):
    job = _running(personas.hr)
    client = login(personas.coordinator)  # may import training records, but not this one
    for part in ("", "progress", "csv"):
        assert client.get(URL, {"import": job.pk, "part": part}).status_code == 404


def test_cancelling_a_preview_deletes_the_file_and_its_csv(
    login, personas, alex_number, small_threshold, django_capture_on_commit_callbacks
):
    client = login(personas.hr)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(client, HEADER + records(3)))
    job.refresh_from_db()
    storage, names = job.file.storage, [job.file.name, job.preview_file.name]
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{URL}?import={job.pk}", {"action": "cancel", "token": job.pk})
    assert not any(storage.exists(name) for name in names)


def test_the_apply_shows_how_far_it_has_written_in_percent(login, personas):
    job = _running(personas.hr)
    PendingImport.objects.filter(pk=job.pk).update(
        state="applying", summary={"valid": True, "apply_count": 1000}, rows_applied=400
    )
    client = login(personas.hr)
    fragment = client.get(URL, {"import": job.pk, "part": "progress"})
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "HX-Refresh" not in fragment
    label = html[html.index('id="import-progress-label"') : html.index("</p>")]
    assert " ".join(label.split()).endswith("Applying records.csv… 40 %")
    assert (
        '<progress aria-labelledby="import-progress-label" max="1000" value="400">40 %</progress>'
        in html
    )
    assert "400 of 1,000 rows written, all or nothing" in html
    assert 'value="cancel"' not in html  # an apply cannot be cancelled

    PendingImport.objects.filter(pk=job.pk).update(rows_applied=1000)
    html = client.get(URL, {"import": job.pk, "part": "progress"}).content.decode()
    assert 'max="1000" value="1000">100 %</progress>' in html


def test_the_apply_reports_each_row_it_writes(
    login, personas, alex_number, small_threshold, django_capture_on_commit_callbacks
):
    client = login(personas.hr)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(client, HEADER + records(4)))
    job.refresh_from_db()
    seen = []
    page = TrainingRecordImportPage.for_pending(job)
    with progress.reporting_applied(lambda done, total: seen.append((done, total)), every=0):
        page.apply(HEADER + records(4), fingerprint=job.fingerprint, file_name=job.file_name)
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    progress.applied(1, 1)  # nobody listening: nothing happens
