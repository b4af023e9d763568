"""Leavers and the skills matrix: the staff-list preview warns when a leaver is the last
holder, or the single point of failure, of a skill in their department; after the import the
department's line managers and the steering group are told, through the outbox, once."""

import csv
import io

import pytest
from django.db.models.functions import Coalesce

from portal.models import Notification
from skills import risk as rules
from technicians.models import Technician
from technicians.staff_list import EXPORT_COLUMNS, apply_staff_import, preview_staff_import
from technicians.staff_list.export import staff_export_rows
from tests import factories

pytestmark = pytest.mark.django_db


def staff_list_without(*leavers: Technician) -> str:
    """Today's directory as a staff list, without these technicians (so they leave)."""
    gone = {technician.staff_number for technician in leavers}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for row in staff_export_rows():
        if row[0] not in gone:
            writer.writerow(row)
    return buffer.getvalue()


@pytest.fixture
def chemistry(personas):
    return personas.technician_profile.department


@pytest.fixture
def nmr(db):
    return factories.SkillFactory(name="NMR spectroscopy", category="Analytical")


def test_staff_number_is_the_first_export_column():
    assert EXPORT_COLUMNS[0] == "staff_number"


def test_the_last_holder_leaving_is_warned(personas, chemistry, nmr):
    leaver = factories.TechnicianFactory(department=chemistry, first_name="Dana", last_name="Lee")
    factories.TechnicianSkillFactory(technician=leaver, skill=nmr, level=3)
    preview = preview_staff_import(staff_list_without(leaver))
    assert [leaver_.staff_number for leaver_ in preview.leavers] == [leaver.staff_number]
    assert (
        "Leaves Chemistry with nobody who holds NMR spectroscopy: Dana Lee is leaving."
        in preview.warnings
    )


def test_the_single_point_of_failure_leaving_is_warned(personas, chemistry, nmr):
    leaver = factories.TechnicianFactory(department=chemistry, first_name="Dana", last_name="Lee")
    factories.TechnicianSkillFactory(technician=leaver, skill=nmr, level=4)
    factories.TechnicianSkillFactory(technician=personas.technician_profile, skill=nmr, level=1)
    preview = preview_staff_import(staff_list_without(leaver))
    assert (
        "Leaves Chemistry with nobody who holds NMR spectroscopy at practitioner level or "
        "above: Dana Lee is leaving." in preview.warnings
    )


def test_no_warning_when_the_skill_stays_covered(personas, chemistry, nmr):
    leaver = factories.TechnicianFactory(department=chemistry)
    factories.TechnicianSkillFactory(technician=leaver, skill=nmr, level=4)
    factories.TechnicianSkillFactory(technician=personas.technician_profile, skill=nmr, level=2)
    preview = preview_staff_import(staff_list_without(leaver))
    assert not [w for w in preview.warnings if "NMR" in w]


def test_a_holder_in_another_department_does_not_keep_it_in_the_department(chemistry, nmr):
    leaver = factories.TechnicianFactory(department=chemistry)
    factories.TechnicianSkillFactory(technician=leaver, skill=nmr, level=4)
    elsewhere = factories.DepartmentFactory(name="Physics", slug="physics")
    factories.TechnicianSkillFactory(
        technician=factories.TechnicianFactory(department=elsewhere), skill=nmr, level=4
    )
    (loss,) = rules.leaver_skill_losses([leaver.staff_number])
    assert (loss.department, loss.skill, loss.nobody_at_all) == (
        "Chemistry",
        "NMR spectroscopy",
        True,
    )


def test_an_aware_leaver_with_practitioners_staying_is_no_loss(personas, chemistry, nmr):
    leaver = factories.TechnicianFactory(department=chemistry)
    factories.TechnicianSkillFactory(technician=leaver, skill=nmr, level=1)
    factories.TechnicianSkillFactory(technician=personas.technician_profile, skill=nmr, level=2)
    assert rules.leaver_skill_losses([leaver.staff_number]) == []


def test_after_the_import_managers_and_steering_group_are_told_once(personas, chemistry, nmr):
    leaver = factories.TechnicianFactory(department=chemistry, first_name="Dana", last_name="Lee")
    factories.TechnicianSkillFactory(technician=leaver, skill=nmr, level=3)
    apply_staff_import(staff_list_without(leaver), by=personas.hr, confirmed_leavers=1)
    told = Notification.objects.filter(kind="skills.leaver_losses")
    # Morgan manages Alex in Chemistry; Sam is in the steering group.
    addresses = told.values_list(Coalesce("technician__email", "recipient__email"), flat=True)
    assert sorted(addresses) == [
        "morgan.manager@example.ac.uk",
        "sam.steering@example.ac.uk",
    ]
    assert "Leaves Chemistry with nobody who holds NMR spectroscopy" in told.first().body
    # The same file again: nobody leaves now, nobody is told again.
    apply_staff_import(staff_list_without(leaver), by=personas.hr, confirmed_leavers=1)
    assert told.count() == 2


def test_the_preview_page_shows_the_warning(personas, login, chemistry, nmr):
    from django.core.files.uploadedfile import SimpleUploadedFile

    leaver = factories.TechnicianFactory(department=chemistry, first_name="Dana", last_name="Lee")
    factories.TechnicianSkillFactory(technician=leaver, skill=nmr, level=3)
    upload = SimpleUploadedFile(
        "staff.csv", staff_list_without(leaver).encode(), content_type="text/csv"
    )
    response = login(personas.hr).post("/technicians/import/", {"action": "upload", "file": upload})
    assert response.status_code == 200
    assert "Leaves Chemistry with nobody who holds NMR spectroscopy" in response.content.decode()
