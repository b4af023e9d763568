"""Mentoring matching at scale: 500 applicants matched in under 2 s.

    DATABASE_URL=sqlite:////tmp/bench-mentoring.sqlite3 .venv/bin/python bench/mentoring.py

On a throwaway database (it is migrated first): makes a round of 500 applicants (about 200
mentors with 1 to 3 places, 300 mentees, some both) over 60 skills, in departments with line
managers, then times `careers.matching.propose_pairs` (loading, scoring every mentor against
every mentee and solving the assignment). Prints JSON with the median seconds of 3 runs, the
pairs and whether the 2 s target is met; exits 1 when it is not.
"""

import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from careers.matching import propose_pairs  # noqa: E402
from careers.models import MentoringApplication, MentoringRound, MentoringScheme  # noqa: E402
from skills.models import Skill, TechnicianSkill  # noqa: E402
from technicians.models import Department, Technician  # noqa: E402

APPLICANTS = 500
TARGET_SECONDS = 2.0
PREFIX = "BENCHMENT"


def build() -> MentoringRound:
    rng = random.Random(500)
    scheme, _ = MentoringScheme.objects.get_or_create(name="Bench mentoring")
    MentoringRound.objects.filter(scheme=scheme).delete()
    today = datetime.date.today()
    round = MentoringRound.objects.create(
        scheme=scheme,
        name="Bench",
        applications_open_on=today,
        applications_close_on=today,
        matching_on=today,
        max_grade_gap=3,
    )
    skills = [
        Skill.objects.get_or_create(
            name=f"Bench skill {i}", defaults={"category": f"Bench {i % 6}"}
        )[0]
        for i in range(60)
    ]
    departments = [
        Department.objects.get_or_create(
            slug=f"bench-{i}", defaults={"name": f"Bench department {i}", "faculty": f"F{i % 4}"}
        )[0]
        for i in range(20)
    ]
    Technician.objects.filter(staff_number__startswith=PREFIX).delete()
    people = Technician.objects.bulk_create(
        Technician(
            staff_number=f"{PREFIX}{i}",
            first_name="Bench",
            last_name=f"Person {i}",
            email=f"bench{i}@example.ac.uk",
            job_title="Technician",
            role_family="laboratory",
            grade=str(rng.randint(3, 8)),
            department=departments[i % len(departments)],
        )
        for i in range(APPLICANTS)
    )
    for person in people[20:]:
        person.line_manager = people[rng.randrange(20)]
    Technician.objects.bulk_update(people[20:], ["line_manager"])
    TechnicianSkill.objects.bulk_create(
        TechnicianSkill(technician=person, skill=skill, level=rng.randint(1, 4))
        for person in people
        for skill in rng.sample(skills, 4)
    )
    for index, person in enumerate(people):
        as_mentor = index % 5 < 2 or index % 11 == 0
        as_mentee = not as_mentor or index % 7 == 0
        application = MentoringApplication.objects.create(
            round=round,
            technician=person,
            as_mentor=as_mentor,
            as_mentee=as_mentee,
            capacity=rng.randint(1, 3),
            career_areas=rng.sample(["research", "teaching", "operations"], 1),
            prefers_other_department=rng.random() < 0.3,
        )
        if as_mentor:
            application.topics_offered.set(rng.sample(skills, 4))
        if as_mentee:
            application.topics_sought.set(rng.sample(skills, 2))
    return round


def main() -> int:
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        round = build()
    timings, pairs = [], []
    for _ in range(3):
        start = time.perf_counter()
        pairs = propose_pairs(round)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(
        json.dumps(
            {
                "applicants": APPLICANTS,
                "mentors": round.applications.filter(as_mentor=True).count(),
                "mentees": round.applications.filter(as_mentee=True).count(),
                "pairs": len(pairs),
                "median_seconds": round_to(median),
                "runs": [round_to(t) for t in timings],
                "target_seconds": TARGET_SECONDS,
                "met": median < TARGET_SECONDS,
            },
            indent=2,
        )
    )
    return 0 if median < TARGET_SECONDS else 1


def round_to(value: float) -> float:
    return float(f"{value:.3f}")


if __name__ == "__main__":
    sys.exit(main())
