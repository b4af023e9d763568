"""Data protection (issue 20): the subject-access zip, retention at its boundary, the leaver's
left_on date, the audit log and the privacy notice."""

import datetime
import io
import json
import zipfile

import pytest
import time_machine
from django.core.management import call_command

from portal.models import AuditEvent
from technicians import retention, services
from technicians.models import Technician
from technicians.staff_list import apply_staff_import
from tests import factories
from tests.technicians.test_staff_import import chemistry, physics, staff  # noqa: F401

pytestmark = pytest.mark.django_db


def noon(day: datetime.date):
    return datetime.datetime.combine(day, datetime.time(12, 0))


def test_my_data_zip_holds_json_csv_and_a_readme_and_is_logged(personas, login):
    client = login(personas.technician)
    response = client.get("/technicians/me/my-data.zip")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"data.json", "README.txt", "csv/technicians-profile.csv"} <= names
    assert any(name.startswith("csv/training-") for name in names)
    assert any(name.startswith("csv/registration-") for name in names)
    data = json.loads(archive.read("data.json"))
    [profile] = data["sections"]["technicians"]["profile"]
    assert profile["email"] == "alex.tech@example.ac.uk"
    event = AuditEvent.objects.get()
    assert event.kind == "data_downloaded"
    assert event.subject_id == personas.technician_profile.pk
    assert event.actor == personas.technician


def test_hr_downloads_anyones_data_and_the_log_shows_it(personas, login):
    client = login(personas.hr)
    target = personas.technician_profile
    assert client.get(f"/technicians/{target.pk}/data.zip").status_code == 200
    page = client.get(f"/technicians/{target.pk}/access-log/").content.decode()
    assert "Downloaded all of a person" in page
    assert "harper.hr@example.ac.uk" in page or "Harper" in page


def test_the_staff_list_and_hr_set_left_on(personas):
    technician = factories.TechnicianFactory(department=personas.technician_profile.department)
    with time_machine.travel(noon(datetime.date(2026, 3, 10)), tick=False):
        services.mark_leaver(technician, by=personas.hr)
    technician.refresh_from_db()
    assert (technician.is_active, technician.left_on) == (False, datetime.date(2026, 3, 10))


LEFT = datetime.date(2020, 3, 10)


@pytest.fixture
def leaver(personas):
    technician = factories.TechnicianFactory(
        department=personas.technician_profile.department,
        first_name="Lee",
        last_name="Leaver",
        bio="Ran the NMR suite.",
        is_active=False,
        left_on=LEFT,
    )
    return technician


def test_retention_leaves_a_leaver_alone_until_the_day_the_period_ends(leaver, settings):
    assert settings.PORTAL_RETENTION_YEARS_AFTER_LEAVING == 6
    with time_machine.travel(noon(datetime.date(2026, 3, 9)), tick=False):
        assert retention.apply_retention() == []
    leaver.refresh_from_db()
    assert leaver.full_name == "Lee Leaver"
    with time_machine.travel(noon(datetime.date(2026, 3, 10)), tick=False):
        [done] = retention.apply_retention()
    assert done.technician_id == leaver.pk
    leaver.refresh_from_db()
    assert leaver.full_name == "Former technician"
    assert leaver.bio == "" and leaver.email.endswith(".invalid")
    assert leaver.anonymised_on == datetime.date(2026, 3, 10)
    assert leaver.department_id is not None  # figures stay
    assert AuditEvent.objects.filter(kind="anonymised", subject_id=leaver.pk).exists()
    with time_machine.travel(noon(datetime.date(2026, 3, 11)), tick=False):
        assert retention.apply_retention() == []  # once only


def test_apply_retention_dry_run_lists_and_changes_nothing(leaver, capsys):
    with time_machine.travel(noon(datetime.date(2026, 3, 11)), tick=False):
        call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "Would anonymise" in out and "Lee Leaver" in out
    assert "nothing was changed" in out
    leaver.refresh_from_db()
    assert leaver.full_name == "Lee Leaver"
    with time_machine.travel(noon(datetime.date(2026, 3, 11)), tick=False):
        call_command("apply_retention")
    assert Technician.objects.get(pk=leaver.pk).full_name == "Former technician"


def test_the_retention_years_are_a_setting(leaver, settings):
    settings.PORTAL_RETENTION_YEARS_AFTER_LEAVING = 7
    with time_machine.travel(noon(datetime.date(2026, 3, 10)), tick=False):
        assert retention.apply_retention() == []


def test_the_privacy_notice_is_filled_from_settings(client, settings):
    settings.PORTAL_DPO_EMAIL = "dpo@northfield.example"
    settings.PORTAL_RETENTION_YEARS_AFTER_LEAVING = 6
    page = client.get("/privacy/").content.decode()
    assert "dpo@northfield.example" in page
    assert "6 years after you leave" in page
    assert 'href="/privacy/"' in page  # the footer links it


def test_hr_viewing_a_private_profile_is_logged_and_the_owner_is_not(personas, login):
    target = personas.technician_profile
    Technician.objects.filter(pk=target.pk).update(visibility="private")
    login(personas.technician).get(f"/technicians/{target.pk}/")
    assert not AuditEvent.objects.exists()
    login(personas.hr).get(f"/technicians/{target.pk}/")
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.subject_id) == ("profile_viewed", personas.hr, target.pk)


def test_a_leaver_from_the_staff_list_gets_left_on_and_a_returner_loses_it(staff, personas):  # noqa: F811
    from tests.technicians.test_staff_import import as_rows, csv_text

    report = staff["report"]
    with time_machine.travel(noon(datetime.date(2026, 3, 10)), tick=False):
        apply_staff_import(csv_text(*as_rows(staff["manager"])))
    report.refresh_from_db()
    assert (report.is_active, report.left_on) == (False, datetime.date(2026, 3, 10))
    apply_staff_import(csv_text(*as_rows(staff["manager"], report)))
    report.refresh_from_db()
    assert (report.is_active, report.left_on) == (True, None)
