"""Demo data of the skills matrix (the "skills" seeder, order 15, after the technicians):

- what each demo department and faculty needs (UnitSkillNeed): a few skills of the
  department's main kind of work, two or three holders each, and for a faculty the skills
  several of its departments need, with first aid and risk assessment everywhere (a unit
  that already declared needs is left alone);
- the skills and each demo technician's levels, as the directory's demo people list them
  (technicians.demo: a technician the demo created gets their levels once, while they have
  none);
- when each demo skill level was last confirmed: about a third are stale (over a year old);
- line managers' validations of about half their team's levels, some a level lower (self-
  ratings run high);
- skills some technicians want to learn;
- shadowing requests in every state, including one asked of and one asked by the demo logins.

Deterministic (choices come from a checksum of staff numbers and skill names, never from
database keys) and idempotent: each part only fills what is still empty.
"""

from __future__ import annotations

import datetime
import zlib
from typing import IO

from django.db import transaction
from django.utils import timezone

from skills.models import ShadowingRequest, Skill, TechnicianSkill, UnitSkillNeed
from skills.versions import skills_changed
from technicians import search
from technicians.demo import DEFAULT_TECHNICIANS, DEPARTMENTS, SKILLS, demo_people
from technicians.demo.data import FAMILY_SKILLS
from technicians.models import Department, Technician

NEEDS_PER_DEPARTMENT = 5
FACULTY_WIDE_NEEDS = {"First aid": 4, "Risk assessment": 3}

DEMO_TECHNICIAN = "DEMO002"  # the technician login
DEMO_MANAGER = "DEMO001"  # the line manager login


def _score(*parts: object) -> int:
    """A stable number from 0 to 999 for these parts."""
    return zlib.crc32("|".join(str(part) for part in parts).encode()) % 1000


def _seed_skills() -> dict[str, int]:
    existing = set(Skill.objects.values_list("name", flat=True))
    new = [
        Skill(name=name, category=category)
        for category, names in SKILLS.items()
        for name in names
        if name not in existing
    ]
    Skill.objects.bulk_create(new, ignore_conflicts=True)
    return dict(Skill.objects.values_list("name", "pk"))


def _seed_levels(technicians: int, skills: dict[str, int]) -> int:
    """Each demo person's levels, for their technician (same staff number and e-mail) while it
    lists no skill at all. Returns how many levels were written."""
    people = {person.staff_number: person for person in demo_people(technicians)}
    holders = set(TechnicianSkill.objects.values_list("technician_id", flat=True).distinct())
    links = []
    for pk, number, email in Technician.objects.filter(staff_number__in=list(people)).values_list(
        "pk", "staff_number", "email"
    ):
        person = people[number]
        if pk in holders or email.lower() != person.email.lower():
            continue
        links += [
            TechnicianSkill(technician_id=pk, skill_id=skills[name], level=level)
            for name, level in person.skills
            if name in skills
        ]
    TechnicianSkill.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    search.refresh_search_vectors({link.technician_id for link in links})
    return len(links)


def demo_needs() -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """({department slug: {skill: holders wanted}}, {faculty: {skill: holders wanted}}), the
    same every time: drawn from the names, never from the database."""
    by_department: dict[str, dict[str, int]] = {}
    needed_in: dict[str, dict[str, int]] = {}
    for _name, slug, faculty, _size, families in DEPARTMENTS:
        categories = FAMILY_SKILLS[families[0]][:2]
        candidates = [name for category in categories for name in SKILLS[category]]
        chosen = sorted(candidates, key=lambda name: _score(slug, name, "need"))
        by_department[slug] = {
            name: 2 + _score(slug, name, "holders") % 2 for name in chosen[:NEEDS_PER_DEPARTMENT]
        }
        for name in by_department[slug]:
            needed_in.setdefault(faculty, {}).setdefault(name, 0)
            needed_in[faculty][name] += 1
    by_faculty = {
        faculty: {
            **{name: 3 for name, count in sorted(counts.items()) if count >= 2},
            **FACULTY_WIDE_NEEDS,
        }
        for faculty, counts in needed_in.items()
    }
    return by_department, by_faculty


def _seed_needs(skills: dict[str, int]) -> int:
    """The demo units' needs, for each demo department and faculty that declared none yet."""
    by_department, by_faculty = demo_needs()
    departments = dict(
        Department.objects.filter(slug__in=list(by_department)).values_list("slug", "pk")
    )
    declared = set(
        UnitSkillNeed.objects.values_list("department_id", flat=True).filter(
            department_id__isnull=False
        )
    )
    declared_faculties = set(
        UnitSkillNeed.objects.exclude(faculty="").values_list("faculty", flat=True)
    )
    faculties = set(Department.objects.values_list("faculty", flat=True))
    new = [
        UnitSkillNeed(department_id=departments[slug], skill_id=skills[name], min_holders=wanted)
        for slug, needs in by_department.items()
        if slug in departments and departments[slug] not in declared
        for name, wanted in needs.items()
        if name in skills
    ]
    new += [
        UnitSkillNeed(faculty=faculty, skill_id=skills[name], min_holders=wanted)
        for faculty, needs in by_faculty.items()
        if faculty in faculties and faculty not in declared_faculties
        for name, wanted in needs.items()
        if name in skills
    ]
    UnitSkillNeed.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _seed_reviews(today: datetime.date) -> int:
    rows = list(
        TechnicianSkill.objects.filter(confirmed_on__isnull=True)
        .select_related("technician__line_manager__user", "skill")
        .order_by("pk")
    )
    for row in rows:
        number, name = row.technician.staff_number, row.skill.name
        # 0 to 559 days ago: ratings over a year old (about a third) are stale.
        row.confirmed_on = today - datetime.timedelta(days=_score(number, name, "c") * 56 // 100)
        manager = row.technician.line_manager
        if manager is not None and row.validated_level is None and _score(number, name) < 500:
            lower = _score(number, name, "v") < 250 and row.level > 1
            row.validated_level = row.level - 1 if lower else row.level
            row.validated_by = manager.user
            row.validated_on = row.confirmed_on
    # One UPDATE per distinct set of values (a few thousand), not bulk_update's CASE over
    # every row: 12,500 technicians' ~50,000 ratings in seconds instead of minutes.
    groups: dict[tuple, list[int]] = {}
    for row in rows:
        values = (row.confirmed_on, row.validated_level, row.validated_by_id, row.validated_on)
        groups.setdefault(values, []).append(row.pk)
    for (confirmed_on, level, by_id, validated_on), pks in groups.items():
        for start in range(0, len(pks), 1000):
            TechnicianSkill.objects.filter(pk__in=pks[start : start + 1000]).update(
                confirmed_on=confirmed_on,
                validated_level=level,
                validated_by_id=by_id,
                validated_on=validated_on,
            )
    return len(rows)


def _seed_wants(today: datetime.date) -> int:
    if TechnicianSkill.objects.filter(wants_to_learn=True).exists():
        return 0
    skills = list(Skill.objects.order_by("name"))
    if not skills:
        return 0
    held = set(TechnicianSkill.objects.values_list("technician_id", "skill_id"))
    new = []
    for technician in Technician.objects.filter(is_active=True).order_by("staff_number"):
        number = technician.staff_number
        if _score(number, "wants") >= 120 and number != DEMO_TECHNICIAN:
            continue
        for turn in range(1 + _score(number, "how many") % 2):
            skill = skills[_score(number, "wants", turn) % len(skills)]
            if (technician.pk, skill.pk) in held:
                continue
            held.add((technician.pk, skill.pk))
            new.append(
                TechnicianSkill(
                    technician=technician,
                    skill=skill,
                    level=TechnicianSkill.Level.AWARE,
                    wants_to_learn=True,
                    confirmed_on=today,
                )
            )
    TechnicianSkill.objects.bulk_create(new, ignore_conflicts=True)
    search.refresh_search_vectors(row.technician_id for row in new)
    return len(new)


STATES = [
    ShadowingRequest.Status.REQUESTED,
    ShadowingRequest.Status.ACCEPTED,
    ShadowingRequest.Status.DONE,
    ShadowingRequest.Status.DECLINED,
    ShadowingRequest.Status.CANCELLED,
]


def _seed_shadowing() -> int:
    if ShadowingRequest.objects.exists():
        return 0
    trainers: dict[int, list[int]] = {}
    for skill_id, technician_id in (
        TechnicianSkill.objects.filter(
            level=TechnicianSkill.Level.TRAINER, technician__is_active=True
        )
        .order_by("skill_id", "technician__staff_number")
        .values_list("skill_id", "technician_id")
    ):
        trainers.setdefault(skill_id, []).append(technician_id)
    wanted = list(
        TechnicianSkill.objects.filter(wants_to_learn=True, technician__is_active=True)
        .order_by("technician__staff_number", "skill__name")
        .values_list("technician_id", "skill_id", "technician__staff_number")
    )
    now = timezone.now()
    new = []
    backdated = []
    for index, (learner_id, skill_id, number) in enumerate(wanted):
        teachers = [pk for pk in trainers.get(skill_id, []) if pk != learner_id]
        if not teachers or (index % 3 and number != DEMO_TECHNICIAN):
            continue
        status = STATES[_score(number, skill_id) % len(STATES)]
        if number == DEMO_TECHNICIAN:
            status = ShadowingRequest.Status.REQUESTED
        created = now - datetime.timedelta(days=3 + _score(number, "when") % 60)
        decided = None if status == ShadowingRequest.Status.REQUESTED else created
        backdated.append(created)
        new.append(
            ShadowingRequest(
                learner_id=learner_id,
                teacher_id=teachers[_score(number, skill_id, "t") % len(teachers)],
                skill_id=skill_id,
                status=status,
                note="I would like to see how you set it up and run it.",
                decided_at=decided and decided + datetime.timedelta(days=2),
                completed_at=(
                    min(created + datetime.timedelta(days=20), now - datetime.timedelta(hours=12))
                    if status == ShadowingRequest.Status.DONE
                    else None
                ),
            )
        )
    created_requests = ShadowingRequest.objects.bulk_create(new)
    # `created` is set on insert: backdate the requests afterwards, so their ages vary.
    for shadowing, created in zip(created_requests, backdated, strict=True):
        shadowing.created = created
    ShadowingRequest.objects.bulk_update(created_requests, ["created"], batch_size=500)
    extra = ShadowingRequest.objects.bulk_create(
        _asked_of_demo_manager(trainers), ignore_conflicts=True
    )
    return len(created_requests) + len(extra)


def _asked_of_demo_manager(trainers: dict[int, list[int]]) -> list[ShadowingRequest]:
    """One request waiting for the demo line manager's answer, from a colleague."""
    manager = Technician.objects.filter(staff_number=DEMO_MANAGER).first()
    if manager is None:
        return []
    taught = [skill_id for skill_id, pks in sorted(trainers.items()) if manager.pk in pks]
    learner = (
        Technician.objects.filter(is_active=True, department_id=manager.department_id)
        .exclude(pk=manager.pk)
        .exclude(staff_number=DEMO_TECHNICIAN)
        .order_by("staff_number")
        .first()
    )
    if not taught or learner is None:
        return []
    return [
        ShadowingRequest(
            learner=learner,
            teacher=manager,
            skill_id=taught[0],
            note="Could I join one of your method development sessions?",
        )
    ]


@transaction.atomic
def seed_skills_demo(*, technicians: int = DEFAULT_TECHNICIANS, stdout: IO | None = None) -> None:
    """Fill review dates, validations, skills to learn and shadowing requests (only what is
    still missing). Registered with `portal.registry` as the "skills" seeder."""
    today = timezone.localdate()
    skills = _seed_skills()
    levels = _seed_levels(technicians, skills)
    needs = _seed_needs(skills)
    reviewed = _seed_reviews(today)
    wants = _seed_wants(today)
    requests = _seed_shadowing()
    skills_changed()  # everything above was written in bulk (no signals)
    if stdout is not None:
        stdout.write(
            f"Skills demo: {levels} skill levels, {needs} unit skill needs, {reviewed} review "
            f"dates, {wants} skills to learn and {requests} shadowing requests created.\n"
        )
