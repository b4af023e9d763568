"""Demo data: a realistic, deterministic university's technical staff, and one login per role.

`seed_demo(technicians=1250)` is what `manage.py seed_demo` runs. Everything comes from the
fixed lists below and `random.Random` with a fixed seed, so two runs on empty databases give
the same data, and technician number i is the same person whatever the count (seeding 60 and
then 1,250 adds the other 1,190). Running it again creates nothing: rows are matched by
department slug, skill name, staff number and e-mail, and existing rows are left as they are.

Structure: 6 faculties, 40 departments. Technician 1..40 manages department 1..40; the
manager of each faculty's first department is the faculty's technical manager, to whom the
other department managers report. Everyone else is in a team of up to 9: a team leader who
reports to the department manager, and members who report to the team leader.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import IO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from portal import roles
from technicians.models import Department, Skill, Technician, TechnicianSkill
from technicians.validators import orcid_check_digit

SEED = 2026
DEFAULT_TECHNICIANS = 1250
DEMO_PASSWORD = "portal-demo-2026"  # noqa: S105 (demo logins, documented in the README)
DOMAIN = "example.ac.uk"
TEAM_SIZE = 9  # a team leader and up to 8 members
STAFF_PREFIX = "TC"

LAB = Technician.RoleFamily.LABORATORY
ENG = Technician.RoleFamily.ENGINEERING
DIG = Technician.RoleFamily.DIGITAL
RES = Technician.RoleFamily.RESEARCH
TEA = Technician.RoleFamily.TEACHING
CRE = Technician.RoleFamily.CREATIVE
ANI = Technician.RoleFamily.ANIMAL
EST = Technician.RoleFamily.ESTATES

# faculty -> [(department, slug, relative size, role families most common first)]
FACULTIES: dict[str, list[tuple[str, str, int, tuple[str, ...]]]] = {
    "Faculty of Science": [
        ("Chemistry", "chemistry", 9, (LAB, RES, TEA, ENG)),
        ("Physics and Astronomy", "physics-astronomy", 8, (ENG, RES, LAB, DIG)),
        ("Biosciences", "biosciences", 9, (LAB, RES, TEA)),
        ("Earth and Environmental Sciences", "earth-environmental-sciences", 5, (LAB, RES, ENG)),
        ("Psychology", "psychology", 4, (DIG, RES, TEA)),
        ("Materials Science", "materials-science", 5, (RES, LAB, ENG)),
        ("Mathematics", "mathematics", 2, (DIG, TEA)),
        ("Natural Sciences Teaching Laboratories", "natural-sciences-teaching-labs", 5, (TEA, LAB)),
    ],
    "Faculty of Engineering": [
        ("Mechanical Engineering", "mechanical-engineering", 8, (ENG, RES, TEA)),
        ("Civil and Structural Engineering", "civil-structural-engineering", 6, (ENG, LAB, RES)),
        (
            "Electrical and Electronic Engineering",
            "electrical-electronic-engineering",
            7,
            (ENG, DIG, RES),
        ),
        ("Chemical and Process Engineering", "chemical-process-engineering", 5, (LAB, ENG, RES)),
        ("Aerospace Engineering", "aerospace-engineering", 4, (ENG, RES)),
        ("Computer Science", "computer-science", 5, (DIG, TEA)),
        ("Engineering Design Workshops", "engineering-design-workshops", 6, (ENG, TEA)),
    ],
    "Faculty of Medicine and Health": [
        ("Biomedical Sciences", "biomedical-sciences", 9, (LAB, RES, TEA)),
        ("Pharmacy", "pharmacy", 5, (LAB, TEA, RES)),
        ("Dentistry", "dentistry", 4, (LAB, TEA, ENG)),
        ("Nursing and Midwifery", "nursing-midwifery", 3, (TEA, DIG)),
        ("Biological Services Unit", "biological-services-unit", 7, (ANI, LAB)),
        ("Medical Imaging Centre", "medical-imaging-centre", 4, (RES, DIG)),
        ("Cancer Research Centre", "cancer-research-centre", 6, (LAB, RES)),
    ],
    "Faculty of Arts and Humanities": [
        ("Fine Art", "fine-art", 4, (CRE, TEA)),
        ("Music", "music", 3, (CRE, DIG)),
        ("Film and Television", "film-television", 4, (CRE, DIG)),
        ("Theatre and Performance", "theatre-performance", 3, (CRE, ENG)),
        ("Architecture", "architecture", 4, (CRE, ENG, DIG)),
        ("Archaeology", "archaeology", 3, (LAB, RES, CRE)),
    ],
    "Faculty of Social Sciences": [
        ("Geography", "geography", 4, (LAB, DIG, RES)),
        ("Sport and Exercise Sciences", "sport-exercise-sciences", 4, (LAB, TEA, RES)),
        ("Education", "education", 2, (DIG, TEA)),
        ("Economics Behavioural Laboratory", "economics-behavioural-lab", 1, (DIG, RES)),
        ("Media and Communication", "media-communication", 3, (CRE, DIG)),
    ],
    "Professional Services": [
        ("Estates and Facilities", "estates-facilities", 8, (EST, ENG)),
        ("IT Services", "it-services", 7, (DIG,)),
        ("Research Computing", "research-computing", 3, (DIG, RES)),
        ("Library and Digital Collections", "library-digital-collections", 2, (DIG, CRE)),
        ("Central Stores and Logistics", "central-stores", 2, (LAB, EST)),
        ("Health, Safety and Wellbeing", "health-safety", 2, (LAB, EST)),
        ("Learning Spaces and AV", "learning-spaces-av", 3, (DIG, TEA, EST)),
    ],
}
DEPARTMENTS = [
    (name, slug, faculty, size, families)
    for faculty, departments in FACULTIES.items()
    for name, slug, size, families in departments
]

FIRST_NAMES = (  # noqa: SIM905 (a word list reads better this way)
    "Olivia Amelia Isla Ava Mia Grace Sophie Lily Freya Emily Ella Poppy Evie Charlotte "
    "Ruby Hannah Chloe Jessica Megan Lucy Niamh Aisha Fatima Priya Zara Maryam Anika "
    "Chiamaka Mei Siobhan Rhiannon Catrin Eilidh Bethany Rachel Laura Sarah Helen Karen "
    "Claire Joanne Oliver George Harry Jack Noah Charlie Jacob Thomas Oscar William James "
    "Henry Alfie Leo Joshua Daniel Samuel Ryan Liam Callum Rhys Dylan Owen Ewan Fraser "
    "Mohammed Ahmed Omar Arjun Rohan Ravi Hamza Yusuf Kwame Tunde Chidi Wei Jun Tomasz "
    "Piotr Luca Mateo David Andrew Mark Paul Stephen Gareth Neil Ian Graham Martin Simon "
    "Robert Michael Peter"
).split()
LAST_NAMES = (  # noqa: SIM905 (a word list reads better this way)
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel "
    "Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison "
    "Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths "
    "Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox "
    "Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Ali Hussain Ahmed Shah "
    "Chen Wang Li Nguyen Okafor Adeyemi Mensah Owusu Kowalski Nowak Rossi MacDonald "
    "Campbell Stewart Reid Murray Fraser Jenkins Pritchard Llewellyn Gallagher Byrne Doyle "
    "Quinn O'Brien O'Neill McCarthy Fitzgerald"
).split()

# Job titles by role family: (team member titles, team leader title, manager title)
JOB_TITLES: dict[str, tuple[tuple[str, ...], str, str]] = {
    LAB: (
        (
            "Laboratory Technician",
            "Senior Laboratory Technician",
            "Research Laboratory Technician",
            "Analytical Technician",
            "Laboratory Stores Technician",
            "Glassware and Media Technician",
        ),
        "Laboratory Team Leader",
        "Laboratory Manager",
    ),
    ENG: (
        (
            "Workshop Technician",
            "Mechanical Workshop Technician",
            "Electronics Technician",
            "Senior Engineering Technician",
            "Instrument Maker",
            "CNC Machinist",
            "Welding and Fabrication Technician",
        ),
        "Workshop Supervisor",
        "Engineering Workshops Manager",
    ),
    DIG: (
        (
            "IT Support Technician",
            "Audio Visual Technician",
            "Systems Technician",
            "Senior IT Technician",
            "Network Technician",
            "Research Software Engineer",
            "Data Technician",
        ),
        "Digital Services Team Leader",
        "Digital Technical Manager",
    ),
    RES: (
        (
            "Research Facility Technician",
            "Microscopy Technician",
            "Mass Spectrometry Specialist",
            "NMR Technician",
            "Imaging Facility Technician",
            "Cleanroom Technician",
            "Senior Research Technician",
        ),
        "Facility Team Leader",
        "Research Facility Manager",
    ),
    TEA: (
        (
            "Teaching Laboratory Technician",
            "Practical Classes Technician",
            "Senior Teaching Technician",
            "Learning Technologist",
            "Demonstrator Technician",
        ),
        "Teaching Laboratories Team Leader",
        "Teaching Laboratories Manager",
    ),
    CRE: (
        (
            "Media Technician",
            "Photography Technician",
            "Fine Art Workshop Technician",
            "Theatre Technician",
            "Sound and Recording Technician",
            "Printmaking Technician",
            "Textiles Technician",
        ),
        "Creative Workshops Team Leader",
        "Creative Technical Manager",
    ),
    ANI: (
        (
            "Animal Technician",
            "Senior Animal Technician",
            "Animal Husbandry Technician",
            "Aquatics Technician",
            "Named Animal Care and Welfare Officer",
        ),
        "Animal Unit Supervisor",
        "Biological Services Manager",
    ),
    EST: (
        (
            "Facilities Technician",
            "Building Services Technician",
            "Electrical Maintenance Technician",
            "Estates Technician",
            "Plumbing and Heating Technician",
            "Grounds Technician",
        ),
        "Maintenance Team Leader",
        "Technical Services Manager",
    ),
}
APPRENTICE_TITLES = {
    LAB: "Apprentice Laboratory Technician",
    ENG: "Apprentice Engineering Technician",
    DIG: "Apprentice IT Technician",
    RES: "Apprentice Research Technician",
    TEA: "Apprentice Teaching Laboratory Technician",
    CRE: "Apprentice Media Technician",
    ANI: "Apprentice Animal Technician",
    EST: "Apprentice Maintenance Technician",
}

# Skill categories and their skills (about 60).
SKILLS: dict[str, tuple[str, ...]] = {
    "Analytical chemistry": (
        "HPLC",
        "GC-MS",
        "LC-MS",
        "NMR spectroscopy",
        "FTIR spectroscopy",
        "ICP-MS",
        "X-ray diffraction",
        "UV-Vis spectroscopy",
    ),
    "Microscopy and imaging": (
        "Confocal microscopy",
        "Scanning electron microscopy",
        "Transmission electron microscopy",
        "Flow cytometry",
        "Light-sheet microscopy",
        "MRI scanning",
    ),
    "Life sciences": (
        "Cell culture",
        "PCR and qPCR",
        "DNA sequencing",
        "Western blotting",
        "Histology",
        "Aseptic technique",
        "CRISPR gene editing",
    ),
    "Animal care": (
        "Rodent husbandry",
        "Zebrafish husbandry",
        "Regulated procedures (PIL)",
        "Breeding colony management",
    ),
    "Engineering and workshop": (
        "CNC machining",
        "Manual turning and milling",
        "Welding",
        "3D printing",
        "Laser cutting",
        "PCB design",
        "Soldering and rework",
        "CAD (SolidWorks)",
        "Composite fabrication",
        "Metrology",
    ),
    "Digital": (
        "Linux administration",
        "Python",
        "HPC cluster support",
        "Networking",
        "Database administration",
        "Windows desktop support",
        "Research data management",
        "Audio visual systems",
    ),
    "Health and safety": (
        "COSHH assessment",
        "Radiation protection",
        "Biological safety (CL2/CL3)",
        "Laser safety",
        "First aid",
        "Risk assessment",
    ),
    "Creative and media": (
        "Photography",
        "Video production",
        "Sound engineering",
        "Stage lighting",
        "Printmaking",
        "Ceramics",
        "Textiles",
    ),
    "Teaching and training": (
        "Practical class preparation",
        "Demonstrating",
        "Training others",
    ),
    "Building services": (
        "Electrical maintenance",
        "HVAC",
        "Building management systems",
        "Plumbing",
    ),
}
FAMILY_SKILLS: dict[str, tuple[str, ...]] = {
    LAB: ("Analytical chemistry", "Life sciences", "Health and safety", "Teaching and training"),
    ENG: ("Engineering and workshop", "Health and safety", "Teaching and training"),
    DIG: ("Digital", "Teaching and training"),
    RES: ("Microscopy and imaging", "Analytical chemistry", "Life sciences", "Digital"),
    TEA: ("Teaching and training", "Life sciences", "Analytical chemistry", "Health and safety"),
    CRE: ("Creative and media", "Digital", "Engineering and workshop"),
    ANI: ("Animal care", "Life sciences", "Health and safety"),
    EST: ("Building services", "Health and safety", "Engineering and workshop"),
}
EQUIPMENT: dict[str, tuple[str, ...]] = {
    LAB: (
        "Agilent 1260 HPLC",
        "Thermo GC-MS",
        "Class II biosafety cabinets",
        "Autoclaves",
        "Rotary evaporators",
        "Freeze dryer",
        "Plate reader",
        "Bio-Rad qPCR system",
    ),
    ENG: (
        "Haas 5-axis CNC mill",
        "Colchester lathe",
        "TIG and MIG welding sets",
        "Stratasys 3D printers",
        "Epilog laser cutter",
        "Instron testing machine",
        "Coordinate measuring machine",
    ),
    DIG: (
        "HPC cluster",
        "Lecture capture systems",
        "Teaching PC labs",
        "Network switches",
        "Virtual reality suite",
        "Research data storage",
    ),
    RES: (
        "Zeiss LSM 980 confocal microscope",
        "FEI scanning electron microscope",
        "Bruker 600 MHz NMR",
        "Orbitrap mass spectrometer",
        "BD flow cytometer",
        "3T MRI scanner",
        "Class 100 cleanroom",
    ),
    TEA: (
        "Undergraduate teaching laboratories",
        "Student microscopes",
        "Spectrophotometers",
        "Fume cupboards",
        "Practical class kits",
    ),
    CRE: (
        "Etching press",
        "Kilns",
        "Industrial sewing machines",
        "Recording studio",
        "4K cinema cameras",
        "Lighting rig",
        "Darkroom",
    ),
    ANI: (
        "Individually ventilated cages",
        "Zebrafish aquatic system",
        "Isolators",
        "Anaesthesia equipment",
        "Cage wash",
    ),
    EST: (
        "Building management system",
        "Air handling units",
        "Laboratory gas supplies",
        "Fume cupboard extract systems",
        "Standby generators",
    ),
}
EXPERTISE: dict[str, tuple[str, ...]] = {
    LAB: (
        "method development for chromatography",
        "safe handling of hazardous chemicals",
        "preparing reagents and media",
        "sample preparation",
        "laboratory stock control",
        "quality control and calibration",
    ),
    ENG: (
        "design for manufacture",
        "precision machining",
        "building bespoke research rigs",
        "electronics prototyping",
        "materials testing",
        "maintenance of workshop machinery",
    ),
    DIG: (
        "supporting research software",
        "Linux servers",
        "teaching room technology",
        "data management plans",
        "automation and scripting",
        "network troubleshooting",
    ),
    RES: (
        "running a shared instrument facility",
        "training users on core equipment",
        "image analysis",
        "mass spectrometry data processing",
        "sample preparation for electron microscopy",
        "instrument booking and charging",
    ),
    TEA: (
        "setting up practical classes",
        "risk assessments for teaching labs",
        "supporting students in practicals",
        "developing new experiments",
        "demonstrating techniques",
    ),
    CRE: (
        "printmaking processes",
        "studio photography",
        "video editing",
        "sound recording",
        "stage management",
        "supporting student exhibitions",
    ),
    ANI: (
        "animal welfare and the 3Rs",
        "breeding colony management",
        "health monitoring",
        "regulated procedures",
        "environmental enrichment",
    ),
    EST: (
        "planned preventive maintenance",
        "laboratory building services",
        "electrical testing",
        "energy efficiency",
        "contractor supervision",
    ),
}
BIO_ENDINGS = (
    "enjoys training new colleagues",
    "is happy to advise on projects at the planning stage",
    "is working towards professional registration",
    "is a STEM ambassador and helps with outreach events",
    "mentors apprentices",
    "sits on the technical staff forum",
    "is always keen to hear about new techniques",
)


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


# --- demo logins ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    first_name: str
    last_name: str
    groups: tuple[str, ...] = ()
    superuser: bool = False
    technician: str = ""  # staff number of the linked technician, if any


DEMO_LOGINS = (
    DemoLogin(
        "Technician", f"technician@{DOMAIN}", "Tom", "Walker", (roles.TECHNICIAN,), False, "DEMO002"
    ),
    DemoLogin(
        "Line manager", f"manager@{DOMAIN}", "Priya", "Shah", (roles.TECHNICIAN,), False, "DEMO001"
    ),
    DemoLogin(
        "Steering group",
        f"steering@{DOMAIN}",
        "Grace",
        "Okafor",
        (roles.STEERING_GROUP, roles.TECHNICIAN),
        False,
        "DEMO003",
    ),
    DemoLogin(
        "Training coordinator",
        f"coordinator@{DOMAIN}",
        "Casey",
        "Morgan",
        (roles.TRAINING_COORDINATOR,),
    ),
    DemoLogin("HR", f"hr@{DOMAIN}", "Harriet", "Reynolds", (roles.HR,)),
    DemoLogin("Administrator", f"admin@{DOMAIN}", "Alex", "Admin", (), True),
)


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


# --- writing to the database ----------------------------------------------------------------------


@dataclass
class SeedResult:
    departments: int = 0
    skills: int = 0
    technicians: int = 0
    technician_skills: int = 0
    users: int = 0

    def summary(self) -> str:
        return (
            f"{self.departments} departments, {self.skills} skills, {self.technicians} "
            f"technicians, {self.technician_skills} skill levels and {self.users} demo logins "
            "created"
        )


def _seed_departments() -> tuple[dict[str, int], int]:
    existing = set(Department.objects.values_list("slug", flat=True))
    new = [
        Department(
            name=name, slug=slug, faculty=faculty, helpdesk_email=f"{slug}-helpdesk@{DOMAIN}"
        )
        for name, slug, faculty, _size, _families in DEPARTMENTS
        if slug not in existing
    ]
    Department.objects.bulk_create(new, ignore_conflicts=True)
    return dict(Department.objects.values_list("slug", "pk")), len(new)


def _seed_skills() -> tuple[dict[str, int], int]:
    existing = set(Skill.objects.values_list("name", flat=True))
    new = [
        Skill(name=name, category=category)
        for category, names in SKILLS.items()
        for name in names
        if name not in existing
    ]
    Skill.objects.bulk_create(new, ignore_conflicts=True)
    return dict(Skill.objects.values_list("name", "pk")), len(new)


def _seed_technicians(
    people: list[DemoTechnician], departments: dict[str, int], skills: dict[str, int]
) -> tuple[int, int]:
    known = {
        number: (pk, email.lower())
        for number, pk, email in Technician.objects.values_list("staff_number", "pk", "email")
    }
    pk_of = {number: pk for number, (pk, _email) in known.items()}
    taken_emails = {email for _pk, email in known.values()}
    created = 0
    # Managers come before their reports: create level by level so their keys are known.
    for level in sorted({person.level for person in people}):
        batch = []
        for person in people:
            if person.level != level or person.staff_number in pk_of:
                continue
            if person.email.lower() in taken_emails or person.department_slug not in departments:
                continue  # someone real has this address: leave them alone
            taken_emails.add(person.email.lower())
            batch.append(
                Technician(
                    staff_number=person.staff_number,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    email=person.email,
                    job_title=person.job_title,
                    role_family=person.role_family,
                    grade=person.grade,
                    department_id=departments[person.department_slug],
                    line_manager_id=pk_of.get(person.line_manager_staff_number),
                    bio=person.bio,
                    expertise=person.expertise,
                    equipment=person.equipment,
                    orcid=person.orcid,
                    started_on=person.started_on,
                    is_apprentice=person.is_apprentice,
                    is_active=person.is_active,
                    visibility=person.visibility,
                )
            )
        Technician.objects.bulk_create(batch, batch_size=500)
        created += len(batch)
        if any(technician.pk is None for technician in batch):  # a database without RETURNING
            pk_of.update(
                Technician.objects.filter(
                    staff_number__in=[technician.staff_number for technician in batch]
                ).values_list("staff_number", "pk")
            )
        else:
            pk_of.update((technician.staff_number, technician.pk) for technician in batch)
    links = [
        TechnicianSkill(technician_id=pk_of[person.staff_number], skill_id=skills[name], level=lvl)
        for person in people
        if person.staff_number in pk_of
        for name, lvl in person.skills
    ]
    before = TechnicianSkill.objects.count()
    TechnicianSkill.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    return created, TechnicianSkill.objects.count() - before


def _seed_logins() -> int:
    User = get_user_model()
    from allauth.account.models import EmailAddress

    password_hash = None  # hashing is slow: once, and only if a login is new
    created = 0
    groups = {group.name: group for group in Group.objects.all()}
    for login in DEMO_LOGINS:
        user = User.objects.filter(email__iexact=login.email).first()
        if user is None:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                username=login.email,
                email=login.email,
                first_name=login.first_name,
                last_name=login.last_name,
                password=password_hash,
                is_superuser=login.superuser,
                is_staff=login.superuser,
            )
            created += 1
        for name in login.groups:
            group = groups.get(name) or Group.objects.get_or_create(name=name)[0]
            user.groups.add(group)
        address = EmailAddress.objects.filter(user=user, email__iexact=login.email).first()
        if address is None:
            EmailAddress.objects.create(user=user, email=login.email, verified=True, primary=True)
        elif not (address.verified and address.primary):
            address.verified = address.primary = True
            address.save(update_fields=["verified", "primary"])
        if login.technician and not Technician.objects.filter(user=user).exists():
            Technician.objects.filter(staff_number=login.technician, user__isnull=True).update(
                user=user
            )
    return created


@transaction.atomic
def seed_demo(technicians: int = DEFAULT_TECHNICIANS, stdout: IO | None = None) -> SeedResult:
    """Create whatever of the demo data is missing. Safe to run again and again.

    `technicians` counts every technician: the demo logins' own three and the rest generated
    (so never fewer than three).
    """
    result = SeedResult()
    departments, result.departments = _seed_departments()
    skills, result.skills = _seed_skills()
    login_people = demo_login_technicians()
    people = generate_technicians(max(technicians - len(login_people), 0)) + login_people
    result.technicians, result.technician_skills = _seed_technicians(people, departments, skills)
    result.users = _seed_logins()
    if stdout is not None:
        stdout.write(f"Demo data: {result.summary()}.\n")
    return result
