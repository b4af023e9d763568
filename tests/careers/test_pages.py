"""Careers pages: constant query counts at two sizes (pathways, my pathway, the team, the
pipeline, a round), the evidence pack's PDF (each expectation in its text), pathways CSV export
and import (an export imported again changes nothing), and the dashboard panels."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from careers import importing
from careers.models import Band, MentoringPair, Pathway
from tests import factories
from tests.careers.conftest import apply, make_round


def queries(client, url):
    """The queries of a second visit: the figures shared by everyone are read by the first."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def grow_team(manager, skill, size):
    for n in range(size):
        person = factories.TechnicianFactory(line_manager=manager, grade="4")
        factories.TechnicianSkillFactory(technician=person, skill=skill, level=1 + n % 4)


@pytest.mark.django_db
def test_the_lists_cost_the_same_at_two_sizes(ladder, personas, login):
    manager = personas.manager_profile
    round = make_round(today=datetime.date.today())
    counts = []
    for size in (2, 12):
        grow_team(manager, ladder["nmr"], size)
        for _ in range(size):
            mentor = factories.TechnicianFactory()
            mentee = factories.TechnicianFactory()
            apply(round, mentor, mentor=True, offered=[ladder["nmr"]])
            apply(round, mentee, mentee=True, sought=[ladder["nmr"]])
            MentoringPair.objects.create(round=round, mentor=mentor, mentee=mentee, reasons=["x"])
        Band.objects.create(pathway=ladder["pathway"], order=10 + size, name=f"Extra {size}")
        Pathway.objects.create(name=f"Pathway {size}")
        counts.append(
            [
                queries(login(personas.manager), "/careers/"),
                queries(login(personas.manager), "/careers/team/"),
                queries(login(personas.manager), "/careers/me/"),
                queries(login(personas.hr), "/careers/pipeline/"),
                queries(login(personas.coordinator), f"/careers/mentoring/rounds/{round.pk}/"),
                queries(login(personas.coordinator), "/careers/mentoring/"),
            ]
        )
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_evidence_pack_holds_each_expectation(ladder, personas, login):
    alex = personas.technician_profile
    alex.grade = "4"
    alex.save()
    factories.TechnicianSkillFactory(
        technician=alex, skill=ladder["nmr"], level=3, validated_level=3
    )
    from careers import services

    services.save_statement(alex, by=personas.technician, text="I run the NMR service.")
    response = login(personas.manager).get(f"/careers/people/{alex.pk}/evidence-pack.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    # pypdf splits some kerned words ("T echnician"): compare without white space.
    text = "".join(text.split())
    for label in (
        "NMR spectroscopy at level 3 (expert) or above",
        "2 skills in Analytical at level 2 (practitioner) or above",
        "8 training days a year",
        "Registered as RSciTech (Registered Science Technician) or higher",
        "3 years of experience",
    ):
        assert "".join(label.split()) in text, label
    assert "IruntheNMRservice." in text
    assert "Band1" in text and "Band2" in text


@pytest.mark.django_db
def test_an_export_imported_again_changes_nothing_and_a_new_band_is_added(ladder, personas):
    exported = importing.export_response().content.decode("utf-8-sig")
    preview = importing.preview_import(exported)
    assert preview.is_valid, preview.errors
    assert preview.counts() == {"new": 0, "changed": 0, "unchanged": 2}
    added = exported + (
        "Teaching technical professional,1,Band T1,4,Prepares classes,"
        "NMR spectroscopy at 2; 1 of Analytical at 1,6,,1\n"
    )
    preview = importing.preview_import(added)
    assert preview.counts()["new"] == 1
    importing.apply_import(personas.hr, added, fingerprint=None, file_name="pathways.csv")
    band = Band.objects.get(name="Band T1")
    assert band.pathway.name == "Teaching technical professional"
    assert band.training_days == Decimal("6")
    assert [str(e) for e in band.skill_expectations.all()] == [
        "NMR spectroscopy at level 2",
        "any 1 in Analytical at level 1",
    ]
    bad = importing.preview_import(
        "pathway,order,band,skills\nX,1,B,Underwater welding at 3\nX,1,C,\n"
    )
    assert [str(e) for e in bad.errors] and not bad.is_valid


@pytest.mark.django_db
def test_the_dashboard_says_how_many_expectations_are_met(ladder, personas, login):
    alex = personas.technician_profile
    alex.grade = "4"
    alex.started_on = datetime.date(2015, 1, 1)
    alex.save()
    page = login(personas.technician).get("/").content.decode()
    assert "My pathway: 1 of 5 expectations met for Band 2" in page
    round = make_round(
        today=datetime.date.today(),
        applications_close_on=datetime.date.today() - datetime.timedelta(days=1),
    )
    apply(round, personas.manager_profile, mentee=True, sought=[ladder["nmr"]])
    page = login(personas.coordinator).get("/").content.decode()
    assert "1 application waiting" in page


@pytest.mark.django_db
def test_succession_suggests_learners_in_the_same_department_first(ladder, personas, login):
    from careers import succession

    chemistry = personas.technician_profile.department
    physics = factories.DepartmentFactory(name="Physics", slug="physics", faculty=chemistry.faculty)
    holder = factories.TechnicianFactory(department=chemistry, first_name="Hana")
    factories.TechnicianSkillFactory(technician=holder, skill=ladder["nmr"], level=3)
    near = factories.TechnicianFactory(department=chemistry, first_name="Nell")
    far = factories.TechnicianFactory(department=physics, first_name="Fay")
    factories.TechnicianSkillFactory(technician=far, skill=ladder["nmr"], level=1)
    factories.TechnicianSkillFactory(
        technician=near, skill=ladder["nmr"], level=1, wants_to_learn=True
    )
    found = [s for s in succession.suggestions() if s.skill == "NMR spectroscopy"]
    assert [s.holder for s in found] == [holder]
    assert found[0].successors == [near, far]
    page = login(personas.hr).get("/careers/succession/").content.decode()
    assert "NMR spectroscopy in Chemistry" in page
