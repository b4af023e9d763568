"""Demo data of careers (the "careers" seeder, order 50): two full pathways written in the
portal's own words (research and teaching technical professionals, five bands each, mapped to
the demo's grades 2 to 8), and the "Technician mentoring" scheme with a round open for
applications, some of them already in. Deterministic and idempotent: pathways are matched by
name and bands by order; applications are added only to an empty round.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import IO

from django.db import transaction
from django.utils import timezone

from careers import services
from careers.models import Band, MentoringApplication, MentoringRound, MentoringScheme, Pathway
from portal.actors import COMMAND_LINE
from registration.models import Register
from skills.models import Skill, TechnicianSkill
from technicians.models import Technician

# (order, name, grades, outline, skills, training days, register, years)
RESEARCH = (
    (
        1,
        "Band 1 · Entry technician",
        ["2", "3"],
        "Learns the group's equipment and methods under guidance and keeps the laboratory "
        "safe and stocked. Apprentices and new starters begin here.",
        "Risk assessment at 1",
        "5",
        "",
        0,
    ),
    (
        2,
        "Band 2 · Research technician",
        ["4"],
        "Runs routine techniques on their own, prepares samples and records results that "
        "researchers rely on.",
        "Risk assessment at 2; COSHH assessment at 2",
        "7",
        "",
        1,
    ),
    (
        3,
        "Band 3 · Senior research technician",
        ["5"],
        "Owns a technique or an instrument, adapts methods for new projects and shows "
        "colleagues and students how to work safely.",
        "Risk assessment at 3; Training others at 2",
        "10",
        "RSciTech",
        3,
    ),
    (
        4,
        "Band 4 · Technical specialist",
        ["6"],
        "The go-to expert for a facility: develops new methods with researchers, is named on "
        "outputs and trains others to a recognised standard.",
        "Training others at 3; Research data management at 2",
        "10",
        "RSci",
        5,
    ),
    (
        5,
        "Band 5 · Technical lead",
        ["7", "8"],
        "Leads a facility or a team: plans its equipment, budget and people, and shapes the "
        "institution's technical strategy.",
        "Training others at 4; Risk assessment at 4",
        "10",
        "RSci",
        8,
    ),
)
TEACHING = (
    (
        1,
        "Band 1 · Entry teaching technician",
        ["2", "3"],
        "Sets out practical classes from a worksheet and keeps teaching laboratories ready "
        "and safe.",
        "Practical class preparation at 1",
        "5",
        "",
        0,
    ),
    (
        2,
        "Band 2 · Teaching technician",
        ["4"],
        "Prepares practicals on their own, supports students during classes and looks after "
        "the kit they use.",
        "Practical class preparation at 2; COSHH assessment at 2",
        "7",
        "",
        1,
    ),
    (
        3,
        "Band 3 · Senior teaching technician",
        ["5"],
        "Designs and tests new practicals with academics, demonstrates, and leads the "
        "preparation team on the day.",
        "Practical class preparation at 3; Demonstrating at 2; Risk assessment at 2",
        "10",
        "RSciTech",
        3,
    ),
    (
        4,
        "Band 4 · Teaching specialist",
        ["6"],
        "Co-designs the practical curriculum, teaches techniques to students and staff, and "
        "brings new methods into teaching.",
        "Demonstrating at 3; Training others at 3; 2 of Teaching and training at 3",
        "10",
        "RSci",
        5,
    ),
    (
        5,
        "Band 5 · Teaching lead",
        ["7", "8"],
        "Leads the technical side of a school's teaching: people, space and budget, and a "
        "voice on how the school teaches practical skills.",
        "Training others at 4; 3 of Teaching and training at 3",
        "10",
        "RSci",
        8,
    ),
)
PATHWAYS = (
    (
        "Research technical professional",
        "For technicians who make research possible: running facilities, developing methods "
        "and training researchers.",
        ["research", "laboratory", "animal", "engineering", "digital", "creative", "estates"],
        RESEARCH,
    ),
    (
        "Teaching technical professional",
        "For technicians who make practical teaching happen: preparing, demonstrating and "
        "designing practical classes.",
        ["teaching"],
        TEACHING,
    ),
)
SCHEME = "Technician mentoring"
ROUND = "Demo round"
APPLICANTS = 24


def _skills(text: str) -> list[dict]:
    from careers.importing import parse_skills

    skills = {skill.name.lower(): skill for skill in Skill.objects.all()}
    items, problems = parse_skills(text, skills, {s.category for s in skills.values()})
    return items


def seed_pathways() -> int:
    registers = {register.code: register for register in Register.objects.all()}
    added = 0
    for order, (name, description, families, bands) in enumerate(PATHWAYS):
        pathway = Pathway.objects.filter(name=name).first() or services.save_pathway(
            None,
            by=COMMAND_LINE,
            name=name,
            description=description,
            role_families=families,
            order=order,
        )
        for band_order, band_name, grades, outline, skills, days, register, years in bands:
            if Band.objects.filter(pathway=pathway, order=band_order).exists():
                continue
            band = services.save_band(
                None,
                by=COMMAND_LINE,
                pathway=pathway,
                order=band_order,
                name=band_name,
                grades=grades,
                outline=outline,
                training_days=Decimal(days),
                register=registers.get(register),
                years_experience=years,
            )
            services.replace_band_skills(band, by=COMMAND_LINE, items=_skills(skills))
            added += 1
    return added


def seed_mentoring(today: datetime.date) -> int:
    scheme = MentoringScheme.objects.filter(name=SCHEME).first() or services.save_scheme(
        None,
        by=COMMAND_LINE,
        name=SCHEME,
        description="Six months of conversations with a colleague from another team: twice a "
        "year, for anyone on the technical staff, as mentor, mentee or both.",
    )
    round = MentoringRound.objects.filter(scheme=scheme, name=ROUND).first()
    if round is None:
        round = services.save_round(
            None,
            by=COMMAND_LINE,
            scheme=scheme,
            name=ROUND,
            applications_open_on=today - datetime.timedelta(days=7),
            applications_close_on=today + datetime.timedelta(days=21),
            matching_on=today + datetime.timedelta(days=28),
            months=6,
            max_grade_gap=4,
        )
    if MentoringApplication.objects.filter(round=round).exists() or not round.is_open(today):
        return 0
    people = list(
        Technician.objects.filter(is_active=True, technician_skills__isnull=False)
        .distinct()
        .order_by("staff_number")[:APPLICANTS]
    )
    held: dict[int, list[TechnicianSkill]] = {}
    for row in TechnicianSkill.objects.filter(technician__in=people).order_by("skill__name"):
        held.setdefault(row.technician_id, []).append(row)
    added = 0
    for index, person in enumerate(people):
        rows = held.get(person.pk, [])
        strong = [r.skill for r in rows if r.level >= 3]
        weak = [r.skill for r in rows if r.level <= 2 or r.wants_to_learn]
        as_mentor = bool(strong) and index % 3 != 2
        as_mentee = not as_mentor or index % 4 == 0
        if as_mentee and not weak:
            weak = [r.skill for r in rows][:1]
        services.apply_for_mentoring(
            round,
            person,
            by=COMMAND_LINE,
            as_mentor=as_mentor,
            as_mentee=as_mentee,
            capacity=1 + index % 2,
            topics_offered=strong[:3],
            topics_sought=weak[:2],
            topics_text="career planning" if index % 5 == 0 else "",
            career_areas=["research"] if index % 2 else ["operations"],
            today=today,
        )
        added += 1
    return added


def seed_demo(*, technicians: int = 0, stdout: IO | None = None) -> None:
    today = timezone.localdate()
    with transaction.atomic():
        bands = seed_pathways()
        applications = seed_mentoring(today)
    if stdout is not None:
        stdout.write(f"Careers: {bands} bands added, {applications} mentoring applications.\n")
