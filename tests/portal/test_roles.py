"""The role functions (portal/permissions.py) and the people rules (technicians/permissions.py):
who is what."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from portal import permissions, registry, roles
from technicians import permissions as people
from tests import factories
from tests.conftest import PERSONA_NAMES, make_user

# persona -> (staff member, admin, HR, steering group, training coordinator, line manager)
ROLE_TABLE = {
    "anonymous": (False, False, False, False, False, False),
    "technician": (True, False, False, False, False, False),
    "manager": (True, False, False, False, False, True),
    "steering": (True, False, False, True, False, False),
    "coordinator": (True, False, False, False, True, False),
    "hr": (True, False, True, False, False, False),
    "admin": (True, True, True, True, True, False),
}


def as_user(personas, name):
    return getattr(personas, name) or AnonymousUser()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_each_persona_has_exactly_its_roles(personas, persona):
    user = as_user(personas, persona)
    actual = (
        people.is_staff_member(user),
        permissions.is_admin(user),
        permissions.is_hr(user),
        permissions.is_steering_group(user),
        permissions.is_training_coordinator(user),
        people.is_line_manager(user),
    )
    assert actual == ROLE_TABLE[persona]
    assert permissions.can_use_admin(user) == ROLE_TABLE[persona][1]


@pytest.mark.django_db
def test_the_administrator_group_makes_an_administrator_without_superuser(personas):
    user = make_user("ali.administrator@example.ac.uk", roles.ADMINISTRATOR)
    assert not user.is_superuser and not user.is_staff
    assert permissions.is_admin(user)
    assert all(permissions.has_role(user, role) for role in roles.ALL_GROUPS)
    # Django's own permission checks agree (portal.auth_backends.AdministratorGroupBackend).
    assert user.has_perm("portal.change_notification")
    assert user.has_module_perms("technicians")


@pytest.mark.django_db
def test_a_group_gives_its_role_and_no_other(personas):
    hr = personas.hr
    assert permissions.has_role(hr, roles.HR)
    assert not permissions.has_role(hr, roles.STEERING_GROUP)
    assert not hr.has_perm("portal.change_notification")


@pytest.mark.django_db
def test_a_deactivated_account_has_no_role_at_all(personas):
    for name in ("hr", "admin", "steering"):
        user = getattr(personas, name)
        user.is_active = False
        assert not people.is_staff_member(user)
        assert not permissions.is_admin(user)
        assert not permissions.has_role(user, roles.HR)
        assert not permissions.can_use_admin(user)


@pytest.mark.django_db
def test_group_names_are_read_once_per_user_object(personas, django_assert_num_queries):
    user = personas.steering
    # The group names, and the linked technician (a leaver is no longer staff): once each.
    with django_assert_num_queries(2):
        for _ in range(3):
            assert permissions.is_steering_group(user)
            assert not permissions.is_hr(user)
    assert permissions.group_names(AnonymousUser()) == frozenset()


@pytest.mark.django_db
def test_technician_of_finds_the_linked_profile_once(personas, django_assert_num_queries):
    user = personas.technician
    with django_assert_num_queries(1):
        assert people.technician_of(user) == personas.technician_profile
        assert people.technician_of(user) == personas.technician_profile
    assert people.technician_of(personas.hr) is None
    assert people.technician_of(AnonymousUser()) is None


@pytest.mark.django_db
def test_line_management_is_a_relation_not_a_group(personas, department):
    manager, technician = personas.manager, personas.technician
    assert people.manages(manager, personas.technician_profile)
    assert not people.manages(technician, personas.manager_profile)
    assert not people.manages(personas.hr, personas.technician_profile)
    assert not permissions.has_role(manager, "Line manager")

    # Only current staff make someone a line manager.
    personas.technician_profile.is_active = False
    personas.technician_profile.save()
    fresh_manager = type(manager).objects.get(pk=manager.pk)
    assert not people.is_line_manager(fresh_manager)


@pytest.mark.django_db
def test_the_template_tag_asks_the_same_functions(personas):
    template = Template(
        '{% load portal_tags %}{% can "use_admin" as admin %}{% can "hr" as hr %}'
        '{% can "line_manager" as manager %}{{ admin }} {{ hr }} {{ manager }}'
    )
    rendered = {}
    for name in ("admin", "hr", "manager"):
        request = RequestFactory().get("/")
        request.user = getattr(personas, name)
        rendered[name] = template.render(Context({"request": request}))
    assert rendered == {
        "admin": "True True False",
        "hr": "False True False",
        "manager": "False False True",
    }


def test_the_role_checks_are_registered_for_templates():
    for name in ("use_admin", "hr", "steering_group", "training_coordinator", "line_manager"):
        assert registry.has_check(name)
    assert permissions.check("use_admin", AnonymousUser()) is False


def test_the_group_names_of_the_design():
    assert roles.ALL_GROUPS == (
        "Technician",
        "Steering group",
        "Training coordinator",
        "HR",
        "Administrator",
    )


@pytest.mark.django_db
def test_a_second_report_keeps_the_manager_a_manager(personas, department):
    factories.TechnicianFactory(line_manager=personas.manager_profile, department=department)
    assert people.is_line_manager(personas.manager)
