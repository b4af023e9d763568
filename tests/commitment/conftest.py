"""A small known data set for the annual report of 2025–26, seen on 15 March 2026.

Who we are: 5 active technicians in 3 departments (2 faculties), 1 apprentice, 2 joiners,
1 leaver (from a staff-list import). Visibility: 1 complete profile (20 %), 2 public (40 %),
1 photo, 2 of 3 departments with a helpdesk address. Sustainability: Glassblowing (Physics)
and Laser cutting (Design) are each held by one technician and nobody can teach them; Mass
spectrometry is covered in Chemistry. Action plan: 5 actions, one per RAG rating and one
complete this year, one overdue by 43 days, 2 progress updates this year.
Recognition: 2 of 5 registered (40 %), 1 new registration (RSciTech); financial year 2025–26:
a £1,000 budget, 3 applications, 2 approved (£66 committed, £58 paid), 1 rejected.
Career development: 8 days (1.6 per technician), 1 of 5 on track (20 %), a 5/2/1 mix; one
session delivered (2 attended, 1 no-show), one cancelled; 1 on the waiting list for
"Fume cupboard safety", 1 asking to be told of "Glassblowing basics".
"""

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone

from portal.models import ImportRun
from tests import factories
from tests.conftest import make_user

NOW = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)
YEAR = 2025


@pytest.fixture
def on_report_day():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def _tech(department, **fields):
    fields.setdefault("started_on", datetime.date(2020, 1, 6))
    return factories.TechnicianFactory(department=department, **fields)


def build_known_data():
    chemistry = factories.DepartmentFactory(
        name="Chemistry Labs", slug="chemistry-labs", faculty="Faculty of Science"
    )
    physics = factories.DepartmentFactory(
        name="Physics Workshop",
        slug="physics-workshop",
        faculty="Faculty of Science",
        helpdesk_email="",
    )
    design = factories.DepartmentFactory(
        name="Design Studio", slug="design-studio", faculty="Faculty of Arts"
    )
    ada = _tech(
        chemistry,
        first_name="Ada",
        last_name="Atom",
        visibility="public",
        bio="Mass spectrometry.",
        expertise="Orbitrap",
        photo="photos/ada.jpg",
    )
    ben = _tech(
        chemistry,
        first_name="Ben",
        last_name="Beaker",
        is_apprentice=True,
        started_on=datetime.date(2025, 9, 1),
    )
    _tech(chemistry, first_name="Cal", last_name="Column", visibility="private")
    dee = _tech(
        physics,
        first_name="Dee",
        last_name="Dewar",
        visibility="public",
        bio="Glass.",
        expertise="Lathes",
    )
    _tech(
        physics,
        first_name="Eve",
        last_name="Exit",
        is_active=False,
        started_on=datetime.date(2015, 1, 5),
    )
    fay = _tech(
        design,
        first_name="Fay",
        last_name="Felt",
        role_family="creative",
        started_on=datetime.date(2026, 1, 10),
    )
    mass_spec = factories.SkillFactory(name="Mass spectrometry", category="Analytical")
    glass = factories.SkillFactory(name="Glassblowing", category="Workshop")
    laser = factories.SkillFactory(name="Laser cutting", category="Workshop")
    factories.TechnicianSkillFactory(technician=ada, skill=mass_spec, level=4)
    factories.TechnicianSkillFactory(technician=ben, skill=mass_spec, level=2)
    factories.TechnicianSkillFactory(technician=dee, skill=glass, level=3)
    factories.TechnicianSkillFactory(technician=fay, skill=laser, level=2)
    factories.TechnicianSkillFactory(technician=ada, skill=laser, level=1)
    owner = make_user("olive.owner@example.ac.uk")
    owner.first_name, owner.last_name = "Olive", "Owner"
    owner.save()
    ImportRun.objects.create(
        kind="staff-list", by=owner, file_name="staff.csv", counts={"leavers": 1}
    )
    plan = factories.ActionPlanFactory(title="Commitment plan 2025–28")
    draft = factories.ActionPlanFactory(title="Draft plan", status="draft")
    factories.ActionFactory(plan=draft, ref="X1", pillar="visibility", status="blocked")
    done = factories.ActionFactory(
        plan=plan,
        ref="V1",
        pillar="visibility",
        status="complete",
        progress=100,
        title="Publish the directory",
    )
    late = factories.ActionFactory(
        plan=plan,
        ref="V2",
        pillar="visibility",
        progress=40,
        owner=owner,
        due_on=datetime.date(2026, 1, 31),
        title="Photos for every profile",
    )
    factories.ActionFactory(
        plan=plan,
        ref="S1",
        pillar="sustainability",
        status="blocked",
        progress=10,
        due_on=datetime.date(2027, 6, 30),
    )
    factories.ActionFactory(
        plan=plan,
        ref="R1",
        pillar="recognition",
        status="not_started",
        progress=0,
        due_on=datetime.date(2026, 4, 1),
    )
    factories.ActionFactory(
        plan=plan,
        ref="C1",
        pillar="career_development",
        progress=80,
        due_on=datetime.date(2027, 6, 30),
    )
    factories.ActionUpdateFactory(action=late, author=owner, note="Half the photos are taken.")
    factories.ActionUpdateFactory(
        action=late, author=owner, note="Studio booked.", evidence_url="https://example.ac.uk/x"
    )
    factories.ActionUpdateFactory(
        action=done,
        author=owner,
        note="Last year's note.",
        created=timezone.make_aware(datetime.datetime(2025, 6, 1, 9, 0)),
    )
    build_registrations(ada=ada, ben=ben, dee=dee, others=[fay])
    build_training(ada=ada, ben=ben, dee=dee, fay=fay)
    return SimpleNamespace(plan=plan, owner=owner, late=late, done=done)


def _register(code):
    from registration.models import Register

    return Register.objects.get_or_create(
        code=code,
        defaults={
            "council": "science",
            "title": code,
            "post_nominal": code,
            "application_fee": 28,
            "annual_fee": 30,
        },
    )[0]


def _body(name):
    from registration.models import ProfessionalBody

    return ProfessionalBody.objects.get_or_create(name=name, defaults={"council": "science"})[0]


def build_registrations(*, ada, ben, dee, others):
    from registration.models import FundingApplication, FundingBudget, Registration

    rsc, iop = _body("Royal Society of Chemistry"), _body("Institute of Physics")
    rscitech, csci, rsci = _register("RSciTech"), _register("CSci"), _register("RSci")
    Registration.objects.create(
        technician=ada,
        register=rscitech,
        body=rsc,
        status="active",
        registered_on=datetime.date(2025, 10, 1),
    )
    Registration.objects.create(
        technician=dee,
        register=csci,
        body=iop,
        status="active",
        registered_on=datetime.date(2020, 1, 1),
    )
    Registration.objects.create(technician=ben, register=rsci, body=rsc, status="in_progress")
    FundingBudget.objects.create(financial_year=2025, amount=1000)

    def application(applicant, status, amount, year=2025):
        return FundingApplication.objects.create(
            applicant=applicant,
            register=rscitech,
            body=rsc,
            application_fee=28,
            annual_fee=30,
            amount_requested=amount,
            justification="Recognition.",
            status=status,
            financial_year=year,
        )

    application(ada, "paid", 58)
    application(ben, "approved", 66)
    application(dee, "rejected", 58)
    application(others[0], "draft", 58)
    application(others[0], "paid", 99, year=2024)  # another financial year


def build_training(*, ada, ben, dee, fay):
    from training.models import Booking, Course, CourseInterest, Session, TrainingRecord

    def at(day, hour=10):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    safety = Course.objects.create(
        title="Fume cupboard safety", slug="fume-cupboards", category="formal"
    )
    glass = Course.objects.create(
        title="Glassblowing basics", slug="glassblowing", category="on_the_job"
    )
    delivered = Session.objects.create(
        course=safety,
        starts_at=at(datetime.date(2026, 2, 10)),
        ends_at=at(datetime.date(2026, 2, 10), 16),
        capacity=10,
    )
    upcoming = Session.objects.create(
        course=safety,
        starts_at=at(datetime.date(2026, 5, 10)),
        ends_at=at(datetime.date(2026, 5, 10), 16),
        capacity=1,
    )
    Session.objects.create(
        course=glass,
        starts_at=at(datetime.date(2026, 1, 5)),
        ends_at=at(datetime.date(2026, 1, 5), 16),
        capacity=5,
        status="cancelled",
    )
    for technician, status in ((ada, "attended"), (ben, "no_show"), (dee, "attended")):
        Booking.objects.create(session=delivered, technician=technician, status=status)
    Booking.objects.create(session=upcoming, technician=dee, status="confirmed")
    Booking.objects.create(session=upcoming, technician=fay, status="waitlisted")
    CourseInterest.objects.create(course=glass, technician=ben)
    for technician, days, category in (
        (ada, 5, "on_the_job"),
        (ada, 2, "conference_workshop"),
        (ben, 1, "formal"),
    ):
        TrainingRecord.objects.create(
            technician=technician,
            date=datetime.date(2025, 11, 3),
            days=days,
            category=category,
            title="Training",
        )
    # Last year's days are not this year's.
    TrainingRecord.objects.create(
        technician=ben,
        date=datetime.date(2025, 7, 31),
        days=3,
        category="formal",
        title="Last year",
    )


@pytest.fixture
def known_data(db, on_report_day):
    return build_known_data()
