"""A large staff list is previewed and applied by the worker task on the `imports` queue (here
in-process, as with no broker), like every other import: a progress bar, then a capped preview
(counts, the first rows of each kind, a CSV of every row). HR's answers (part of the list, the
typed number of leavers) are kept with the pending import, so the worker applies exactly what
was previewed and confirmed, or nothing. One import at a time per person covers it too."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from portal import roles
from portal.imports import background
from portal.imports.pending import PREVIEW_LIFETIME
from portal.models import ImportRun, PendingImport
from technicians.models import Technician
from technicians.staff_list import KIND
from technicians.views_staff_list import NO_LONGER_HR, StaffListImportPage
from tests.technicians.test_staff_import import csv_text, row, snapshot
from tests.technicians.test_staff_list_safety import (
    ITRENT_HEADER,
    hr_export,
    itrent_row,
    mapping_post,
    rows_of,
)

pytestmark = pytest.mark.django_db

URL = "/technicians/import/"


def newcomers(count: int) -> list[dict]:
    return [
        row(
            staff_number=f"N{n:05d}",
            first_name="New",
            last_name=f"Person{n}",
            email=f"new.person{n}@example.ac.uk",
        )
        for n in range(count)
    ]


def upload(client, text: str, name: str = "staff.csv", **data):
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(URL, {"action": "upload", "file": file, **data})


def start_staff_list_preview(personas, ten) -> PendingImport:
    """HR's staff list of `ten` queued for its preview, as a large upload would be."""
    return background.start_preview(
        page=StaffListImportPage.dotted_path(),
        kind=KIND,
        by=personas.hr,
        data=csv_text(*rows_of(*ten)).encode(),
        file_name="staff.csv",
    )


def job_of(response) -> PendingImport:
    assert response.status_code == 302, response.content[:800]
    location = response["Location"]
    assert location.startswith(URL + "?import=")
    pk = location.split("=", 1)[1].split("&", 1)[0]
    return PendingImport.objects.get(pk=int(pk))


def job_section(html: str) -> str:
    start = html.index('class="panel import-preview"')
    return html[start : html.index("</section>", start)]


def test_a_large_staff_list_is_previewed_and_applied_by_the_task(
    hr, personas, ten, django_capture_on_commit_callbacks
):
    """The default threshold: a staff list of 256 KB or more goes to the task, end to end."""
    text = csv_text(*rows_of(*ten), *newcomers(2400))
    assert len(text.encode()) >= background.threshold()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(hr, text)
    job = job_of(response)
    assert callbacks, "the preview is queued once the upload is committed"
    job.refresh_from_db()
    assert job.state == "ready" and job.page.endswith("StaffListImportPage")
    assert (job.rows_read, job.rows_total) == (2410, 2410)
    assert job.summary["apply_count"] == 2400
    assert not Technician.objects.filter(staff_number__startswith="N").exists()

    page = hr.get(response["Location"])
    html = page.content.decode()
    assert "To create: 2,400" in html
    assert "To create: the first 20 of 2,400" in html
    assert job_section(html).count('<th scope="row">') == background.SAMPLE_ROWS
    assert "<strong>10</strong> unchanged" in html
    assert len(page.content) < 80_000  # never the whole file
    assert "Apply the import (2,400 technicians)" in html
    assert 'name="confirm_leavers"' not in html  # nobody leaves

    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(hr.get(URL, {"import": job.pk, "part": "csv"})).decode("utf-8-sig")
            )
        )
    )
    assert len(rows) == 2400 and {r["kind"] for r in rows} == {"To create"}
    assert rows[0]["staff number"] == "N00000" and rows[0]["name"] == "New Person0"

    with django_capture_on_commit_callbacks(execute=True):
        applied = hr.post(response["Location"], {"action": "apply", "token": job.pk})
    assert applied["Location"] == response["Location"]
    job.refresh_from_db()
    assert job.state == "applied"
    assert Technician.objects.filter(staff_number__startswith="N", is_active=True).count() == 2400
    run = ImportRun.objects.get(kind=KIND)
    assert (run.by, run.counts["created"], run.counts["leavers"]) == (personas.hr, 2400, 0)

    done = hr.get(response["Location"], follow=True)
    assert "Staff list imported: 2400 created, 0 updated" in done.content.decode()
    assert not PendingImport.objects.filter(pk=job.pk).exists()


def test_a_small_staff_list_stays_in_the_request(hr, ten):
    response = upload(hr, csv_text(*rows_of(*ten), *newcomers(2)))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "technicians/staff_import_preview.html"
    assert not PendingImport.objects.exclude(page="").exists()


def test_a_wrong_header_is_refused_before_the_file_is_queued(hr, personas, small_threshold):
    response = upload(hr, "staff_number,first_name\nS1,Jo\n")
    assert response.status_code == 200
    assert "Missing columns:" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_many_leavers_need_their_number_typed_before_the_apply_is_queued(
    hr, ten, small_threshold, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(hr, csv_text(*rows_of(*ten[:2]))))  # 8 of 10 would leave
    job.refresh_from_db()
    details = job.summary["details"]
    assert (details["leavers"], details["needs_leaver_confirmation"]) == (8, True)
    url = f"{URL}?import={job.pk}"
    html = hr.get(url).content.decode()
    assert "To mark as leavers: 8" in html
    assert "This file would mark 8 of the 10 active technicians" in html  # the warning
    assert 'name="confirm_leavers"' in html and "type the number of leavers (8)" in html
    before = snapshot()

    for typed in ("", "7", "eight"):
        with django_capture_on_commit_callbacks(execute=True) as queued:
            refused = hr.post(url, {"action": "apply", "token": job.pk, "confirm_leavers": typed})
        assert refused.status_code == 200
        page = refused.content.decode()
        assert "type 8 in the box to confirm. Nothing was changed." in page
        assert 'aria-invalid="true"' in page
        assert not queued  # nothing was queued
        job.refresh_from_db()
        assert job.state == "ready"
        assert snapshot() == before

    with django_capture_on_commit_callbacks(execute=True):
        hr.post(url, {"action": "apply", "token": job.pk, "confirm_leavers": " 8 "})
    job.refresh_from_db()
    assert job.state == "applied" and job.answers["confirm_leavers"] == " 8 "
    assert Technician.objects.filter(is_active=True).count() == 2


def test_the_worker_refuses_an_apply_whose_typed_number_is_wrong(
    hr, ten, small_threshold, django_capture_on_commit_callbacks
):
    """The apply service checks the number again in the worker: nothing changes, and the
    preview waits for the right number."""
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(hr, csv_text(*rows_of(*ten[:2]))))
    before = snapshot()
    PendingImport.objects.filter(pk=job.pk).update(
        state="applying", answers={"confirm_leavers": "7"}
    )
    assert background.run(job.pk, "apply") == "refused"
    job.refresh_from_db()
    assert job.state == "ready" and job.fingerprint
    assert "type 8 in the box to confirm. Nothing was changed." in job.message
    assert snapshot() == before
    assert not ImportRun.objects.exists()


def test_part_of_the_staff_list_is_kept_as_an_answer_and_makes_no_leavers(
    hr, ten, small_threshold, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(hr, csv_text(*newcomers(3)), partial="1")
    job = job_of(response)
    assert response["Location"].endswith("&partial=1")
    job.refresh_from_db()
    assert (job.target, job.answers) == ("partial", {"partial": "1"})
    assert job.summary["details"]["partial"] is True
    assert job.summary["details"]["leavers"] == 0
    html = hr.get(response["Location"]).content.decode()
    assert "<strong>Part of the staff list:</strong>" in html
    assert f'action="{URL}?import={job.pk}&amp;partial=1"' in html
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(response["Location"], {"action": "apply", "token": job.pk})
    job.refresh_from_db()
    assert job.state == "applied"
    assert Technician.objects.filter(is_active=True).count() == 13  # nobody left


def test_an_hr_export_is_mapped_in_the_request_then_previewed_by_the_task(
    hr, personas, small_threshold, django_capture_on_commit_callbacks
):
    text = hr_export(*(itrent_row(f"E{n}", "Tech", f"Nician{n}") for n in range(100, 130)))
    first = upload(hr, text, name="itrent.csv")
    assert first.status_code == 200
    assert [t.name for t in first.templates][0] == "technicians/staff_import_mapping.html"
    assert not PendingImport.objects.exclude(page="").exists()
    assert ITRENT_HEADER[0].lower() in first.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        mapped = hr.post(URL, mapping_post(first, role_family_default="laboratory"))
    job = job_of(mapped)
    job.refresh_from_db()
    assert job.state == "ready"
    assert job.summary["details"]["leavers"] == 2  # the personas' technicians
    assert [k["count"] for k in job.summary["kinds"] if k["kind"] == "create"] == [30]
    assert "The column mapping is saved" in hr.get(mapped["Location"]).content.decode()


def test_one_import_at_a_time_covers_the_staff_list(
    hr, personas, ten, small_threshold, django_capture_on_commit_callbacks
):
    other = PendingImport.objects.create(
        kind="training-records",
        uploaded_by=personas.hr,
        fingerprint="",
        expires_at=timezone.now() + PREVIEW_LIFETIME,
        state="previewing",
        page="training.views.TrainingRecordImportPage",
    )
    # A large staff list and a small one are refused while another import runs.
    for threshold in (1, 10_000_000):
        with override_settings(PORTAL_IMPORT_BACKGROUND_BYTES=threshold):
            page = upload(hr, csv_text(*rows_of(*ten), *newcomers(2)))
        assert page.status_code == 200
        assert background.BUSY in page.content.decode().replace("&#x27;", "'")
    assert PendingImport.objects.filter(uploaded_by=personas.hr).get() == other

    other.delete()
    job = start_staff_list_preview(personas, ten)
    with pytest.raises(background.ImportBusy):
        background.start_preview(
            page="training.views.TrainingRecordImportPage",
            kind="training-records",
            by=personas.hr,
            data=b"x",
            file_name="records.csv",
        )
    PendingImport.objects.filter(pk=job.pk).update(state="ready")


def test_a_small_staff_list_is_not_applied_while_another_import_runs(hr, personas, ten):
    preview = upload(hr, csv_text(*rows_of(*ten), *newcomers(2)))
    token = preview.context["token"]
    PendingImport.objects.create(
        kind="training-records",
        uploaded_by=personas.hr,
        fingerprint="",
        expires_at=timezone.now() + PREVIEW_LIFETIME,
        state="applying",
    )
    response = hr.post(URL, {"action": "apply", "token": token}, follow=True)
    assert background.BUSY in response.content.decode().replace("&#x27;", "'")
    assert not Technician.objects.filter(staff_number__startswith="N").exists()


def test_the_apply_is_refused_when_the_person_is_no_longer_hr(
    hr, personas, ten, small_threshold, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(hr, csv_text(*rows_of(*ten), *newcomers(2))))
    PendingImport.objects.filter(pk=job.pk).update(state="applying")
    personas.hr.groups.remove(Group.objects.get(name=roles.HR))
    personas.hr.refresh_from_db()
    assert background.run(job.pk, "apply") == "failed"
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.message == f"{NO_LONGER_HR}. Nothing was imported."
    assert not Technician.objects.filter(staff_number__startswith="N").exists()


def test_the_staff_list_apply_reports_its_batches(personas, ten):
    from portal.imports import progress
    from technicians.staff_list import apply_staff_import

    # 3 to create, 1 to update, 2 leavers: 6 changes in all.
    rows = rows_of(*ten[:8])
    rows[0]["job_title"] = "Chief Technician"
    seen = []
    with progress.reporting_applied(lambda done, total: seen.append((done, total)), every=0):
        apply_staff_import(csv_text(*rows, *newcomers(3)), by=personas.hr)
    assert seen == [(3, 6), (4, 6), (4, 6), (6, 6)]  # created, updated, leavers, done


def test_the_staff_list_page_shows_the_apply_in_percent(hr, personas, ten):
    job = start_staff_list_preview(personas, ten)
    PendingImport.objects.filter(pk=job.pk).update(
        state="applying", summary={"valid": True, "apply_count": 2400}, rows_applied=600
    )
    html = hr.get(URL, {"import": job.pk}).content.decode()
    assert "Applying staff.csv… 25 %" in " ".join(html.split())
    assert 'max="2400" value="600">25 %</progress>' in html
    assert "Your staff list is being applied" in html
    assert 'name="file"' not in html  # no second upload meanwhile
