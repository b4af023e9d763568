"""Mentoring matching: an optimal assignment of mentees to mentors under hard rules.

`propose_pairs(round)` scores every (mentor, mentee) of the round's applications, expands each
mentor into `capacity` slots and solves the assignment with
`scipy.optimize.linear_sum_assignment` (maximum total score). It writes nothing; the service
`careers.services.run_matching` stores what it proposes.

Hard rules (a forbidden pair costs so much that it is never chosen, and is dropped if the
solver had nothing better): never oneself; never inside one reporting line (neither is the
other's line manager, or manager's manager, up the chain); never more mentees than a mentor's
capacity; never a grade gap above the round's `max_grade_gap`; never a pair the coordinator
removed; never a pair with no topic in common. Pinned pairs are kept as they are and use up
their mentor's slots.

The score, each part with its reason:
- a skill the mentee seeks that the mentor offers: 10; held by the mentor at 3 or above: +5;
- a skill the mentee seeks that the mentor holds at 3 or above without offering it: 4;
- a word of the free-text topics both wrote: 2 (at most 3 words);
- a career area in common: 2;
- the mentee asked for another department: 3 when it is, −5 when it is not;
- the mentee asked for the same site (the same faculty): 3 when it is, −2 when it is not;
- a mentor at a lower grade than the mentee: −3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from careers.models import MentoringApplication, MentoringPair, MentoringRound
from skills.models import TechnicianSkill
from technicians.models import Technician

FORBIDDEN = 1e9
EMPTY: frozenset[int] = frozenset()
EXPERT = 3
WORD = re.compile(r"[a-z][a-z-]{4,}")
STOP_WORDS = frozenset({"about", "would", "their", "which", "other", "skills", "learn"})


@dataclass
class ProposedPair:
    mentor: Technician
    mentee: Technician
    score: float
    reasons: list[str] = field(default_factory=list)
    pinned: bool = False


@dataclass
class Applicant:
    application: MentoringApplication
    technician: Technician
    offered: set[int]
    sought: set[int]
    words: set[str]
    areas: set[str]
    grade: int | None
    id: int = 0
    department_id: int = 0
    faculty: str = ""


def grade_number(grade: str) -> int | None:
    """The number in an HR grade ("Grade 6" → 6), or None."""
    found = re.search(r"\d+", grade or "")
    return int(found.group()) if found else None


def _words(text: str) -> set[str]:
    return set(WORD.findall((text or "").lower())) - STOP_WORDS


def line_managers() -> dict[int, int | None]:
    """Every technician's line manager id (one query)."""
    return dict(Technician.objects.values_list("pk", "line_manager_id"))


def chain_of(technician_id: int, managers: dict[int, int | None]) -> set[int]:
    """Everyone above `technician_id` in the reporting line (cycles are cut)."""
    above: set[int] = set()
    current = managers.get(technician_id)
    while current is not None and current not in above and current != technician_id:
        above.add(current)
        current = managers.get(current)
    return above


def same_reporting_line(a: int, b: int, chains: dict[int, set[int]]) -> bool:
    return a in chains.get(b, set()) or b in chains.get(a, set())


def _load(round: MentoringRound) -> list[Applicant]:
    """The round's applicants who are still on the staff list (three queries)."""
    applications = list(
        MentoringApplication.objects.filter(round=round, technician__is_active=True)
        .select_related("technician__department")
        .order_by("technician_id")
    )
    ids = [application.pk for application in applications]
    through_offered = MentoringApplication.topics_offered.through
    through_sought = MentoringApplication.topics_sought.through
    offered: dict[int, set[int]] = {}
    sought: dict[int, set[int]] = {}
    for table, found in ((through_offered, offered), (through_sought, sought)):
        for application_id, skill_id in table.objects.filter(
            mentoringapplication_id__in=ids
        ).values_list("mentoringapplication_id", "skill_id"):
            found.setdefault(application_id, set()).add(skill_id)
    return [
        Applicant(
            application=application,
            technician=application.technician,
            offered=offered.get(application.pk, set()),
            sought=sought.get(application.pk, set()),
            words=_words(application.topics_text),
            areas=set(application.career_areas or []),
            grade=grade_number(application.technician.grade),
            id=application.technician_id,
            department_id=application.technician.department_id,
            faculty=application.technician.department.faculty,
        )
        for application in applications
    ]


def _expert_skills(mentor_ids: list[int], skill_ids: set[int]) -> dict[int, set[int]]:
    """Skills each mentor holds at 3 or above (the validated level when there is one)."""
    held: dict[int, set[int]] = {}
    rows = TechnicianSkill.objects.filter(
        technician_id__in=mentor_ids, skill_id__in=skill_ids
    ).values_list("technician_id", "skill_id", "level", "validated_level")
    for technician_id, skill_id, level, validated in rows:
        if (validated or level) >= EXPERT:
            held.setdefault(technician_id, set()).add(skill_id)
    return held


def score_pair(
    mentor: Applicant,
    mentee: Applicant,
    *,
    experts: dict[int, set[int]],
    skill_names: dict[int, str],
    chains: dict[int, set[int]],
    max_grade_gap: int | None,
) -> tuple[float | None, list[str]]:
    """(score, reasons); the score is None when a hard rule forbids the pair."""
    m, e = mentor, mentee
    held = experts.get(m.id, EMPTY)
    relevant = mentee.sought & (mentor.offered | held)
    shared_words = mentor.words & mentee.words
    if not relevant and not shared_words:
        return None, ["no topic in common"]
    if m.id == e.id:
        return None, ["one cannot mentor oneself"]
    if same_reporting_line(m.id, e.id, chains):
        return None, ["in one reporting line"]
    gap = None
    if mentor.grade is not None and mentee.grade is not None:
        gap = mentor.grade - mentee.grade
        if max_grade_gap is not None and abs(gap) > max_grade_gap:
            return None, [f"grade gap of {abs(gap)} is above the round's {max_grade_gap}"]
    score, reasons = 0.0, []
    ordered = (
        sorted(relevant, key=lambda pk: skill_names.get(pk, "")) if len(relevant) > 1 else relevant
    )
    for skill_id in ordered:
        name = skill_names.get(skill_id, "a skill")
        if skill_id in mentor.offered:
            score += 10
            if skill_id in held:
                score += 5
                reasons.append(f"offers {name}, sought, and holds it at level 3 or above (+15)")
            else:
                reasons.append(f"offers {name}, sought (+10)")
        else:
            score += 4
            reasons.append(f"holds {name} at level 3 or above, sought (+4)")
    words = sorted(shared_words)[:3]
    if words:
        score += 2 * len(words)
        reasons.append(f"both wrote about {', '.join(words)} (+{2 * len(words)})")
    areas = sorted(mentor.areas & mentee.areas)
    if areas:
        score += 2 * len(areas)
        reasons.append(f"career areas in common: {', '.join(areas)} (+{2 * len(areas)})")
    application = mentee.application
    if application.prefers_other_department:
        if m.department_id != e.department_id:
            score += 3
            reasons.append("another department, as the mentee asked (+3)")
        else:
            score -= 5
            reasons.append("the same department, though the mentee asked for another (−5)")
    if application.prefers_same_site:
        if m.faculty == e.faculty:
            score += 3
            reasons.append("the same site, as the mentee asked (+3)")
        else:
            score -= 2
            reasons.append("another site, though the mentee asked for the same (−2)")
    if gap is not None and gap < 0:
        score -= 3
        reasons.append("the mentor's grade is below the mentee's (−3)")
    return score, reasons


def propose_pairs(round: MentoringRound) -> list[ProposedPair]:
    """The best assignment of the round's mentees to its mentors: pinned pairs first, then
    the solver's pairs, each with its score and the reasons for it."""
    applicants = _load(round)
    mentors = [a for a in applicants if a.application.as_mentor]
    mentees = [a for a in applicants if a.application.as_mentee]
    existing = list(
        MentoringPair.objects.filter(round=round)
        .exclude(status=MentoringPair.Status.PROPOSED, pinned=False)
        .values_list("mentor_id", "mentee_id", "status", "pinned")
    )
    removed = {(m, e) for m, e, status, _ in existing if status == MentoringPair.Status.REMOVED}
    pinned = [(m, e) for m, e, status, is_pinned in existing if is_pinned and status != "removed"]
    managers = line_managers()
    chains = {a.id: chain_of(a.id, managers) for a in applicants}
    skill_ids = set().union(*(a.sought for a in mentees)) if mentees else set()
    experts = _expert_skills([a.id for a in mentors], skill_ids)
    from skills.models import Skill

    skill_names = dict(Skill.objects.filter(pk__in=skill_ids).values_list("pk", "name"))
    by_id = {a.id: a for a in applicants}

    def score(mentor: Applicant, mentee: Applicant):
        return score_pair(
            mentor,
            mentee,
            experts=experts,
            skill_names=skill_names,
            chains=chains,
            max_grade_gap=round.max_grade_gap,
        )

    result: list[ProposedPair] = []
    used: dict[int, int] = {}
    matched_mentees: set[int] = set()
    for mentor_id, mentee_id in pinned:
        mentor, mentee = by_id.get(mentor_id), by_id.get(mentee_id)
        if mentor is None or mentee is None:
            continue
        value, reasons = score(mentor, mentee)
        result.append(
            ProposedPair(
                mentor.technician,
                mentee.technician,
                value or 0.0,
                ["pinned by the coordinator", *reasons],
                pinned=True,
            )
        )
        used[mentor_id] = used.get(mentor_id, 0) + 1
        matched_mentees.add(mentee_id)
    slots = [
        mentor
        for mentor in mentors
        for _ in range(max(mentor.application.capacity - used.get(mentor.id, 0), 0))
    ]
    free = [mentee for mentee in mentees if mentee.id not in matched_mentees]
    if not slots or not free:
        return result
    scores: dict[tuple[int, int], tuple[float | None, list[str]]] = {}
    cost = np.full((len(free), len(slots)), FORBIDDEN)
    columns: dict[int, list[int]] = {}
    for column, mentor in enumerate(slots):
        columns.setdefault(mentor.id, []).append(column)
    for row, mentee in enumerate(free):
        for mentor in mentors:
            key = (mentor.id, mentee.id)
            if key in removed or key[0] not in columns:
                continue
            value, reasons = score(mentor, mentee)
            if value is None:
                continue
            scores[key] = (value, reasons)
            cost[row, columns[key[0]]] = -value
    rows, cols = linear_sum_assignment(cost)
    for row, column in zip(rows, cols, strict=True):
        if cost[row, column] >= FORBIDDEN:
            continue
        mentor, mentee = slots[column], free[row]
        value, reasons = scores[(mentor.id, mentee.id)]
        result.append(ProposedPair(mentor.technician, mentee.technician, value, reasons))
    return result
