"""Demo data of professional registration (the "registration" seeder, order 40):

- registrations for about 15 % of current technicians (mostly RSciTech and EngTech);
- this financial year's and last year's budgets;
- funding applications in every state, each with its timeline, within the budgets. The demo
  technician login has a submitted application (so the demo line manager has one to endorse)
  and the demo HR login is the decider.

Deterministic and idempotent: nothing is added once demo registrations or applications exist.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import IO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from portal import versions
from portal.periods import financial_year_of
from registration import versions as registration_versions
from registration.models import (
    FundingApplication,
    FundingBudget,
    FundingEvent,
    ProfessionalBody,
    Register,
    Registration,
)
from technicians.models import Technician

SEED = 40
SHARE_REGISTERED = 0.15
BUDGETS = {0: Decimal("6000.00"), -1: Decimal("5000.00")}  # this year, last year
S = FundingApplication.Status
# The path to each state: the statuses an application passes through to reach it.
PATHS = {
    S.DRAFT: [S.DRAFT],
    S.SUBMITTED: [S.DRAFT, S.SUBMITTED],
    S.ENDORSED: [S.DRAFT, S.SUBMITTED, S.ENDORSED],
    S.APPROVED: [S.DRAFT, S.SUBMITTED, S.ENDORSED, S.APPROVED],
    S.REJECTED: [S.DRAFT, S.SUBMITTED, S.ENDORSED, S.REJECTED],
    S.REGISTERED: [S.DRAFT, S.SUBMITTED, S.ENDORSED, S.APPROVED, S.REGISTERED],
    S.PAID: [S.DRAFT, S.SUBMITTED, S.ENDORSED, S.APPROVED, S.REGISTERED, S.PAID],
    S.WITHDRAWN: [S.DRAFT, S.SUBMITTED, S.WITHDRAWN],
}
NOTES = {
    S.ENDORSED: "Supports the team's move to registered technicians; fully endorsed.",
    S.APPROVED: "Approved from this year's registration fund.",
    S.REJECTED: "The body does not cover this role yet: please talk to HR about another route.",
    S.PAID: "Paid by purchase card.",
}
JUSTIFICATIONS = [
    "Registration recognises the technical expertise I use every day and supports my "
    "progression to a senior technician role.",
    "My line manager and I agreed at my appraisal that registration is my development goal "
    "for this year; I have the evidence of competence ready.",
    "I train students and new staff on our instruments; registration shows the standard of "
    "that work and commits me to keep my CPD up to date.",
]


def _register_for(technician: Technician, registers: dict[str, Register], rng) -> Register:
    engineering = technician.role_family in {"engineering", "digital", "estates"}
    if engineering:
        code = rng.choices(["EngTech", "ICTTech", "IEng", "CEng"], weights=[6, 2, 2, 1])[0]
    else:
        code = rng.choices(["RSciTech", "RSci", "CSci"], weights=[6, 3, 1])[0]
    return registers[code]


def _body_for(register: Register, bodies: list[ProfessionalBody], rng) -> ProfessionalBody:
    awarding = [body for body in bodies if register.pk in body.register_ids]
    return rng.choice(awarding)


@transaction.atomic
def seed_demo(*, technicians: int = 0, stdout: IO | None = None) -> None:
    if Registration.objects.exists() or FundingApplication.objects.exists():
        if stdout is not None:
            stdout.write("Registration demo data: already there.\n")
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    year = financial_year_of(today)
    for offset, amount in BUDGETS.items():
        FundingBudget.objects.get_or_create(
            financial_year=year + offset, defaults={"amount": amount}
        )
    registers = {register.code: register for register in Register.objects.all()}
    bodies = list(ProfessionalBody.objects.prefetch_related("registers"))
    for body in bodies:
        body.register_ids = {register.pk for register in body.registers.all()}
    if not registers or not bodies:
        return
    people = list(Technician.objects.filter(is_active=True).order_by("staff_number"))
    demo_login = next((t for t in people if t.email == "technician@example.ac.uk"), None)
    registrations = []
    for technician in people:
        if technician is demo_login or rng.random() >= SHARE_REGISTERED:
            continue
        register = _register_for(technician, registers, rng)
        registered_on = today - datetime.timedelta(days=rng.randint(30, 365 * 8))
        renewal = today + datetime.timedelta(days=rng.randint(-10, 365))
        status = rng.choices(
            [
                Registration.Status.ACTIVE,
                Registration.Status.LAPSED,
                Registration.Status.IN_PROGRESS,
            ],
            weights=[90, 5, 5],
        )[0]
        registrations.append(
            Registration(
                technician=technician,
                register=register,
                body=_body_for(register, bodies, rng),
                membership_number=f"{register.code[:3].upper()}{rng.randint(100000, 999999)}",
                registered_on=None if status == Registration.Status.IN_PROGRESS else registered_on,
                renewal_due_on=None if status == Registration.Status.IN_PROGRESS else renewal,
                status=status,
            )
        )
    Registration.objects.bulk_create(registrations, batch_size=1000)
    versions.bump(registration_versions.REGISTRATIONS)  # a bulk write sends no signal
    _seed_applications(people, demo_login, registers, bodies, rng, today, year)
    if stdout is not None:
        stdout.write(
            f"Registration demo data: {len(registrations)} registrations, "
            f"{FundingApplication.objects.count()} funding applications.\n"
        )


def _seed_applications(people, demo_login, registers, bodies, rng, today, year) -> None:
    User = get_user_model()
    hr = User.objects.filter(email__iexact="hr@example.ac.uk").first()
    registered_ids = set(Registration.objects.values_list("technician_id", flat=True))
    candidates = [
        t
        for t in people
        if t.pk not in registered_ids and t is not demo_login and t.line_manager_id
    ]
    rng.shuffle(candidates)
    per_state = max(1, min(3, len(people) // 300 + 1))
    plan: list[tuple[Technician, str]] = []
    if demo_login is not None:
        plan.append((demo_login, S.SUBMITTED))
    for status in PATHS:
        for _ in range(per_state):
            if candidates:
                plan.append((candidates.pop(), status))
    managers = {
        t.pk: t.user_id for t in Technician.objects.filter(user__isnull=False).only("pk", "user_id")
    }
    now = timezone.now()
    events = []
    for index, (technician, status) in enumerate(plan):
        register = _register_for(technician, registers, rng)
        path = PATHS[status]
        started = now - datetime.timedelta(days=5 + 9 * len(path) + index)
        stamps = [started + datetime.timedelta(days=9 * step) for step in range(len(path))]
        funded = status in FundingApplication.FUNDED
        application = FundingApplication.objects.create(
            applicant=technician,
            register=register,
            body=_body_for(register, bodies, rng),
            application_fee=register.application_fee,
            annual_fee=register.annual_fee,
            amount_requested=register.first_year_cost,
            justification=rng.choice(JUSTIFICATIONS),
            status=status,
            endorsed_by_id=managers.get(technician.line_manager_id) if S.ENDORSED in path else None,
            decided_by=hr if status in (S.APPROVED, S.REJECTED, S.REGISTERED, S.PAID) else None,
            decided_at=stamps[3] if len(path) > 3 and path[3] in (S.APPROVED, S.REJECTED) else None,
            decision_note=NOTES.get(path[3], "") if len(path) > 3 else "",
            payment_reference=f"PO-{year}-{1000 + index}" if status == S.PAID else "",
            # The paid ones were approved last year: both budgets have spending.
            financial_year=(year - 1 if status == S.PAID else year) if funded else None,
            status_changed_at=stamps[-1],
        )
        # Made when its first step was taken, not today.
        FundingApplication.objects.filter(pk=application.pk).update(created=stamps[0])
        previous = ""
        for step, (to_status, stamp) in enumerate(zip(path, stamps, strict=True)):
            actor = None
            if to_status in (S.DRAFT, S.SUBMITTED, S.WITHDRAWN, S.REGISTERED):
                actor = technician.user_id
            elif to_status == S.ENDORSED:
                actor = managers.get(technician.line_manager_id)
            else:
                actor = hr.pk if hr else None
            events.append(
                FundingEvent(
                    application=application,
                    from_status=previous,
                    to_status=to_status,
                    actor_id=actor,
                    note=NOTES.get(to_status, "") if step else "Created.",
                    created=stamp,
                )
            )
            previous = to_status
    FundingEvent.objects.bulk_create(events, batch_size=1000)
