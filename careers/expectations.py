"""What a band expects, judged against live data: the skills matrix, the training ledger and
professional registration. One place for every rule; My pathway, the team page, HR's pipeline,
the evidence pack and the dashboard panel all ask it.

- A skill expectation is met by the level the line manager validated, or else the person's own
  rating: a named skill at the level or above, or at least `count` skills of a category at
  the level or above.
- Training days: the days of the ledger dated within the last two years (the day two years ago
  excluded, today included), halved, against the band's days a year pro rata by FTE. Exactly
  the target meets it.
- Registration: an active registration on the band's register, or on one of the same council
  higher up its order (RSci meets RSciTech). A lapsed or in-progress registration does not.
- Years of experience: whole years since the person started here (`Technician.started_on`).

Facts for many people are read in a constant number of queries (`load_facts`), so a pipeline
over the whole staff list costs the same as one person.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from careers import versions as careers_versions
from careers.models import Band, BandOverride, BandSkill, Pathway
from portal import versions
from portal.prepared import PreparedQuery
from registration.models import Registration
from skills.models import TechnicianSkill
from technicians.models import Technician
from training.models import TrainingRecord

TWO_PLACES = Decimal("0.01")
LEVEL_NAMES = {1: "aware", 2: "practitioner", 3: "expert", 4: "can train others"}


def years_ago(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def whole_years(since: datetime.date | None, today: datetime.date) -> int | None:
    if since is None:
        return None
    years = today.year - since.year - ((today.month, today.day) < (since.month, since.day))
    return max(years, 0)


@dataclass
class Facts:
    technician: Technician
    levels: dict[int, int] = field(default_factory=dict)  # skill id -> level counted
    categories: dict[int, str] = field(default_factory=dict)  # skill id -> category
    names: dict[int, str] = field(default_factory=dict)
    training_days: Decimal = Decimal("0")  # the last two years
    registers: list[tuple[int, str, int]] = field(default_factory=list)  # id, council, order
    years: int | None = None

    @property
    def training_average(self) -> Decimal:
        return (self.training_days / 2).quantize(TWO_PLACES)


def load_facts(technicians, today: datetime.date) -> dict[int, Facts]:
    """Facts for a list (or queryset) of technicians: four queries whatever their number."""
    people = list(technicians)
    facts = {
        person.pk: Facts(person, years=whole_years(person.started_on, today)) for person in people
    }
    ids = list(facts)
    if not ids:
        return facts
    since = years_ago(today, 2)
    if len(ids) == 1 and not hasattr(technicians, "query"):
        # One person (their own pathway, on every visit of the dashboard): compiled once.
        [person] = ids
        skills = _SKILLS_OF_ONE.list(technician=person)
        training = _TRAINING_OF_ONE.list(technician=person, since=since, today=today)
        registers = _REGISTERS_OF_ONE.list(technician=person)
    else:
        in_people = (
            {"technician__in": technicians}
            if hasattr(technicians, "query")
            else {"technician_id__in": ids}
        )
        skills = _skills_rows(TechnicianSkill.objects.filter(**in_people))
        training = _training_rows(TrainingRecord.objects.filter(**in_people), since, today)
        registers = _register_rows(Registration.objects.filter(**in_people))
    for technician_id, skill_id, level, validated, category, name in skills:
        if technician_id in facts:
            entry = facts[technician_id]
            entry.levels[skill_id] = validated or level
            entry.categories[skill_id] = category
            entry.names[skill_id] = name
    for technician_id, days in training:
        if technician_id in facts:
            facts[technician_id].training_days = Decimal(days or 0)
    for technician_id, register_id, council, order in registers:
        if technician_id in facts:
            facts[technician_id].registers.append((register_id, council, order))
    return facts


def _skills_rows(held):
    return held.values_list(
        "technician_id", "skill_id", "level", "validated_level", "skill__category", "skill__name"
    )


def _training_rows(records, since: datetime.date, today: datetime.date):
    return (
        records.filter(date__gt=since, date__lte=today)
        .values_list("technician_id")
        .annotate(days=Sum("days"))
        .order_by()
    )


def _register_rows(registrations):
    return registrations.filter(status=Registration.Status.ACTIVE).values_list(
        "technician_id", "register_id", "register__council", "register__order"
    )


_SKILLS_OF_ONE = PreparedQuery(
    lambda technician: _skills_rows(TechnicianSkill.objects.filter(technician_id=technician))
)
_TRAINING_OF_ONE = PreparedQuery(
    lambda technician, since, today: _training_rows(
        TrainingRecord.objects.filter(technician_id=technician), since, today
    )
)
_REGISTERS_OF_ONE = PreparedQuery(
    lambda technician: _register_rows(Registration.objects.filter(technician_id=technician))
)


# --- bands and placements -------------------------------------------------------------------


@dataclass
class Ladder:
    """Every pathway with its bands (and their skill expectations), read once."""

    pathways: list[Pathway]
    bands: dict[int, list[Band]]  # pathway id -> bands in order
    by_id: dict[int, Band]
    overrides: dict[int, BandOverride]

    def next_band(self, band: Band | None, pathway: Pathway | None) -> Band | None:
        if pathway is None:
            return None
        bands = self.bands.get(pathway.pk, [])
        if band is None:
            return bands[0] if bands else None
        later = [b for b in bands if b.order > band.order]
        return later[0] if later else None


_OVERRIDES = BandOverride.objects.select_related("band__pathway")
_OVERRIDES_OF_ONE = PreparedQuery(lambda technician: _OVERRIDES.filter(technician_id=technician))


def load_ladder(technicians=None) -> Ladder:
    """The ladder, with HR's overrides for `technicians` (all of them: None). The pathways and
    bands are the same for everyone: read once in each process and kept under the ladder's
    version (careers.versions), given as they are rather than as a copy (every reader only
    reads them, and unpickling a copy cost 0.2–0.3 ms on every visit of a dashboard);
    the overrides, a person's own, are read live."""
    pathways, bands = versions.kept_object(
        "careers.ladder", depends_on=(careers_versions.LADDER,), compute=_read_rungs
    )
    grouped: dict[int, list[Band]] = {}
    for band in bands:
        grouped.setdefault(band.pathway_id, []).append(band)
    if technicians is not None and not hasattr(technicians, "query") and len(technicians) == 1:
        # One person (their own pathway, on every visit of the dashboard): compiled once.
        overrides = _OVERRIDES_OF_ONE.list(technician=technicians[0].pk)
    else:
        overrides = _OVERRIDES.all()
        if technicians is not None:
            overrides = overrides.filter(
                technician__in=technicians
                if hasattr(technicians, "query")
                else [t.pk for t in technicians]
            )
    return Ladder(
        pathways=pathways,
        bands=grouped,
        by_id={band.pk: band for band in bands},
        overrides={row.technician_id: row for row in overrides},
    )


def _read_rungs() -> tuple[list[Pathway], list[Band]]:
    pathways = list(Pathway.objects.all())
    bands = list(
        Band.objects.select_related("pathway", "register")
        .prefetch_related("skill_expectations__skill")
        .order_by("pathway__order", "pathway__name", "order")
    )
    return pathways, bands


@dataclass
class Placement:
    pathway: Pathway | None
    band: Band | None
    next_band: Band | None
    override: BandOverride | None = None

    @property
    def overridden(self) -> bool:
        return self.override is not None


def _grade_key(grade: str) -> str:
    return (grade or "").strip().lower().removeprefix("grade").strip()


def band_for_grade(bands: list[Band], grade: str) -> Band | None:
    key = _grade_key(grade)
    if not key:
        return None
    matches = [band for band in bands if key in {_grade_key(g) for g in band.grades}]
    return matches[-1] if matches else None


def place(technician: Technician, ladder: Ladder) -> Placement:
    """The technician's pathway and band: HR's override, else the band whose grades hold the
    technician's grade, on the pathway of their role family (else any pathway mapping the
    grade, else the first pathway, at no band yet)."""
    override = ladder.overrides.get(technician.pk)
    if override is not None:
        band = ladder.by_id.get(override.band_id, override.band)
        pathway = band.pathway
        return Placement(pathway, band, ladder.next_band(band, pathway), override)
    candidates = [p for p in ladder.pathways if technician.role_family in (p.role_families or [])]
    for pathway in candidates or ladder.pathways:
        band = band_for_grade(ladder.bands.get(pathway.pk, []), technician.grade)
        if band is not None:
            return Placement(pathway, band, ladder.next_band(band, pathway))
    pathway = (candidates or ladder.pathways or [None])[0]
    return Placement(pathway, None, ladder.next_band(None, pathway))


# --- judging ---------------------------------------------------------------------------------


@dataclass
class Result:
    kind: str  # skill | category | training_days | registration | experience
    label: str  # what the band expects, in words
    met: bool
    detail: str  # what the live data shows
    expectation: object = None  # the BandSkill, when there is one


def _skill_result(expectation: BandSkill, facts: Facts) -> Result:
    wanted = LEVEL_NAMES.get(expectation.level, str(expectation.level))
    if expectation.skill_id:
        held = facts.levels.get(expectation.skill_id)
        label = f"{expectation.skill.name} at level {expectation.level} ({wanted}) or above"
        detail = (
            "Not on your skills record yet."
            if held is None
            else f"Held at level {held} ({LEVEL_NAMES.get(held, held)})."
        )
        return Result(
            "skill", label, held is not None and held >= expectation.level, detail, expectation
        )
    qualifying = sorted(
        facts.names[skill_id]
        for skill_id, level in facts.levels.items()
        if facts.categories.get(skill_id) == expectation.category and level >= expectation.level
    )
    count = expectation.count
    label = (
        f"{count} skill{'s' if count != 1 else ''} in {expectation.category} at level "
        f"{expectation.level} ({wanted}) or above"
    )
    detail = f"{len(qualifying)} held: {', '.join(qualifying)}." if qualifying else "None held yet."
    return Result("category", label, len(qualifying) >= count, detail, expectation)


def judge(band: Band, facts: Facts) -> list[Result]:
    """Each expectation of `band`, met or not yet, for the person of `facts`."""
    results = [_skill_result(e, facts) for e in band.skill_expectations.all()]
    if band.training_days is not None:
        fte = Decimal(str(facts.technician.fte or 1))
        target = (band.training_days * fte).quantize(TWO_PLACES)
        average = facts.training_average
        results.append(
            Result(
                "training_days",
                f"{band.training_days.normalize():f} training days a year"
                + ("" if fte == 1 else f" ({target.normalize():f} pro rata)"),
                average >= target,
                f"{average.normalize():f} days a year on average over the last two years.",
            )
        )
    if band.register_id is not None:
        register = band.register
        held = [
            r
            for r in facts.registers
            if r[0] == register.pk or (r[1] == register.council and r[2] >= register.order)
        ]
        results.append(
            Result(
                "registration",
                f"Registered as {register.code} ({register.title}) or higher",
                bool(held),
                "An active registration counts."
                if held
                else "No active registration at this level (a lapsed one does not count).",
            )
        )
    if band.years_experience is not None:
        years = facts.years
        results.append(
            Result(
                "experience",
                f"{band.years_experience} year{'s' if band.years_experience != 1 else ''} of "
                "experience",
                years is not None and years >= band.years_experience,
                "No start date on your record."
                if years is None
                else f"{years} year{'s' if years != 1 else ''} since you started here.",
            )
        )
    return results


def meets(band: Band, facts: Facts) -> bool:
    return all(result.met for result in judge(band, facts))
