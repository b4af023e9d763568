"""The awards scheme: categories with rules, nominations all year, testimonies through a signed
link, judging rounds (twice a year by default) scored by the same panel mechanism as the fund.

- Nobody nominates themselves (nor a team they are in).
- At most one award per person per year (the round's year): a second is refused, at nomination
  and at the award, under a lock on the nominee's row.
- A nomination belongs to the first round whose cut-off is on or after the day it is made: one
  received after a cut-off rolls over to the next round (the next year's first, after the last).
- Judging is the kernel's workflow step (`portal.workflow.transition`): the nomination is
  locked, a wrong person or a nomination already judged is refused in a sentence, and a
  NominationEvent records who moved it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.services import queue_notification
from portal.workflow import Transition, transition
from recognition import permissions
from recognition.models import (
    AwardCategory,
    JudgingRound,
    Nomination,
    NominationEvent,
    Testimony,
)
from recognition.services import panels
from recognition.services._common import actor, copy_back, link, required
from technicians.models import Technician
from technicians.permissions import technician_of

N = Nomination.Status
DEFAULT_CUTOFFS = ("03-31", "09-30")
TESTIMONY_SALT = "recognition.testimony"
TESTIMONY_MAX_AGE = 60 * 60 * 24 * 90  # a link works for 90 days
MAX_TESTIMONIES = 2

SELF_NOMINATION = "You cannot nominate yourself: ask a colleague to nominate you."
ALREADY_AWARDED = "{name} has already received an award in {year}: one award a person a year."
NOT_NEWCOMER = (
    "The {category} award is for people who started under {years} years ago: {name} "
    "started on {started}."
)
NO_START_DATE = "The {category} award needs the nominee's start date, which the staff list lacks."
NOT_NOMINATOR = "Only the person who made the nomination can ask for testimonies."
TOO_MANY_TESTIMONIES = "A nomination has at most two supporting testimonies."
NOT_DECIDER = "Only HR or the round's coordinator can decide on nominations."
LINK_INVALID = "This link is not valid or has expired: ask the nominator for a new one."
ALREADY_JUDGED = "This nomination has already been judged: it is {status}."
OWN_NOMINATION = "You cannot decide on your own nomination."
BEFORE_CUTOFF = "Nominations are judged after the round's cut-off ({day})."


def cutoffs(year: int) -> list[datetime.date]:
    days = []
    for text in getattr(settings, "RECOGNITION_ROUND_CUTOFFS", DEFAULT_CUTOFFS):
        month, day = (int(part) for part in text.split("-"))
        days.append(datetime.date(year, month, day))
    return sorted(days)


def round_for(day: datetime.date) -> tuple[int, int]:
    """(year, number) of the judging round a nomination made on `day` goes to."""
    for number, cutoff in enumerate(cutoffs(day.year), start=1):
        if day <= cutoff:
            return day.year, number
    return day.year + 1, 1


def round_cutoff(year: int, number: int) -> datetime.date:
    return cutoffs(year)[number - 1]


# --- categories and rounds -------------------------------------------------------------------


@transaction.atomic
def save_category(
    category: AwardCategory | None,
    *,
    by,
    name: str,
    description: str = "",
    is_team: bool = False,
    newcomer_years: int | None = None,
    active: bool = True,
) -> AwardCategory:
    if not permissions.can_manage(by):
        raise PermissionDenied("Only HR can change the award categories.")
    category = category or AwardCategory()
    category.name = (name or "").strip()
    category.description = (description or "").strip()
    category.is_team = bool(is_team)
    category.newcomer_years = newcomer_years or None
    category.active = bool(active)
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def set_up_round(
    *,
    by,
    year: int,
    number: int,
    criteria: str,
    scoring_closes_on: datetime.date,
    coordinator=None,
    members=(),
) -> JudgingRound:
    """The panel of one judging round (its cut-off comes from the settings)."""
    if not permissions.can_manage(by):
        raise PermissionDenied("Only HR can set up a judging round.")
    count = len(cutoffs(year))
    if not 1 <= number <= count:
        raise ValidationError({"number": [f"A year has {count} judging rounds."]})
    cutoff = round_cutoff(year, number)
    if scoring_closes_on < cutoff:
        raise ValidationError(
            {"scoring_closes_on": ["Scoring closes on or after the round's cut-off."]}
        )
    judging_round, _ = JudgingRound.objects.select_for_update().get_or_create(
        year=year, number=number, defaults={"cutoff_on": cutoff}
    )
    if judging_round.panel is None:
        judging_round.panel = panels.make_panel(
            name=f"Awards panel, round {number} of {year}",
            criteria=criteria,
            scoring_closes_on=scoring_closes_on,
            coordinator=coordinator or actor(by),
            members=members,
        )
    else:
        panel = judging_round.panel
        panel.criteria = (criteria or "").strip() or panel.criteria
        panel.scoring_closes_on = scoring_closes_on
        panel.coordinator = coordinator or panel.coordinator
        panel.full_clean()
        panel.save()
        panel.members.set(list(members))
    judging_round.save()
    return judging_round


def round_of(nomination: Nomination) -> JudgingRound | None:
    return (
        JudgingRound.objects.select_related("panel")
        .filter(year=nomination.round_year, number=nomination.round_number)
        .first()
    )


# --- nominations -----------------------------------------------------------------------------


def _has_award(nominee: Technician, year: int, *, exclude=None) -> bool:
    winners = Nomination.objects.filter(status=N.WINNER, round_year=year)
    if exclude is not None:
        winners = winners.exclude(pk=exclude.pk)
    return winners.filter(nominee=nominee).exists() or winners.filter(team=nominee).exists()


def _years_ago(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@transaction.atomic
def nominate(
    *,
    category: AwardCategory,
    nominee: Technician,
    by,
    statement: str,
    team=(),
    team_name: str = "",
) -> Nomination:
    """Nominate a colleague (a team's lead, with its members, for a team award)."""
    if not permissions.can_use(by):
        raise PermissionDenied("Only signed-in staff can nominate.")
    me = technician_of(by)
    team = [member for member in team if member.pk != nominee.pk]
    if me is not None and (me.pk == nominee.pk or any(m.pk == me.pk for m in team)):
        raise ValidationError(SELF_NOMINATION, code="self")
    if not category.active:
        raise ValidationError({"category": ["This category takes no nominations now."]})
    if not nominee.is_active:
        raise ValidationError({"nominee": ["Only current staff can be nominated."]})
    statement = required(statement, "statement", "Please write a statement of support.")
    today = timezone.localdate()
    if category.newcomer_years:
        if nominee.started_on is None:
            raise ValidationError(NO_START_DATE.format(category=category.name), code="newcomer")
        if nominee.started_on <= _years_ago(today, category.newcomer_years):
            raise ValidationError(
                NOT_NEWCOMER.format(
                    category=category.name,
                    years=category.newcomer_years,
                    name=nominee.full_name,
                    started=nominee.started_on.strftime("%-d %B %Y"),
                ),
                code="newcomer",
            )
    if category.is_team and not team:
        raise ValidationError({"team": ["A team award names the team's members."]})
    year, number = round_for(today)
    Technician.objects.select_for_update().filter(pk=nominee.pk).first()
    if _has_award(nominee, year):
        raise ValidationError(
            ALREADY_AWARDED.format(name=nominee.full_name, year=year), code="one_a_year"
        )
    nomination = Nomination(
        category=category,
        nominee=nominee,
        nominated_by=by,
        statement=statement,
        team_name=(team_name or "").strip(),
        round_year=year,
        round_number=number,
    )
    nomination.full_clean()
    nomination.save()
    if team:
        nomination.team.set(team)
    NominationEvent.objects.create(
        nomination=nomination,
        to_status=N.OPEN,
        actor=actor(by),
        note=f"Nominated for judging {nomination.round_label}.",
    )
    return nomination


def testimony_token(testimony: Testimony) -> str:
    return signing.dumps({"t": testimony.pk}, salt=TESTIMONY_SALT)


def testimony_from_token(token: str) -> Testimony:
    try:
        data = signing.loads(token, salt=TESTIMONY_SALT, max_age=TESTIMONY_MAX_AGE)
        return Testimony.objects.select_related("nomination__nominee", "supporter").get(
            pk=data["t"]
        )
    except (signing.BadSignature, KeyError, TypeError, Testimony.DoesNotExist):
        raise ValidationError(LINK_INVALID, code="link") from None


@transaction.atomic
def request_testimony(nomination: Nomination, *, by, supporter: Technician) -> Testimony:
    """Ask a colleague for a supporting testimony: they get a signed link by e-mail."""
    nomination = (
        Nomination.objects.select_for_update().select_related("nominee").get(pk=nomination.pk)
    )
    if nomination.nominated_by_id != getattr(by, "pk", None):
        raise PermissionDenied(NOT_NOMINATOR)
    if nomination.status != N.OPEN:
        raise ValidationError("This nomination has been judged.")
    if supporter.pk == nomination.nominee_id or not supporter.is_active:
        raise ValidationError({"supporter": ["Choose a current colleague other than the nominee."]})
    existing = nomination.testimonies.filter(supporter=supporter).first()
    if existing is not None:
        return existing
    if nomination.testimonies.count() >= MAX_TESTIMONIES:
        raise ValidationError({"supporter": [TOO_MANY_TESTIMONIES]})
    testimony = Testimony.objects.create(nomination=nomination, supporter=supporter)
    url = link(reverse("recognition:testimony", args=[testimony_token(testimony)]))
    queue_notification(
        supporter,
        "award_testimony_request",
        f"testimony:{testimony.pk}",
        f"Would you support {nomination.nominee.full_name}'s nomination?",
        f"{nomination.nominee.full_name} has been nominated for the {nomination.category.name} "
        "award, and the nominator asks you for a short supporting testimony. Write it here "
        f"(the link works for 90 days, no sign-in needed):\n\n{url}\n",
    )
    return testimony


@transaction.atomic
def give_testimony(token: str, *, text: str) -> Testimony:
    """The supporter writes (or rewrites) their testimony through the link, until judging."""
    testimony = testimony_from_token(token)
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    if testimony.nomination.status != N.OPEN:
        raise ValidationError("This nomination has been judged: testimonies are closed.")
    testimony.text = required(text, "text", "Please write your testimony.")
    testimony.submitted_at = timezone.now()
    testimony.full_clean()
    testimony.save()
    return testimony


def review_nomination(
    nomination: Nomination,
    *,
    by,
    conflict: bool = False,
    conflict_reason: str = "",
    scores=(),
    comment: str = "",
):
    judging_round = round_of(nomination)
    if judging_round is None or judging_round.panel is None:
        raise ValidationError("This round has no panel yet.")
    me = technician_of(by)
    if me is not None and me.pk == nomination.nominee_id:
        raise PermissionDenied(panels.OWN_ITEM)
    if nomination.status != N.OPEN:
        raise ValidationError("This nomination has been judged.")
    return panels.record_review(
        judging_round.panel,
        by=by,
        nomination=nomination,
        conflict=conflict,
        conflict_reason=conflict_reason,
        scores=scores,
        comment=comment,
    )


def _record_event(step: Transition) -> NominationEvent:
    """The nomination's timeline: one NominationEvent per move, naming the actor."""
    return NominationEvent.objects.create(
        nomination=step.obj,
        from_status=step.from_state,
        to_status=step.to_state,
        actor=step.actor,
        note=step.note,
        created=step.at,
    )


def _decider(by):
    """HR or the round's coordinator, never on their own nomination."""

    def refuse(locked: Nomination) -> None:
        judging_round = round_of(locked)
        panel = judging_round.panel if judging_round else None
        if not (permissions.can_manage(by) or permissions.is_coordinator(by, panel)):
            raise PermissionDenied(NOT_DECIDER)
        me = technician_of(by)
        if me is not None and me.pk == locked.nominee_id:
            raise PermissionDenied(OWN_NOMINATION)

    return refuse


def _after_cutoff(locked: Nomination) -> None:
    cutoff = round_cutoff(locked.round_year, locked.round_number)
    if timezone.localdate() <= cutoff:
        raise ValidationError(
            BEFORE_CUTOFF.format(day=cutoff.strftime("%-d %B %Y")), code="before_cutoff"
        )


def _judge(nomination: Nomination, to_status: str, *, by, check, note: str) -> Nomination:
    """One move of judging through the kernel's step: lock, refuse the wrong person, a
    nomination already judged and whatever `check` refuses; move, stamp, record."""
    moved = transition(
        nomination,
        to=to_status,
        allowed_from=(N.OPEN,),
        actor=by,
        refusal=ALREADY_JUDGED,
        record=_record_event,
        note=note,
        precheck=_decider(by),
        check=check,
        changes={"decided_by": actor(by)},
        stamp="decided_at",
        select_related=("nominee", "category"),
    )
    return moved.obj


@transaction.atomic
def award_nomination(nomination: Nomination, *, by) -> Nomination:
    """The nominee (and a team's members) win; never a second award in the same year."""

    def one_award_a_year(locked: Nomination) -> None:
        _after_cutoff(locked)
        people = [locked.nominee, *locked.team.all()]
        list(Technician.objects.select_for_update().filter(pk__in=[p.pk for p in people]))
        for person in people:
            if _has_award(person, locked.round_year, exclude=locked):
                raise ValidationError(
                    ALREADY_AWARDED.format(name=person.full_name, year=locked.round_year),
                    code="one_a_year",
                )

    locked = _judge(nomination, N.WINNER, by=by, check=one_award_a_year, note="Awarded.")
    for person in [locked.nominee, *locked.team.all()]:
        queue_notification(
            person,
            "award_won",
            f"award:{locked.pk}",
            f"Congratulations: the {locked.category.name} award",
            f"You have won the {locked.category.name} award ({locked.round_label}). Choose on "
            "the nomination page whether it is shown on your profile and the public page:\n\n"
            f"{link(locked.get_absolute_url())}\n",
        )
    copy_back(nomination, locked)
    return nomination


@transaction.atomic
def decline_nomination(nomination: Nomination, *, by) -> Nomination:
    """Not awarded this round."""
    locked = _judge(nomination, N.NOT_AWARDED, by=by, check=_after_cutoff, note="Not awarded.")
    copy_back(nomination, locked)
    return nomination


@transaction.atomic
def set_award_consent(nomination: Nomination, *, by, consent: bool) -> Nomination:
    """The winner chooses whether the award shows on their profile and the public page."""
    locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not permissions.can_consent(by, locked):
        raise PermissionDenied("Only the winner can choose this.")
    locked.consent_to_publish = bool(consent)
    locked.save(update_fields=["consent_to_publish"])
    copy_back(nomination, locked)
    return nomination
