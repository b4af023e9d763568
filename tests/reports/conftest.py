"""A small known data set for the annual report of 2025–26, seen on 15 March 2026.

Who we are: 5 active technicians in 3 departments (2 faculties), 1 apprentice, 2 joiners,
1 leaver (from a staff-list import). Visibility: 1 complete profile (20 %), 2 public (40 %),
1 photo, 2 of 3 departments with a helpdesk address. Sustainability: Glassblowing (Physics)
and Laser cutting (Design) are each held by one technician and nobody can teach them; Mass
spectrometry is covered in Chemistry. Action plan: 5 actions, one per RAG rating and one
complete this year, one overdue by 43 days, 2 progress updates this year.
"""

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone

from portal.models import ImportRun
from tests import factories
from tests.conftest import make_user

NOW = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)
YEAR = 2025


@pytest.fixture
def on_report_day():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def _tech(department, **fields):
    fields.setdefault("started_on", datetime.date(2020, 1, 6))
    return factories.TechnicianFactory(department=department, **fields)


def build_known_data():
    chemistry = factories.DepartmentFactory(
        name="Chemistry Labs", slug="chemistry-labs", faculty="Faculty of Science"
    )
    physics = factories.DepartmentFactory(
        name="Physics Workshop",
        slug="physics-workshop",
        faculty="Faculty of Science",
        helpdesk_email="",
    )
    design = factories.DepartmentFactory(
        name="Design Studio", slug="design-studio", faculty="Faculty of Arts"
    )
    ada = _tech(
        chemistry,
        first_name="Ada",
        last_name="Atom",
        visibility="public",
        bio="Mass spectrometry.",
        expertise="Orbitrap",
        photo="photos/ada.jpg",
    )
    ben = _tech(
        chemistry,
        first_name="Ben",
        last_name="Beaker",
        is_apprentice=True,
        started_on=datetime.date(2025, 9, 1),
    )
    _tech(chemistry, first_name="Cal", last_name="Column", visibility="private")
    dee = _tech(
        physics,
        first_name="Dee",
        last_name="Dewar",
        visibility="public",
        bio="Glass.",
        expertise="Lathes",
    )
    _tech(
        physics,
        first_name="Eve",
        last_name="Exit",
        is_active=False,
        started_on=datetime.date(2015, 1, 5),
    )
    fay = _tech(
        design,
        first_name="Fay",
        last_name="Felt",
        role_family="creative",
        started_on=datetime.date(2026, 1, 10),
    )
    mass_spec = factories.SkillFactory(name="Mass spectrometry", category="Analytical")
    glass = factories.SkillFactory(name="Glassblowing", category="Workshop")
    laser = factories.SkillFactory(name="Laser cutting", category="Workshop")
    factories.TechnicianSkillFactory(technician=ada, skill=mass_spec, level=4)
    factories.TechnicianSkillFactory(technician=ben, skill=mass_spec, level=2)
    factories.TechnicianSkillFactory(technician=dee, skill=glass, level=3)
    factories.TechnicianSkillFactory(technician=fay, skill=laser, level=2)
    factories.TechnicianSkillFactory(technician=ada, skill=laser, level=1)
    owner = make_user("olive.owner@example.ac.uk")
    owner.first_name, owner.last_name = "Olive", "Owner"
    owner.save()
    ImportRun.objects.create(
        kind="staff-list", by=owner, file_name="staff.csv", counts={"leavers": 1}
    )
    plan = factories.ActionPlanFactory(title="Commitment plan 2025–28")
    draft = factories.ActionPlanFactory(title="Draft plan", status="draft")
    factories.ActionFactory(plan=draft, ref="X1", pillar="visibility", status="blocked")
    done = factories.ActionFactory(
        plan=plan,
        ref="V1",
        pillar="visibility",
        status="complete",
        progress=100,
        title="Publish the directory",
    )
    late = factories.ActionFactory(
        plan=plan,
        ref="V2",
        pillar="visibility",
        progress=40,
        owner=owner,
        due_on=datetime.date(2026, 1, 31),
        title="Photos for every profile",
    )
    factories.ActionFactory(
        plan=plan,
        ref="S1",
        pillar="sustainability",
        status="blocked",
        progress=10,
        due_on=datetime.date(2027, 6, 30),
    )
    factories.ActionFactory(
        plan=plan,
        ref="R1",
        pillar="recognition",
        status="not_started",
        progress=0,
        due_on=datetime.date(2026, 4, 1),
    )
    factories.ActionFactory(
        plan=plan,
        ref="C1",
        pillar="career_development",
        progress=80,
        due_on=datetime.date(2027, 6, 30),
    )
    factories.ActionUpdateFactory(action=late, author=owner, note="Half the photos are taken.")
    factories.ActionUpdateFactory(
        action=late, author=owner, note="Studio booked.", evidence_url="https://example.ac.uk/x"
    )
    factories.ActionUpdateFactory(
        action=done,
        author=owner,
        note="Last year's note.",
        created=timezone.make_aware(datetime.datetime(2025, 6, 1, 9, 0)),
    )
    return SimpleNamespace(plan=plan, owner=owner, late=late, done=done)


@pytest.fixture
def known_data(db, on_report_day):
    return build_known_data()
