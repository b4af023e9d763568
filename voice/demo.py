"""Demo data of the technician voice: last spring's anonymous pulse survey on the plan (closed,
with its results), and this year's named development survey (open, half answered, the demo
technician among those who answered). Deterministic and idempotent; written in bulk, with no
e-mail sent (the invitations are recorded as sent)."""

from __future__ import annotations

import datetime
import random
import uuid
from decimal import Decimal
from typing import IO

from django.db import transaction
from django.utils import timezone

from actionplan.models import Pillar
from technicians.models import Technician
from voice.models import Answer, Invitation, Question, Response, Survey
from voice.versions import surveys_changed

SEED = 2525
PULSE_TITLE = "Pulse survey: the technician voice on our plan"
DEVELOPMENT_TITLE = "Technician development survey"
DEMO_TECHNICIAN = "technician@example.ac.uk"

PULSE_QUESTIONS = [
    (
        "likert",
        "Technical staff are visible and credited for their work here.",
        Pillar.VISIBILITY,
        [],
    ),
    ("likert", "My contribution is recognised by the people I work with.", Pillar.RECOGNITION, []),
    ("likert", "I can see a route to develop my career here.", Pillar.CAREER_DEVELOPMENT, []),
    ("likert", "My team would cope if a key colleague left tomorrow.", Pillar.SUSTAINABILITY, []),
    (
        "single",
        "Have you heard of the Technician Commitment action plan?",
        "",
        ["Yes, and I have read it", "Yes, but I have not read it", "No"],
    ),
    ("text", "What one change would make the biggest difference to you?", "", []),
]
DEVELOPMENT_QUESTIONS = [
    (
        "skills",
        "Confirm your skills and say what you want to learn.",
        Pillar.CAREER_DEVELOPMENT,
        [],
    ),
    (
        "number",
        "How many days of training would you like next year?",
        Pillar.CAREER_DEVELOPMENT,
        [],
    ),
    (
        "multiple",
        "Which kinds of development interest you?",
        Pillar.CAREER_DEVELOPMENT,
        [
            "Professional registration",
            "Mentoring",
            "Leading training",
            "A secondment",
            "Conferences",
        ],
    ),
    (
        "likert",
        "I have had a useful conversation about my development this year.",
        Pillar.CAREER_DEVELOPMENT,
        [],
    ),
    ("text", "Anything else your line manager should know for your appraisal?", "", []),
]
CHANGES = [
    "Protected time for training, agreed in advance with the group leader.",
    "Being named on the papers our measurements go into.",
    "A clear description of what the next grade expects.",
    "More than one person trained on each critical instrument.",
    "Knowing who to ask in other departments.",
    "Recognition at the faculty awards, not only the academic ones.",
]


def _questions(survey: Survey, rows) -> list[Question]:
    return Question.objects.bulk_create(
        Question(
            survey=survey,
            order=order,
            kind=kind,
            text=text,
            pillar=pillar,
            choices=choices,
            required=(kind == "likert"),
        )
        for order, (kind, text, pillar, choices) in enumerate(rows, start=1)
    )


def _answer(question: Question, response: Response, rng: random.Random, skills) -> Answer | None:
    if question.kind == "likert":
        return Answer(
            response=response,
            question=question,
            number=Decimal(rng.choices(range(1, 6), weights=[1, 3, 5, 8, 4])[0]),
        )
    if rng.random() < 0.15:
        return None  # skipped
    if question.kind == "single":
        return Answer(response=response, question=question, values=[rng.choice(question.choices)])
    if question.kind == "multiple":
        return Answer(
            response=response,
            question=question,
            values=rng.sample(question.choices, rng.randint(1, 3)),
        )
    if question.kind == "number":
        return Answer(
            response=response, question=question, number=Decimal(rng.choice([5, 8, 10, 10, 12, 15]))
        )
    if question.kind == "text":
        return (
            Answer(response=response, question=question, text=rng.choice(CHANGES))
            if rng.random() < 0.5
            else None
        )
    if question.kind == "skills":
        rows = [
            {"skill": skill_id, "level": level, "wants_to_learn": rng.random() < 0.2}
            for skill_id, level in skills
        ]
        return Answer(response=response, question=question, values=rows) if rows else None
    return None


def _held_skills() -> dict[int, list[tuple[int, int]]]:
    from skills.models import TechnicianSkill

    held: dict[int, list[tuple[int, int]]] = {}
    for technician_id, skill_id, level in TechnicianSkill.objects.values_list(
        "technician_id", "skill_id", "level"
    ):
        held.setdefault(technician_id, []).append((skill_id, level))
    return held


def _run(
    survey: Survey, questions, people, rng, *, share: float, named: bool, on: datetime.date, skills
) -> None:
    invitations, responses, answers = [], [], []
    for technician in people:
        department = technician.department
        unit = {
            "department_name": department.name if department else "",
            "faculty": department.faculty if department else "",
        }
        answered = technician.email == DEMO_TECHNICIAN or rng.random() < share
        invitations.append(
            Invitation(
                survey=survey,
                technician=technician,
                answered=answered,
                last_sent_on=survey.opens_on,
                **unit,
            )
        )
        if not answered:
            continue
        response = Response(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            survey=survey,
            anonymous=not named,
            technician=technician if named else None,
            status=Response.Status.SUBMITTED,
            submitted_on=on if named else None,
            **unit,
        )
        responses.append(response)
        for question in questions:
            answer = _answer(question, response, rng, skills.get(technician.pk, []))
            if answer is not None:
                answer.id = uuid.UUID(int=rng.getrandbits(128), version=4)
                answers.append(answer)
    rng.shuffle(responses)  # no order of writing that follows the invitations
    Invitation.objects.bulk_create(invitations, batch_size=2000)
    Response.objects.bulk_create(responses, batch_size=2000)
    Answer.objects.bulk_create(answers, batch_size=2000)
    surveys_changed()  # bulk writes send no signal


@transaction.atomic
def seed_demo(*, technicians: int = 0, stdout: IO | None = None) -> None:
    if Survey.objects.exists():
        if stdout is not None:
            stdout.write("Voice demo data: already there.\n")
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    people = list(
        Technician.objects.filter(is_active=True)
        .select_related("department")
        .order_by("staff_number")
    )
    if not people:
        return
    skills = _held_skills()
    pulse_opens = today - datetime.timedelta(days=240)
    pulse = Survey.objects.create(
        title=PULSE_TITLE,
        introduction="Six questions on how the Commitment feels from where you work.",
        opens_on=pulse_opens,
        closes_on=pulse_opens + datetime.timedelta(days=21),
        anonymous=True,
        invited_at=timezone.now() - datetime.timedelta(days=240),
    )
    _run(
        pulse,
        _questions(pulse, PULSE_QUESTIONS),
        people,
        rng,
        share=0.62,
        named=False,
        on=pulse.closes_on,
        skills=skills,
    )
    development = Survey.objects.create(
        title=DEVELOPMENT_TITLE,
        introduction="Your answers become a one-page report for your appraisal.",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=20),
        anonymous=False,
        invited_at=timezone.now() - datetime.timedelta(days=10),
    )
    _run(
        development,
        _questions(development, DEVELOPMENT_QUESTIONS),
        people,
        rng,
        share=0.45,
        named=True,
        on=today - datetime.timedelta(days=3),
        skills=skills,
    )
    if stdout is not None:
        stdout.write("Voice demo data: a pulse survey and a development survey.\n")
