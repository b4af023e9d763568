"""The directory's stored search vector: found at once after every kind of change."""

import io
import re

import pytest
from django.db import connection

from skills import services as skill_services
from skills.demo import seed_skills_demo
from skills.models import TechnicianSkill
from technicians import search, selectors, services, staff_list
from technicians.demo import seed_demo
from technicians.models import Technician
from tests import factories
from tests.technicians.test_staff_import import as_rows, csv_text, row

URL = "/technicians/"


def found(client, text: str) -> list[str]:
    response = client.get(URL, {"q": text, "sort": "name"})
    assert response.status_code == 200
    return re.findall(
        r'<h3><a href="/technicians/\d+/">([^<]+)</a></h3>', response.content.decode()
    )


@pytest.fixture
def colleague(personas, login):
    """A steering group member looking through the directory."""
    return login(personas.steering)


@pytest.mark.postgres
def test_a_skill_added_to_a_profile_is_found_at_once(personas, colleague):
    me = personas.technician_profile
    cryo = factories.SkillFactory(name="Cryo-electron microscopy", category="Imaging")
    assert found(colleague, "cryo-electron") == []
    skill_services.set_skills(me, [(cryo, 3)], by=personas.technician)
    assert found(colleague, "cryo-electron microscopy") == [me.full_name]
    # And gone once it is taken off the profile.
    skill_services.set_skills(me, [], by=personas.technician)
    assert found(colleague, "cryo-electron") == []


@pytest.mark.postgres
def test_profile_fields_edited_are_found_at_once(personas, colleague):
    me = personas.technician_profile
    services.update_profile(
        me, {"expertise": "Zebrafish husbandry", "equipment": "Rheometer"}, by=personas.technician
    )
    assert found(colleague, "zebrafish") == [me.full_name]
    assert found(colleague, "rheometer") == [me.full_name]


@pytest.mark.postgres
def test_a_skill_wanted_and_a_skill_renamed_are_found(personas, colleague):
    me = personas.technician_profile
    skill = factories.SkillFactory(name="Glassblowing", category="Workshop")
    skill_services.set_wants_to_learn(me, skill, wants=True, by=personas.technician)
    assert found(colleague, "glassblowing") == [me.full_name]
    skill.name = "Scientific glassblowing"
    skill.save()
    assert found(colleague, "scientific") == [me.full_name]


@pytest.mark.postgres
def test_rows_saved_one_by_one_through_the_orm_are_found(personas, colleague):
    tom = factories.TechnicianFactory(first_name="Tom", last_name="Baxter", job_title="Welder")
    assert found(colleague, "welder") == ["Tom Baxter"]
    TechnicianSkill.objects.create(
        technician=tom, skill=factories.SkillFactory(name="Brazing"), level=2
    )
    assert found(colleague, "brazing") == ["Tom Baxter"]
    TechnicianSkill.objects.filter(technician=tom).delete()
    assert found(colleague, "brazing") == []


@pytest.mark.postgres
def test_the_staff_list_keeps_names_and_job_titles_found(personas, colleague):
    report = personas.technician_profile
    text = csv_text(
        *as_rows(report, **{report.staff_number: {"job_title": "Cleanroom Supervisor"}}),
        row(staff_number="S9001", email="new.person@example.ac.uk", first_name="Quilla"),
    )
    staff_list.apply_staff_import(text, partial=True)
    assert found(colleague, "cleanroom") == [report.full_name]
    assert found(colleague, "quilla") == ["Quilla Reece"]


@pytest.mark.postgres
def test_the_demo_data_is_found_by_its_skills(personas, colleague):
    seed_demo(technicians=30)
    seed_skills_demo(technicians=30)  # the skills seeder gives the demo people their skills
    holder = TechnicianSkill.objects.select_related("technician", "skill").first()
    assert holder is not None
    stored = Technician.objects.filter(search_vector__isnull=True).count()
    assert stored == 0
    matches = selectors.search_technicians(Technician.objects.all(), f'"{holder.skill.name}"')
    assert holder.technician in matches


@pytest.mark.postgres
def test_the_search_reads_the_stored_vector_through_a_gin_index(personas):
    sql = str(selectors.search_technicians(Technician.objects.all(), "welding").query)
    assert '"search_vector" @@' in sql and "to_tsvector" not in sql
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["technician_search_gin"]
        )
        [(definition,)] = cursor.fetchall()
    assert "USING gin (search_vector)" in definition


def test_elsewhere_the_column_stays_empty_and_the_fields_are_searched(personas, colleague):
    if search.uses_stored_vector():
        pytest.skip("SQLite's fallback")
    me = personas.technician_profile
    services.update_profile(me, {"expertise": "Zebrafish husbandry"}, by=personas.technician)
    me.refresh_from_db()
    assert me.search_vector is None
    assert found(colleague, "zebrafish") == [me.full_name]
    assert search.refresh_search_vectors() == 0


@pytest.mark.postgres
def test_the_command_rebuilds_vectors_changed_behind_the_portals_back(personas, colleague):
    from django.core.management import call_command

    me = personas.technician_profile
    Technician.objects.filter(pk=me.pk).update(expertise="Cryostat sectioning")
    assert found(colleague, "cryostat") == []
    call_command("refresh_search_vectors", stdout=io.StringIO())
    assert found(colleague, "cryostat") == [me.full_name]


@pytest.mark.postgres
def test_the_searched_words_are_worked_out_once_a_run_and_still_use_the_index(personas):
    """A subquery PostgreSQL runs once (an InitPlan): the generic plan of a prepared statement
    would otherwise call websearch_to_tsquery for every matching row, in the match and in the
    rank (technicians.search.SearchedOnce)."""
    queryset = selectors.search_technicians(Technician.objects.all(), "welding")
    sql = str(queryset.query)
    assert sql.count("(SELECT websearch_to_tsquery(") == 2  # the match and the rank
    assert sql.count("websearch_to_tsquery(") == 2
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test's table is tiny
    plan = queryset.explain()
    assert re.search(r"Index Cond: \(search_vector @@ \$\d+\)", plan), plan
