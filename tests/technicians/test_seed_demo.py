"""Demo data: deterministic, realistic, idempotent, fast; and one working login per role."""

import io
import time
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from portal import registry, roles
from skills.models import Skill, TechnicianSkill
from technicians import demo
from technicians.models import Department, Technician
from technicians.staff_list import preview_staff_import, staff_export_rows

pytestmark = pytest.mark.django_db
User = get_user_model()
SMALL = 60


def only_the_technicians_seeder(monkeypatch):
    # The skills seeder writes the demo people's skill levels, which these tests check too.
    seeders = {
        name: entry
        for name, entry in registry._seeders.items()
        if name in ("technicians", "skills")
    }
    monkeypatch.setattr(registry, "_seeders", seeders)


@pytest.fixture(autouse=True)
def _no_other_apps_demo(monkeypatch):
    """These tests are about the technicians; another app's demo data is tested there."""
    only_the_technicians_seeder(monkeypatch)


def seed(count=SMALL):
    call_command("seed_demo", technicians=count, stdout=io.StringIO())


def counts() -> dict[str, int]:
    return {
        "departments": Department.objects.count(),
        "skills": Skill.objects.count(),
        "technicians": Technician.objects.count(),
        "technician_skills": TechnicianSkill.objects.count(),
        "users": User.objects.count(),
        "email_addresses": EmailAddress.objects.count(),
        "memberships": User.groups.through.objects.count(),
    }


def technician_data():
    """Everything about the technicians except database keys and timestamps."""
    return sorted(
        Technician.objects.values_list(
            "staff_number",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "role_family",
            "grade",
            "department__slug",
            "line_manager__staff_number",
            "started_on",
            "is_apprentice",
            "is_active",
            "visibility",
            "bio",
            "expertise",
            "equipment",
            "orcid",
            "user__email",
        )
    )


def skill_data():
    return sorted(
        TechnicianSkill.objects.values_list("technician__staff_number", "skill__name", "level")
    )


# --- the generator --------------------------------------------------------------------------------


def test_generation_is_deterministic_and_each_technician_independent_of_the_count():
    assert demo.generate_technicians(200) == demo.generate_technicians(200)
    assert demo.generate_technicians(60) == demo.generate_technicians(200)[:60]


def test_the_default_scale_is_realistic():
    people = demo.generate_technicians()
    assert len(people) == 1250
    assert len({p.staff_number for p in people}) == 1250
    assert len({p.email for p in people}) == 1250
    visibility = Counter(p.visibility for p in people)
    assert 0.25 < visibility["public"] / 1250 < 0.35
    assert 0.55 < visibility["internal"] / 1250 < 0.65
    assert 0.06 < visibility["private"] / 1250 < 0.14
    assert set(Counter(p.role_family for p in people)) == set(Technician.RoleFamily.values)
    apprentices = [p for p in people if p.is_apprentice]
    assert 20 < len(apprentices) < 120
    assert all(p.job_title.startswith("Apprentice") for p in apprentices)
    assert len({p.grade for p in people}) >= 5
    assert len({p.department_slug for p in people}) == 40
    assert len({(p.first_name, p.last_name) for p in people}) > 800  # varied names
    assert all(p.started_on.year >= 1990 for p in people)


def test_every_team_has_a_manager():
    people = demo.generate_technicians()
    by_number = {p.staff_number: p for p in people}
    top = [p for p in people if not p.line_manager_staff_number]
    assert len(top) == len(demo.FACULTIES)  # one technical manager per faculty
    assert {p.job_title for p in top} == {"Faculty Technical Manager"}
    for person in people:
        if person.line_manager_staff_number:
            manager = by_number[person.line_manager_staff_number]
            assert manager.index < person.index
            assert manager.level < person.level
            assert manager.is_active
    reports = Counter(p.line_manager_staff_number for p in people if p.level == 3)
    assert max(reports.values()) <= demo.TEAM_SIZE - 1


# --- the command ----------------------------------------------------------------------------------


def test_seed_demo_creates_faculties_departments_skills_and_technicians():
    seed()

    assert Department.objects.count() == 40
    assert Department.objects.values("faculty").distinct().count() == 6
    assert not Department.objects.filter(helpdesk_email="").exists()
    assert 55 <= Skill.objects.count() <= 70
    assert Skill.objects.values("category").distinct().count() >= 8
    # N technicians in all: the demo logins' three and N - 3 generated ones.
    assert Technician.objects.count() == SMALL
    assert Technician.objects.filter(staff_number__startswith="TC").count() == SMALL - 3
    assert set(Technician.objects.values_list("role_family", flat=True)) == set(
        Technician.RoleFamily.values
    )
    assert TechnicianSkill.objects.count() >= 2 * SMALL
    assert (
        not Technician.objects.filter(expertise="").filter(staff_number__startswith="TC").exists()
    )


def test_running_it_twice_changes_nothing():
    seed()
    before_counts, before_data = counts(), technician_data()
    before_updated = sorted(Technician.objects.values_list("pk", "updated"))

    out = io.StringIO()
    call_command("seed_demo", technicians=SMALL, stdout=out)

    assert counts() == before_counts
    assert technician_data() == before_data
    assert sorted(Technician.objects.values_list("pk", "updated")) == before_updated
    assert "0 departments, 0 technicians" in out.getvalue()
    assert "Skills demo: 0 skill levels, 0 unit skill needs, 0 review dates" in out.getvalue()


def test_two_runs_on_empty_databases_give_the_same_data():
    seed()
    first = technician_data(), skill_data(), sorted(Department.objects.values_list("slug", "name"))
    TechnicianSkill.objects.all().delete()
    Technician.objects.all().delete()
    Department.objects.all().delete()
    Skill.objects.all().delete()
    EmailAddress.objects.all().delete()
    User.objects.all().delete()

    seed()

    second = technician_data(), skill_data(), sorted(Department.objects.values_list("slug", "name"))
    assert first == second


def test_a_bigger_run_adds_to_a_smaller_one_without_touching_it():
    seed(20)
    small = technician_data()
    seed(SMALL)
    bigger = technician_data()
    assert set(small) <= set(bigger)
    assert len(bigger) == SMALL


def test_the_default_scale_loads_in_under_20_seconds():
    started = time.monotonic()
    call_command("seed_demo", stdout=io.StringIO())
    elapsed = time.monotonic() - started
    assert Technician.objects.count() == demo.DEFAULT_TECHNICIANS == 1250
    assert elapsed < 20, f"seed_demo took {elapsed:.1f} s"


def test_the_demo_data_is_a_valid_staff_list():
    """HR's first import of an export of the demo directory changes nothing."""
    import csv

    from portal.csv_export import neutralise
    from technicians.staff_list import EXPORT_COLUMNS

    seed()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows([neutralise(cell) for cell in row] for row in staff_export_rows())

    preview = preview_staff_import(buffer.getvalue())

    assert preview.is_valid, preview.errors[:5]
    assert not preview.has_changes


# --- demo logins ----------------------------------------------------------------------------------


EXPECTED_LOGINS = {
    "technician@example.ac.uk": {roles.TECHNICIAN},
    "manager@example.ac.uk": {roles.TECHNICIAN},
    "steering@example.ac.uk": {roles.STEERING_GROUP, roles.TECHNICIAN},
    "coordinator@example.ac.uk": {roles.TRAINING_COORDINATOR},
    "hr@example.ac.uk": {roles.HR},
    "admin@example.ac.uk": set(),
}


def test_one_demo_login_per_role_with_a_verified_address():
    seed()
    for email, groups in EXPECTED_LOGINS.items():
        user = User.objects.get(email=email)
        assert set(user.groups.values_list("name", flat=True)) == groups
        assert user.check_password(demo.DEMO_PASSWORD)
        assert EmailAddress.objects.filter(
            user=user, email=email, verified=True, primary=True
        ).exists()
    admin = User.objects.get(email="admin@example.ac.uk")
    assert admin.is_superuser and admin.is_staff
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_GROUPS)


def test_the_technician_is_in_the_directory_and_managed_by_the_manager_login():
    seed()
    technician = Technician.objects.get(user__email="technician@example.ac.uk")
    manager = Technician.objects.get(user__email="manager@example.ac.uk")
    steering = Technician.objects.get(user__email="steering@example.ac.uk")
    assert technician.line_manager == manager
    assert technician.is_active and manager.is_active and steering.is_active
    assert technician.email == "technician@example.ac.uk"
    assert manager.line_manager is not None  # the manager has a manager too


@pytest.mark.parametrize("email", sorted(EXPECTED_LOGINS))
def test_each_demo_login_works_through_the_login_form(client, email):
    seed(0)
    response = client.post("/accounts/login/", {"login": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").wsgi_request.user.email == email


def test_demo_logins_prints_one_line_per_role():
    seed(0)
    out, err = io.StringIO(), io.StringIO()
    call_command("demo_logins", stdout=out, stderr=err)
    lines = [line for line in out.getvalue().splitlines() if "@example.ac.uk" in line]
    assert len(lines) == len(demo.DEMO_LOGINS)
    for login, line in zip(demo.DEMO_LOGINS, lines, strict=True):
        assert login.role in line and login.email in line
        assert demo.DEMO_PASSWORD in line and "http://127.0.0.1:8000/" in line
    assert err.getvalue() == ""


def test_demo_logins_says_when_the_demo_data_is_missing():
    out, err = io.StringIO(), io.StringIO()
    call_command("demo_logins", stdout=out, stderr=err)
    assert "Run manage.py seed_demo" in err.getvalue()


def test_the_apps_register_their_seeders_technicians_first(monkeypatch):
    monkeypatch.undo()  # the registry as the apps' ready() left it
    entries = registry.seeders()
    assert entries[0].name == "technicians" and entries[0].seed is demo.seed_demo
    orders = {entry.name: entry.order for entry in entries}
    assert (orders["technicians"], orders["actionplan"]) == (10, 20)


def test_seed_demo_runs_the_other_apps_seeders_after_the_technicians(monkeypatch):
    calls = []

    def later_seeder(*, technicians, stdout):
        calls.append((technicians, stdout, Technician.objects.count()))

    registry.register_seeder("a later app", later_seeder, order=20)
    out = io.StringIO()

    call_command("seed_demo", technicians=0, stdout=out)

    [(technicians, stdout, technicians_by_then)] = calls
    assert technicians == 0  # the command's --technicians
    assert stdout._out is out  # the command's output
    assert technicians_by_then == 3  # called after the technicians were seeded
