"""The skills matrix pages: faculty, department and people levels, privacy of small units and
private profiles, filters, the CSV download, one skill's page, the shadowing journey, the
dashboard panels, and constant query counts at 300 and 3,000 technicians."""

import csv
import io

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from portal import registry, versions
from skills.models import ShadowingRequest, Skill, TechnicianSkill, UnitSkillNeed
from skills.versions import SKILLS
from technicians.models import Department, Technician
from technicians.versions import PEOPLE
from tests import factories

pytestmark = pytest.mark.django_db

MATRIX = "/technicians/skills/"


@pytest.fixture
def chemistry(personas):
    return personas.technician_profile.department


@pytest.fixture
def nmr(db):
    return factories.SkillFactory(name="NMR spectroscopy", category="Analytical")


def hold(technician, skill, level, **extra):
    return factories.TechnicianSkillFactory(
        technician=technician, skill=skill, level=level, **extra
    )


def need(skill, *, department=None, faculty="", wanted=2):
    """The unit declares it needs `skill`, with `wanted` holders: only then is risk judged."""
    return UnitSkillNeed.objects.create(
        skill=skill, department=department, faculty=faculty, min_holders=wanted
    )


def test_faculty_level_counts_and_risk(personas, login, chemistry, nmr):
    hold(personas.technician_profile, nmr, 4)
    hold(personas.manager_profile, nmr, 2)
    engineering = factories.DepartmentFactory(
        name="Mechanical", slug="mech", faculty="Faculty of Engineering"
    )
    hold(factories.TechnicianFactory(department=engineering), nmr, 3)
    client = login(personas.steering)
    # No unit said it needs NMR: counts only, no risk judged, nothing untaught.
    (row,) = client.get(MATRIX).context["matrix"].rows
    assert [cell.risk for cell in row.cells] == ["", ""]
    assert row.untaught_faculties == [] and not row.at_risk
    need(nmr, faculty="Faculty of Engineering")
    need(nmr, faculty="Faculty of Science")
    page = client.get(MATRIX)
    assert page.status_code == 200
    matrix = page.context["matrix"]
    assert matrix.mode == "faculties"
    assert [u.label for u in matrix.units] == ["Faculty of Engineering", "Faculty of Science"]
    (row,) = matrix.rows
    assert [cell.risk for cell in row.cells] == ["single_point", "covered"]
    assert row.cells[1].counts == {1: 0, 2: 1, 3: 0, 4: 1}
    assert row.untaught_faculties == ["Faculty of Engineering"]
    html = page.content.decode()
    assert "Single point of failure" in html and "Covered" in html and "Untaught" in html


def test_department_level_and_people_level(personas, login, chemistry, nmr):
    hold(personas.technician_profile, nmr, 4)
    hold(personas.manager_profile, nmr, 3)
    third = factories.TechnicianFactory(
        department=chemistry, first_name="Private", last_name="Person", visibility="private"
    )
    hold(third, nmr, 2)
    client = login(personas.technician)
    page = client.get(MATRIX, {"faculty": "Faculty of Science"})
    matrix = page.context["matrix"]
    assert matrix.mode == "departments"
    assert [u.label for u in matrix.units] == ["Chemistry"]
    assert matrix.rows[0].cells[0].holders == 3

    page = client.get(MATRIX, {"department": chemistry.pk})
    matrix = page.context["matrix"]
    assert matrix.mode == "people"
    # The private profile is counted in the department's total, but not shown as a person.
    assert [u.label for u in matrix.units] == ["Morgan Manager", "Alex Tech"]
    assert matrix.rows[0].total.holders == 3
    assert "Private Person" not in page.content.decode()
    # HR sees every profile.
    matrix = login(personas.hr).get(MATRIX, {"department": chemistry.pk}).context["matrix"]
    assert len(matrix.units) == 3


def test_a_unit_of_fewer_than_three_shows_no_people(personas, login, chemistry, nmr):
    hold(personas.technician_profile, nmr, 4)
    page = login(personas.technician).get(MATRIX, {"department": chemistry.pk})
    matrix = page.context["matrix"]
    assert matrix.hidden_people and matrix.units == []
    assert matrix.rows[0].total.holders == 1
    assert "fewer than 3 technicians" in page.content.decode()
    assert "Alex Tech" not in page.content.decode().split("<main")[1]


def test_filters_category_and_at_risk_only(personas, login, chemistry, nmr):
    welding = factories.SkillFactory(name="Welding", category="Engineering")
    hold(personas.technician_profile, nmr, 4)
    hold(personas.manager_profile, nmr, 2)  # covered
    hold(personas.technician_profile, welding, 3)  # single point of failure
    need(nmr, faculty="Faculty of Science")
    need(welding, faculty="Faculty of Science")
    client = login(personas.technician)
    names = lambda response: [r.skill.name for r in response.context["matrix"].rows]  # noqa: E731
    assert names(client.get(MATRIX)) == ["NMR spectroscopy", "Welding"]
    assert names(client.get(MATRIX, {"at_risk": "on"})) == ["Welding"]
    assert names(client.get(MATRIX, {"category": "Analytical"})) == ["NMR spectroscopy"]
    assert names(client.get(MATRIX, {"category": "Nonsense"})) == ["NMR spectroscopy", "Welding"]


def test_validated_levels_and_differences(personas, login, chemistry, nmr):
    hold(personas.technician_profile, nmr, 4, validated_level=3)
    hold(personas.manager_profile, nmr, 2)
    need(nmr, faculty="Faculty of Science")
    client = login(personas.technician)
    cell = client.get(MATRIX).context["matrix"].rows[0].cells[0]
    assert (cell.risk, cell.differ) == ("covered", 1)
    cell = client.get(MATRIX, {"levels": "validated"}).context["matrix"].rows[0].cells[0]
    assert (cell.risk, cell.counts[3]) == ("single_point", 1)


def test_stale_ratings_are_counted(personas, login, chemistry, nmr):
    import datetime

    hold(personas.technician_profile, nmr, 4, confirmed_on=datetime.date(2000, 1, 1))
    hold(personas.manager_profile, nmr, 2, confirmed_on=datetime.date.today())
    cell = login(personas.technician).get(MATRIX).context["matrix"].rows[0].cells[0]
    assert cell.stale == 1


def test_csv_of_what_is_shown_neutralises_formulas(personas, login, chemistry):
    evil = factories.SkillFactory(name='=HYPERLINK("http://x")', category="+Sums")
    hold(personas.technician_profile, evil, 4)
    need(evil, faculty="Faculty of Science")
    response = login(personas.technician).get("/technicians/skills/export.csv", {"at_risk": "on"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Category", "Skill", "Faculty"]
    assert rows[1][:3] == ["'+Sums", '\'=HYPERLINK("http://x")', "Faculty of Science"]
    assert rows[1][3:12] == ["0", "0", "0", "1", "1", "1", "Single point of failure", "1", "0"]


def test_csv_at_people_level(personas, login, chemistry, nmr):
    hold(personas.technician_profile, nmr, 4)
    factories.TechnicianFactory(department=chemistry)
    response = login(personas.technician).get(
        "/technicians/skills/export.csv", {"department": chemistry.pk}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Category", "Skill", "Person", "Level"]
    assert ["Analytical", "NMR spectroscopy", "Alex Tech", "4"] in [r[:4] for r in rows]


# --- one skill ------------------------------------------------------------------------------


def test_who_can_teach_me_nearest_first(personas, login, chemistry, nmr):
    same_faculty = factories.DepartmentFactory(
        name="Pharmacy", slug="pharmacy", faculty="Faculty of Science"
    )
    elsewhere = factories.DepartmentFactory(name="Art", slug="art", faculty="Faculty of Arts")
    far = factories.TechnicianFactory(department=elsewhere, first_name="Aaron", last_name="Far")
    near = factories.TechnicianFactory(department=same_faculty, first_name="Nia", last_name="Near")
    hidden = factories.TechnicianFactory(
        department=chemistry, visibility="private", last_name="Hidden"
    )
    low = factories.TechnicianFactory(department=chemistry, last_name="Low")
    for technician in (far, near, hidden, personas.manager_profile):
        hold(technician, nmr, 4)
    hold(low, nmr, 3)
    page = login(personas.technician).get(f"/technicians/skills/{nmr.pk}/")
    assert page.status_code == 200
    teachers = [row.technician for row in page.context["page"].teachers]
    assert teachers == [personas.manager_profile, near, far]
    holders = [row.technician for row in page.context["page"].holders]
    assert hidden not in holders and low in holders
    assert page.context["page"].overall.holders == 5  # counts include everyone
    assert b"Ask Morgan Manager for shadowing" in page.content


def test_the_shadowing_journey_through_the_pages(personas, login, chemistry, nmr):
    trainer = factories.TechnicianFactory(
        department=chemistry,
        first_name="Terry",
        last_name="Teach",
        user=factories.UserFactory(email="terry@example.ac.uk"),
        email="terry@example.ac.uk",
    )
    hold(trainer, nmr, 4)
    client = login(personas.technician)
    response = client.post(
        f"/technicians/skills/{nmr.pk}/shadowing/", {"teacher": trainer.pk, "note": "Mornings"}
    )
    assert response.status_code == 302
    request = ShadowingRequest.objects.get()
    assert (request.learner, request.teacher, request.note) == (
        personas.technician_profile,
        trainer,
        "Mornings",
    )
    page = client.get(f"/technicians/skills/{nmr.pk}/")
    assert b"You have asked Terry" in page.content
    # Asking again says so, and creates nothing.
    client.post(f"/technicians/skills/{nmr.pk}/shadowing/", {"teacher": trainer.pk})
    assert ShadowingRequest.objects.count() == 1
    # The learner cannot accept their own request.
    assert client.post(f"/technicians/skills/shadowing/{request.pk}/accept/").status_code == 403
    teacher_client = login(trainer.user)
    page = teacher_client.get("/technicians/skills/shadowing/")
    assert b"Accept Alex Tech" in page.content
    response = teacher_client.post(
        f"/technicians/skills/shadowing/{request.pk}/accept/", {"note": "Tuesday"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decision_note) == ("accepted", "Tuesday")
    # Accepting twice: a message, no change.
    teacher_client.post(f"/technicians/skills/shadowing/{request.pk}/accept/", follow=True)
    response = teacher_client.post(f"/technicians/skills/shadowing/{request.pk}/done/")
    request.refresh_from_db()
    assert request.status == "done"
    # The learner can log it as on-the-job training days.
    page = login(personas.technician).get("/technicians/skills/shadowing/")
    assert b"log it as training days" in page.content


def test_want_to_learn_and_demand(personas, login, chemistry, nmr):
    client = login(personas.technician)
    client.post(f"/technicians/skills/{nmr.pk}/learn/", {"wants": "1"})
    assert TechnicianSkill.objects.get(technician=personas.technician_profile).wants_to_learn
    page = login(personas.steering).get("/technicians/skills/demand/")
    (skill,) = page.context["skills"]
    assert (skill, skill.wanted, skill.teachers) == (nmr, 1, 0)
    assert b"Nobody can teach it" in page.content


def test_review_page_confirm_and_validate(personas, login, chemistry, nmr):
    import datetime

    row = hold(personas.technician_profile, nmr, 3, confirmed_on=datetime.date(2000, 1, 1))
    client = login(personas.technician)
    page = client.get("/technicians/skills/review/")
    assert page.context["stale_count"] == 1
    assert b"1 of your skills is due for review" in page.content
    client.post("/technicians/skills/review/")
    row.refresh_from_db()
    assert row.confirmed_on == datetime.date.today()
    manager = login(personas.manager)
    page = manager.get("/technicians/skills/review/")
    assert [r.pk for r in page.context["team_rows"]] == [row.pk]
    manager.post(f"/technicians/skills/review/{row.pk}/validate/", {"level": "2"})
    row.refresh_from_db()
    assert (row.validated_level, row.validated_by) == (2, personas.manager)
    # The technician cannot validate their own rating.
    client = login(personas.technician)
    assert (
        client.post(f"/technicians/skills/review/{row.pk}/validate/", {"level": "4"}).status_code
        == 404
    )
    row.refresh_from_db()
    assert row.validated_level == 2


# --- dashboard panels ----------------------------------------------------------------------


def render_panel(name, user):
    panel = next(p for p in registry.panels() if p.name == name)
    request = RequestFactory().get("/")
    request.user = user
    assert panel.applies(user)
    return render_to_string(panel.template, panel.context(request), request=request)


def test_panels_by_role(personas, chemistry, nmr):
    import datetime

    hold(personas.technician_profile, nmr, 3, confirmed_on=datetime.date(2000, 1, 1))
    colleague = factories.TechnicianFactory(department=chemistry)
    hold(colleague, nmr, 3)  # two practitioners, nobody who can train others: thin
    need(nmr, department=chemistry, wanted=2)
    ShadowingRequest.objects.create(
        learner=colleague, teacher=personas.technician_profile, skill=nmr
    )
    mine = render_panel("skills.mine", personas.technician)
    assert "1 shadowing request waits" in mine and "1 of your skills is due for review" in mine
    team = render_panel("skills.team", personas.manager)
    assert "1 level waiting for your validation" in team
    risk = render_panel("skills.at_risk", personas.steering)
    assert "1 of the 1 skill need that departments and faculties declared is not met" in risk
    assert "NMR spectroscopy</a> in Chemistry:" in risk
    assert "2 of 2 practitioners wanted, nobody can train others" in risk and "Thin" in risk
    render_panel("skills.at_risk", personas.hr)
    panels = {p.name for p in registry.panels_for(personas.coordinator)}
    assert not panels & {"skills.mine", "skills.team", "skills.at_risk"}

    # In the plural, once a second skill goes stale.
    hold(
        personas.technician_profile,
        factories.SkillFactory(name="HPLC"),
        2,
        confirmed_on=datetime.date(2000, 1, 1),
    )
    mine = render_panel("skills.mine", personas.technician)
    assert "2 of your skills are due for review" in mine


# --- constant query counts -------------------------------------------------------------------


def build(size: int) -> Department:
    """Grows the data to `size` technicians in 10 departments of 3 faculties, 5 skills each out
    of 30 (adding to what an earlier call made, so two sizes need no deleting in between)."""
    departments = [
        Department.objects.get_or_create(
            slug=f"dept-{i}", defaults={"name": f"Dept {i}", "faculty": f"Faculty {i % 3}"}
        )[0]
        for i in range(10)
    ]
    skills = list(Skill.objects.filter(name__startswith="Skill ").order_by("pk"))
    if not skills:
        skills = Skill.objects.bulk_create(
            [Skill(name=f"Skill {i}", category=f"Category {i % 4}") for i in range(30)]
        )
    first = Technician.objects.filter(staff_number__startswith="Q-").count()
    Technician.objects.bulk_create(
        [
            Technician(
                staff_number=f"Q-{i}",
                first_name="T",
                last_name=f"{i:05d}",
                email=f"q-{i}@example.ac.uk",
                job_title="Technician",
                role_family="laboratory",
                department=departments[i % 10],
                visibility=["internal", "public", "private"][i % 3],
            )
            for i in range(first, size)
        ],
        batch_size=1000,
    )
    technicians = list(
        Technician.objects.filter(staff_number__startswith="Q-").order_by("pk")[first:]
    )
    TechnicianSkill.objects.bulk_create(
        [
            TechnicianSkill(technician=t, skill=skills[(n * 7 + j) % 30], level=1 + (n + j) % 4)
            for n, t in enumerate(technicians, start=first)
            for j in range(5)
        ],
        batch_size=2000,
    )
    # Written in bulk, so no signals: move the versions on as the portal's bulk paths do.
    versions.bump(PEOPLE, SKILLS)
    return departments[0]


def count_queries(client, path, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("level", ["faculties", "departments", "people", "skill", "csv"])
def test_constant_queries_at_300_and_3000_technicians(
    personas, login, level, django_assert_max_num_queries
):
    client = login(personas.technician)
    counts = []
    for size in (300, 3000):
        department = build(size)
        path, params = MATRIX, {}
        if level == "departments":
            params = {"faculty": department.faculty}
        elif level == "people":
            params = {"department": department.pk}
        elif level == "skill":
            path = f"/technicians/skills/{Skill.objects.order_by('pk').first().pk}/"
        elif level == "csv":
            path, params = "/technicians/skills/export.csv", {"department": department.pk}
        with django_assert_max_num_queries(16):
            counts.append(count_queries(client, path, params))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(("day", "stale"), [((2026, 4, 30), 0), ((2026, 5, 1), 1)])
def test_a_rating_is_stale_from_the_day_after_twelve_months(
    personas, login, chemistry, nmr, day, stale
):
    import datetime

    import time_machine

    hold(personas.technician_profile, nmr, 4, confirmed_on=datetime.date(2025, 4, 30))
    client = login(personas.technician)
    with time_machine.travel(datetime.datetime(*day, 12, tzinfo=datetime.UTC), tick=False):
        cell = client.get(MATRIX).context["matrix"].rows[0].cells[0]
        review = client.get("/technicians/skills/review/")
    assert cell.stale == stale
    assert review.context["stale_count"] == stale


def test_admin_lists_shadowing_requests_read_only(personas, login, chemistry, nmr):
    shadowing = ShadowingRequest.objects.create(
        learner=personas.technician_profile, teacher=personas.manager_profile, skill=nmr
    )
    client = login(personas.admin)
    assert client.get("/admin/skills/shadowingrequest/").status_code == 200
    assert client.get(f"/admin/skills/shadowingrequest/{shadowing.pk}/change/").status_code == 200
    assert client.get("/admin/skills/shadowingrequest/add/").status_code == 403


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("technician", ["My skills"], ["My team's skills", "Skills at risk"]),
        ("manager", ["My skills", "My team's skills"], ["Skills at risk"]),
        ("steering", ["Skills at risk"], ["My skills", "My team's skills"]),
        ("hr", ["Skills at risk"], ["My skills"]),
        ("coordinator", [], ["My skills", "My team's skills", "Skills at risk"]),
    ],
)
def test_the_dashboard_shows_the_skills_panels_by_role(
    personas, login, chemistry, nmr, persona, shown, hidden
):
    hold(personas.technician_profile, nmr, 2)
    html = login(getattr(personas, persona)).get("/").content.decode()
    headings = [f">{name}</h2>" for name in shown]
    assert all(heading in html for heading in headings), persona
    assert not any(f">{name}</h2>" in html for name in hidden), persona


# --- the kept table of faculties and departments -----------------------------------------------


def shown_and_live_tables(response) -> tuple[str, str]:
    """The table the page shows, and the one the template writes now from the page's own
    figures (computed live on every request)."""
    context = {name: response.context[name] for name in ("matrix", "form", "keep", "colspan")}
    return str(response.context["matrix_table"]), render_to_string(
        "skills/_matrix_table.html", context
    )


def test_the_table_of_faculties_is_kept_for_every_viewer_and_follows_each_change(
    personas, login, chemistry, nmr
):
    hold(personas.technician_profile, nmr, 4)
    first = login(personas.steering).get(MATRIX)
    shown, live = shown_and_live_tables(first)
    assert shown == live and "NMR spectroscopy" in shown
    # Another viewer is given the same table, written once.
    again = login(personas.technician).get(MATRIX)
    assert again.context["matrix_table"] == shown

    def move_the_department():  # in bulk, as the staff list's apply does
        Department.objects.filter(pk=chemistry.pk).update(faculty="Faculty of Chemistry")
        versions.bump(PEOPLE)

    def rename_the_skill():
        Skill.objects.filter(pk=nmr.pk).update(name="Solid-state NMR")
        versions.bump(SKILLS)

    # A rating, a declared need, a department's faculty and a skill's name: each seen at once.
    changes = [
        lambda: hold(personas.manager_profile, nmr, 2),
        lambda: need(nmr, faculty="Faculty of Science"),
        move_the_department,
        rename_the_skill,
    ]
    seen = {shown}
    for change in changes:
        change()
        shown, live = shown_and_live_tables(login(personas.technician).get(MATRIX))
        assert shown == live and shown not in seen
        seen.add(shown)
    assert "Covered" not in shown and "Faculty of Chemistry" in shown
    assert "Solid-state NMR" in shown


def test_the_matrix_of_faculties_is_built_once_for_every_viewer(
    personas, login, chemistry, nmr, monkeypatch
):
    from skills import selectors

    built = []
    build = selectors._build_matrix
    monkeypatch.setattr(
        selectors,
        "_build_matrix",
        lambda *args, **kwargs: built.append(1) or build(*args, **kwargs),
    )
    hold(personas.technician_profile, nmr, 4)
    for viewer in (personas.steering, personas.technician, personas.hr):
        assert login(viewer).get(MATRIX).status_code == 200
    assert len(built) == 1
    hold(personas.manager_profile, nmr, 2)  # a rating: built again, and shown
    response = login(personas.technician).get(MATRIX)
    assert len(built) == 2
    [row] = response.context["matrix"].rows
    assert row.total.counts[2] == 1 and row.total.counts[4] == 1
    # A department's people are those each viewer may see: built for every request.
    login(personas.technician).get(MATRIX, {"department": chemistry.pk})
    login(personas.technician).get(MATRIX, {"department": chemistry.pk})
    assert len(built) == 4


VIEWS = {
    "faculties": {},
    "departments": {"faculty": "Faculty of Science"},
    "at risk only": {"at_risk": "on"},
    "validated levels": {"levels": "validated"},
    "a category": {"category": "Analytical"},
    "another unit on a phone": {"unit": "Faculty of Engineering"},
    "links keeping two filters": {"category": "Analytical", "at_risk": "on"},
}


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_of_the_matrix_keeps_a_table_of_its_own(personas, login, chemistry, nmr, view):
    hold(personas.technician_profile, nmr, 4, validated_level=3)
    need(nmr, faculty="Faculty of Science")
    factories.DepartmentFactory(name="Mechanical", slug="mech", faculty="Faculty of Engineering")
    client = login(personas.technician)
    for other in VIEWS:  # every other view kept first
        if other != view:
            client.get(MATRIX, VIEWS[other])
    shown, live = shown_and_live_tables(client.get(MATRIX, VIEWS[view]))
    assert shown == live


@pytest.mark.parametrize(
    "params", [{"category": "Nonsense"}, {"at_risk": "yes please"}, {"levels": "all"}]
)
def test_a_view_no_link_makes_is_written_for_its_request_and_not_kept(
    personas, login, chemistry, nmr, params
):
    hold(personas.technician_profile, nmr, 4)
    need(nmr, faculty="Faculty of Science")  # one holder of two wanted: at risk
    response = login(personas.technician).get(MATRIX, params)
    assert response.context["matrix_table"] is None
    context = {name: response.context[name] for name in ("matrix", "form", "keep", "colspan")}
    live = render_to_string("skills/_matrix_table.html", context)
    assert live.strip() and live in response.content.decode()
    assert "NMR spectroscopy" in live


def test_each_viewer_is_shown_their_own_unit_first_on_a_phone(personas, login, chemistry, nmr):
    from portal import roles
    from tests.conftest import make_user

    engineering = factories.DepartmentFactory(
        name="Mechanical", slug="mech", faculty="Faculty of Engineering"
    )
    engineer = make_user("eng.tech@example.ac.uk", roles.TECHNICIAN)
    hold(
        factories.TechnicianFactory(user=engineer, email=engineer.email, department=engineering),
        nmr,
        2,
    )
    hold(personas.technician_profile, nmr, 4)
    tables = {}
    for viewer, own_unit in ((personas.technician, 1), (engineer, 0)):
        response = login(viewer).get(MATRIX)
        assert response.context["matrix"].current_unit == own_unit  # units in name order
        shown, live = shown_and_live_tables(response)
        assert shown == live
        tables[own_unit] = shown
    assert tables[0] != tables[1]


def test_a_kept_table_is_written_again_the_next_day(personas, login, chemistry, nmr):
    import datetime

    import time_machine

    hold(personas.technician_profile, nmr, 4, confirmed_on=datetime.date(2025, 4, 30))
    client = login(personas.technician)
    tables = []
    for day in ((2026, 4, 30), (2026, 5, 1)):
        with time_machine.travel(datetime.datetime(*day, 12, tzinfo=datetime.UTC), tick=False):
            shown, live = shown_and_live_tables(client.get(MATRIX))
        assert shown == live
        tables.append(shown)
    assert "1 stale" not in tables[0] and "1 stale" in tables[1]


def test_a_departments_people_are_written_for_each_viewer(personas, login, chemistry, nmr):
    hold(personas.technician_profile, nmr, 4)
    factories.TechnicianFactory(department=chemistry, first_name="Private", visibility="private")
    factories.TechnicianFactory(department=chemistry, first_name="Public")
    hr = login(personas.hr).get(MATRIX, {"department": chemistry.pk})
    colleague = login(personas.technician).get(MATRIX, {"department": chemistry.pk})
    assert hr.context["matrix_table"] is None and colleague.context["matrix_table"] is None
    assert "Private" in hr.content.decode()
    assert "Private" not in colleague.content.decode().split("<main")[1]


def test_the_team_review_counts_the_current_teams_stale_and_unvalidated_ratings(
    personas, chemistry, nmr
):
    import datetime

    from skills import selectors

    today = datetime.date(2026, 5, 1)
    manager = personas.manager_profile
    assert selectors.team_review_summary(manager, today=today) == {"stale": 0, "waiting": 0}
    hold(personas.technician_profile, nmr, 3, confirmed_on=datetime.date(2025, 4, 30))  # stale
    hold(
        personas.technician_profile,
        factories.SkillFactory(name="HPLC"),
        2,
        confirmed_on=datetime.date(2025, 5, 1),  # twelve months ago today: not stale yet
        validated_level=2,
    )
    left = factories.TechnicianFactory(department=chemistry, line_manager=manager, is_active=False)
    hold(left, nmr, 4, confirmed_on=datetime.date(2000, 1, 1))
    elsewhere = factories.TechnicianFactory(department=chemistry)
    hold(elsewhere, nmr, 4)
    assert selectors.team_review_summary(manager, today=today) == {"stale": 1, "waiting": 1}
    assert selectors.team_review_summary(elsewhere, today=today) == {"stale": 0, "waiting": 0}
