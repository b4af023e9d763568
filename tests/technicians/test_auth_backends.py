"""The sign-in backends load a user's technician, groups and team in the user's own query:
every signed-in page asks for them (whether they are still staff, "my profile", the roles, the
line manager's panels), and none pays a query for them."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from portal import permissions as kernel
from portal import roles
from technicians import permissions as people
from technicians.auth_backends import AccountBackend, ModelBackend
from technicians.services import link_user_to_technician
from tests import factories

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
    # The session, then the user with their technician, groups and team: nothing else.
    with django_assert_num_queries(2):
        response = client.get("/privacy/")
    assert response.status_code == 200
    assert people.technician_of(response.wsgi_request.user) == personas.technician_profile


@pytest.mark.parametrize("backend", [ModelBackend, AccountBackend])
def test_a_user_is_loaded_with_their_roles_and_whether_they_manage_a_team(
    backend, personas, django_assert_num_queries
):
    extra = Group.objects.create(name="A group, with a comma")
    personas.manager.groups.add(Group.objects.get(name=roles.STEERING_GROUP), extra)
    with django_assert_num_queries(1):
        manager = backend().get_user(personas.manager.pk)
        assert kernel.group_names(manager) == {roles.TECHNICIAN, roles.STEERING_GROUP, extra.name}
        assert kernel.is_steering_group(manager)
        assert people.is_line_manager(manager)
    with django_assert_num_queries(1):
        technician = backend().get_user(personas.technician.pk)
        assert kernel.group_names(technician) == {roles.TECHNICIAN}
        assert not kernel.is_steering_group(technician)
        assert not people.is_line_manager(technician)


def test_a_user_in_no_group_is_loaded_with_no_roles(personas, django_assert_num_queries):
    personas.technician.groups.clear()
    user = ModelBackend().get_user(personas.technician.pk)
    with django_assert_num_queries(0):
        assert kernel.group_names(user) == frozenset()
        assert not kernel.is_hr(user)


def test_only_a_current_team_makes_a_line_manager(personas):
    assert people.is_line_manager(ModelBackend().get_user(personas.manager.pk))
    # Their only report leaves: no longer a line manager.
    personas.technician_profile.is_active = False
    personas.technician_profile.save()
    assert not people.is_line_manager(ModelBackend().get_user(personas.manager.pk))
    # A leaver who still has current reports on the staff list manages nobody in the portal.
    personas.technician_profile.is_active = True
    personas.technician_profile.save()
    personas.manager_profile.is_active = False
    personas.manager_profile.save()
    assert not people.is_line_manager(ModelBackend().get_user(personas.manager.pk))


def test_a_role_given_during_the_request_is_seen_at_once(personas):
    """Linking a first sign-in to the staff list adds the technician group: the roles read
    with the user give way to the new ones."""
    user = factories.UserFactory(email="new.person@example.ac.uk")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    factories.TechnicianFactory(email=user.email, user=None)
    loaded = ModelBackend().get_user(user.pk)
    assert kernel.group_names(loaded) == frozenset()
    link_user_to_technician(loaded)
    assert kernel.group_names(loaded) == {roles.TECHNICIAN}
