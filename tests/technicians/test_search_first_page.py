"""A search and nothing else, first page, comes from SQL compiled once for each audience and
number of searched words (`selectors.first_page_of_search`): the same rows, order, count and
card data as the list's own queryset gives, and each viewer's own private profile only to
them."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from technicians import selectors
from technicians.filters import TechnicianFilter
from technicians.models import Technician
from technicians.permissions import list_audience
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
URL = "/technicians/"
Visibility = Technician.Visibility


@pytest.fixture
def welders(personas):
    """Thirty people who weld, of every visibility, two with a private profile of their own
    and an account, one who has left; and a few who do not weld."""
    department = personas.technician_profile.department
    arc, mig = (
        factories.SkillFactory(name="Arc welding"),
        factories.SkillFactory(name="MIG welding"),
    )
    people = []
    for n in range(30):
        visibility = (Visibility.PUBLIC, Visibility.INTERNAL, Visibility.PRIVATE)[n % 3]
        person = factories.TechnicianFactory(
            first_name=f"Wendy{n:02d}",
            last_name="Welder" if n % 4 else "Smith",
            job_title="Welding technician" if n % 5 == 0 else "Workshop technician",
            expertise="Welding and fabrication" if n % 2 else "Fabrication",
            visibility=visibility,
            department=department,
            is_active=n != 7,
        )
        factories.TechnicianSkillFactory(technician=person, skill=arc if n % 2 else mig, level=2)
        people.append(person)
    factories.TechnicianFactory(first_name="Paul", last_name="Painter", expertise="Painting")
    own = {}
    for n in (2, 5):  # private profiles with accounts
        user = factories.UserFactory(email=f"private{n}@example.ac.uk")
        people[n].user = user
        people[n].save(update_fields=["user"])
        own[n] = user
    return {"people": people, "own": own}


def the_querysets_page(user, text, *, public=False):
    """What the list's own queryset gives: the filter set's search, sorted, paged."""
    listed = selectors.public_technicians() if public else selectors.visible_technicians(user)
    searched = selectors.sort_technicians(selectors.search_technicians(listed, text), "relevance")
    return selectors.page_and_count(searched, start=0, size=24)


CARD_DATA = ("rank", "matching_count", "matching_skill_rows", "post_nominal_letters")


def assert_same_page(found, expected):
    (rows, count), (expected_rows, expected_count) = found, expected
    assert count == expected_count
    assert [row.pk for row in rows] == [row.pk for row in expected_rows]
    for row, same in zip(rows, expected_rows, strict=True):
        for name in CARD_DATA:
            assert getattr(row, name) == getattr(same, name), name
        assert row.department.name == same.department.name
        assert row.get_deferred_fields() == same.get_deferred_fields()


@pytest.mark.parametrize("text", ["welding", "arc welding", "welder -smith", '"mig welding"'])
def test_it_gives_what_the_lists_own_queryset_gives_to_every_audience(personas, welders, text):
    viewers = [personas.technician, personas.hr, welders["own"][2], AnonymousUser()]
    for viewer in viewers:
        audience = list_audience(viewer)
        found = selectors.first_page_of_search(
            audience=audience, user_id=viewer.pk, text=text, size=24
        )
        assert_same_page(found, the_querysets_page(viewer, text))
    public = selectors.first_page_of_search(audience="public", user_id=None, text=text, size=24)
    assert_same_page(public, the_querysets_page(None, text, public=True))


def test_each_member_of_staff_finds_their_own_private_profile_and_nobody_elses(personas, welders):
    two, five = (welders["people"][n] for n in (2, 5))
    for user, own, other in ((welders["own"][2], two, five), (welders["own"][5], five, two)):
        rows, count = selectors.first_page_of_search(
            audience="staff", user_id=user.pk, text="welder", size=50
        )
        found = {row.pk for row in rows}
        assert own.pk in found and other.pk not in found
        assert count == len(found)
    rows, _ = selectors.first_page_of_search(
        audience="staff", user_id=personas.technician.pk, text="welder", size=50
    )
    assert not {two.pk, five.pk} & {row.pk for row in rows}


def test_the_directory_compiles_a_plain_search_once(login, personas, welders, compiled):
    rows, count = the_querysets_page(personas.technician, "welding")
    client = login(personas.technician)
    first = client.get(URL, {"q": "welding"}).content.decode()
    before = len(compiled)
    again = client.get(URL, {"q": "welding"}).content.decode()
    assert not [model for model in compiled[before:] if model is Technician]
    assert without_csrf_token(again) == without_csrf_token(first)
    assert f"{count} technicians found." in again
    assert [again.index(f"{row.first_name} {row.last_name}") for row in rows] == sorted(
        again.index(f"{row.first_name} {row.last_name}") for row in rows
    )  # in the queryset's order
    other_word = client.get(URL, {"q": "fabrication"}).content.decode()
    assert not [model for model in compiled[before:] if model is Technician]
    assert "Wendy01 Welder" in other_word and "<mark>Fabrication</mark>" in other_word


def without_csrf_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.parametrize(
    "asked",
    [
        {"q": "welding", "page": "2"},
        {"q": "welding", "sort": "name"},
        {"q": "welding", "role_family": "laboratory"},
        {"q": "welding", "registered": "on"},
    ],
)
def test_anything_more_than_a_search_goes_through_the_filters(login, personas, welders, asked):
    """A later page, another order or any filter: the filter set's own queryset, whose
    pages the cards tests check."""
    response = login(personas.technician).get(URL, asked)
    assert response.status_code == 200
    page_obj, filterset = response.context["page_obj"], response.context["filter"]
    everyone = list(filterset.qs.values_list("pk", flat=True))
    start = (page_obj.number - 1) * 24
    assert [row.pk for row in page_obj] == everyone[start : start + 24]
    assert page_obj.paginator.count == len(everyone)


def test_a_plain_search_is_what_the_form_asks_as_sent(rf, personas):
    """A whole form sent with its other fields empty is a plain search; an unticked box sends
    nothing, a ticked one asks for a filter."""

    def plain(**data):
        request = rf.get(URL, data)
        request.user = personas.technician
        return TechnicianFilter(request.GET, queryset=Technician.objects.none(), request=request)

    assert plain(q=" welding ").plain_search() == "welding"
    everything_empty = {"faculty": "", "department": "", "skill": "", "sort": "", "page": "1"}
    assert plain(q="welding", **everything_empty).plain_search() == "welding"
    assert plain(q="welding", sort="relevance").plain_search() == "welding"
    assert plain(q="welding", registered="on").plain_search() is None
    assert plain(q="welding", sort="newest").plain_search() is None
    assert plain(q="   ").plain_search() is None
    assert plain(q="x" * 201).plain_search() is None  # refused by the form


SEARCHES = [
    {"q": "welding"},
    {"q": "  arc welding "},
    {"q": '"mig welding"'},
    {"q": "<b>welding</b> & 'smith'"},
    {"q": "nobody-here-welds-glass"},  # nobody matches
    # The whole form sent with Enter: every other field empty.
    {"q": "welding", "faculty": "", "department": "", "role_family": "", "sort": "", "page": "1"},
]


@pytest.mark.parametrize("asked", SEARCHES)
@pytest.mark.parametrize(
    "who, url", [("technician", URL), ("hr", URL), (None, "/meet-our-technicians/")]
)
def test_a_plain_search_page_is_the_filter_sets_page_without_one(
    login, client, personas, welders, monkeypatch, asked, who, url
):
    """A search and nothing else, first page, builds no filter set: the kept form stands for
    its form, with the text written into its box, and the page is the one the filter set
    gives, to the character (but for the blank space between tags)."""
    from technicians import views

    viewer = login(getattr(personas, who)) if who else client
    kept = viewer.get(url, asked)
    assert "filter" not in kept.context  # no filter set built
    monkeypatch.setattr(views, "_plain_search_page", lambda *args: None)
    built = viewer.get(url, asked)
    assert "filter" in built.context
    assert markup(kept) == markup(built)


def markup(response) -> str:
    """The page, but for the CSRF token and the blank space between tags (the kept form's
    fields are joined without the template's indentation)."""
    return re.sub(r">\s+<", "><", without_csrf_token(response.content.decode()))


def test_a_search_with_an_order_or_from_htmx_builds_its_filter_set(login, personas, welders):
    client = login(personas.technician)
    for asked, headers in (
        ({"q": "welding", "sort": "relevance"}, {}),
        ({"q": "welding"}, {"HX-Request": "true"}),
    ):
        assert "filter" in client.get(URL, asked, headers=headers).context
