"""The Django admin shows applied imports read only, and waiting previews that may only be
deleted (with their private file)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.models import ImportRun, PendingImport

pytestmark = pytest.mark.django_db


def test_import_runs_are_listed_and_read_only(login, personas):
    run = ImportRun.objects.create(
        kind="staff-list", by=personas.hr, file_name="june.csv", counts={"created": 2}
    )
    admin = login(personas.admin)
    listing = admin.get("/admin/portal/importrun/")
    assert listing.status_code == 200 and "june.csv" in listing.content.decode()
    assert admin.get("/admin/portal/importrun/add/").status_code == 403
    page = admin.get(f"/admin/portal/importrun/{run.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert (
        admin.post(f"/admin/portal/importrun/{run.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert ImportRun.objects.filter(pk=run.pk).exists()


def test_a_pending_import_may_be_deleted_with_its_file(
    login, personas, django_capture_on_commit_callbacks
):
    pending = PendingImport(
        kind="staff-list",
        uploaded_by=personas.hr,
        file_name="march.csv",
        fingerprint="0" * 64,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    pending.file.save("import.csv", ContentFile(b"staff_number\n"), save=False)
    pending.save()
    storage, name = pending.file.storage, pending.file.name
    admin = login(personas.admin)
    assert admin.get("/admin/portal/pendingimport/").status_code == 200
    assert admin.get("/admin/portal/pendingimport/add/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/admin/portal/pendingimport/{pending.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not PendingImport.objects.exists()
    assert not storage.exists(name)


def test_an_import_runs_counts_read_in_a_fixed_order():
    from portal.imports.pending import count_summary

    counts = {"unchanged": 4, "leavers": 1, "created": 2, "ignored": 7, "updated": 0, "odd_one": 3}
    assert count_summary(counts) == (
        "2 created, 0 updated, 1 made leavers, 4 unchanged, 7 rows ignored, 3 odd one"
    )
    assert (
        count_summary({"unchanged": 1, "changed": 2, "new": 3}) == "3 new, 2 changed, 1 unchanged"
    )
