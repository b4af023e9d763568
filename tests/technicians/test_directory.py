"""The directory (/technicians/): search, filters, sort, pages, htmx, visibility, query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skills.models import TechnicianSkill
from technicians import search, selectors
from technicians.models import Technician
from tests import factories

URL = "/technicians/"


def names(response) -> list[str]:
    """The names on the cards, in page order."""
    html = response.content.decode()
    return re.findall(r'<h3><a href="/technicians/\d+/">([^<]+)</a></h3>', html)


def make_many(count, department, **fields):
    """Many technicians at once (one INSERT), for pagination and query-count tests, found by
    the search as the bulk paths leave them (technicians.search)."""
    made = Technician.objects.bulk_create(
        factories.TechnicianFactory.build_batch(count, department=department, **fields)
    )
    search.refresh_search_vectors(technician.pk for technician in made)
    return made


@pytest.fixture
def world(personas):
    """A small directory: two faculties, skills at several levels."""
    chemistry = personas.technician_profile.department
    engineering = factories.DepartmentFactory(
        name="Mechanical Engineering", slug="mech-eng", faculty="Faculty of Engineering"
    )
    tech = factories.TechnicianFactory
    people = {
        "mira": tech(
            first_name="Mira",
            last_name="Okafor",
            job_title="Mass Spectrometry Facility Manager",
            department=chemistry,
            expertise="Proteomics and metabolomics sample preparation.",
            started_on="2015-09-01",
        ),
        "tom": tech(
            first_name="Tom",
            last_name="Baxter",
            job_title="Workshop Technician",
            role_family=Technician.RoleFamily.ENGINEERING,
            department=engineering,
            equipment="CNC milling machine, 5-axis lathe",
            started_on="2023-01-09",
        ),
        "lena": tech(
            first_name="Lena",
            last_name="Zhou",
            job_title="Research Technician",
            department=engineering,
            expertise="Fatigue testing of composites",
            started_on="2019-04-01",
        ),
        "private": tech(
            first_name="Pia",
            last_name="Private",
            job_title="Spectrometry Technician",
            department=chemistry,
            visibility=Technician.Visibility.PRIVATE,
        ),
        "leaver": tech(
            first_name="Lee",
            last_name="Leaver",
            job_title="Spectrometry Technician",
            department=chemistry,
            is_active=False,
        ),
    }
    welding = factories.SkillFactory(name="TIG welding", category="Engineering")
    hplc = factories.SkillFactory(name="HPLC", category="Analytical")
    factories.TechnicianSkillFactory(technician=people["tom"], skill=welding, level=4)
    factories.TechnicianSkillFactory(technician=people["lena"], skill=welding, level=2)
    factories.TechnicianSkillFactory(technician=people["mira"], skill=hplc, level=3)
    people.update(chemistry=chemistry, engineering=engineering, welding=welding, hplc=hplc)
    return people


@pytest.fixture
def staff_client(personas, login):
    return login(personas.steering)


# --- who sees what ------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/technicians/")


def test_staff_see_current_public_and_internal_profiles_only(world, staff_client):
    shown = names(staff_client.get(URL))
    assert {"Mira Okafor", "Tom Baxter", "Lena Zhou", "Alex Tech", "Morgan Manager"} <= set(shown)
    assert "Pia Private" not in shown
    assert "Lee Leaver" not in shown


def test_a_technician_sees_their_own_private_profile(world, personas, login):
    world["private"].user = factories.UserFactory()
    world["private"].save()
    shown = names(login(world["private"].user).get(URL))
    assert "Pia Private" in shown
    assert "Pia Private" not in names(login(personas.technician).get(URL))


def test_hr_and_administrators_see_everyone_including_leavers(world, personas, login):
    for persona in (personas.hr, personas.admin):
        response = login(persona).get(URL)
        assert {"Pia Private", "Lee Leaver"} <= set(names(response))
        assert "Has left" in response.content.decode()


def test_cards_show_photo_or_initials_job_title_and_department(world, staff_client):
    factories.attach_photo(world["mira"])
    html = staff_client.get(URL).content.decode()
    assert f'src="/technicians/{world["mira"].pk}/photo/thumb/?v=' in html
    assert '<span class="avatar" aria-hidden="true">TB</span>' in html
    assert "Mass Spectrometry Facility Manager" in html
    assert "Mechanical Engineering" in html
    assert "@example.ac.uk" not in html.split("<main", 1)[1].split("</main>", 1)[0]


# --- search -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("okafor", ["Mira Okafor"]),  # name
        ("workshop", ["Tom Baxter"]),  # job title
        ("composites", ["Lena Zhou"]),  # expertise
        ("lathe", ["Tom Baxter"]),  # equipment
        ("HPLC", ["Mira Okafor"]),  # skill
        ("welding", ["Tom Baxter", "Lena Zhou"]),  # skill, two people
        ("nothing-like-this", []),
    ],
)
def test_search_looks_in_name_job_title_expertise_equipment_and_skills(
    world, staff_client, query, expected
):
    response = staff_client.get(URL, {"q": query, "sort": "name"})
    assert sorted(names(response)) == sorted(expected)


def test_search_never_reveals_hidden_profiles(world, staff_client):
    assert names(staff_client.get(URL, {"q": "spectrometry"})) == ["Mira Okafor"]


def test_searching_with_no_match_says_so(world, staff_client):
    html = staff_client.get(URL, {"q": "unobtainium"}).content.decode()
    assert "No technicians match." in html
    assert "Nobody matches this search" in html


def test_the_simple_search_needs_every_word(world):
    found = selectors._simple_search(Technician.objects.all(), "tom lathe")
    assert [t.full_name for t in found] == ["Tom Baxter"]
    assert not selectors._simple_search(Technician.objects.all(), "tom composites").exists()


def test_the_simple_search_ranks_names_above_job_titles_above_the_rest(world):
    world["lena"].expertise = "Sample preparation for Okafor's group"
    world["lena"].save()
    found = selectors._simple_search(Technician.objects.all(), "okafor").order_by("-rank")
    assert [t.full_name for t in found] == ["Mira Okafor", "Lena Zhou"]


@pytest.mark.postgres
def test_postgres_full_text_search_is_ranked_and_understands_web_syntax(world, staff_client):
    world["lena"].expertise = "Fatigue testing; sample preparation for mass spectrometry"
    world["lena"].save()
    # Stemming: "spectrometers" finds "spectrometry"? No: but "testing" finds "tests".
    assert names(staff_client.get(URL, {"q": "tests"})) == ["Lena Zhou"]
    # Ranked: Mira has it in her job title (weight B), Lena only in her expertise (weight C).
    assert names(staff_client.get(URL, {"q": "spectrometry"})) == ["Mira Okafor", "Lena Zhou"]
    # websearch syntax: a minus excludes, quotes make a phrase.
    assert names(staff_client.get(URL, {"q": "spectrometry -fatigue"})) == ["Mira Okafor"]
    assert names(staff_client.get(URL, {"q": '"mass spectrometry"'})) == [
        "Mira Okafor",
        "Lena Zhou",
    ]
    assert names(staff_client.get(URL, {"q": '"spectrometry mass"'})) == []
    # Skills are searched too (through a subquery, no duplicate rows).
    assert names(staff_client.get(URL, {"q": "welding", "sort": "name"})) == [
        "Tom Baxter",
        "Lena Zhou",
    ]


@pytest.mark.postgres
def test_postgres_search_uses_the_full_text_engine(world):
    found = selectors.search_technicians(Technician.objects.all(), "workshop")
    sql = str(found.query)
    # The stored vector (technicians.search), not one built for every row of every query.
    assert '"search_vector" @@' in sql and "websearch_to_tsquery" in sql and "ts_rank" in sql
    assert "to_tsvector" not in sql


# --- filters ------------------------------------------------------------------------------


def test_filter_by_faculty(world, staff_client):
    shown = names(staff_client.get(URL, {"faculty": "Faculty of Engineering"}))
    assert sorted(shown) == ["Lena Zhou", "Tom Baxter"]


def test_filter_by_department(world, staff_client):
    shown = names(staff_client.get(URL, {"department": "chemistry"}))
    assert set(shown) == {"Mira Okafor", "Alex Tech", "Morgan Manager"}


def test_filter_by_role_family(world, staff_client):
    assert names(staff_client.get(URL, {"role_family": "engineering"})) == ["Tom Baxter"]


def test_filter_by_skill(world, staff_client):
    shown = names(staff_client.get(URL, {"skill": world["welding"].pk}))
    assert sorted(shown) == ["Lena Zhou", "Tom Baxter"]


def test_filter_by_skill_and_minimum_level(world, staff_client):
    response = staff_client.get(URL, {"skill": world["welding"].pk, "min_level": "3"})
    assert names(response) == ["Tom Baxter"]


def test_filter_by_minimum_level_in_any_skill(world, staff_client):
    assert sorted(names(staff_client.get(URL, {"min_level": "3"}))) == [
        "Mira Okafor",
        "Tom Baxter",
    ]


def test_filters_combine_with_search(world, staff_client):
    response = staff_client.get(
        URL, {"q": "welding", "faculty": "Faculty of Engineering", "min_level": "2"}
    )
    assert sorted(names(response)) == ["Lena Zhou", "Tom Baxter"]


def test_an_unknown_filter_value_is_reported_not_a_crash(world, staff_client):
    response = staff_client.get(URL, {"role_family": "astronaut", "min_level": "9"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_filter_form_lists_faculties_departments_and_skills(world, staff_client):
    html = staff_client.get(URL).content.decode()
    assert '<option value="Faculty of Engineering">' in html
    assert '<option value="mech-eng">Mechanical Engineering</option>' in html
    assert f'<option value="{world["welding"].pk}">TIG welding</option>' in html


# --- sort ---------------------------------------------------------------------------------


def test_sorted_by_surname_by_default(world, staff_client):
    shown = names(staff_client.get(URL))
    surnames = [name.split()[-1] for name in shown]
    assert surnames == sorted(surnames)


def test_sort_by_department(world, staff_client):
    shown = names(staff_client.get(URL, {"sort": "department"}))
    assert shown == ["Morgan Manager", "Mira Okafor", "Alex Tech", "Tom Baxter", "Lena Zhou"]


def test_sort_newest_first(world, staff_client):
    shown = names(staff_client.get(URL, {"sort": "newest"}))
    assert shown[:3] == ["Tom Baxter", "Lena Zhou", "Mira Okafor"]


def test_relevance_without_a_search_falls_back_to_name(world, staff_client):
    assert names(staff_client.get(URL, {"sort": "relevance"})) == names(staff_client.get(URL))


# --- pages and htmx -----------------------------------------------------------------------


def test_24_technicians_a_page(personas, staff_client):
    make_many(50, personas.technician_profile.department)  # 52 with the personas
    first = staff_client.get(URL)
    assert len(names(first)) == 24
    assert "Page 1 of 3" in first.content.decode()
    assert "52 technicians found, showing 1–24." in first.content.decode()
    third = staff_client.get(URL, {"page": 3})
    assert len(names(third)) == 4
    assert not set(names(first)) & set(names(third))
    assert len(names(staff_client.get(URL, {"page": "999"}))) == 4  # last page
    assert len(names(staff_client.get(URL, {"page": "abc"}))) == 24  # first page


def test_a_search_counts_its_results_in_the_query_that_reads_the_page(personas, staff_client):
    make_many(50, personas.technician_profile.department, job_title="Glassblower")
    with CaptureQueriesContext(connection) as queries:
        first = staff_client.get(URL, {"q": "glassblower"}).content.decode()
    assert "50 technicians found, showing 1–24." in first
    assert not [q["sql"] for q in queries if 'AS "__count"' in q["sql"]]  # not run twice
    third = staff_client.get(URL, {"q": "glassblower", "page": 3}).content.decode()
    assert "50 technicians found, showing 49–50." in third
    assert len(names(staff_client.get(URL, {"q": "glassblower", "page": 3}))) == 2


def test_a_search_page_beyond_the_last_shows_the_last(personas, staff_client):
    make_many(30, personas.technician_profile.department, job_title="Glassblower")
    html = staff_client.get(URL, {"q": "glassblower", "page": 99}).content.decode()
    assert "30 technicians found, showing 25–30." in html
    assert "Page 2 of 2" in html


def test_a_search_that_finds_nobody_says_so(world, staff_client):
    with CaptureQueriesContext(connection) as queries:
        html = staff_client.get(URL, {"q": "zeppelin"}).content.decode()
    assert "No technicians match." in html
    assert "Nobody matches this search." in html
    assert not [q["sql"] for q in queries if 'AS "__count"' in q["sql"]]


def test_page_links_keep_the_search_and_filters(personas, staff_client):
    make_many(30, personas.technician_profile.department, job_title="Glassblower")
    html = staff_client.get(URL, {"q": "glassblower", "sort": "name"}).content.decode()
    assert 'href="?q=glassblower&amp;sort=name&amp;page=2"' in html


def test_the_form_works_without_javascript(world, staff_client):
    html = staff_client.get(URL).content.decode()
    form = re.search(r"<form[^>]*role=\"search\"[^>]*>", html).group(0)
    assert 'method="get"' in form and 'action="/technicians/"' in form
    assert '<button type="submit">Show results</button>' in html
    assert '<label for="id_q">Search</label>' in html


def test_the_form_filters_live_with_htmx(world, staff_client):
    html = staff_client.get(URL).content.decode()
    form = re.search(r"<form[^>]*role=\"search\"[^>]*>", html).group(0)
    assert 'hx-get="/technicians/"' in form
    assert 'hx-target="#results"' in form
    assert 'hx-push-url="true"' in form
    assert "delay:" in form and "change" in form
    assert '<div id="results">' in html


def test_an_htmx_request_gets_only_the_results(world, staff_client):
    response = staff_client.get(URL, {"q": "welding"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert sorted(names(response)) == ["Lena Zhou", "Tom Baxter"]
    assert 'id="results-count"' in html and 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(world, staff_client):
    response = staff_client.get(
        URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_a_full_request_gets_the_whole_page(world, staff_client):
    html = staff_client.get(URL, {"q": "welding"}).content.decode()
    assert "<html" in html and "<h1>Technician directory</h1>" in html
    assert "hx-swap-oob" not in html


# --- constant query count -----------------------------------------------------------------

# 12: with the register filter's choices and the cards' post-nominals (one prefetch a page);
# 13 when searching: the matching skills the cards show (one prefetch a page).
DIRECTORY_QUERIES = 13


def _directory_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("size", [10, 300])
@pytest.mark.parametrize("filtered", [False, True], ids=["plain", "search-and-filters"])
def test_the_directory_runs_a_fixed_number_of_queries(
    size, filtered, personas, login, django_assert_max_num_queries
):
    department = personas.technician_profile.department
    technicians = make_many(size, department)
    skill = factories.SkillFactory(name="Soldering")
    TechnicianSkill.objects.bulk_create(
        TechnicianSkill(technician=t, skill=skill, level=2) for t in technicians
    )
    search.refresh_search_vectors(t.pk for t in technicians)
    params = (
        {"q": "technician", "faculty": department.faculty, "skill": skill.pk, "min_level": "2"}
        if filtered
        else {}
    )
    client = login(personas.technician)
    client.get(URL)  # the session and caches are warm from here
    with django_assert_max_num_queries(DIRECTORY_QUERIES):
        response = client.get(URL, params)
    assert len(names(response)) == min(size if filtered else size + 2, 24)


def test_the_directory_query_count_does_not_grow_with_the_data(personas, login):
    department = personas.technician_profile.department
    client = login(personas.hr)
    make_many(10, department)
    client.get(URL)
    small, _ = _directory_queries(client, {"q": "technician"})
    make_many(290, department)
    large, response = _directory_queries(client, {"q": "technician"})
    assert small == large
    assert len(names(response)) == 24


# --- department pages ---------------------------------------------------------------------


def test_a_department_page_lists_its_visible_technicians_and_its_helpdesk(world, staff_client):
    chemistry = world["chemistry"]
    chemistry.helpdesk_email = "chem-help@example.ac.uk"
    chemistry.save()
    response = staff_client.get(f"/technicians/departments/{chemistry.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Chemistry</h1>" in html
    assert 'href="mailto:chem-help@example.ac.uk"' in html
    assert sorted(names(response)) == ["Alex Tech", "Mira Okafor", "Morgan Manager"]


def test_a_department_page_shows_hr_its_private_profiles_and_leavers(world, personas, login):
    response = login(personas.hr).get(f"/technicians/departments/{world['chemistry'].slug}/")
    assert {"Pia Private", "Lee Leaver"} <= set(names(response))


def test_department_pages_are_public_with_public_profiles_and_the_helpdesk(world, login):
    """Students find the technical helpdesk without logging in; visitors see public profiles
    only, and the cards do not repeat the department."""
    from technicians.models import Department, Technician

    department = Department.objects.get(slug="chemistry")
    department.helpdesk_email = "chem-help@example.ac.uk"
    department.save()
    response = login(None).get("/technicians/departments/chemistry/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="mailto:chem-help@example.ac.uk"' in html
    shown = {technician.pk for technician in response.context["page_obj"]}
    public = set(
        Technician.objects.filter(
            department=department, is_active=True, visibility="public"
        ).values_list("pk", flat=True)
    )
    assert shown == public
    assert html.count(f'<p class="card-line muted">{department.name}</p>') == 0


def test_an_unknown_department_is_not_found(world, staff_client):
    assert staff_client.get("/technicians/departments/alchemy/").status_code == 404


@pytest.mark.parametrize("size", [10, 300])
def test_a_department_page_runs_a_fixed_number_of_queries(
    size, personas, login, django_assert_max_num_queries
):
    department = personas.technician_profile.department
    make_many(size, department)
    client = login(personas.technician)
    client.get("/")
    with django_assert_max_num_queries(8):  # 8: with the cards' post-nominals (one prefetch)
        response = client.get(f"/technicians/departments/{department.slug}/")
    assert len(names(response)) == min(size + 2, 24)


# --- the list rule and the profile rule agree ---------------------------------------------


@pytest.mark.parametrize(
    "persona", ["anonymous", "technician", "manager", "steering", "coordinator", "hr", "admin"]
)
def test_lists_show_exactly_the_profiles_the_profile_rule_allows(persona, world, personas):
    from technicians.permissions import can_view_technician, visible_technicians_filter

    # Alex owns a private profile, and Morgan a leaver's: owners are a case of their own.
    for profile, owned in (
        (personas.technician_profile, "private"),
        (personas.manager_profile, "leaver"),
    ):
        world[owned].user, profile.user = profile.user, None
        profile.save()
        world[owned].save()
    user = getattr(personas, persona)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    listed = set(Technician.objects.filter(visible_technicians_filter(user)))
    allowed = {t for t in Technician.objects.all() if can_view_technician(user, t)}
    assert listed == allowed
