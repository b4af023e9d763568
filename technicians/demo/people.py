"""The demo technicians, drawn from the word lists with a fixed seed: no database access.

Technician number i is the same person whatever the count. Structure: technician 1..40 manages
department 1..40; the manager of each faculty's first department is the faculty's technical
manager, to whom the other department managers report. Everyone else is in a team of up to 9:
a team leader who reports to the department manager, and members who report to the team leader.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from technicians.demo.data import (
    APPRENTICE_TITLES,
    BIO_ENDINGS,
    DEFAULT_TECHNICIANS,
    DEPARTMENTS,
    DOMAIN,
    EQUIPMENT,
    EXPERTISE,
    FAMILY_SKILLS,
    FIRST_NAMES,
    JOB_TITLES,
    LAB,
    LAST_NAMES,
    RES,
    SEED,
    SKILLS,
    STAFF_PREFIX,
    TEAM_SIZE,
)
from technicians.models import Technician
from technicians.validators import orcid_check_digit


@dataclass
class DemoTechnician:
    """One generated technician (no database access), with its manager's staff number."""

    index: int
    staff_number: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    role_family: str
    grade: str
    department_slug: str
    line_manager_staff_number: str
    level: int  # 0 faculty manager, 1 department manager, 2 team leader, 3 team member
    started_on: date
    is_apprentice: bool
    is_active: bool
    visibility: str
    bio: str
    expertise: str
    equipment: str
    orcid: str
    skills: list[tuple[str, int]] = field(default_factory=list)


def staff_number_for(index: int) -> str:
    return f"{STAFF_PREFIX}{index + 1:05d}"


def _email_local(first: str, last: str) -> str:
    clean = "".join(char for char in f"{first}.{last}".lower() if char.isalnum() or char == ".")
    return clean


def _orcid(rng: random.Random) -> str:
    digits = (
        "000000" + str(rng.choice((1, 2, 3))) + "".join(str(rng.randrange(10)) for _ in range(8))
    )
    full = digits + orcid_check_digit(digits)
    return "-".join(full[i : i + 4] for i in range(0, 16, 4))


def _start_date(rng: random.Random, earliest: date, latest: date) -> date:
    return earliest + timedelta(days=rng.randrange((latest - earliest).days))


def generate_technicians(count: int = DEFAULT_TECHNICIANS, seed: int = SEED) -> list:
    """The first `count` demo technicians. Technician i does not depend on `count`."""
    weights = [size for _name, _slug, _faculty, size, _families in DEPARTMENTS]
    placement = random.Random(seed)
    faculty_head: dict[str, str] = {}  # faculty -> staff number of its technical manager
    department_manager: dict[str, str] = {}
    members: dict[str, int] = {}  # department slug -> how many so far
    team_leader: dict[tuple[str, int], str] = {}
    used_emails: set[str] = set()
    people: list[DemoTechnician] = []
    for index in range(count):
        rng = random.Random(seed * 100_003 + index)
        if index < len(DEPARTMENTS):
            department = DEPARTMENTS[index]
        else:
            department = placement.choices(DEPARTMENTS, weights=weights)[0]
        name, slug, faculty, _size, families = department
        position = members.get(slug, 0)
        members[slug] = position + 1
        staff_number = staff_number_for(index)
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        local = _email_local(first, last)
        email, suffix = f"{local}@{DOMAIN}", 2
        while email in used_emails:
            email, suffix = f"{local}{suffix}@{DOMAIN}", suffix + 1
        used_emails.add(email)

        is_apprentice = False
        is_active = True
        if position == 0:
            family = families[0]
            head = faculty_head.get(faculty)
            level = 1 if head else 0
            manager = head or ""
            if not head:
                faculty_head[faculty] = staff_number
            department_manager[slug] = staff_number
            job_title = JOB_TITLES[family][2] if head else "Faculty Technical Manager"
            grade = rng.choice(("7", "8")) if head else "8"
            started_on = _start_date(rng, date(1990, 1, 1), date(2015, 1, 1))
        else:
            family = families[0] if rng.random() < 0.7 else rng.choice(families)
            team, place = divmod(position - 1, TEAM_SIZE)
            if place == 0:
                level = 2
                manager = department_manager[slug]
                team_leader[(slug, team)] = staff_number
                job_title = JOB_TITLES[family][1]
                grade = rng.choice(("6", "7"))
                started_on = _start_date(rng, date(1995, 1, 1), date(2019, 1, 1))
            else:
                level = 3
                manager = team_leader[(slug, team)]
                is_apprentice = rng.random() < 0.05
                is_active = rng.random() >= 0.02  # a few leavers
                if is_apprentice:
                    job_title = APPRENTICE_TITLES[family]
                    grade = "2"
                    started_on = _start_date(rng, date(2023, 9, 1), date(2026, 9, 1))
                else:
                    job_title = rng.choice(JOB_TITLES[family][0])
                    grades = ("5", "6", "6") if "Senior" in job_title else ("3", "4", "4", "5")
                    grade = rng.choice(grades)
                    started_on = _start_date(rng, date(1998, 1, 1), date(2026, 9, 1))
        draw = rng.random()
        visibility = (
            Technician.Visibility.PUBLIC
            if draw < 0.3
            else Technician.Visibility.INTERNAL
            if draw < 0.9
            else Technician.Visibility.PRIVATE
        )
        expertise = rng.sample(EXPERTISE[family], 2)
        equipment = rng.sample(EQUIPMENT[family], min(3, len(EQUIPMENT[family])))
        bio = (
            f"{first} joined {name} in {started_on.year} as "
            f"{'an' if job_title[0] in 'AEIOU' else 'a'} {job_title} and "
            f"{rng.choice(BIO_ENDINGS)}."
        )
        orcid = _orcid(rng) if family in (LAB, RES) and rng.random() < 0.15 else ""
        categories = FAMILY_SKILLS[family]
        pool = [skill for category in categories for skill in SKILLS[category]]
        chosen = rng.sample(pool, rng.randint(2, 6) if not is_apprentice else 2)
        top = 4 if level < 3 else 3
        skills = [(skill, rng.choice((1, 2, 2, 3, 3, top))) for skill in chosen]
        people.append(
            DemoTechnician(
                index=index,
                staff_number=staff_number,
                first_name=first,
                last_name=last,
                email=email,
                job_title=job_title,
                role_family=str(family),
                grade=grade,
                department_slug=slug,
                line_manager_staff_number=manager,
                level=level,
                started_on=started_on,
                is_apprentice=is_apprentice,
                is_active=is_active,
                visibility=str(visibility),
                bio=bio,
                expertise="; ".join(item.capitalize() for item in expertise) + ".",
                equipment="; ".join(equipment) + ".",
                orcid=orcid,
                skills=skills,
            )
        )
    return people


def demo_login_technicians() -> list[DemoTechnician]:
    """The technicians of the technician, line manager and steering group logins.

    The manager leads a team in Chemistry and reports to Chemistry's manager (TC00001), the
    technician reports to the manager, the steering group member runs the imaging facility.
    """
    common = {"bio": "", "orcid": "", "is_apprentice": False, "is_active": True}
    return [
        DemoTechnician(
            index=-1,
            staff_number="DEMO001",
            first_name="Priya",
            last_name="Shah",
            email=f"manager@{DOMAIN}",
            job_title="Laboratory Team Leader",
            role_family=str(LAB),
            grade="7",
            department_slug="chemistry",
            line_manager_staff_number=staff_number_for(0),
            level=2,
            started_on=date(2009, 10, 1),
            visibility=str(Technician.Visibility.PUBLIC),
            expertise="Method development for chromatography; Training others in HPLC.",
            equipment="Agilent 1260 HPLC; Thermo GC-MS.",
            skills=[("HPLC", 4), ("GC-MS", 3), ("COSHH assessment", 3), ("Training others", 4)],
            **common,
        ),
        DemoTechnician(
            index=-2,
            staff_number="DEMO002",
            first_name="Tom",
            last_name="Walker",
            email=f"technician@{DOMAIN}",
            job_title="Laboratory Technician",
            role_family=str(LAB),
            grade="5",
            department_slug="chemistry",
            line_manager_staff_number="DEMO001",
            level=3,
            started_on=date(2021, 3, 15),
            visibility=str(Technician.Visibility.INTERNAL),
            expertise="Sample preparation; Preparing reagents and media.",
            equipment="Rotary evaporators; Freeze dryer.",
            skills=[("HPLC", 2), ("FTIR spectroscopy", 3), ("Aseptic technique", 2)],
            **common,
        ),
        DemoTechnician(
            index=-3,
            staff_number="DEMO003",
            first_name="Grace",
            last_name="Okafor",
            email=f"steering@{DOMAIN}",
            job_title="Research Facility Manager",
            role_family=str(RES),
            grade="8",
            department_slug="medical-imaging-centre",
            line_manager_staff_number="",
            level=1,
            started_on=date(2004, 9, 1),
            visibility=str(Technician.Visibility.PUBLIC),
            expertise="Running a shared instrument facility; Image analysis.",
            equipment="3T MRI scanner; Zeiss LSM 980 confocal microscope.",
            skills=[("Confocal microscopy", 4), ("MRI scanning", 3), ("Training others", 4)],
            **common,
        ),
    ]
