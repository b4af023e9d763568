"""The unfiltered directory and Meet our technicians are the same for everyone of one
audience (the public, staff, HR): each page of cards is written once and kept under the
versions of all a card shows. Whoever looks, it must be exactly their own list, and a change
to anything a card shows must be seen at once."""

import re

import pytest
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext

from technicians.services import mark_leaver, update_profile
from tests import factories

pytestmark = pytest.mark.django_db

DIRECTORY = "/technicians/"
PUBLIC = "/meet-our-technicians/"


@pytest.fixture
def colleagues(personas, department):
    return {
        visibility: factories.TechnicianFactory(
            department=department, visibility=visibility, first_name=visibility.title()
        )
        for visibility in ("public", "internal", "private")
    }


def cards(client, path=DIRECTORY, **params) -> list[str]:
    page = client.get(path, params).content.decode()
    return re.findall(r'<article class="tech-card">.*?<h3><a href="[^"]+">([^<]+)</a>', page)


def card_queries(client, path=DIRECTORY) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "technicians_technician" INNER JOIN' in query["sql"]
    ]


def test_a_page_of_cards_is_written_once_for_all_staff(colleagues, personas, login):
    first = cards(login(personas.technician))
    assert card_queries(login(personas.manager)) == []
    assert cards(login(personas.manager)) == first
    assert "Internal " + colleagues["internal"].last_name in first


def test_each_audience_sees_its_own_list(colleagues, personas, login):
    staff = cards(login(personas.technician))
    everyone = cards(login(personas.hr))
    public = cards(login(None), PUBLIC)
    private = "Private " + colleagues["private"].last_name
    internal = "Internal " + colleagues["internal"].last_name
    assert private in everyone and private not in staff
    assert internal in staff and internal not in public
    assert cards(login(personas.manager), PUBLIC) == public  # signed in, the same public list


def test_a_private_profile_is_listed_for_its_owner_only(colleagues, personas, login):
    update_profile(personas.technician_profile, {"visibility": "private"}, by=personas.technician)
    mine = personas.technician_profile.full_name
    assert mine not in cards(login(personas.manager))
    assert mine in cards(login(personas.technician))  # their own list, written for them
    assert mine not in cards(login(personas.manager))


def test_a_profile_changed_through_the_service_is_seen_at_once(colleagues, personas, login):
    client = login(personas.manager)
    cards(client)
    update_profile(colleagues["internal"], {"visibility": "private"}, by=personas.hr)
    assert "Internal " + colleagues["internal"].last_name not in cards(client)
    renamed = colleagues["public"]
    renamed.first_name = "Renamed"  # as the staff list's import saves a new name
    renamed.save()
    assert "Renamed " + colleagues["public"].last_name in cards(client)
    assert "Renamed " + colleagues["public"].last_name in cards(login(None), PUBLIC)


def test_a_leaver_leaves_the_staff_list_at_once(colleagues, personas, login):
    client = login(personas.manager)
    cards(client)
    mark_leaver(colleagues["internal"], by=personas.hr)
    assert "Internal " + colleagues["internal"].last_name not in cards(client)


def test_a_department_renamed_is_seen_on_the_cards_at_once(colleagues, personas, login, department):
    client = login(personas.manager)
    cards(client)
    department.name = "Renamed Unit"
    department.save()
    assert "Renamed Unit" in client.get(DIRECTORY).content.decode()


def test_every_page_is_kept_apart(personas, login, department):
    for number in range(30):
        factories.TechnicianFactory(department=department, last_name=f"Person{number:02}")
    client = login(personas.manager)
    first, second = cards(client), cards(client, page=2)
    assert first and second and not set(first) & set(second)
    assert cards(login(personas.technician), page=2) == second


def test_the_live_search_partial_shows_the_kept_page(colleagues, personas, login):
    client = login(personas.manager)
    full = cards(client)
    partial = client.get(DIRECTORY, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-swap-oob="true"' in partial  # the count, swapped out of band
    assert re.findall(r'<h3><a href="[^"]+">([^<]+)</a>', partial) == full


# --- the search form of the unfiltered list ---------------------------------------------------


def search_form(client, path=DIRECTORY, **params):
    """The search form, parsed: the same elements, whatever the white space between them."""
    page = client.get(path, params).content.decode()
    start = page.rindex("<form", 0, page.index('role="search"'))
    return parse_html(page[start : page.index("</form>", start) + len("</form>")])


@pytest.mark.parametrize("who", ["technician", "hr"])
def test_the_kept_form_is_the_form_written_for_a_search(colleagues, personas, login, who):
    client = login(getattr(personas, who))
    kept = search_form(client)
    assert search_form(client) == kept
    assert search_form(client, q="") == kept  # written live: nothing searched yet
    assert search_form(client, page=2) == kept
    assert ('name="status"' in str(kept)) == (who == "hr")  # only HR filters leavers


def test_each_form_is_kept_for_those_who_see_it(colleagues, personas, login):
    assert 'name="status"' in str(search_form(login(personas.hr)))
    assert 'name="status"' not in str(search_form(login(personas.technician)))
    public = str(search_form(login(None), PUBLIC))
    assert 'name="faculty"' in public and 'name="department"' not in public


def test_the_form_follows_its_choices_at_once(colleagues, personas, login, department):
    from skills.models import Skill

    client = login(personas.technician)
    search_form(client)
    Skill.objects.create(name="Cryo-EM", category="Imaging")
    assert "Cryo-EM" in str(search_form(client))
    department.name = "Renamed Unit"
    department.save()
    assert "Renamed Unit" in str(search_form(client))
