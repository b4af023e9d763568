"""A real Celery worker, consuming the `imports` queue, previews and then applies a large
training-records file uploaded through the page: the web request only queues the work."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal import roles
from portal.models import ImportRun, PendingImport
from tests import factories
from tests.conftest import make_user
from tests.reliability.conftest import wait_until
from training.models import TrainingRecord

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

URL = "/training/records/import/"
HEADER = "staff number,date,days,hours,category,title,provider,reflection\n"


def state_of(job: PendingImport) -> str:
    job.refresh_from_db()
    return job.state


def test_a_real_worker_previews_and_applies_a_large_import(start_worker, client, settings):
    settings.PORTAL_IMPORT_BACKGROUND_BYTES = 1
    # The worker reads the upload and writes the preview's CSV where this process can.
    worker = start_worker(pool="solo", MEDIA_ROOT=str(settings.MEDIA_ROOT))
    technician = factories.TechnicianFactory(staff_number="T900")
    client.force_login(make_user("harper.hr@example.ac.uk", roles.HR))
    rows = "".join(f"T900,2025-10-01,1,,formal,Course {n},,\n" for n in range(300))
    file = SimpleUploadedFile("records.csv", (HEADER + rows).encode(), content_type="text/csv")

    response = client.post(URL, {"action": "upload", "file": file})
    assert response.status_code == 302
    job = PendingImport.objects.get()
    assert job.state in ("previewing", "ready")  # queued (the worker may be done already)

    wait_until(lambda: state_of(job) == "ready", 30, worker.log)
    assert (job.rows_read, job.rows_total) == (300, 300)
    assert "New: 300" in client.get(response["Location"]).content.decode()
    assert not TrainingRecord.objects.exists()

    client.post(response["Location"], {"action": "apply", "token": job.pk})
    wait_until(lambda: state_of(job) == "applied", 30, worker.log)
    assert TrainingRecord.objects.filter(technician=technician).count() == 300
    assert ImportRun.objects.get().counts["new"] == 300
    # Both steps ran in the worker, not in the web process.
    worker.wait_for_log(r"Task portal\.tasks\.run_import\[[^]]+\] succeeded", count=2)
    assert settings.CELERY_TASK_ROUTES["portal.tasks.run_import"]["queue"] == "imports"


def test_a_real_worker_previews_and_applies_a_large_staff_list(start_worker, client, settings):
    """HR's answers (the typed number of leavers) reach the worker with the pending import."""
    from technicians.models import Technician

    settings.PORTAL_IMPORT_BACKGROUND_BYTES = 1
    worker = start_worker(pool="solo", MEDIA_ROOT=str(settings.MEDIA_ROOT))
    department = factories.DepartmentFactory(name="Chemistry", slug="chemistry")
    for n in range(4):
        factories.TechnicianFactory(staff_number=f"OLD{n}", department=department)
    client.force_login(make_user("harper.hr@example.ac.uk", roles.HR))
    header = "staff_number,first_name,last_name,email,job_title,role_family,grade,department,"
    header += "line_manager_staff_number,started_on,is_apprentice\n"
    rows = "".join(
        f"N{n},New,Person{n},new.person{n}@example.ac.uk,Technician,laboratory,5,Chemistry,,,no\n"
        for n in range(200)
    )
    file = SimpleUploadedFile("staff.csv", (header + rows).encode(), content_type="text/csv")

    response = client.post("/technicians/import/", {"action": "upload", "file": file})
    assert response.status_code == 302
    job = PendingImport.objects.get()
    wait_until(lambda: state_of(job) == "ready", 30, worker.log)
    assert job.summary["details"]["leavers"] == 4
    assert "To create: 200" in client.get(response["Location"]).content.decode()

    client.post(response["Location"], {"action": "apply", "token": job.pk, "confirm_leavers": "4"})
    wait_until(lambda: state_of(job) == "applied", 30, worker.log)
    assert Technician.objects.filter(is_active=True).count() == 200
    assert ImportRun.objects.get().counts == {
        "created": 200,
        "updated": 0,
        "leavers": 4,
        "reactivated": 0,
        "unchanged": 0,
    }
    worker.wait_for_log(r"Task portal\.tasks\.run_import\[[^]]+\] succeeded", count=2)
