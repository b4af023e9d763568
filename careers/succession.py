"""Succession: for every single point of failure of the skills matrix (a department where
exactly one active person holds a skill at practitioner level or above, `skills.risk`), the
people who could take it on: those who want to learn it or hold it at level 1, in the same
department first, then the same faculty. Each suggestion offers a shadowing request with the
holder, or the skill as a mentoring topic."""

from __future__ import annotations

from dataclasses import dataclass, field

from skills.models import TechnicianSkill
from skills.risk import SINGLE_POINT, risk_from_counts
from technicians.models import Technician

PRACTITIONER = 2
PAGE = 100  # suggestions shown, those with successors first


@dataclass
class Suggestion:
    department: str
    skill_id: int
    skill: str
    holder: Technician
    successors: list[Technician] = field(default_factory=list)


def suggestions(limit_successors: int = 3) -> list[Suggestion]:
    """Single points of failure by department, with up to `limit_successors` successors each
    (one query)."""
    rows = list(
        TechnicianSkill.objects.filter(technician__is_active=True)
        .select_related("technician__department", "skill")
        .order_by("technician__department__name", "skill__name", "technician__last_name")
    )
    holders: dict[tuple[int, int], list[TechnicianSkill]] = {}
    trainers: dict[tuple[int, int], int] = {}
    learners: dict[int, list[TechnicianSkill]] = {}
    for row in rows:
        key = (row.technician.department_id, row.skill_id)
        if row.level >= PRACTITIONER:
            holders.setdefault(key, []).append(row)
            trainers[key] = trainers.get(key, 0) + (row.level >= 4)
        elif row.level == 1 or row.wants_to_learn:
            learners.setdefault(row.skill_id, []).append(row)
    found = []
    for (department_id, skill_id), held in holders.items():
        if risk_from_counts(len(held), trainers.get((department_id, skill_id), 0)) != SINGLE_POINT:
            continue
        holder = held[0].technician
        candidates = [r.technician for r in learners.get(skill_id, []) if r.technician != holder]
        same_unit = [t for t in candidates if t.department_id == department_id]
        same_faculty = [
            t
            for t in candidates
            if t.department_id != department_id
            and t.department.faculty == holder.department.faculty
        ]
        found.append(
            Suggestion(
                department=holder.department.name,
                skill_id=skill_id,
                skill=held[0].skill.name,
                holder=holder,
                successors=(same_unit + same_faculty)[:limit_successors],
            )
        )
    found.sort(key=lambda s: (not s.successors, s.department, s.skill))
    return found
