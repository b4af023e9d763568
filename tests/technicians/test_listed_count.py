"""The unfiltered directory and Meet our technicians say how many people they list without
counting them on every request: the count is kept per audience under the "profiles" version,
and must always be the list's own count, whoever looks and whatever just changed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from technicians import selectors
from technicians.services import update_profile
from technicians.staff_list import apply_staff_import
from tests import factories
from tests.skills.test_leavers import staff_list_without

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleagues(personas, department):
    return [
        factories.TechnicianFactory(department=department, visibility=visibility)
        for visibility in ("public", "public", "internal", "internal", "private")
    ]


def shown(response) -> int:
    text = response.content.decode()
    found = re.search(r"([\d,]+) technicians? found", text)
    return int(found.group(1).replace(",", "")) if found else 0


def directory_count(client) -> int:
    return shown(client.get("/technicians/"))


def public_count(client) -> int:
    return shown(client.get("/meet-our-technicians/"))


@pytest.mark.parametrize("who", ["technician", "manager", "hr", "admin"])
def test_the_directory_says_how_many_it_lists(colleagues, personas, login, who):
    user = getattr(personas, who)
    client = login(user)
    assert directory_count(client) == selectors.visible_technicians(user).count()
    assert shown(client.get("/technicians/?page=2")) == selectors.visible_technicians(user).count()


def test_a_private_profile_counts_for_its_owner_only(colleagues, personas, login):
    before = directory_count(login(personas.manager))
    update_profile(personas.technician_profile, {"visibility": "private"}, by=personas.technician)
    assert directory_count(login(personas.technician)) == before
    assert directory_count(login(personas.manager)) == before - 1
    expected = selectors.visible_technicians(personas.technician).count()
    assert directory_count(login(personas.technician)) == expected


def test_meet_our_technicians_counts_public_profiles(colleagues, personas, client):
    assert public_count(client) == selectors.public_technicians().count() == 2
    update_profile(colleagues[2], {"visibility": "public"}, by=personas.hr)
    assert public_count(client) == 3


def test_leavers_leave_the_counts_at_once(colleagues, personas, login, client):
    staff_before, public_before = directory_count(login(personas.manager)), public_count(client)
    apply_staff_import(staff_list_without(colleagues[0]), by=personas.hr, confirmed_leavers=1)
    assert directory_count(login(personas.manager)) == staff_before - 1
    assert public_count(client) == public_before - 1


def test_a_second_look_counts_nothing(colleagues, personas, login):
    client = login(personas.technician)
    directory_count(client)
    with CaptureQueriesContext(connection) as queries:
        directory_count(client)
    assert not any("COUNT(*)" in query["sql"] for query in queries)


def test_a_search_or_a_filter_is_counted_as_asked(colleagues, personas, login):
    client = login(personas.manager)
    everyone = directory_count(client)
    assert shown(client.get("/technicians/", {"q": colleagues[2].last_name})) < everyone
