"""The skills demo seeder: realistic coverage (single points of failure, untaught skills,
stale ratings, shadowing requests), deterministic and idempotent."""

import datetime

import pytest

from portal import registry
from skills import demo as skills_demo
from skills import risk as rules
from skills import selectors as skills_selectors
from skills.models import ShadowingRequest, TechnicianSkill, UnitSkillNeed
from technicians.demo import seed_demo
from technicians.models import Department

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(
            TechnicianSkill.objects.values_list(
                "technician__staff_number",
                "skill__name",
                "level",
                "confirmed_on",
                "validated_level",
                "wants_to_learn",
            )
        ),
        sorted(
            ShadowingRequest.objects.values_list(
                "learner__staff_number", "teacher__staff_number", "skill__name", "status"
            )
        ),
        sorted(
            UnitSkillNeed.objects.values_list(
                "department__slug", "faculty", "skill__name", "min_holders"
            ),
            key=str,
        ),
    )


def test_registered_after_the_technicians():
    entries = {entry.name: entry for entry in registry.seeders()}
    assert entries["skills"].seed is skills_demo.seed_skills_demo
    assert entries["technicians"].order < entries["skills"].order


def test_realistic_deterministic_and_idempotent():
    seed_demo(technicians=120)
    skills_demo.seed_skills_demo(technicians=120)
    first = snapshot()
    skills_demo.seed_skills_demo(technicians=120)
    assert snapshot() == first

    today = datetime.date.today()
    rows = TechnicianSkill.objects.all()
    stale = rows.filter(rules.stale_filter(today)).count()
    assert 0.15 * rows.count() < stale < 0.6 * rows.count()
    assert rows.filter(validated_level__isnull=False).exists()
    assert rows.filter(wants_to_learn=True).exists()
    assert not rows.filter(confirmed_on__isnull=True).exists()
    statuses = set(ShadowingRequest.objects.values_list("status", flat=True))
    # Requests waiting for an answer, and others already answered one way or another.
    assert "requested" in statuses and len(statuses) >= 2
    assert ShadowingRequest.objects.filter(learner__staff_number="DEMO002").exists()
    # Every demo department and faculty declares needs; some are met, some are not.
    risks = skills_selectors.worst_risks(limit=5)
    assert 0 < risks["unmet"] < risks["declared"]
    assert len(risks["worst"]) == 5
    needing = UnitSkillNeed.objects.filter(department__isnull=False).values("department")
    assert needing.distinct().count() == Department.objects.count()
    faculties = set(Department.objects.values_list("faculty", flat=True))
    assert set(UnitSkillNeed.objects.exclude(faculty="").values_list("faculty", flat=True)) == (
        faculties
    )
    # Plausible: a department needs skills of its own kind of work (no HPLC in Fine Art).
    fine_art = UnitSkillNeed.objects.filter(department__slug="fine-art")
    assert fine_art.exists() and not fine_art.filter(skill__name="HPLC").exists()


def test_needs_a_unit_already_declared_are_left_alone(personas):
    seed_demo(technicians=30)
    skills_demo.seed_skills_demo(technicians=30)
    chemistry = Department.objects.get(slug="chemistry")
    UnitSkillNeed.objects.filter(department=chemistry).exclude(
        pk=UnitSkillNeed.objects.filter(department=chemistry).order_by("pk").first().pk
    ).delete()
    skills_demo.seed_skills_demo(technicians=30)
    assert UnitSkillNeed.objects.filter(department=chemistry).count() == 1
