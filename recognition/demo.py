"""Demo data of recognition (the "recognition" seeder, order 45):

- a closed development fund call with scored applications, awards within its pot (one paid
  and reported back as an impact story, one claimed, one with its report overdue) and one not
  funded; and an open call, with the demo technician's draft;
- award categories (the national prizes' list), nominations in the current round and last
  year's winners;
- research outputs with CRediT roles for a few technicians.

Deterministic and idempotent: nothing is added once a demo call exists. Rows are written
directly (as the other apps' demo data are), with timelines, since the services date
everything today.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import IO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from recognition.models import (
    AwardCategory,
    Contribution,
    FundApplication,
    FundCall,
    FundEvent,
    JudgingRound,
    Nomination,
    Output,
    Panel,
    Review,
)
from recognition.services.awards import round_cutoff, round_for
from technicians.models import Technician

SEED = 45
S = FundApplication.Status
CLOSED_TITLE = "Development fund: spring call"
OPEN_TITLE = "Development fund: autumn call"
CATEGORIES = [
    ("Research", False, None),
    ("Teaching", False, None),
    ("Newcomer", False, 3),
    ("Core facility", False, None),
    ("Infrastructure", False, None),
    ("Outreach", False, None),
    ("Team", True, None),
    ("Lifetime achievement", False, None),
]
ACTIVITIES = [
    ("Advanced confocal microscopy course", True, Decimal("1200.00")),
    ("Technical conference: poster and workshop", False, Decimal("650.00")),
    ("Visit to a national facility to learn cryo-EM sample preparation", False, Decimal("480.00")),
    ("Certificate in laboratory safety management", True, Decimal("900.00")),
    ("3D printing for teaching: short course", False, Decimal("350.00")),
]
OUTPUTS = [
    ("High-throughput screening of enzyme variants", "paper", ["investigation", "methodology"]),
    ("Open dataset of soil microbiome samples", "dataset", ["data-curation", "resources"]),
    ("Instrument control scripts for the mass spectrometer", "software", ["software"]),
    ("A protocol for low-cost microfluidic chips", "method", ["methodology", "validation"]),
]


@transaction.atomic
def seed_demo(*, technicians: int = 0, stdout: IO | None = None) -> None:
    if FundCall.objects.filter(title=CLOSED_TITLE).exists():
        if stdout:
            stdout.write("Recognition demo data: already there.\n")
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    User = get_user_model()
    hr = User.objects.filter(email__iexact="hr@example.ac.uk").first()
    steering = User.objects.filter(email__iexact="steering@example.ac.uk").first()
    manager_user = User.objects.filter(email__iexact="manager@example.ac.uk").first()
    people = list(
        Technician.objects.filter(is_active=True).select_related("user").order_by("pk")[:400]
    )
    if len(people) < 12:
        return
    demo_login = next((t for t in people if t.email == "technician@example.ac.uk"), None)
    others = [t for t in people if t is not demo_login]
    members = [user for user in (steering, manager_user) if user is not None]

    # A closed call, scored and awarded.
    closed_panel = Panel.objects.create(
        name=f"Panel: {CLOSED_TITLE}",
        criteria="Benefit to the applicant's role\nBenefit to the team\nValue for money",
        scoring_closes_on=today - datetime.timedelta(days=60),
        coordinator=hr,
    )
    closed_panel.members.set(members)
    closed = FundCall.objects.create(
        title=CLOSED_TITLE,
        description="Up to £1,000 towards a course, conference or visit; match funding welcome.",
        opens_on=today - datetime.timedelta(days=150),
        closes_on=today - datetime.timedelta(days=90),
        pot=Decimal("3000.00"),
        max_award=Decimal("1000.00"),
        questions="What will you do differently afterwards?",
        panel=closed_panel,
        created_by=hr,
    )
    outcomes = [S.REPORTED, S.CLAIMED, S.PAID, S.NOT_FUNDED, S.AWARDED]
    for index, (activity, certified, cost) in enumerate(ACTIVITIES):
        applicant = others[index]
        status = outcomes[index]
        share = 50 if certified else 70
        asked = min(Decimal("1000.00"), (cost * share / 100).quantize(Decimal("1")))
        starts = today - datetime.timedelta(days=70 - index * 3)
        ends = starts + datetime.timedelta(days=2)
        funded = status != S.NOT_FUNDED
        application = FundApplication.objects.create(
            call=closed,
            applicant=applicant,
            made_by=applicant.user,
            activity=activity,
            certified=certified,
            activity_starts_on=starts,
            activity_ends_on=ends,
            cost=cost,
            amount_requested=asked,
            expected_return="New techniques for the team's projects and for teaching students.",
            sharing_plan="A lunchtime talk for the department and notes on the team's wiki.",
            answers=["Run the method in-house instead of sending samples away."],
            status=status,
            amount_awarded=asked if funded else None,
            decided_by=hr,
            decided_at=timezone.now() - datetime.timedelta(days=80),
            feedback="A clear case with a good plan for sharing."
            if funded
            else "A strong idea; the panel could not fund it from this pot: please apply again.",
            report_due_on=ends + datetime.timedelta(weeks=4) if funded else None,
            amount_claimed=asked if status in (S.CLAIMED, S.PAID, S.REPORTED) else None,
            amount_paid=asked if status in (S.PAID, S.REPORTED) else None,
            payment_reference=f"DF-{1000 + index}" if status in (S.PAID, S.REPORTED) else "",
            report="The course gave me hands-on time with the instrument; I now run the method "
            "for three research groups and trained two colleagues."
            if status == S.REPORTED
            else "",
            report_shareable=status == S.REPORTED,
            reported_on=today - datetime.timedelta(days=20) if status == S.REPORTED else None,
            submitted_at=timezone.now() - datetime.timedelta(days=100),
        )
        FundEvent.objects.create(application=application, to_status=S.DRAFT, actor=applicant.user)
        FundEvent.objects.create(
            application=application, from_status=S.DRAFT, to_status=S.SUBMITTED
        )
        FundEvent.objects.create(
            application=application, from_status=S.SUBMITTED, to_status=status, actor=hr
        )
        for member in members:
            Review.objects.create(
                panel=closed_panel,
                reviewer=member,
                application=application,
                scores=[rng.randint(2, 5) for _ in range(3)],
                comment="Well argued." if funded else "Good, but others were stronger.",
            )

    # An open call, with the demo technician's draft.
    open_panel = Panel.objects.create(
        name=f"Panel: {OPEN_TITLE}",
        criteria="Benefit to the applicant's role\nBenefit to the team\nValue for money",
        scoring_closes_on=today + datetime.timedelta(days=45),
        coordinator=hr,
    )
    open_panel.members.set(members)
    FundCall.objects.create(
        title=OPEN_TITLE,
        description="Development beyond registration fees: courses, conferences and visits.",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=30),
        pot=Decimal("15000.00"),
        max_award=Decimal("1000.00"),
        questions="What will you do differently afterwards?",
        panel=open_panel,
        created_by=hr,
    )

    # Awards.
    categories = {}
    for name, is_team, newcomer in CATEGORIES:
        categories[name], _ = AwardCategory.objects.get_or_create(
            name=name, defaults={"is_team": is_team, "newcomer_years": newcomer}
        )
    nominator = hr or steering
    if nominator is not None:
        year, number = round_for(today)
        last_year = today.year - 1
        JudgingRound.objects.get_or_create(
            year=last_year, number=2, defaults={"cutoff_on": round_cutoff(last_year, 2)}
        )
        for index, name in enumerate(["Research", "Outreach", "Core facility"]):
            Nomination.objects.create(
                category=categories[name],
                nominee=others[10 + index],
                nominated_by=nominator,
                statement="Goes far beyond the role: trains students, keeps the facility running "
                "and shares methods across the faculty.",
                round_year=last_year,
                round_number=2,
                status=Nomination.Status.WINNER,
                decided_by=hr,
                decided_at=timezone.now() - datetime.timedelta(days=200),
                consent_to_publish=index != 2,
                created=timezone.now() - datetime.timedelta(days=300),
            )
        for index, name in enumerate(["Teaching", "Infrastructure"]):
            Nomination.objects.create(
                category=categories[name],
                nominee=others[20 + index],
                nominated_by=nominator,
                statement="Redesigned the undergraduate practicals and trains every new "
                "demonstrator.",
                round_year=year,
                round_number=number,
            )

    # Outputs.
    for index, (title, kind, roles) in enumerate(OUTPUTS):
        output = Output.objects.create(
            title=title,
            kind=kind,
            doi=f"10.5555/demo.{2024 + index % 2}.{index + 1:03d}",
            year=today.year - index % 2,
        )
        for person in (others[30 + index], others[31 + index]):
            Contribution.objects.get_or_create(
                output=output,
                technician=person,
                defaults={
                    "roles": roles,
                    "credit": "author" if index % 2 == 0 else "acknowledged",
                },
            )
    if stdout:
        stdout.write("Recognition demo data: two calls, awards, nominations and outputs.\n")
