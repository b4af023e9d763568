"""Leavers keep their login (never deleted), but once HR's staff list marks them as having left
they are no longer staff: no directory, no internal profiles, no staff pages."""

import pytest

from portal import permissions
from technicians import permissions as people
from technicians.models import Technician
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def leave(technician: Technician) -> Technician:
    technician.is_active = False
    technician.save()
    return technician


@pytest.fixture
def leaver(personas):
    """The technician persona, marked as a leaver by HR's staff list."""
    leave(personas.technician_profile)
    return personas.technician


@pytest.fixture
def colleague(personas):
    return factories.TechnicianFactory(
        department=personas.technician_profile.department,
        visibility=Technician.Visibility.INTERNAL,
    )


def test_a_leaver_is_not_a_member_of_staff(leaver, personas):
    assert people.is_leaver(leaver)
    assert not people.is_staff_member(leaver)
    assert not people.can_view_directory(leaver)
    assert not people.can_view_technician(leaver, personas.manager_profile)
    assert not people.manages(leaver, personas.technician_profile)
    # Colleagues who are still here are staff, whatever their profile.
    assert people.is_staff_member(personas.manager)
    assert not people.is_leaver(personas.manager)
    assert not people.is_leaver(personas.hr)  # no profile: not a leaver


def test_a_leaver_sees_no_staff_pages(leaver, colleague, personas, login):
    client = login(leaver)
    department = personas.technician_profile.department
    assert client.get("/technicians/").status_code == 403
    # Department pages are public: a leaver sees what any visitor sees there.
    response = client.get(f"/technicians/departments/{department.slug}/")
    assert response.status_code == 200
    assert colleague.full_name not in response.content.decode()
    assert client.get(f"/technicians/{colleague.pk}/").status_code == 404
    assert client.get(f"/technicians/{colleague.pk}/photo/thumb/").status_code == 404
    html = client.get("/").content.decode()
    assert "You have left the university" in html
    assert 'href="/technicians/"' not in html
    assert colleague.email not in html


def test_a_leaver_is_told_why_their_profile_is_closed(leaver, login):
    response = login(leaver).get("/technicians/me/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "has left the university" in html
    assert 'href="/technicians/"' not in html  # the directory is closed to them


def test_a_leaver_still_sees_public_profiles(leaver, personas, login):
    public = factories.TechnicianFactory(
        department=personas.technician_profile.department,
        visibility=Technician.Visibility.PUBLIC,
    )
    client = login(leaver)
    assert client.get("/meet-our-technicians/").status_code == 200
    response = client.get(f"/technicians/{public.pk}/")
    assert response.status_code == 200
    assert public.email not in response.content.decode()  # as to any visitor


def test_a_returning_leaver_gets_their_access_back(leaver, colleague, personas, login):
    technician = personas.technician_profile
    technician.is_active = True
    technician.save()
    client = login(leaver)
    assert client.get("/technicians/").status_code == 200
    assert client.get(f"/technicians/{colleague.pk}/").status_code == 200


def test_a_superuser_who_has_left_the_staff_list_keeps_the_admin(personas, login):
    admin = make_user("root@example.ac.uk", superuser=True)
    factories.TechnicianFactory(
        user=admin, email=admin.email, department=personas.technician_profile.department
    )
    leave(admin.technician)
    assert people.is_staff_member(admin) and permissions.is_admin(admin)
    assert login(admin).get("/technicians/").status_code == 200


def test_a_line_manager_who_has_left_sees_no_team(personas, login):
    leave(personas.manager_profile)
    assert not people.is_line_manager(personas.manager)
    html = login(personas.manager).get("/").content.decode()
    assert "My team" not in html
    assert "Alex Tech" not in html
