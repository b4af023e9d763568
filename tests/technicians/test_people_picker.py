"""The people picker: the kernel's search box with suggestions, the technicians' search
endpoint, and the field that resolves what was typed (also without JavaScript)."""

import pytest

from technicians.models import Technician
from tests import factories
from training.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(personas):
    from tests.training.conftest import make_course, make_session

    return make_session(make_course())


def suggestions(client, **params):
    response = client.get("/technicians/people/search/", params)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return response.content.decode()


def test_suggestions_match_every_typed_word_and_respect_visibility(personas, login):
    department = personas.technician_profile.department
    factories.TechnicianFactory(first_name="Ada", last_name="Lovelace", department=department)
    factories.TechnicianFactory(
        first_name="Ada",
        last_name="Byron",
        department=department,
        visibility=Technician.Visibility.PRIVATE,
    )
    factories.TechnicianFactory(first_name="Ada", last_name="Gone", is_active=False)
    page = suggestions(login(personas.technician), field="who", who="ada love")
    assert 'role="option"' in page and "Ada Lovelace" in page
    assert "Byron" not in suggestions(login(personas.technician), q="ada")  # private
    assert "Gone" not in suggestions(login(personas.technician), q="ada")  # a leaver
    assert "Byron" in suggestions(login(personas.hr), q="ada")  # HR sees every profile
    assert "Nobody matches “zzz”" in suggestions(login(personas.technician), q="zzz")
    assert suggestions(login(personas.technician), q="  ").strip() == ""


def test_the_team_scope_offers_oneself_and_ones_reports(personas, login):
    manager = personas.manager_profile
    factories.TechnicianFactory(
        first_name="Zed",
        last_name="Report",
        line_manager=manager,
        visibility=Technician.Visibility.PRIVATE,
    )
    factories.TechnicianFactory(first_name="Zed", last_name="Stranger")
    page = suggestions(login(personas.manager), q="zed", scope="team")
    assert "Zed Report" in page and "Zed Stranger" not in page


def test_the_booking_page_draws_an_accessible_search_box(personas, login, session):
    page = login(personas.manager).get(f"/training/sessions/{session.pk}/book/").content.decode()
    assert 'role="combobox"' in page and 'aria-autocomplete="list"' in page
    assert 'hx-get="/technicians/people/search/?scope=team&amp;field=technician"' in page
    assert '<label for="id_technician">Who is this booking for?</label>' in page
    assert f'value="{personas.manager_profile.email}"' in page  # oneself, chosen first
    # Someone who can only book themself is not asked.
    own = login(personas.technician).get(f"/training/sessions/{session.pk}/book/")
    assert 'role="combobox"' not in own.content.decode()


def test_without_javascript_a_name_books_when_it_names_one_person(personas, login, session):
    alex = personas.technician_profile
    response = login(personas.manager).post(
        f"/training/sessions/{session.pk}/book/", {"technician": alex.full_name}
    )
    assert response.status_code == 302
    assert Booking.objects.get().technician == alex


def test_without_javascript_several_matches_are_listed_to_choose_from(personas, login, session):
    manager = personas.manager_profile
    one = factories.TechnicianFactory(first_name="Sam", last_name="One", line_manager=manager)
    two = factories.TechnicianFactory(first_name="Sam", last_name="Two", line_manager=manager)
    response = login(personas.manager).post(
        f"/training/sessions/{session.pk}/book/", {"technician": "sam"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Several people match “sam”" in page
    assert one.email in page and two.email in page
    assert not Booking.objects.exists()
    response = login(personas.manager).post(
        f"/training/sessions/{session.pk}/book/", {"technician": "Nobody Here"}
    )
    assert "Nobody you can choose here matches “Nobody Here”" in response.content.decode()


def test_the_action_owner_is_a_search_box_that_takes_a_name(personas, login):
    plan = factories.ActionPlanFactory()
    page = login(personas.steering).get(f"/action-plans/{plan.pk}/actions/new/")
    html = page.content.decode()
    assert 'role="combobox"' in html and "accounts=1" in html
    from actionplan.forms import OwnerField

    field = OwnerField()
    technician = personas.technician_profile
    assert field.clean(technician.full_name) == technician.user
    assert field.clean(technician.email) == technician.user
