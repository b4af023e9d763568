"""Technician models and validators: the rules the database and the forms rely on."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from skills.models import TechnicianSkill
from technicians.models import Technician, photo_upload_to
from technicians.validators import orcid_checksum_ok, validate_orcid
from tests import factories


@pytest.mark.parametrize(
    "orcid",
    ["0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X"],
)
def test_a_real_orcid_id_is_accepted(orcid):
    assert orcid_checksum_ok(orcid)
    validate_orcid(orcid)  # does not raise


@pytest.mark.parametrize("orcid", ["0000-0002-1825-0098", "0000-0002-1694-2331"])
def test_an_orcid_id_with_a_wrong_check_digit_is_refused(orcid):
    with pytest.raises(ValidationError, match="check digit is wrong"):
        validate_orcid(orcid)


@pytest.mark.parametrize(
    "orcid",
    ["", "0000000218250097", "0000-0002-1825-009", "abcd-0002-1825-0097", "0000-0002-1825-0097 "],
)
def test_an_orcid_id_in_the_wrong_shape_is_refused(orcid):
    with pytest.raises(ValidationError, match="looks like 0000-0002-1825-0097"):
        validate_orcid(orcid)


def test_the_model_validates_the_orcid_id(department):
    technician = factories.TechnicianFactory.build(
        department=department, orcid="0000-0002-1825-0098"
    )
    with pytest.raises(ValidationError) as error:
        technician.full_clean()
    assert "orcid" in error.value.message_dict


@pytest.mark.django_db
def test_a_technician_reads_as_their_full_name_and_links_to_their_profile(department):
    technician = factories.TechnicianFactory(
        first_name="Priya", last_name="Shah", department=department
    )
    assert str(technician) == "Priya Shah"
    assert technician.get_absolute_url() == f"/technicians/{technician.pk}/"
    assert department.get_absolute_url() == "/technicians/departments/chemistry/"


@pytest.mark.django_db
def test_new_profiles_are_internal_and_current(department):
    technician = Technician.objects.create(
        staff_number="S1",
        first_name="A",
        last_name="B",
        email="a.b@example.ac.uk",
        job_title="Technician",
        role_family=Technician.RoleFamily.LABORATORY,
        department=department,
    )
    assert technician.visibility == Technician.Visibility.INTERNAL
    assert technician.is_active


@pytest.mark.django_db
def test_e_mail_addresses_are_unique_whatever_their_case(department):
    factories.TechnicianFactory(email="Sam.Jones@example.ac.uk", department=department)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.TechnicianFactory(email="sam.jones@EXAMPLE.ac.uk", department=department)


@pytest.mark.django_db
def test_a_skill_has_one_level_per_technician(department):
    technician = factories.TechnicianFactory(department=department)
    skill = factories.SkillFactory(name="Confocal microscopy")
    factories.TechnicianSkillFactory(technician=technician, skill=skill, level=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.TechnicianSkillFactory(technician=technician, skill=skill, level=3)


@pytest.mark.django_db
@pytest.mark.parametrize("level", [0, 5])
def test_the_database_refuses_a_skill_level_outside_1_to_4(department, level):
    technician = factories.TechnicianFactory(department=department)
    with pytest.raises(IntegrityError), transaction.atomic():
        TechnicianSkill.objects.create(
            technician=technician, skill=factories.SkillFactory(), level=level
        )


@pytest.mark.django_db
def test_skills_read_with_their_level(department):
    row = factories.TechnicianSkillFactory(
        technician__department=department, skill__name="Welding", level=4
    )
    assert str(row) == "Welding (Can train others)"


def test_photos_are_stored_under_random_names_keeping_only_a_safe_suffix():
    first = photo_upload_to(None, "../../etc/passwd me.JPG")
    second = photo_upload_to(None, "../../etc/passwd me.JPG")
    assert first != second
    assert first.startswith("photos/") and first.endswith(".jpg")
    assert ".." not in first and "passwd" not in first


def test_the_admin_lists_searches_and_edits_technicians(personas, login, settings):
    client = login(personas.admin)
    factories.TechnicianSkillFactory(technician=personas.technician_profile, skill__name="HPLC")
    for url in [
        "/admin/technicians/technician/",
        "/admin/technicians/technician/?q=alex&is_active__exact=1&role_family=laboratory",
        f"/admin/technicians/technician/{personas.technician_profile.pk}/change/",
        "/admin/technicians/department/?q=chem",
        "/admin/skills/skill/?q=hplc",
    ]:
        assert client.get(url).status_code == 200, url
    html = client.get(
        f"/admin/technicians/technician/{personas.technician_profile.pk}/change/"
    ).content.decode()
    assert "technician_skills-0-skill" in html  # the skills inline
    # HR enter the admin for the registers' fees only; profiles are edited in the portal.
    assert login(personas.hr).get("/admin/technicians/technician/").status_code == 403
