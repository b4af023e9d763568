"""The professional registers and the bodies that award them.

Fees are demo values (see DEMO_FEES_NOTE): the Science Council's published 2025 application
fees for RSciTech (£28), RSci (£36) and CSci (£46); the annual fees and the Engineering
Council registers' fees are illustrative. HR edits them in the admin.
"""

from decimal import Decimal

from django.db import migrations

SCIENCE_NOTE = (
    "Demo values: application fee from the Science Council's published 2025 fees; the annual "
    "fee is illustrative. Check the body's current fees."
)
ENGINEERING_NOTE = (
    "Demo values, illustrative only. Check the Engineering Council's and the institution's "
    "current fees."
)

# code, council, title, post-nominal, application fee, annual fee, note
REGISTERS = [
    ("RSciTech", "science", "Registered Science Technician", "RSciTech", "28", "30", SCIENCE_NOTE),
    ("RSci", "science", "Registered Scientist", "RSci", "36", "38", SCIENCE_NOTE),
    ("CSci", "science", "Chartered Scientist", "CSci", "46", "48", SCIENCE_NOTE),
    ("EngTech", "engineering", "Engineering Technician", "EngTech", "40", "30", ENGINEERING_NOTE),
    (
        "ICTTech",
        "engineering",
        "Information and Communications Technology Technician",
        "ICTTech",
        "40",
        "30",
        ENGINEERING_NOTE,
    ),
    ("IEng", "engineering", "Incorporated Engineer", "IEng", "60", "40", ENGINEERING_NOTE),
    ("CEng", "engineering", "Chartered Engineer", "CEng", "80", "45", ENGINEERING_NOTE),
]

SCIENCE_ALL = ["RSciTech", "RSci", "CSci"]
ENGINEERING_CORE = ["EngTech", "IEng", "CEng"]

# name, short name, council, registers it can award, website
BODIES = [
    ("Institute of Science & Technology", "IST", "science", SCIENCE_ALL, "https://istonline.org.uk"),
    ("Royal Society of Chemistry", "RSC", "science", SCIENCE_ALL, "https://www.rsc.org"),
    ("Royal Society of Biology", "RSB", "science", SCIENCE_ALL, "https://www.rsb.org.uk"),
    ("Institute of Physics", "IOP", "science", SCIENCE_ALL + ["IEng", "CEng"], "https://www.iop.org"),
    (
        "Institute of Physics and Engineering in Medicine",
        "IPEM",
        "science",
        SCIENCE_ALL + ENGINEERING_CORE,
        "https://www.ipem.ac.uk",
    ),
    ("Institute of Biomedical Science", "IBMS", "science", SCIENCE_ALL, "https://www.ibms.org"),
    (
        "Institute of Food Science & Technology",
        "IFST",
        "science",
        SCIENCE_ALL,
        "https://www.ifst.org",
    ),
    (
        "Institute of Materials, Minerals and Mining",
        "IOM3",
        "science",
        SCIENCE_ALL + ENGINEERING_CORE,
        "https://www.iom3.org",
    ),
    (
        "Society for Radiological Protection",
        "SRP",
        "science",
        SCIENCE_ALL,
        "https://srp-uk.org",
    ),
    ("Geological Society", "GSL", "science", ["CSci"], "https://www.geolsoc.org.uk"),
    (
        "Institution of Mechanical Engineers",
        "IMechE",
        "engineering",
        ENGINEERING_CORE,
        "https://www.imeche.org",
    ),
    (
        "Institution of Engineering and Technology",
        "IET",
        "engineering",
        ["EngTech", "ICTTech", "IEng", "CEng"],
        "https://www.theiet.org",
    ),
    (
        "Institution of Chemical Engineers",
        "IChemE",
        "engineering",
        ENGINEERING_CORE + ["CSci"],
        "https://www.icheme.org",
    ),
    (
        "Institution of Civil Engineers",
        "ICE",
        "engineering",
        ENGINEERING_CORE,
        "https://www.ice.org.uk",
    ),
    ("BCS, The Chartered Institute for IT", "BCS", "engineering", ["ICTTech", "IEng", "CEng"], "https://www.bcs.org"),
    (
        "Institute of Measurement and Control",
        "InstMC",
        "engineering",
        ["EngTech", "ICTTech", "IEng", "CEng"],
        "https://www.instmc.org",
    ),
    (
        "Royal Aeronautical Society",
        "RAeS",
        "engineering",
        ENGINEERING_CORE,
        "https://www.aerosociety.com",
    ),
    (
        "Institution of Engineering Designers",
        "IED",
        "engineering",
        ["EngTech", "ICTTech", "IEng", "CEng"],
        "https://www.ied.org.uk",
    ),
]


def load(apps, schema_editor):
    Register = apps.get_model("registration", "Register")
    ProfessionalBody = apps.get_model("registration", "ProfessionalBody")
    registers = {}
    for order, (code, council, title, post_nominal, app_fee, annual_fee, note) in enumerate(
        REGISTERS, start=1
    ):
        registers[code], _ = Register.objects.update_or_create(
            code=code,
            defaults={
                "council": council,
                "title": title,
                "post_nominal": post_nominal,
                "application_fee": Decimal(app_fee),
                "annual_fee": Decimal(annual_fee),
                "fee_note": note,
                "order": order,
            },
        )
    for name, short_name, council, codes, website in BODIES:
        body, _ = ProfessionalBody.objects.update_or_create(
            name=name, defaults={"short_name": short_name, "council": council, "website": website}
        )
        body.registers.set([registers[code] for code in codes])


def unload(apps, schema_editor):
    apps.get_model("registration", "ProfessionalBody").objects.filter(
        name__in=[body[0] for body in BODIES], registrations__isnull=True, applications__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("registration", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
