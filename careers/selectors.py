"""Read-only queries of the careers pages, panels, report and evidence pack; each a constant
number of queries whatever the number of people, bands or pairs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from careers import expectations
from careers.models import (
    Band,
    MentoringApplication,
    MentoringEvaluation,
    MentoringMeeting,
    MentoringPair,
    MentoringRound,
    MentoringScheme,
    Pathway,
)
from careers.versions import ROUNDS
from portal import versions
from portal.prepared import PreparedQuery
from portal.registry import UserFact
from skills.models import Skill, TechnicianSkill
from technicians.models import Technician

# --- pathways -------------------------------------------------------------------------------


def pathways() -> list[Pathway]:
    return list(
        Pathway.objects.prefetch_related(Prefetch("bands", queryset=Band.objects.order_by("order")))
    )


def pathway_by_pk(pk: int) -> Pathway | None:
    return Pathway.objects.filter(pk=pk).first()


def bands_of(pathway: Pathway) -> list[Band]:
    return list(
        pathway.bands.select_related("register")
        .prefetch_related("skill_expectations__skill")
        .order_by("order")
    )


def band_by_pk(pk: int) -> Band | None:
    return Band.objects.select_related("pathway").filter(pk=pk).first()


def all_bands() -> list[Band]:
    return list(
        Band.objects.select_related("pathway").order_by("pathway__order", "pathway__name", "order")
    )


def technician_by_pk(pk: int) -> Technician | None:
    return Technician.objects.select_related("department", "line_manager").filter(pk=pk).first()


def skills() -> list[Skill]:
    return list(Skill.objects.order_by("category", "name"))


def skill_categories() -> list[str]:
    return list(Skill.objects.order_by("category").values_list("category", flat=True).distinct())


# --- a person's place -------------------------------------------------------------------------


@dataclass
class Help:
    text: str
    url: str = ""
    link_text: str = ""


@dataclass
class Row:
    result: expectations.Result
    help: list[Help] = field(default_factory=list)


@dataclass
class MyPathway:
    technician: Technician
    placement: expectations.Placement
    rows: list[Row]

    @property
    def met(self) -> int:
        return sum(1 for row in self.rows if row.result.met)

    @property
    def total(self) -> int:
        return len(self.rows)


def _courses_about(names: list[str], today: datetime.date) -> dict[str, list]:
    """Catalogue courses whose title or description names each skill (3 each, one query)."""
    from training.models import Course

    if not names:
        return {}
    query = Q()
    for name in names:
        query |= Q(title__icontains=name) | Q(description__icontains=name)
    courses = list(Course.objects.filter(query).order_by("title")[:50])
    found: dict[str, list] = {}
    for name in names:
        lowered = name.lower()
        found[name] = [
            c for c in courses if lowered in c.title.lower() or lowered in c.description.lower()
        ][:3]
    return found


def _teachers(skill_ids: list[int], me: Technician) -> dict[int, list[Technician]]:
    """Colleagues who can train others in each skill (level 4), own department first."""
    rows = (
        TechnicianSkill.objects.filter(
            skill_id__in=skill_ids, level__gte=4, technician__is_active=True
        )
        .exclude(technician=me)
        .select_related("technician")
        .order_by("technician__last_name")
    )
    found: dict[int, list[Technician]] = {}
    for row in rows:
        found.setdefault(row.skill_id, []).append(row.technician)
    for skill_id, people in found.items():
        people.sort(key=lambda t: t.department_id != me.department_id)
        found[skill_id] = people[:3]
    return found


def _help_for(rows: list[Row], me: Technician, today: datetime.date) -> None:
    gaps = [row for row in rows if not row.result.met]
    skill_gaps = [row for row in gaps if row.result.kind == "skill"]
    names = [row.result.expectation.skill.name for row in skill_gaps]
    courses = _courses_about(names, today)
    teachers = _teachers([row.result.expectation.skill_id for row in skill_gaps], me)
    rounds = open_rounds(today) if skill_gaps else []
    for row in gaps:
        kind = row.result.kind
        if kind == "skill":
            skill = row.result.expectation.skill
            for course in courses.get(skill.name, []):
                row.help.append(
                    Help("A course in the catalogue:", course.get_absolute_url(), course.title)
                )
            for person in teachers.get(skill.pk, []):
                row.help.append(
                    Help(
                        f"{person.full_name} can train others in it: ask to shadow them.",
                        reverse("technicians:skill", args=[skill.pk]),
                        f"Request shadowing in {skill.name}",
                    )
                )
            if rounds:
                row.help.append(
                    Help(
                        "Or seek it as a mentoring topic.",
                        reverse("careers:round_apply", args=[rounds[0].pk]) + f"?sought={skill.pk}",
                        f"Apply to {rounds[0].scheme.name} with {skill.name}",
                    )
                )
        elif kind == "category":
            row.help.append(
                Help(
                    "See who holds these skills and who can teach them.",
                    reverse("technicians:skills") + f"?category={row.result.expectation.category}",
                    f"{row.result.expectation.category} on the skills matrix",
                )
            )
        elif kind == "training_days":
            row.help.append(
                Help("Book training from the catalogue.", reverse("training:catalogue"), "Training")
            )
        elif kind == "registration":
            row.help.append(
                Help(
                    "The portal funds registration: apply for the fees.",
                    reverse("registration:apply"),
                    "Apply for registration funding",
                )
            )
        elif kind == "experience":
            row.help.append(Help("This comes with time in post."))


def my_pathway(technician: Technician, today: datetime.date | None = None) -> MyPathway:
    today = today or timezone.localdate()
    ladder = expectations.load_ladder([technician])
    placement = expectations.place(technician, ladder)
    rows: list[Row] = []
    if placement.next_band is not None:
        facts = expectations.load_facts([technician], today)[technician.pk]
        rows = [Row(result) for result in expectations.judge(placement.next_band, facts)]
        _help_for(rows, technician, today)
    return MyPathway(technician, placement, rows)


@dataclass
class TeamRow:
    technician: Technician
    placement: expectations.Placement
    met: int
    total: int


def _summaries(people, today: datetime.date) -> list[TeamRow]:
    ladder = expectations.load_ladder(people)
    facts = expectations.load_facts(people, today)
    rows = []
    for person in people if isinstance(people, list) else list(people):
        placement = expectations.place(person, ladder)
        results = (
            expectations.judge(placement.next_band, facts[person.pk]) if placement.next_band else []
        )
        rows.append(TeamRow(person, placement, sum(r.met for r in results), len(results)))
    return rows


def team(manager: Technician, today: datetime.date | None = None) -> list[TeamRow]:
    people = list(
        Technician.objects.filter(line_manager=manager, is_active=True)
        .select_related("department")
        .order_by("last_name", "first_name")
    )
    return _summaries(people, today or timezone.localdate())


@dataclass
class PipelineRow:
    pathway: Pathway
    band: Band | None
    people: int = 0
    ready: int = 0
    next_band: Band | None = None


def pipeline(today: datetime.date | None = None) -> list[PipelineRow]:
    """How many people stand at each band, and how many meet the next band's expectations."""
    today = today or timezone.localdate()
    people = Technician.objects.filter(is_active=True).select_related("department")
    ladder = expectations.load_ladder()
    facts = expectations.load_facts(people, today)
    rows: dict[tuple[int, int | None], PipelineRow] = {}
    for pathway in ladder.pathways:
        for band in ladder.bands.get(pathway.pk, []):
            rows[(pathway.pk, band.pk)] = PipelineRow(
                pathway, band, next_band=ladder.next_band(band, pathway)
            )
    for entry in facts.values():
        placement = expectations.place(entry.technician, ladder)
        if placement.pathway is None:
            continue
        key = (placement.pathway.pk, placement.band.pk if placement.band else None)
        row = rows.setdefault(
            key, PipelineRow(placement.pathway, placement.band, next_band=placement.next_band)
        )
        row.people += 1
        if placement.next_band is not None and expectations.meets(placement.next_band, entry):
            row.ready += 1
    return sorted(
        rows.values(),
        key=lambda r: (r.pathway.order, r.pathway.name, r.band.order if r.band else -1),
    )


# --- the evidence pack ----------------------------------------------------------------------


def evidence(technician: Technician, today: datetime.date | None = None) -> dict[str, Any]:
    from actionplan.models import Action
    from registration.models import CPDEntry, Registration
    from training.models import TrainingRecord

    today = today or timezone.localdate()
    since = expectations.years_ago(today, 2)
    mine = my_pathway(technician, today)
    statement = getattr(technician, "career_statement", None)
    return {
        "technician": technician,
        "mine": mine,
        "today": today,
        "since": since,
        "validated_skills": list(
            TechnicianSkill.objects.filter(technician=technician, validated_level__isnull=False)
            .select_related("skill", "validated_by")
            .order_by("skill__name")
        ),
        "skills": list(
            TechnicianSkill.objects.filter(technician=technician)
            .select_related("skill")
            .order_by("skill__name")
        ),
        "training": list(
            TrainingRecord.objects.filter(technician=technician, date__gt=since).order_by("-date")
        ),
        "registrations": list(
            Registration.objects.filter(technician=technician).select_related("register", "body")
        ),
        "cpd": list(
            CPDEntry.objects.filter(technician=technician, date__gt=since).order_by("-date")
        ),
        "actions": list(
            Action.objects.filter(owner_id=technician.user_id).select_related("plan")
            if technician.user_id
            else []
        ),
        "statement": statement.text if statement else "",
        "sections": evidence_pack_sections(technician),
    }


def evidence_pack_sections(technician: Technician) -> list[Any]:
    """What other apps add to the pack through the registry (research outputs…), in order:
    each an `EvidenceTable` of plain text, so every format of the pack draws it."""
    from portal import registry

    tables = (section.build(technician) for section in registry.evidence_pack_sections())
    return [table for table in tables if table is not None]


# --- mentoring ------------------------------------------------------------------------------


def schemes_with_rounds() -> list[MentoringScheme]:
    return list(
        MentoringScheme.objects.prefetch_related(
            Prefetch(
                "rounds",
                queryset=MentoringRound.objects.annotate(
                    applicants=Count("applications", distinct=True)
                ).order_by("-applications_open_on"),
            )
        )
    )


def round_by_pk(pk: int) -> MentoringRound | None:
    return MentoringRound.objects.select_related("scheme").filter(pk=pk).first()


def pair_by_pk(pk: int) -> MentoringPair | None:
    return (
        MentoringPair.objects.select_related("round__scheme", "mentor", "mentee")
        .filter(pk=pk)
        .first()
    )


def my_applications(technician: Technician) -> dict[int, MentoringApplication]:
    return {
        application.round_id: application
        for application in MentoringApplication.objects.filter(technician=technician)
    }


def _active_pairs_of(technician: Any):
    """The active pairs of `technician` (a key, or a reference to one), as mentor or mentee."""
    return MentoringPair.objects.filter(
        Q(mentor_id=technician) | Q(mentee_id=technician), status=MentoringPair.Status.ACTIVE
    ).order_by()


# Every technician's dashboard asks it: read with the signed-in user (registry.UserFact).
IN_A_PAIR = UserFact(
    name="careers.in_a_pair", exists=lambda: Exists(_active_pairs_of(OuterRef("technician__id")))
)
# Compiled once (portal.prepared).
_ACTIVE_PAIR_IDS = PreparedQuery(
    lambda technician: _active_pairs_of(technician).values_list("pk", flat=True)
)


def my_pairs(technician: Technician, today: datetime.date | None = None) -> list[MentoringPair]:
    """The person's active pairs, each with the date they last met (`last_met`) and of their
    next meeting from `today` on (`next_met`). Most people are in no pair: a narrow query
    says so, and only those who are pay for the wide one (two people, the round, its scheme).
    The dashboard asks only when the user's own query found a pair (`IN_A_PAIR`)."""
    today = today or timezone.localdate()
    ids = _ACTIVE_PAIR_IDS.list(technician=technician.pk)
    if not ids:
        return []
    meetings = MentoringMeeting.objects.filter(pair=OuterRef("pk"))
    return list(
        MentoringPair.objects.filter(pk__in=ids)
        .select_related("round__scheme", "mentor", "mentee")
        .annotate(  # subqueries, not a GROUP BY over every joined column
            last_met=Subquery(meetings.order_by("-date").values("date")[:1]),
            next_met=Subquery(meetings.filter(date__gte=today).order_by("date").values("date")[:1]),
        )
        .order_by("-starts_on", "pk")
    )


def application_of(round: MentoringRound, technician: Technician):
    return (
        MentoringApplication.objects.filter(round=round, technician=technician)
        .prefetch_related("topics_offered", "topics_sought")
        .first()
    )


@dataclass
class RoundPage:
    round: MentoringRound
    applications: list[MentoringApplication]
    proposed: list[MentoringPair]
    removed: list[MentoringPair]
    active: list[MentoringPair]
    waiting: list[Technician]
    events: list


def round_page(round: MentoringRound) -> RoundPage:
    applications = list(
        MentoringApplication.objects.filter(round=round)
        .select_related("technician__department")
        .prefetch_related("topics_offered", "topics_sought")
        .order_by("technician__last_name", "technician__first_name")
    )
    pairs = list(
        MentoringPair.objects.filter(round=round)
        .select_related("mentor__department", "mentee__department")
        .order_by("-pinned", "mentor__last_name", "mentee__last_name")
    )
    proposed = [p for p in pairs if p.status == MentoringPair.Status.PROPOSED]
    active = [p for p in pairs if p.status == MentoringPair.Status.ACTIVE]
    matched = {p.mentee_id for p in proposed + active}
    return RoundPage(
        round=round,
        applications=applications,
        proposed=proposed,
        removed=[p for p in pairs if p.status == MentoringPair.Status.REMOVED],
        active=active,
        waiting=[
            a.technician for a in applications if a.as_mentee and a.technician_id not in matched
        ],
        events=list(round.events.select_related("actor")[:20]),
    )


def meetings_of(pair: MentoringPair) -> list[MentoringMeeting]:
    return list(pair.meetings.select_related("logged_by"))


def evaluations_of(pair: MentoringPair, technician: Technician) -> dict[str, MentoringEvaluation]:
    return {e.stage: e for e in pair.evaluations.filter(technician=technician)}


def rounds_waiting_for_matching(today: datetime.date | None = None) -> list[MentoringRound]:
    """Closed, unpublished rounds with the number of applications waiting."""
    return _ROUNDS_WAITING.list(today=today or timezone.localdate())


# On the dashboards of the mentoring coordinators at every visit: compiled once
# (portal.prepared).
_ROUNDS_WAITING = PreparedQuery(
    lambda today: (
        MentoringRound.objects.filter(
            status=MentoringRound.Status.DRAFT, applications_close_on__lt=today
        )
        .select_related("scheme")
        .annotate(applicants=Count("applications"))
        .filter(applicants__gt=0)
        .order_by("matching_on")
    )
)


@dataclass(frozen=True)
class NextMeeting:
    date: datetime.date
    pair: MentoringPair


def next_meeting(pairs: list[MentoringPair]) -> NextMeeting | None:
    """The soonest meeting still to come among `pairs` (from `my_pairs`), with its pair."""
    coming = [pair for pair in pairs if pair.next_met is not None]
    if not coming:
        return None
    pair = min(coming, key=lambda pair: (pair.next_met, pair.pk))
    return NextMeeting(date=pair.next_met, pair=pair)


def open_rounds(today: datetime.date | None = None) -> list[MentoringRound]:
    """The rounds taking applications `today`, with their schemes: the same for everyone
    (every technician's dashboard shows them), so read once a day and kept under the rounds'
    version (portal.versions)."""
    today = today or timezone.localdate()
    return versions.cached(
        f"careers:open-rounds:{today.isoformat()}",
        depends_on=[ROUNDS],
        compute=lambda: list(
            MentoringRound.objects.filter(
                status=MentoringRound.Status.DRAFT,
                applications_open_on__lte=today,
                applications_close_on__gte=today,
            ).select_related("scheme")
        ),
    )


def mentoring_figures(year_start: datetime.date, year_end: datetime.date) -> dict[str, Any]:
    pairs = MentoringPair.objects.filter(
        status=MentoringPair.Status.ACTIVE, starts_on__gte=year_start, starts_on__lte=year_end
    )
    evaluations = MentoringEvaluation.objects.filter(
        created__date__gte=year_start, created__date__lte=year_end
    )
    by_stage = {}
    for stage, label in MentoringEvaluation.Stage.choices:
        rows = [e for e in evaluations if e.stage == stage]
        by_stage[stage] = {
            "label": str(label),
            "count": len(rows),
            "usefulness": round(sum(e.usefulness for e in rows) / len(rows), 1) if rows else 0.0,
            "goals_met": round(sum(e.goals_met for e in rows) / len(rows), 1) if rows else 0.0,
        }
    return {
        "applications": MentoringApplication.objects.filter(
            round__applications_open_on__gte=year_start,
            round__applications_open_on__lte=year_end,
        ).count(),
        "pairs": pairs.count(),
        "meetings": MentoringMeeting.objects.filter(
            date__gte=year_start, date__lte=year_end
        ).count(),
        "evaluations": by_stage,
    }


@dataclass
class Summary:
    placement: expectations.Placement
    met: int
    total: int


def pathway_summary(technician: Technician, today: datetime.date | None = None) -> Summary:
    """How many of the next band's expectations the person meets (no help looked up)."""
    today = today or timezone.localdate()
    ladder = expectations.load_ladder([technician])
    placement = expectations.place(technician, ladder)
    if placement.next_band is None:
        return Summary(placement, 0, 0)
    facts = expectations.load_facts([technician], today)[technician.pk]
    results = expectations.judge(placement.next_band, facts)
    return Summary(placement, sum(r.met for r in results), len(results))
