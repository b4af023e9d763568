"""The sign-in backends load a user's technician in the user's own query: every signed-in
page asks for it (whether they are still staff, "my profile"), and none pays a query for it."""

import pytest

from technicians import permissions as people
from technicians.auth_backends import AccountBackend, ModelBackend

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("backend", [ModelBackend, AccountBackend])
def test_a_user_is_loaded_with_their_technician_and_its_department(
    backend, personas, django_assert_num_queries
):
    with django_assert_num_queries(1):
        user = backend().get_user(personas.technician.pk)
        technician = people.technician_of(user)
        assert technician == personas.technician_profile
        assert technician.department.name == personas.technician_profile.department.name
        assert people.is_staff_member(user)


def test_a_user_with_no_technician_needs_no_second_query(personas, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = ModelBackend().get_user(personas.hr.pk)
        assert people.technician_of(user) is None
        assert not people.is_leaver(user)


def test_a_leaver_loaded_by_the_backend_is_not_staff(personas):
    personas.technician_profile.is_active = False
    personas.technician_profile.save()
    user = ModelBackend().get_user(personas.technician.pk)
    assert people.is_leaver(user)
    assert not people.is_staff_member(user)


def test_unknown_and_deactivated_users_are_not_loaded(personas):
    assert ModelBackend().get_user(10**9) is None
    personas.technician.is_active = False
    personas.technician.save()
    assert ModelBackend().get_user(personas.technician.pk) is None


def test_a_password_sign_in_loads_the_technician_with_the_user_on_every_request(
    personas, client, django_assert_num_queries
):
    user = personas.technician
    user.set_password("a long passphrase 42")
    user.save()
    assert client.login(username=user.username, password="a long passphrase 42")
    assert client.session["_auth_user_backend"] == "technicians.auth_backends.ModelBackend"
    # The session, the user with their technician, their groups: nothing else.
    with django_assert_num_queries(3):
        response = client.get("/privacy/")
    assert response.status_code == 200
    assert people.technician_of(response.wsgi_request.user) == personas.technician_profile
