"""Demo data: the institution's Commitment, signed and announced in 2023, with stage 1
submitted and peer-reviewed (its advice turned into an action) and stage 2 being drafted
(due 31 July 2027 with the default windows). Deterministic and idempotent: nothing is done
when the Commitment exists. The "commitment" seeder (order 40), after the action plan's."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from commitment import services, versions
from commitment.models import Advice, Commitment, Submission
from portal.actors import COMMAND_LINE

SIGNED_ON = datetime.date(2023, 6, 12)
ANNOUNCED_ON = datetime.date(2023, 7, 1)
STAGE_1_SUBMITTED_ON = datetime.date(2024, 7, 22)
CONTACT = "technician-commitment@example.ac.uk"

REFLECTIONS = {
    "visibility": "The directory and the public page made technicians findable; departments "
    "still differ in how many profiles are public.",
    "recognition": "Registration funding worked; awareness of the registers is the next step.",
    "career_development": "The training target is understood, but on-the-job learning is "
    "under-recorded.",
    "sustainability": "The skills matrix shows where one person holds a skill alone.",
}
ADVICE = [
    ("visibility", "Publish a technician case study each term on the institution's news pages."),
    ("sustainability", "Pair every single-holder skill with a named learner within a year."),
]


def _user(email: str):
    return get_user_model().objects.filter(email=email).first()


@transaction.atomic
def seed_demo(*, technicians: int = 0, stdout=None) -> None:
    if Commitment.objects.exists():
        return
    by = COMMAND_LINE
    lead = _user("steering@example.ac.uk")
    commitment = services.save_commitment(
        by=by,
        signed_on=SIGNED_ON,
        announced_on=ANNOUNCED_ON,
        lead=lead,
        champion="Dr Jo Rivers, Director of Technical Services",
        contact_email=CONTACT,
        chair=lead,
    )
    stage_1 = commitment.submissions.get(stage=1)
    services.start_drafting(stage_1, by=by)
    for pillar, text in REFLECTIONS.items():
        services.save_pillar(stage_1, by=by, pillar=pillar, reflection=text, voice="")
    services.save_pillar(
        stage_1,
        by=by,
        pillar="visibility",
        reflection=REFLECTIONS["visibility"],
        voice="Town-hall forums: technicians asked for their work to be credited in papers.",
    )
    stage_1 = services.submit_submission(stage_1, by=by)
    Submission.objects.filter(pk=stage_1.pk).update(submitted_on=STAGE_1_SUBMITTED_ON)
    versions.commitment_changed()  # an update sends no signal
    services.record_strengths(
        stage_1, by=by, pillar="visibility", strengths="A clear, public directory of technicians."
    )
    for pillar, text in ADVICE:
        services.add_advice(stage_1, by=by, pillar=pillar, text=text)
    services.mark_reviewed(stage_1, by=by)
    from commitment import selectors

    stage_2 = commitment.submissions.get(stage=2)
    services.start_drafting(stage_2, by=by)
    plans = selectors.plans_for_advice(stage_2, datetime.date.today())
    first = Advice.objects.filter(submission=stage_1).order_by("pk").first()
    if plans and first:
        services.advice_to_action(
            first,
            by=by,
            plan=plans[0],
            ref="PR1",
            due_on=plans[0].ends_on,
            title="A technician case study each term",
        )
    if stdout:
        stdout.write("Demo data: the Commitment, stage 1 reviewed, stage 2 drafting.\n")


def seed_figures(*, technicians: int = 0, stdout=None) -> None:
    """HR's figures page and the dashboards' headline figures of every year with data, worked
    out once every app has seeded its own (the "commitment.figures" seeder, last): what the
    worker does every quarter of an hour, so the demo's first dashboard shows them."""
    from commitment.reports import stored

    years = stored.refresh_all_figures()
    if stdout is not None:
        stdout.write(f"Figures worked out for {len(years)} academic year(s).")
