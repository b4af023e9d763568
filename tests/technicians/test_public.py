"""Meet our technicians (/meet-our-technicians/): public profiles only, to anyone, without
e-mail addresses."""

import re

import pytest

from technicians.models import Technician
from technicians.search import refresh_search_vectors
from tests import factories

URL = "/meet-our-technicians/"


def names(response) -> list[str]:
    return re.findall(
        r'<h3><a href="/technicians/\d+/">([^<]+)</a></h3>', response.content.decode()
    )


@pytest.fixture
def people(db, department):
    arts = factories.DepartmentFactory(name="Fine Art", slug="fine-art", faculty="Faculty of Arts")
    public = Technician.Visibility.PUBLIC
    make = factories.TechnicianFactory
    return {
        "ines": make(
            first_name="Ines",
            last_name="Alvarez",
            email="ines@example.ac.uk",
            department=department,
            visibility=public,
            expertise="Electron microscopy",
        ),
        "kofi": make(
            first_name="Kofi",
            last_name="Mensah",
            email="kofi@example.ac.uk",
            department=arts,
            visibility=public,
            job_title="Print Studio Technician",
            expertise="Screen printing and etching",
        ),
        "internal": make(first_name="Ivy", last_name="Internal", department=department),
        "private": make(
            first_name="Pat", last_name="Private", department=department, visibility="private"
        ),
        "leaver": make(
            first_name="Les",
            last_name="Leaver",
            department=department,
            visibility=public,
            is_active=False,
        ),
    }


@pytest.mark.parametrize("persona", ["anonymous", "technician", "hr"])
def test_only_current_public_profiles_are_listed_whoever_looks(persona, people, personas, login):
    response = login(getattr(personas, persona)).get(URL)
    assert response.status_code == 200
    assert names(response) == ["Ines Alvarez", "Kofi Mensah"]


def test_no_personal_email_addresses_are_shown(people, login):
    """Only the departments' helpdesk addresses, never a person's."""
    from technicians.models import Department, Technician

    html = login(None).get(URL).content.decode()
    helpdesks = set(
        Department.objects.exclude(helpdesk_email="").values_list("helpdesk_email", flat=True)
    )
    for email in Technician.objects.values_list("email", flat=True):
        assert email not in html
    for address in re.findall(r'href="mailto:([^"]+)"', html):
        assert address in helpdesks


def test_meet_our_technicians_lists_the_departments_with_their_helpdesks(people, login):
    from technicians.models import Department

    html = login(None).get(URL).content.decode()
    for department in Department.objects.all():
        assert f'href="/technicians/departments/{department.slug}/"' in html
        if department.helpdesk_email:
            assert f'href="mailto:{department.helpdesk_email}"' in html


def test_a_department_renamed_or_given_a_helpdesk_is_shown_at_once(people, login):
    from technicians.models import Department

    login(None).get(URL)  # the departments are kept for the next visitor
    department = Department.objects.order_by("name").first()
    department.name = "Renamed Unit"
    department.helpdesk_email = "renamed.helpdesk@example.ac.uk"
    department.save()
    html = login(None).get(URL).content.decode()
    assert ">Renamed Unit</a> · " in html
    assert 'href="mailto:renamed.helpdesk@example.ac.uk"' in html


def test_the_departments_are_written_once_for_every_visitor(people, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = login(None).get(URL).content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = login(None).get(URL).content.decode()
    assert not [
        q
        for q in queries.captured_queries
        if 'FROM "technicians_department" ' in q["sql"] and "technicians_technician" not in q["sql"]
    ]
    listed = re.search(r'<ul class="department-list">.*?</ul>', first, re.S).group(0)
    assert listed in again


def test_an_empty_meet_our_technicians_says_nobody_is_public_yet(login, department):
    html = login(None).get(URL).content.decode()
    assert "Nobody has shared a public profile yet." in html
    assert "Nobody matches this search" not in html
    searched = login(None).get(URL, {"q": "welding"}).content.decode()
    assert "Nobody matches this search" in searched


def test_cards_link_to_profiles_that_anonymous_visitors_can_open(people, login):
    client = login(None)
    html = client.get(URL).content.decode()
    profile = f"/technicians/{people['kofi'].pk}/"
    assert f'href="{profile}"' in html
    response = client.get(profile)
    assert response.status_code == 200
    assert "Screen printing and etching" in response.content.decode()
    assert "kofi@example.ac.uk" not in response.content.decode()


def test_public_photos_show_on_the_cards(people, login):
    factories.attach_photo(people["ines"])
    client = login(None)
    html = client.get(URL).content.decode()
    match = re.search(rf'src="(/technicians/{people["ines"].pk}/photo/thumb/\?v=\w+)"', html)
    assert match
    assert client.get(match.group(1)).status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("alvarez", ["Ines Alvarez"]),
        ("microscopy", ["Ines Alvarez"]),
        ("printing", ["Kofi Mensah"]),
        ("internal", []),  # a hidden profile's name finds nothing
        ("leaver", []),
    ],
)
def test_search_by_name_or_expertise(query, expected, people, login):
    assert names(login(None).get(URL, {"q": query})) == expected


def test_filter_by_faculty(people, login):
    client = login(None)
    assert names(client.get(URL, {"faculty": "Faculty of Arts"})) == ["Kofi Mensah"]
    html = client.get(URL).content.decode()
    assert '<option value="Faculty of Arts">Faculty of Arts</option>' in html


def test_the_page_works_without_javascript_and_live_with_htmx(people, login):
    client = login(None)
    html = client.get(URL).content.decode()
    assert 'method="get" action="/meet-our-technicians/"' in html
    assert 'hx-get="/meet-our-technicians/"' in html and 'hx-target="#results"' in html
    partial = client.get(URL, {"q": "printing"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert names(partial) == ["Kofi Mensah"]


def test_public_profiles_are_paginated(department, login):
    Technician.objects.bulk_create(
        factories.TechnicianFactory.build_batch(30, department=department, visibility="public")
    )
    client = login(None)
    first, second = client.get(URL), client.get(URL, {"page": 2})
    assert len(names(first)) == 24 and len(names(second)) == 6
    assert "Page 1 of 2" in first.content.decode()


@pytest.mark.parametrize("size", [10, 300])
def test_the_public_page_runs_a_fixed_number_of_queries(
    size, department, login, django_assert_max_num_queries
):
    Technician.objects.bulk_create(
        factories.TechnicianFactory.build_batch(size, department=department, visibility="public")
    )
    refresh_search_vectors()  # what the bulk paths of the services do after bulk_create
    client = login(None)
    # The data versions, the faculties (kept under them for the next visitor), count, page,
    # the matching skills, registrations on cards.
    with django_assert_max_num_queries(7):
        response = client.get(URL, {"q": "technician"})
    assert len(names(response)) == min(size, 24)
    with django_assert_max_num_queries(6):  # the faculties, as kept
        response = client.get(URL, {"q": "technician"})
    assert len(names(response)) == min(size, 24)
