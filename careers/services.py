"""Every change of careers data goes through a function here: pathways, bands and their
expectations, band overrides, statements, and mentoring (applications, matching, the
coordinator's pins, swaps and removals, publishing, meetings and evaluations).

Keyword-only after the object; `by` is the acting user, checked here. A refusal raises
PermissionDenied (wrong person) or ValidationError (wrong state, bad input) with a sentence
meant for the user, and changes nothing. The round is the lock of its pairs: every change of
a round's pairs takes the round row first (select_for_update), refuses a wrong state in a
sentence, changes the pairs and records a MentoringEvent with the actor.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from careers import permissions
from careers.models import (
    Band,
    BandOverride,
    BandSkill,
    CareerArea,
    CareerStatement,
    MentoringApplication,
    MentoringEvaluation,
    MentoringEvent,
    MentoringMeeting,
    MentoringPair,
    MentoringRound,
    MentoringScheme,
    Pathway,
)
from portal.actors import is_command_line
from portal.services import queue_notification
from portal.workflow import Transition, actor_of, lock, refuse_unless, transition
from technicians.permissions import technician_of


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _editor(by) -> None:
    _require(
        is_command_line(by) or permissions.can_edit_pathways(by),
        "Only HR and the steering group can edit career pathways.",
    )


def _coordinator(by) -> None:
    _require(
        is_command_line(by) or permissions.can_coordinate(by),
        "Only the mentoring coordinators can do this.",
    )


def _clean_save(instance) -> Any:
    instance.full_clean()
    instance.save()
    return instance


# --- pathways ---------------------------------------------------------------------------------


def save_pathway(pathway: Pathway | None, *, by, **values: Any) -> Pathway:
    _editor(by)
    pathway = pathway or Pathway()
    for name, value in values.items():
        setattr(pathway, name, value)
    return _clean_save(pathway)


def _grades(grades) -> list[str]:
    if isinstance(grades, str):
        grades = grades.replace(",", ";").split(";")
    return [str(grade).strip() for grade in grades or [] if str(grade).strip()]


def save_band(band: Band | None, *, by, **values: Any) -> Band:
    """Add or change a band; the grades are a list (or "5; 6")."""
    _editor(by)
    band = band or Band()
    if "grades" in values:
        values["grades"] = _grades(values["grades"])
    for name, value in values.items():
        setattr(band, name, value)
    with transaction.atomic():
        clash = Band.objects.filter(pathway=band.pathway, order=band.order).exclude(pk=band.pk)
        if clash.exists():
            raise ValidationError(f"{band.pathway} already has a band at position {band.order}.")
        return _clean_save(band)


def delete_band(band: Band, *, by) -> None:
    _editor(by)
    if band.overrides.exists():
        raise ValidationError("HR has placed people in this band: move them first.")
    band.delete()


def _check_skill_expectation(skill, category: str, level: int, count: int) -> None:
    if (skill is None) == (not category):
        raise ValidationError("Choose either one skill or a category of skills.")
    if int(level) not in (1, 2, 3, 4):
        raise ValidationError("Choose a level from 1 (aware) to 4 (can train others).")
    if int(count) < 1:
        raise ValidationError("The number of skills must be at least 1.")


def add_band_skill(
    band: Band, *, by, skill=None, category: str = "", level: int, count: int = 1
) -> BandSkill:
    _editor(by)
    category = (category or "").strip()
    _check_skill_expectation(skill, category, level, count)
    return _clean_save(
        BandSkill(
            band=band,
            skill=skill,
            category="" if skill else category,
            level=int(level),
            count=1 if skill else int(count),
        )
    )


def delete_band_skill(expectation: BandSkill, *, by) -> None:
    _editor(by)
    expectation.delete()


def replace_band_skills(band: Band, *, by, items: list[dict[str, Any]]) -> None:
    """The band's skill expectations become `items` (dicts of skill / category, level, count)."""
    _editor(by)
    for item in items:
        _check_skill_expectation(
            item.get("skill"), item.get("category", ""), item["level"], item.get("count", 1)
        )
    band.skill_expectations.all().delete()
    for item in items:
        add_band_skill(band, by=by, **item)


def set_band_override(technician, *, by, band: Band, reason: str) -> BandOverride:
    _require(permissions.can_override_band(by), "Only HR can place someone in a band.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the reason for placing this person in another band.")
    with transaction.atomic():
        row, _ = BandOverride.objects.select_for_update().update_or_create(
            technician=technician, defaults={"band": band, "reason": reason, "set_by": by}
        )
    return row


def clear_band_override(technician, *, by) -> None:
    _require(permissions.can_override_band(by), "Only HR can place someone in a band.")
    BandOverride.objects.filter(technician=technician).delete()


def save_statement(technician, *, by, text: str) -> CareerStatement:
    _require(permissions.is_self(by, technician), "Only you can write your own statement.")
    row, _ = CareerStatement.objects.update_or_create(
        technician=technician, defaults={"text": (text or "").strip()[:6000]}
    )
    return row


# --- mentoring: schemes, rounds, applications -----------------------------------------------


def save_scheme(scheme: MentoringScheme | None, *, by, name: str, description: str = ""):
    _coordinator(by)
    scheme = scheme or MentoringScheme()
    scheme.name, scheme.description = name.strip(), description
    return _clean_save(scheme)


def save_round(
    round: MentoringRound | None, *, by, scheme: MentoringScheme, **values: Any
) -> MentoringRound:
    _coordinator(by)
    round = round or MentoringRound(scheme=scheme)
    if round.status != MentoringRound.Status.DRAFT:
        raise ValidationError("This round is published: its dates can no longer change.")
    for name, value in values.items():
        setattr(round, name, value)
    if round.applications_close_on < round.applications_open_on:
        raise ValidationError("Applications must close on or after the day they open.")
    if round.matching_on < round.applications_close_on:
        raise ValidationError("Matching comes on or after the day applications close.")
    return _clean_save(round)


def apply_for_mentoring(
    round: MentoringRound,
    technician,
    *,
    by,
    as_mentor: bool,
    as_mentee: bool,
    capacity: int = 1,
    topics_offered=(),
    topics_sought=(),
    topics_text: str = "",
    career_areas=(),
    prefers_other_department: bool = False,
    prefers_same_site: bool = False,
    preferences_note: str = "",
    today: datetime.date | None = None,
) -> MentoringApplication:
    """Apply to a round (or change one's application while the round is open)."""
    _require(
        is_command_line(by)
        or (permissions.is_self(by, technician) and permissions.can_apply_for_mentoring(by)),
        "You can only apply for mentoring yourself.",
    )
    today = today or timezone.localdate()
    if not round.is_open(today):
        raise ValidationError("This round is not taking applications.")
    if not (as_mentor or as_mentee):
        raise ValidationError("Apply as a mentor, a mentee or both.")
    if as_mentor and not topics_offered and not topics_text.strip():
        raise ValidationError("As a mentor, say what you can offer: a skill or a topic.")
    if as_mentee and not topics_sought and not topics_text.strip():
        raise ValidationError("As a mentee, say what you want to develop: a skill or a topic.")
    areas = [area for area in career_areas if area in CareerArea.values]
    with transaction.atomic():
        application, _ = MentoringApplication.objects.select_for_update().update_or_create(
            round=round,
            technician=technician,
            defaults={
                "as_mentor": bool(as_mentor),
                "as_mentee": bool(as_mentee),
                "capacity": int(capacity or 1) if as_mentor else 1,
                "topics_text": topics_text.strip()[:500],
                "career_areas": areas,
                "prefers_other_department": bool(prefers_other_department),
                "prefers_same_site": bool(prefers_same_site),
                "preferences_note": preferences_note.strip()[:500],
            },
        )
        application.full_clean()
        application.topics_offered.set(list(topics_offered) if as_mentor else [])
        application.topics_sought.set(list(topics_sought) if as_mentee else [])
    return application


# --- mentoring: matching and the coordinator's changes --------------------------------------


ROUND_CHANGED = "This round is {status}: its pairs can no longer change."
PAIR_ACTION = "This pair is {status}: it can no longer be %s."


def _locked_round(round: MentoringRound) -> MentoringRound:
    """The round, locked (it is the lock of its pairs), refused unless still a draft."""
    locked = lock(MentoringRound, round.pk)
    refuse_unless(locked, (MentoringRound.Status.DRAFT,), ROUND_CHANGED)
    return locked


def _event(round, kind: str, by, pair=None, note: str = "") -> MentoringEvent:
    return MentoringEvent.objects.create(
        round=round,
        pair=pair,
        kind=kind,
        actor=actor_of(by),
        note=note[:500],
    )


def _recorder(kind: str, *, round_of=lambda obj: obj.round, pair_of=lambda obj: obj):
    """`record` for portal.workflow.transition: a MentoringEvent of `kind` with the move."""

    def record(step: Transition) -> MentoringEvent:
        return MentoringEvent.objects.create(
            round=round_of(step.obj),
            pair=pair_of(step.obj),
            kind=kind,
            from_status=step.from_state,
            to_status=step.to_state,
            actor=step.actor,
            note=step.note[:500],
        )

    return record


def _move_pair(
    pair: MentoringPair,
    *,
    by,
    to: str,
    allowed_from: tuple[str, ...],
    kind: str,
    action: str,
    check=None,
    changes=None,
) -> MentoringPair:
    """One move of a pair through the kernel's workflow step (the caller has locked the
    round): lock the pair, refuse a wrong state in a sentence, move, record the event."""
    return transition(
        pair,
        to=to,
        allowed_from=allowed_from,
        actor=by,
        refusal=PAIR_ACTION % action,
        record=_recorder(kind),
        check=check,
        changes=changes,
        select_related=("mentor", "mentee"),
    ).obj


def run_matching(round: MentoringRound, *, by) -> list[MentoringPair]:
    """Propose pairs again: pinned and removed pairs stay, every other proposal is replaced by
    what the matcher finds now."""
    from careers.matching import propose_pairs

    _coordinator(by)
    with transaction.atomic():
        round = _locked_round(round)
        MentoringPair.objects.filter(
            round=round, status=MentoringPair.Status.PROPOSED, pinned=False
        ).delete()
        created = []
        for proposal in propose_pairs(round):
            if proposal.pinned:
                MentoringPair.objects.filter(
                    round=round, mentor=proposal.mentor, mentee=proposal.mentee
                ).update(score=Decimal(str(round_score(proposal.score))), reasons=proposal.reasons)
                continue
            created.append(
                MentoringPair.objects.create(
                    round=round,
                    mentor=proposal.mentor,
                    mentee=proposal.mentee,
                    score=Decimal(str(round_score(proposal.score))),
                    reasons=proposal.reasons,
                )
            )
        _event(round, MentoringEvent.Kind.MATCHED, by, note=f"{len(created)} pairs proposed")
    return created


def round_score(value: float) -> float:
    return round(float(value), 1)


def _locked_pair(pair: MentoringPair) -> tuple[MentoringRound, MentoringPair]:
    round = _locked_round(pair.round)
    return round, lock(MentoringPair, pair.pk, select_related=("mentor", "mentee"))


def pin_pair(pair: MentoringPair, *, by, pinned: bool = True) -> MentoringPair:
    """Pin (or unpin) a proposed pair: every later matching run keeps it. Not a move of its
    state, but judged on the locked rows like one."""
    _coordinator(by)
    with transaction.atomic():
        round, pair = _locked_pair(pair)
        refuse_unless(
            pair,
            (MentoringPair.Status.PROPOSED,),
            PAIR_ACTION % ("pinned" if pinned else "unpinned"),
        )
        pair.pinned = pinned
        pair.save(update_fields=["pinned"])
        _event(
            round, MentoringEvent.Kind.PINNED if pinned else MentoringEvent.Kind.UNPINNED, by, pair
        )
    return pair


def remove_pair(pair: MentoringPair, *, by) -> MentoringPair:
    """proposed → removed, by a coordinator: the matcher never proposes it again."""
    _coordinator(by)
    with transaction.atomic():
        _locked_round(pair.round)
        return _move_pair(
            pair,
            by=by,
            to=MentoringPair.Status.REMOVED,
            allowed_from=(MentoringPair.Status.PROPOSED,),
            kind=MentoringEvent.Kind.REMOVED,
            action="removed",
            changes={"pinned": False},
        )


def restore_pair(pair: MentoringPair, *, by) -> MentoringPair:
    """removed → proposed, by a coordinator, unless the mentee has another proposed mentor
    or the mentor is full."""
    _coordinator(by)

    def room(locked: MentoringPair) -> None:
        if MentoringPair.objects.filter(
            round=locked.round_id, mentee=locked.mentee, status=MentoringPair.Status.PROPOSED
        ).exists():
            raise ValidationError(f"{locked.mentee} already has a proposed mentor.")
        _check_capacity(locked.round_id, locked.mentor, extra=1)

    with transaction.atomic():
        _locked_round(pair.round)
        return _move_pair(
            pair,
            by=by,
            to=MentoringPair.Status.PROPOSED,
            allowed_from=(MentoringPair.Status.REMOVED,),
            kind=MentoringEvent.Kind.RESTORED,
            action="restored",
            check=room,
        )


def _check_capacity(round, mentor, *, extra: int = 0) -> None:
    application = MentoringApplication.objects.filter(round=round, technician=mentor).first()
    capacity = application.capacity if application and application.as_mentor else 0
    taken = MentoringPair.objects.filter(
        round=round, mentor=mentor, status=MentoringPair.Status.PROPOSED
    ).count()
    if taken + extra > capacity:
        raise ValidationError(f"{mentor} takes at most {capacity} mentee{'s' * (capacity != 1)}.")


def _check_allowed(round, mentor, mentee) -> tuple[float, list[str]]:
    """The score and reasons of a pair the coordinator makes, or a refusal if a hard rule
    forbids it."""
    from careers import matching

    applicants = {a.technician.pk: a for a in matching._load(round)}
    mentor_app, mentee_app = applicants.get(mentor.pk), applicants.get(mentee.pk)
    if mentor_app is None or not mentor_app.application.as_mentor:
        raise ValidationError(f"{mentor} did not apply as a mentor in this round.")
    if mentee_app is None or not mentee_app.application.as_mentee:
        raise ValidationError(f"{mentee} did not apply as a mentee in this round.")
    managers = matching.line_managers()
    chains = {pk: matching.chain_of(pk, managers) for pk in (mentor.pk, mentee.pk)}
    from skills.models import Skill

    names = dict(Skill.objects.filter(pk__in=mentee_app.sought).values_list("pk", "name"))
    score, reasons = matching.score_pair(
        mentor_app,
        mentee_app,
        experts=matching._expert_skills([mentor.pk], mentee_app.sought),
        skill_names=names,
        chains=chains,
        max_grade_gap=round.max_grade_gap,
    )
    if score is None and reasons != ["no topic in common"]:
        raise ValidationError(f"{mentor} cannot mentor {mentee}: {reasons[0]}.")
    return score or 0.0, reasons


def swap_pairs(first: MentoringPair, second: MentoringPair, *, by) -> None:
    """Exchange the mentees of two proposed pairs of one round (each mentor keeps the other's
    mentee), if no hard rule forbids the new pairs. Both become pinned. The pairs are changed
    in place: each keeps its history (its events), with the swap recorded on it."""
    _coordinator(by)
    if first.round_id != second.round_id or first.pk == second.pk:
        raise ValidationError("Choose two different pairs of the same round.")
    with transaction.atomic():
        round = _locked_round(first.round)
        a, b = (
            lock(MentoringPair, pk, select_related=("mentor", "mentee"))
            for pk in sorted([first.pk, second.pk])
        )
        for locked in (a, b):
            refuse_unless(locked, (MentoringPair.Status.PROPOSED,), PAIR_ACTION % "swapped")
        score_a, reasons_a = _check_allowed(round, a.mentor, b.mentee)
        score_b, reasons_b = _check_allowed(round, b.mentor, a.mentee)
        swaps = [
            (a, b.mentee, score_a, reasons_a),
            (b, a.mentee, score_b, reasons_b),
        ]
        for pair, mentee, _score, _reasons in swaps:
            if MentoringPair.objects.filter(
                round=round, mentor=pair.mentor, mentee=mentee
            ).exists():
                raise ValidationError(
                    f"{pair.mentor} and {mentee} were paired in this round before, and that "
                    "pair was removed: restore it instead of swapping."
                )
        for pair, mentee, score, reasons in swaps:
            before = pair.mentee
            pair.mentee = mentee
            pair.pinned = True
            pair.score = Decimal(str(round_score(score)))
            pair.reasons = ["swapped by the coordinator", *reasons]
            try:
                with transaction.atomic():
                    pair.save(update_fields=["mentee", "pinned", "score", "reasons"])
            except IntegrityError:  # the round's lock keeps other writers out: never expected
                raise ValidationError("These pairs cannot be swapped.") from None
            _event(round, MentoringEvent.Kind.SWAPPED, by, pair, note=f"Mentee was {before}.")


def make_pair(round: MentoringRound, *, by, mentor, mentee) -> MentoringPair:
    """The coordinator pairs two applicants by hand (pinned), within the hard rules."""
    _coordinator(by)
    with transaction.atomic():
        round = _locked_round(round)
        score, reasons = _check_allowed(round, mentor, mentee)
        if MentoringPair.objects.filter(
            round=round, mentee=mentee, status=MentoringPair.Status.PROPOSED
        ).exists():
            raise ValidationError(
                f"{mentee} already has a proposed mentor: remove that pair first."
            )
        _check_capacity(round, mentor, extra=1)
        MentoringPair.objects.filter(round=round, mentor=mentor, mentee=mentee).delete()
        pair = MentoringPair.objects.create(
            round=round,
            mentor=mentor,
            mentee=mentee,
            pinned=True,
            score=Decimal(str(round_score(score))),
            reasons=["paired by the coordinator", *reasons],
        )
        _event(round, MentoringEvent.Kind.PAIRED, by, pair)
    return pair


def add_months(day: datetime.date, months: int) -> datetime.date:
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def publish_round(round: MentoringRound, *, by) -> int:
    """draft → published, by a coordinator: each proposed pair moves proposed → active for the
    round's months and both people are told, each at their staff-list e-mail. Every move goes
    through the kernel's workflow step; returns the number of pairs."""
    _coordinator(by)

    def has_pairs(locked: MentoringRound) -> None:
        if not locked.pairs.filter(status=MentoringPair.Status.PROPOSED).exists():
            raise ValidationError("There are no proposed pairs to publish: run the matching first.")

    with transaction.atomic():
        moved = transition(
            MentoringRound,
            round.pk,
            to=MentoringRound.Status.PUBLISHED,
            allowed_from=(MentoringRound.Status.DRAFT,),
            actor=by,
            refusal="This round is already {status}: its pairs can no longer change.",
            check=has_pairs,
            changes={"published_by": actor_of(by)},
            stamp="published_at",
            select_related=("scheme",),
            record=_recorder(
                MentoringEvent.Kind.PUBLISHED, round_of=lambda obj: obj, pair_of=lambda obj: None
            ),
        )
        round = moved.obj
        today = timezone.localdate()
        ends = add_months(today, round.months)
        pks = list(
            round.pairs.filter(status=MentoringPair.Status.PROPOSED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for pk in pks:
            pair = transition(
                MentoringPair,
                pk,
                to=MentoringPair.Status.ACTIVE,
                allowed_from=(MentoringPair.Status.PROPOSED,),
                actor=by,
                refusal=PAIR_ACTION % "published",
                changes={"starts_on": today, "ends_on": ends},
                select_related=("mentor", "mentee"),
                record=_recorder(MentoringEvent.Kind.PUBLISHED),
            ).obj
            _tell_pair(pair, round)
        MentoringEvent.objects.filter(pk=moved.event.pk).update(
            note=f"{len(pks)} pair{'s' * (len(pks) != 1)} published"
        )
    return len(pks)


def _tell_pair(pair: MentoringPair, round: MentoringRound) -> None:
    link = settings.SITE_URL.rstrip("/") + pair.get_absolute_url()
    topics = "; ".join(reason for reason in pair.reasons if "pinned" not in reason)
    for person, role, other in (
        (pair.mentor, "mentor", pair.mentee),
        (pair.mentee, "mentee", pair.mentor),
    ):
        queue_notification(
            person,
            "careers.paired",
            f"{pair.pk}:{person.pk}",
            f"Mentoring: you are paired with {other.full_name}",
            f"{round.scheme.name}, {round.name}: you are the {role} of a pair with "
            f"{other.full_name} ({other.email}) until {pair.ends_on:%-d %B %Y}.\n\n"
            f"Why you were paired: {topics or 'the coordinator paired you'}.\n\n"
            f"Log your meetings and read your private notes at {link}",
        )


# --- during the pairing ------------------------------------------------------------------------


def log_meeting(
    pair: MentoringPair, *, by, date: datetime.date, note: str = ""
) -> MentoringMeeting:
    _require(permissions.can_view_pair(by, pair), "Only the two people of a pair log its meetings.")
    if date is None:
        raise ValidationError("Give the date of the meeting.")
    if pair.starts_on and date < pair.starts_on:
        raise ValidationError("The meeting cannot come before the pairing started.")
    if date > timezone.localdate() + datetime.timedelta(days=365):
        raise ValidationError("Give a date within the next year.")
    return _clean_save(
        MentoringMeeting(
            pair=pair, date=date, note=(note or "").strip(), logged_by=technician_of(by)
        )
    )


def evaluation_due_on(pair: MentoringPair, stage: str) -> datetime.date | None:
    if pair.ends_on is None:
        return None
    if stage == MentoringEvaluation.Stage.END:
        return pair.ends_on
    return add_months(pair.ends_on, 6)


def submit_evaluation(
    pair: MentoringPair,
    *,
    by,
    stage: str,
    usefulness: int,
    goals_met: int,
    comment: str = "",
    today: datetime.date | None = None,
) -> MentoringEvaluation:
    _require(permissions.can_view_pair(by, pair), "Only the two people of a pair evaluate it.")
    today = today or timezone.localdate()
    if stage not in MentoringEvaluation.Stage.values:
        raise ValidationError("Unknown evaluation.")
    due = evaluation_due_on(pair, stage)
    if due is None or today < due:
        raise ValidationError(
            f"This evaluation opens on {due:%-d %B %Y}." if due else "This pairing has not started."
        )
    me = technician_of(by)
    if MentoringEvaluation.objects.filter(pair=pair, technician=me, stage=stage).exists():
        raise ValidationError("You have already sent this evaluation.")
    return _clean_save(
        MentoringEvaluation(
            pair=pair,
            technician=me,
            stage=stage,
            usefulness=int(usefulness),
            goals_met=int(goals_met),
            comment=(comment or "").strip(),
        )
    )
