"""A person's name appears, or links to their profile, only where the viewer may see that
person: one rule (technicians.permissions.can_see_person) and one tag ({% person_link %}) for
line managers on profiles, team lists, action owners and skill holders."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from technicians import permissions
from technicians.models import Technician
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_manager(personas):
    """Morgan, Alex's line manager, makes their profile private."""
    manager = personas.manager_profile
    manager.visibility = Technician.Visibility.PRIVATE
    manager.save()
    return manager


@pytest.fixture
def colleague(personas, department):
    user = make_user("jamie.colleague@example.ac.uk", "Technician")
    factories.TechnicianFactory(user=user, email=user.email, department=department)
    return user


def test_a_private_line_managers_name_is_not_on_their_reports_profile(
    login, personas, private_manager, colleague
):
    page = login(colleague).get(f"/technicians/{personas.technician_profile.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Morgan Manager" not in html
    assert "Line manager" not in html


def test_an_internal_line_manager_is_named_and_linked(login, personas, colleague):
    html = login(colleague).get(f"/technicians/{personas.technician_profile.pk}/").content
    manager = personas.manager_profile
    assert f'<a href="/technicians/{manager.pk}/">Morgan Manager</a>'.encode() in html


def test_the_report_still_sees_their_own_private_manager_by_name(login, personas, private_manager):
    client = login(personas.technician)
    for path in (f"/technicians/{personas.technician_profile.pk}/", "/technicians/me/"):
        html = client.get(path).content.decode()
        assert "Morgan Manager" in html, path
        assert f'href="/technicians/{private_manager.pk}/"' not in html, path


def test_hr_sees_the_private_manager_linked(login, personas, private_manager):
    html = login(personas.hr).get(f"/technicians/{personas.technician_profile.pk}/").content
    assert f'<a href="/technicians/{private_manager.pk}/">Morgan Manager</a>'.encode() in html


def test_a_private_action_owner_is_not_named_to_other_readers(
    login, personas, colleague, department
):
    owner_user = make_user("pat.private@example.ac.uk", "Technician")
    factories.TechnicianFactory(
        user=owner_user,
        email=owner_user.email,
        first_name="Pat",
        last_name="Private",
        visibility=Technician.Visibility.PRIVATE,
        department=department,
    )
    plan = factories.ActionPlanFactory(
        starts_on=datetime.date(2025, 8, 1), ends_on=datetime.date(2028, 7, 31), status="published"
    )
    action = factories.ActionFactory(plan=plan, owner=owner_user, due_on=datetime.date(2027, 1, 1))
    for path in (f"/action-plans/{plan.pk}/", f"/action-plans/{plan.pk}/actions/{action.pk}/"):
        html = login(colleague).get(path).content.decode()
        assert "Pat Private" not in html, path
        assert "A colleague (private profile)" in html, path
        assert "Pat Private" in login(personas.hr).get(path).content.decode(), path


def render_person_link(user, technician, extra=""):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load people %}{% person_link technician " + extra + " %}")
    return template.render(Context({"request": request, "technician": technician}))


def test_the_tag_links_names_or_hides_them_by_the_one_rule(personas, private_manager, colleague):
    internal = personas.technician_profile
    assert render_person_link(colleague, internal) == (
        f'<a href="/technicians/{internal.pk}/">Alex Tech</a>'
    )
    assert render_person_link(colleague, private_manager) == ""
    assert render_person_link(colleague, private_manager, 'hidden="—"') == "—"
    assert render_person_link(personas.technician, private_manager) == "Morgan Manager"
    assert render_person_link(personas.hr, private_manager).startswith("<a href=")
    assert render_person_link(colleague, None, 'hidden="nobody"') == "nobody"


def test_names_are_escaped(personas, colleague):
    internal = personas.technician_profile
    internal.first_name = "<script>x</script>"
    internal.save()
    assert "<script>" not in render_person_link(colleague, internal)


def test_the_rule(personas, private_manager, colleague):
    assert not permissions.can_see_person(colleague, private_manager)
    assert permissions.can_see_person(personas.technician, private_manager)  # their manager
    assert permissions.can_see_person(personas.manager, personas.technician_profile)
    assert permissions.can_see_person(personas.hr, private_manager)
    assert not permissions.can_see_person(None, personas.technician_profile)
    assert not permissions.can_see_person(colleague, None)
