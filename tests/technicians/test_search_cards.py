"""The directory says why a person matched a search, names its sort order, and numbers its
pages."""

import re

import pytest

from technicians.models import Technician
from tests import factories

URL = "/technicians/"


@pytest.fixture
def confocal(personas):
    department = personas.technician_profile.department
    person = factories.TechnicianFactory(
        first_name="Iris",
        last_name="Imaging",
        job_title="Imaging Technician",
        department=department,
        expertise="Live-cell imaging. Confocal microscopy training for students",
        equipment="Zeiss LSM 880 confocal, Leica SP8",
    )
    factories.TechnicianSkillFactory(
        technician=person, skill=factories.SkillFactory(name="Confocal microscopy"), level=3
    )
    factories.TechnicianSkillFactory(
        technician=person, skill=factories.SkillFactory(name="Welding"), level=2
    )
    return person


def card_of(html: str, name: str) -> str:
    start = html.index(name)
    return html[start : html.index("</article>", start)]


@pytest.mark.django_db
def test_a_search_result_says_why_the_person_matched(login, personas, confocal):
    html = login(personas.technician).get(URL, {"q": "confocal"}).content.decode()
    card = card_of(html, "Iris Imaging")
    assert "<mark>Confocal</mark> microscopy, expert" in card
    assert "Zeiss LSM 880 <mark>confocal</mark>" in card
    assert "Welding" not in card  # only what matched


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_matching_skills_come_with_the_results_own_query(login, personas, confocal):
    """On PostgreSQL a card's matching skills are read by the results' query (a subquery run
    for the page's rows), not by a query of their own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(personas.technician)
    client.get(URL, {"q": "confocal welding"})
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL, {"q": "confocal welding"}).content.decode()
    card = card_of(html, "Iris Imaging")
    assert "<mark>Confocal</mark> microscopy, expert" in card
    assert "<mark>Welding</mark>, practitioner" in card
    assert not [
        q
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "technicians_technicianskill".')
    ]


@pytest.mark.django_db
def test_a_searched_list_reads_only_what_its_cards_show(login, personas, confocal):
    """The page's rows are read without the bio and the stored vector, which no card shows
    (the ranking reads the vector in the database)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(personas.technician)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL, {"q": "confocal"}).content.decode()
    assert "Iris Imaging" in html
    [listed] = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "technicians_technician".')
    ]
    columns = listed[: listed.index(" FROM ")]
    assert '"technicians_technician"."first_name"' in columns
    assert ', "technicians_technician"."bio"' not in columns
    assert ', "technicians_technician"."search_vector"' not in columns


@pytest.mark.django_db
def test_the_reasons_are_escaped(login, personas, department):
    factories.TechnicianFactory(
        first_name="Sly",
        last_name="Script",
        department=department,
        expertise="<script>alert(1)</script> laser cutting",
    )
    html = login(personas.technician).get(URL, {"q": "laser"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_public_search_cards_say_why_too(login, personas, confocal):
    confocal.visibility = "public"
    confocal.save()
    html = login(None).get("/meet-our-technicians/", {"q": "confocal"}).content.decode()
    assert "<mark>Confocal</mark> microscopy, expert" in card_of(html, "Iris Imaging")


def sort_options(html: str) -> list[tuple[str, str]]:
    select = re.search(r'<select name="sort".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


@pytest.mark.django_db
def test_the_sort_box_names_the_order_it_gives(login, personas, confocal):
    client = login(personas.technician)
    plain = sort_options(client.get(URL).content.decode())
    assert plain[0] == ("", "Name")
    assert "Best match" not in dict(plain).values()
    searched = sort_options(client.get(URL, {"q": "confocal"}).content.decode())
    assert searched[0] == ("", "Best match")
    assert ("name", "Name") in searched


@pytest.mark.django_db
def test_a_live_search_updates_the_sort_box(login, personas, confocal):
    response = login(personas.technician).get(
        URL, {"q": "confocal"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    html = response.content.decode()
    assert 'id="field-sort" hx-swap-oob="true"' in html
    assert sort_options(html)[0] == ("", "Best match")


@pytest.mark.django_db
def test_pages_are_numbered(login, personas, department):
    Technician.objects.bulk_create(
        factories.TechnicianFactory.build_batch(24 * 6, department=department)
    )
    html = login(personas.technician).get(URL, {"page": 3}).content.decode()
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group(0)
    numbers = re.findall(r'<span class="visually-hidden">Page </span>(\d+)</a>', nav)
    assert numbers == ["1", "2", "3", "4", "5", "6", "7"]
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page </span>3<', nav)
    assert 'rel="prev"' in nav and 'rel="next"' in nav


def card_names(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/technicians/\d+/">([^<]+)</a>', html)


@pytest.mark.django_db
def test_a_searched_list_is_paged_and_counted_without_carrying_every_row(
    login, personas, department
):
    """Each match once, page after page, in the list's order, with the count of them all.
    The page is picked by keys and sort values alone; the whole list's rows are never read to
    count them (a window over the full rows: technicians.selectors.page_and_count)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    welders = factories.TechnicianFactory.create_batch(
        30, department=department, job_title="Welding Technician"
    )
    client = login(personas.technician)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(URL, {"q": "welding", "sort": "name"}).content.decode()
    [listed] = [  # read before the next request, which empties the log
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "technicians_technician".')
    ]
    second = client.get(URL, {"q": "welding", "sort": "name", "page": 2}).content.decode()
    beyond = client.get(URL, {"q": "welding", "sort": "name", "page": 9}).content.decode()
    in_order = [
        w.full_name for w in sorted(welders, key=lambda w: (w.last_name, w.first_name, w.pk))
    ]
    assert card_names(first) + card_names(second) == in_order
    assert "30 technicians found, showing 1–24." in first
    assert "30 technicians found, showing 25–30." in second
    assert card_names(beyond) == in_order[24:]  # the last page, as Django's paginator gives
    assert " OVER " not in listed


@pytest.mark.django_db
def test_a_search_nobody_matches_says_so(login, personas):
    html = login(personas.technician).get(URL, {"q": "zzyzx"}).content.decode()
    assert card_names(html) == []
    assert "No technicians match." in html
