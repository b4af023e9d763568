"""The dashboard at /: each role sees what it does here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.portal.html_checks import h1_count


def dashboard(login, user):
    response = login(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_technician_sees_their_profile_and_the_directory(login, personas):
    html = dashboard(login, personas.technician)
    assert "Welcome, Alex" in html
    assert 'href="/technicians/me/"' in html
    assert 'href="/technicians/"' in html
    assert 'href="/action-plans/"' in html
    assert "See the action plans" in html
    assert "My team" not in html
    assert 'href="/technicians/import/"' not in html
    assert 'href="/admin/"' not in html
    assert h1_count(html) == 1


@pytest.mark.django_db
def test_a_line_manager_sees_their_team(login, personas, department):
    factories.TechnicianFactory(
        first_name="Former",
        last_name="Report",
        line_manager=personas.manager_profile,
        is_active=False,
        department=department,
    )
    html = dashboard(login, personas.manager)
    assert "My team" in html
    assert f'href="/technicians/{personas.technician_profile.pk}/"' in html
    assert "Alex Tech" in html
    assert "Former Report" not in html  # leavers are not the team
    assert '<th scope="col">Name</th>' in html


@pytest.mark.django_db
def test_the_steering_group_is_invited_to_work_on_the_action_plans(login, personas):
    html = dashboard(login, personas.steering)
    assert "Work on the action plans" in html
    assert 'href="/action-plans/"' in html


@pytest.mark.django_db
def test_hr_sees_the_staff_list_import_and_export(login, personas):
    html = dashboard(login, personas.hr)
    assert 'href="/technicians/import/"' in html
    assert 'href="/technicians/export.csv"' in html
    assert 'href="/admin/"' not in html


@pytest.mark.django_db
def test_an_administrator_sees_the_admin_link(login, personas):
    html = dashboard(login, personas.admin)
    assert 'href="/admin/"' in html
    assert 'href="/technicians/import/"' in html  # administrators can do everything


@pytest.mark.django_db
def test_a_user_without_a_profile_is_told_how_to_get_one(login, personas):
    html = dashboard(login, personas.hr)
    assert "not linked to a technician profile" in html
    assert "harper.hr@example.ac.uk" in html


@pytest.mark.django_db
def test_the_dashboard_costs_the_same_number_of_queries_for_any_team_size(
    login, personas, department
):
    client = login(personas.manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    small = queries()
    factories.TechnicianFactory.create_batch(
        25, line_manager=personas.manager_profile, department=department
    )
    large = queries()
    assert large == small
    assert large <= 12


@pytest.mark.django_db
def test_the_dashboard_reads_the_profile_groups_and_team_once_each(login, personas):
    """Session, user, own profile (with its department), groups, team: the header's menu and
    the dashboard share what portal.permissions caches on the user."""
    client = login(personas.manager)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/").content.decode()
    assert personas.manager_profile.department.name in html
    assert len(captured) <= 5, [query["sql"][:80] for query in captured]


@pytest.mark.django_db
def test_a_team_members_private_profile_is_named_but_not_linked(login, personas):
    """The line manager may not open a private profile: no link that would end in a 404."""
    report = personas.technician_profile
    report.visibility = "private"
    report.save()
    html = dashboard(login, personas.manager)
    assert "Alex Tech" in html
    assert f'href="/technicians/{report.pk}/"' not in html
    assert "(private profile)" in html
