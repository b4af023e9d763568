"""The demo data's word lists and structure: faculties and departments, names, job titles,
skills, kit and expertise by role family, and the demo logins. Data only: the generator
(`people.py`) draws from these, the seeder (`seed.py`) writes what it draws."""

from __future__ import annotations

from dataclasses import dataclass

from portal import roles
from technicians.models import Technician

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
