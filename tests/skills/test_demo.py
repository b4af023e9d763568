"""The skills demo seeder: realistic coverage (single points of failure, untaught skills,
stale ratings, shadowing requests), deterministic and idempotent."""

import datetime

import pytest

from portal import registry
from skills import demo as skills_demo
from skills import risk as rules
from skills import selectors as skills_selectors
from skills.models import ShadowingRequest, TechnicianSkill
from technicians.demo import seed_demo

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
    assert {"requested", "accepted"} <= statuses
    assert ShadowingRequest.objects.filter(learner__staff_number="DEMO002").exists()
    faculties = skills_selectors.skills_at_risk_by_faculty()
    assert sum(f["single_point"] for f in faculties) > 0
    assert sum(f["untaught"] for f in faculties) > 0
