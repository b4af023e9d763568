"""What each unit needs (UnitSkillNeed): the database's rules, the services and who may use
them, risk judged only against needs and at its boundaries, the five worst risks on the
dashboard, the full list, the needs page, and constant query counts at two sizes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from portal import versions
from skills import risk as rules
from skills import selectors, services
from skills.models import Skill, UnitSkillNeed
from technicians import services as technician_services
from technicians.models import Department, Technician
from tests import factories
from tests.skills.test_views import build, hold, need, render_panel

pytestmark = pytest.mark.django_db

NEEDS = "/technicians/skills/needs/"
RISKS = "/technicians/skills/risks/"


@pytest.fixture
def chemistry(personas):
    return personas.technician_profile.department


@pytest.fixture
def nmr(db):
    return factories.SkillFactory(name="NMR spectroscopy", category="Analytical")


def holders(department, skill, *levels):
    """New technicians of `department` holding `skill` at these levels."""
    for level in levels:
        hold(factories.TechnicianFactory(department=department), skill, level)


# --- the database -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("with_department", "faculty"),
    [(True, "Faculty of Science"), (False, "")],
    ids=["both", "none"],
)
def test_a_need_names_exactly_one_unit(chemistry, nmr, with_department, faculty):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitSkillNeed.objects.create(
            skill=nmr,
            department=chemistry if with_department else None,
            faculty=faculty,
            min_holders=2,
        )


def test_one_need_per_unit_and_skill(chemistry, nmr):
    need(nmr, department=chemistry)
    need(nmr, faculty=chemistry.faculty)  # the faculty is another unit
    with pytest.raises(IntegrityError), transaction.atomic():
        need(nmr, department=chemistry, wanted=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        need(nmr, faculty=chemistry.faculty, wanted=3)


# --- the services -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["hr", "steering"])
def test_hr_and_the_steering_group_set_and_remove_needs(personas, chemistry, nmr, who):
    by = getattr(personas, who)
    made = services.set_skill_need(nmr, department=chemistry, min_holders=3, by=by)
    assert (made.department, made.faculty, made.min_holders, made.updated_by) == (
        chemistry,
        "",
        3,
        by,
    )
    services.set_skill_need(nmr, department=chemistry, min_holders=4, by=by)
    assert UnitSkillNeed.objects.get().min_holders == 4  # changed, not added
    services.set_skill_need(nmr, faculty=f"  {chemistry.faculty} ", min_holders=2, by=by)
    assert UnitSkillNeed.objects.filter(faculty=chemistry.faculty).exists()
    assert services.remove_skill_need(nmr, department=chemistry, by=by)
    assert not services.remove_skill_need(nmr, department=chemistry, by=by)
    assert list(UnitSkillNeed.objects.values_list("faculty", flat=True)) == [chemistry.faculty]


@pytest.mark.parametrize("who", ["technician", "manager", "coordinator"])
def test_nobody_else_declares_needs(personas, chemistry, nmr, who):
    with pytest.raises(PermissionDenied, match="Only HR and the steering group"):
        services.set_skill_need(nmr, department=chemistry, min_holders=2, by=getattr(personas, who))
    with pytest.raises(PermissionDenied):
        services.set_unit_skill_needs(
            department=chemistry, needs={nmr.pk: 2}, by=getattr(personas, who)
        )
    assert not UnitSkillNeed.objects.exists()


@pytest.mark.parametrize(
    ("unit", "wanted", "message"),
    [
        ({"department": "chemistry", "faculty": "Faculty of Science"}, 2, "not both"),
        ({}, 2, "not both"),
        ({"faculty": "Faculty of Nowhere"}, 2, "no faculty called"),
        ({"department": "chemistry"}, 0, "from 1 to 50"),
        ({"department": "chemistry"}, 51, "from 1 to 50"),
        ({"department": "chemistry"}, "two", "from 1 to 50"),
    ],
)
def test_a_bad_need_is_refused_in_a_sentence(personas, chemistry, nmr, unit, wanted, message):
    if unit.get("department"):
        unit["department"] = chemistry
    with pytest.raises(ValidationError, match=message):
        services.set_skill_need(nmr, **unit, min_holders=wanted, by=personas.hr)
    assert not UnitSkillNeed.objects.exists()


def test_a_units_needs_are_saved_in_one_go(personas, chemistry, nmr):
    hplc = factories.SkillFactory(name="HPLC", category="Analytical")
    welding = factories.SkillFactory(name="Welding", category="Engineering")
    need(nmr, department=chemistry, wanted=2)
    need(welding, department=chemistry, wanted=2)
    counts = services.set_unit_skill_needs(
        department=chemistry, needs={nmr.pk: 3, hplc.pk: 2, welding.pk: None}, by=personas.hr
    )
    assert counts == {"added": 1, "changed": 1, "removed": 1}
    assert selectors.current_needs(department=chemistry) == {nmr.pk: 3, hplc.pk: 2}
    # A bad number anywhere: nothing changes.
    with pytest.raises(ValidationError, match="HPLC"):
        services.set_unit_skill_needs(
            department=chemistry, needs={nmr.pk: 5, hplc.pk: 0}, by=personas.hr
        )
    assert selectors.current_needs(department=chemistry) == {nmr.pk: 3, hplc.pk: 2}


# --- risk only against needs, at its boundaries ------------------------------------------


@pytest.mark.parametrize(
    ("levels", "wanted", "expected"),
    [
        ((4, 2, 2), 3, "covered"),  # exactly the holders wanted, one can train others
        ((4, 2), 3, "thin"),  # one below
        ((4, 2), 2, "covered"),  # exactly met
        ((4,), 2, "single_point"),  # one below, and only one person
        ((2, 2, 3), 3, "thin"),  # enough holders, nobody to train others
        ((1, 1), 2, "none"),  # only aware: nobody at practitioner level
        ((), 2, "none"),
    ],
)
def test_risk_against_a_need_at_the_boundaries(chemistry, nmr, levels, wanted, expected):
    unit = factories.DepartmentFactory(name="Unit", slug="unit", faculty="Faculty of Unit")
    holders(unit, nmr, *levels)
    assert rules.risk(nmr, Technician.objects.filter(department=unit), wanted=wanted) == expected
    need(nmr, department=unit, wanted=wanted)
    (judged,) = selectors.judged_needs()
    assert (judged.risk, judged.is_met) == (expected, expected == "covered")
    assert judged.short_by == max(wanted - sum(level >= 2 for level in levels), 0)


def test_risk_without_a_need_is_the_setting(chemistry, nmr, settings):
    unit = factories.DepartmentFactory(name="Unit", slug="unit", faculty="Faculty of Unit")
    holders(unit, nmr, 4, 2)
    settings.SKILLS_MIN_HOLDERS = 3
    assert rules.risk(nmr, Technician.objects.filter(department=unit)) == "thin"
    settings.SKILLS_MIN_HOLDERS = 2
    assert rules.risk(nmr, Technician.objects.filter(department=unit)) == "covered"


def test_leavers_do_not_count_towards_a_need(chemistry, nmr):
    unit = factories.DepartmentFactory(name="Unit", slug="unit", faculty="Faculty of Unit")
    holders(unit, nmr, 4, 2)
    need(nmr, department=unit, wanted=2)
    assert selectors.judged_needs()[0].risk == "covered"
    for leaver in Technician.objects.filter(department=unit, technician_skills__level=2):
        technician_services.mark_leaver(leaver, by=None)
    assert selectors.judged_needs()[0].risk == "single_point"


def test_the_matrix_judges_only_needed_skills_and_shows_needed_ones_nobody_holds(
    personas, login, chemistry, nmr
):
    hplc = factories.SkillFactory(name="HPLC", category="Analytical")
    arts = factories.DepartmentFactory(name="Fine Art", slug="fine-art", faculty="Faculty of Arts")
    hold(factories.TechnicianFactory(department=arts), hplc, 3)  # held in Arts, not needed
    need(nmr, department=chemistry, wanted=2)  # needed in Chemistry, held by nobody
    client = login(personas.technician)
    matrix = client.get("/technicians/skills/", {"faculty": "Faculty of Science"}).context["matrix"]
    (row,) = matrix.rows
    assert row.skill == nmr and row.cells[0].risk == "none" and row.cells[0].need == 2
    arts_rows = client.get("/technicians/skills/", {"faculty": "Faculty of Arts"}).context["matrix"]
    (row,) = arts_rows.rows
    assert row.skill == hplc and row.cells[0].risk == "" and not row.at_risk
    at_risk = client.get("/technicians/skills/", {"at_risk": "on"}).context["matrix"].rows
    assert at_risk == []  # faculties declared nothing: nothing judged at faculty level
    need(nmr, faculty="Faculty of Science", wanted=2)
    at_risk = client.get("/technicians/skills/", {"at_risk": "on"}).context["matrix"].rows
    assert [row.skill for row in at_risk] == [nmr]


def test_untaught_only_where_the_faculty_needs_the_skill(personas, login, chemistry, nmr):
    arts = factories.DepartmentFactory(name="Fine Art", slug="fine-art", faculty="Faculty of Arts")
    hold(factories.TechnicianFactory(department=arts), nmr, 3)
    hold(personas.technician_profile, nmr, 3)
    client = login(personas.technician)
    (row,) = client.get("/technicians/skills/").context["matrix"].rows
    assert row.untaught_faculties == []
    need(nmr, department=chemistry)  # a department of Science needs it
    (row,) = client.get("/technicians/skills/").context["matrix"].rows
    assert row.untaught_faculties == ["Faculty of Science"]


def test_the_skill_page_says_where_it_is_needed(personas, login, chemistry, nmr):
    hold(personas.technician_profile, nmr, 4)
    need(nmr, department=chemistry, wanted=2)
    page = login(personas.technician).get(f"/technicians/skills/{nmr.pk}/")
    assert page.context["page"].unmet == 1
    html = page.content.decode()
    assert "1 unit needs it; 1 does not have enough holders." in html
    assert "Single point of failure" in html and "No need declared" in html


# --- the five worst, and the full list -------------------------------------------------------


@pytest.fixture
def seven_needs(chemistry):
    """Seven needs of seven skills in Chemistry, from worst to best."""
    made = []
    for index, levels in enumerate(
        [(), (1,), (2,), (4,), (2, 2), (4, 2), (4, 2, 2)]  # none, none, single x2, thin x2, met
    ):
        skill = factories.SkillFactory(name=f"Skill {index}", category="Analytical")
        holders(chemistry, skill, *levels)
        made.append(need(skill, department=chemistry, wanted=3))
    return made


def test_the_worst_risks_come_first_with_their_numbers(seven_needs):
    risks = selectors.worst_risks(limit=5)
    assert (risks["unmet"], risks["declared"]) == (6, 7)
    worst = risks["worst"]
    assert [n.skill for n in worst] == ["Skill 0", "Skill 1", "Skill 2", "Skill 3", "Skill 4"]
    assert [n.risk for n in worst] == ["none", "none", "single_point", "single_point", "thin"]
    # Among single points, nobody to train others is worse.
    assert [(n.holders, n.trainers, n.wanted) for n in worst[2:4]] == [(1, 0, 3), (1, 1, 3)]
    assert len(selectors.worst_risks(limit=None)["worst"]) == 6


def test_the_dashboard_panel_shows_the_five_worst_and_links_to_the_rest(personas, seven_needs):
    html = render_panel("skills.at_risk", personas.hr)
    assert "6 of the 7 skill needs that departments and faculties declared are not met" in html
    assert html.count("<li>") == 5
    assert "Skill 0</a> in Chemistry:" in html and "0 of 3 practitioners wanted" in html
    assert "Skill 5" not in html and "Skill 6" not in html
    assert f'href="{RISKS}">All 6 skills at risk</a>' in html


def test_the_panel_before_any_need_is_declared(personas, chemistry, nmr):
    hold(personas.technician_profile, nmr, 2)
    html = render_panel("skills.at_risk", personas.steering)
    assert "No department or faculty has said which skills it needs yet" in html


def test_the_full_list_of_risks(personas, login, seven_needs):
    page = login(personas.technician).get(RISKS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "6 of 7 declared needs are not met." in html
    assert all(f">Skill {n}</a>" in html for n in range(6)) and ">Skill 6</a>" not in html
    assert "Change what each unit needs" not in html  # only for those who may
    assert "Change what each unit needs" in login(personas.hr).get(RISKS).content.decode()


# --- the needs page ---------------------------------------------------------------------------


def test_the_needs_page_lists_the_units_with_their_counts(personas, login, chemistry, nmr):
    need(nmr, department=chemistry)
    page = login(personas.steering).get(NEEDS)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="?department={chemistry.pk}">Chemistry</a> <span class="muted">1 need' in html
    assert f'href="?faculty={chemistry.faculty.replace(" ", "%20")}"' in html


def test_hr_edits_a_departments_needs(personas, login, chemistry, nmr):
    hplc = factories.SkillFactory(name="HPLC", category="Analytical")
    need(nmr, department=chemistry, wanted=2)
    client = login(personas.hr)
    url = f"{NEEDS}?department={chemistry.pk}"
    page = client.get(url)
    assert page.context["form"][f"skill_{nmr.pk}"].value() == 2
    assert b'<label for="id_skill_' in page.content
    response = client.post(url, {f"skill_{nmr.pk}": "", f"skill_{hplc.pk}": "3"})
    assert response.status_code == 302 and response["Location"] == url
    assert selectors.current_needs(department=chemistry) == {hplc.pk: 3}
    page = client.get(url, follow=True)
    assert b"1 added, 0 changed, 1 removed" in page.content


def test_a_faculty_has_its_own_needs(personas, login, chemistry, nmr):
    client = login(personas.steering)
    url = f"{NEEDS}?faculty={chemistry.faculty}"
    client.post(url, {f"skill_{nmr.pk}": "4"})
    assert selectors.current_needs(faculty=chemistry.faculty) == {nmr.pk: 4}
    assert selectors.current_needs(department=chemistry) == {}


def test_a_bad_number_saves_nothing_and_says_why(personas, login, chemistry, nmr):
    hplc = factories.SkillFactory(name="HPLC", category="Analytical")
    client = login(personas.hr)
    page = client.post(
        f"{NEEDS}?department={chemistry.pk}", {f"skill_{nmr.pk}": "2", f"skill_{hplc.pk}": "0"}
    )
    assert page.status_code == 200
    assert b"The needs were not saved" in page.content and b"At least 1" in page.content
    assert not UnitSkillNeed.objects.exists()


def test_a_technician_cannot_open_or_post_the_needs_page(personas, login, chemistry, nmr):
    client = login(personas.technician)
    assert client.get(NEEDS).status_code == 403
    url = f"{NEEDS}?department={chemistry.pk}"
    assert client.post(url, {f"skill_{nmr.pk}": "2"}).status_code == 403
    assert not UnitSkillNeed.objects.exists()


# --- constant query counts -------------------------------------------------------------------


def grow(size: int):
    """`build(size)` technicians, and the same needs at every size: each department needs
    three skills, each faculty two."""
    department = build(size)
    if not UnitSkillNeed.objects.exists():
        skills = list(Skill.objects.filter(name__startswith="Skill ").order_by("pk"))
        departments = Department.objects.filter(slug__startswith="dept-").order_by("slug")
        UnitSkillNeed.objects.bulk_create(
            [
                UnitSkillNeed(department=dept, skill=skills[(i * 3 + j) % 30], min_holders=3)
                for i, dept in enumerate(departments)
                for j in range(3)
            ]
            + [
                UnitSkillNeed(faculty=f"Faculty {i}", skill=skills[i * 5 + j], min_holders=4)
                for i in range(3)
                for j in range(2)
            ]
        )
    return department


@pytest.mark.parametrize("page", ["risks", "needs", "needs-unit", "dashboard", "matrix"])
def test_constant_queries_at_two_sizes(personas, login, page, django_assert_max_num_queries):
    client = login(personas.hr)
    client.get("/")  # the first request of a session does its own one-off work
    counts = []
    for size in (300, 3000):
        department = grow(size)
        path, params = {
            "risks": (RISKS, {}),
            "needs": (NEEDS, {}),
            "needs-unit": (NEEDS, {"department": department.pk}),
            "dashboard": ("/", {}),
            "matrix": ("/technicians/skills/", {"at_risk": "on"}),
        }[page]
        limit = 80 if page == "dashboard" else 20  # the dashboard holds every app's panels
        versions.clear_copies()  # both sizes work the shared figures out (portal.versions)
        with django_assert_max_num_queries(limit), CaptureQueriesContext(connection) as queries:
            assert client.get(path, params).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_admin_shows_needs_read_only(personas, login, chemistry, nmr):
    made = need(nmr, department=chemistry)
    client = login(personas.admin)
    assert client.get("/admin/skills/unitskillneed/").status_code == 200
    assert client.get(f"/admin/skills/unitskillneed/{made.pk}/change/").status_code == 200
    assert client.get("/admin/skills/unitskillneed/add/").status_code == 403
    client.post(f"/admin/skills/unitskillneed/{made.pk}/change/", {"min_holders": "9"})
    made.refresh_from_db()
    assert made.min_holders == 2
