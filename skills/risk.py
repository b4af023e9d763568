"""The rules of the skills matrix, in one place: coverage risk of a skill in a unit, untaught
skills, and when a rating goes stale.

The matrix, the skill pages, the dashboard panels, the staff-list preview and the annual
report all ask these functions; none of them restates a threshold. The thresholds are
settings: `SKILLS_MIN_HOLDERS` (2) and `SKILLS_REVIEW_MONTHS` (12).

A unit (a department or a faculty) declares the skills it needs and how many holders it
wants (skills.models.UnitSkillNeed): the matrix, the skill pages and the dashboards judge risk
only where a need is declared, with the need's `min_holders` in place of SKILLS_MIN_HOLDERS.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from skills.models import Skill, TechnicianSkill
from technicians.models import Technician

Risk = Literal["covered", "thin", "single_point", "none"]

COVERED: Risk = "covered"
THIN: Risk = "thin"
SINGLE_POINT: Risk = "single_point"
NONE: Risk = "none"

RISK_LABELS: dict[str, str] = {
    COVERED: "Covered",
    THIN: "Thin",
    SINGLE_POINT: "Single point of failure",
    NONE: "Nobody",
}
RISK_EXPLANATIONS: dict[str, str] = {
    COVERED: "enough practitioners, and someone who can train others",
    THIN: "more than one practitioner, but too few or nobody who can train others",
    SINGLE_POINT: "only one person holds it at practitioner level or above",
    NONE: "nobody holds it at practitioner level or above",
}
# Somebody holds the skill, but losing one person would leave the unit without it, or
# without anyone to teach it.
AT_RISK: frozenset[str] = frozenset({SINGLE_POINT, THIN})
# A declared need that is not met: nobody, one person, or too few (or nobody to teach it).
UNMET: frozenset[str] = frozenset({NONE, SINGLE_POINT, THIN})
# How bad an unmet need is, worst first.
SEVERITY: dict[str, int] = {NONE: 0, SINGLE_POINT: 1, THIN: 2, COVERED: 3}
NOT_NEEDED_LABEL = "No need declared"

# A "holder" holds the skill at practitioner level or above; a "trainer" can train others.
PRACTITIONER = TechnicianSkill.Level.PRACTITIONER
TRAINER = TechnicianSkill.Level.TRAINER


def min_holders() -> int:
    return int(getattr(settings, "SKILLS_MIN_HOLDERS", 2))


def risk_from_counts(holders: int, trainers: int, *, wanted: int | None = None) -> Risk:
    """The risk of a skill in a unit from its number of active holders (level 2+) and, among
    them, trainers (level 4), against `wanted` holders (a unit's declared need; None:
    SKILLS_MIN_HOLDERS). One holder is a single point of failure whatever the threshold."""
    if holders <= 0:
        return NONE
    if holders == 1:
        return SINGLE_POINT
    if holders >= (min_holders() if wanted is None else wanted) and trainers >= 1:
        return COVERED
    return THIN


def is_untaught(trainers: int) -> bool:
    """Untaught in a unit (the issue asks it of a faculty): nobody there can train others."""
    return trainers <= 0


def level_field(validated: bool = False) -> str:
    """Which rating the matrix counts: the self-rating, or the line manager's validation."""
    return "validated_level" if validated else "level"


def holder_counts(skill: Skill, technicians: QuerySet[Technician], *, validated: bool = False):
    """(holders, trainers) of `skill` among the active technicians of `technicians`."""
    field = level_field(validated)
    counts = TechnicianSkill.objects.filter(
        skill=skill,
        technician__in=technicians.filter(is_active=True).values("pk"),
    ).aggregate(
        holders=Count("pk", filter=Q(**{f"{field}__gte": PRACTITIONER})),
        trainers=Count("pk", filter=Q(**{f"{field}__gte": TRAINER})),
    )
    return counts["holders"], counts["trainers"]


def risk(
    skill: Skill,
    technicians: QuerySet[Technician],
    *,
    validated: bool = False,
    wanted: int | None = None,
) -> Risk:
    """covered | thin | single_point | none for `skill` in the unit `technicians` (a queryset
    of technicians; leavers in it are not counted), against `wanted` holders (the unit's
    declared need) or SKILLS_MIN_HOLDERS. One query."""
    return risk_from_counts(*holder_counts(skill, technicians, validated=validated), wanted=wanted)


def untaught(skill: Skill, technicians: QuerySet[Technician]) -> bool:
    """Nobody active in `technicians` can train others in `skill`."""
    return is_untaught(holder_counts(skill, technicians)[1])


# --- reviews: stale ratings ---------------------------------------------------------------


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (31 March - 1 month: 28/29 February)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_after(day: datetime.date, months: int) -> datetime.date:
    return months_before(day, -months)


def review_months() -> int:
    return int(getattr(settings, "SKILLS_REVIEW_MONTHS", 12))


def stale_before(today: datetime.date) -> datetime.date:
    """Ratings confirmed before this day are stale on `today` (over 12 months old)."""
    return months_before(today, review_months())


def is_stale(confirmed_on: datetime.date | None, today: datetime.date) -> bool:
    """Unconfirmed for over SKILLS_REVIEW_MONTHS months, or never confirmed."""
    return confirmed_on is None or confirmed_on < stale_before(today)


def stale_filter(today: datetime.date, prefix: str = "") -> Q:
    """A Q object on TechnicianSkill (or `prefix`ed from a relation) mirroring `is_stale`."""
    return confirmed_before_filter(stale_before(today), prefix)


def confirmed_before_filter(before: datetime.date, prefix: str = "") -> Q:
    """Never confirmed, or confirmed before `before` (`stale_filter` with the day worked out)."""
    return Q(**{f"{prefix}confirmed_on__isnull": True}) | Q(**{f"{prefix}confirmed_on__lt": before})


def review_due_on(confirmed_on: datetime.date | None) -> datetime.date | None:
    """The first day a rating confirmed on `confirmed_on` is stale (None: never confirmed)."""
    if confirmed_on is None:
        return None
    return months_after(confirmed_on, review_months()) + datetime.timedelta(days=1)


def unit_shows_people(size: int) -> bool:
    """A unit with fewer than SKILLS_MIN_UNIT_FOR_PEOPLE active technicians shows counts only,
    so that nobody's ratings can be read off a tiny team."""
    return size >= int(getattr(settings, "SKILLS_MIN_UNIT_FOR_PEOPLE", 3))


# --- leavers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillLoss:
    """A skill a department loses when its leavers go: nobody left who holds it at all, or
    nobody left at practitioner level or above (the leaver was its single point of failure)."""

    department_id: int
    department: str
    skill_id: int
    skill: str
    leavers: tuple[str, ...]
    nobody_at_all: bool

    @property
    def message(self) -> str:
        who = " and ".join(self.leavers)
        level = "" if self.nobody_at_all else " at practitioner level or above"
        verb = "is" if len(self.leavers) == 1 else "are"
        return (
            f"Leaves {self.department} with nobody who holds {self.skill}{level}: "
            f"{who} {verb} leaving."
        )


def leaver_skill_losses(staff_numbers: Iterable[str]) -> list[SkillLoss]:
    """What the current technicians with these staff numbers take with them when they leave:
    each skill of theirs that nobody else in their department would hold (at all, or at
    practitioner level or above). Two queries, in department and skill order."""
    numbers = sorted(set(staff_numbers))
    if not numbers:
        return []
    leaving = list(
        TechnicianSkill.objects.filter(
            technician__staff_number__in=numbers, technician__is_active=True
        )
        .values_list(
            "technician__department_id",
            "technician__department__name",
            "skill_id",
            "skill__name",
            "level",
            "technician__first_name",
            "technician__last_name",
        )
        .order_by("technician__department__name", "skill__name", "technician__last_name")
    )
    if not leaving:
        return []
    remaining = {
        (row["technician__department_id"], row["skill_id"]): row
        for row in TechnicianSkill.objects.filter(
            technician__is_active=True,
            technician__department_id__in={row[0] for row in leaving},
            skill_id__in={row[2] for row in leaving},
        )
        .exclude(technician__staff_number__in=numbers)
        .values("technician__department_id", "skill_id")
        .order_by()
        .annotate(
            holders=Count("pk"),
            practitioners=Count("pk", filter=Q(level__gte=PRACTITIONER)),
        )
    }
    grouped: dict[tuple[int, int], dict] = {}
    for department_id, department, skill_id, skill, level, first, last in leaving:
        entry = grouped.setdefault(
            (department_id, skill_id),
            {"department": department, "skill": skill, "leavers": [], "top": 0},
        )
        entry["leavers"].append(f"{first} {last}")
        entry["top"] = max(entry["top"], level)
    losses = []
    for (department_id, skill_id), entry in grouped.items():
        left = remaining.get((department_id, skill_id), {"holders": 0, "practitioners": 0})
        nobody_at_all = left["holders"] == 0
        if nobody_at_all or (entry["top"] >= PRACTITIONER and left["practitioners"] == 0):
            losses.append(
                SkillLoss(
                    department_id,
                    entry["department"],
                    skill_id,
                    entry["skill"],
                    tuple(entry["leavers"]),
                    nobody_at_all,
                )
            )
    return losses
