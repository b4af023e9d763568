"""Demo data: a termly training programme (the "training" seeder of `manage.py seed_demo`).

About 30 courses (some need the line manager's approval) and about 150 sessions from six weeks
ago to the end of next term, with bookings, waiting lists, attendance, no-shows and days
logged by technicians. Deterministic (a seeded random generator, dates relative to today) and
idempotent: when the catalogue exists, nothing is added. Written with bulk inserts, so the
default 1,250 technicians still seed in seconds.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.periods import academic_year_bounds, academic_year_of, add_working_days
from technicians.models import Technician
from training.models import Booking, Category, Course, Session, TrainingRecord
from training.versions import catalogue_changed

F, C, J = Category.FORMAL, Category.CONFERENCE_WORKSHOP, Category.ON_THE_JOB

# (title, category, provider, days, needs approval, capacity, description)
COURSES = (
    (
        "COSHH risk assessment",
        F,
        "Health and Safety",
        "0.5",
        False,
        16,
        "Assessing and controlling hazardous substances in the laboratory.",
    ),
    (
        "Fire warden training",
        F,
        "Health and Safety",
        "0.5",
        False,
        20,
        "The duties of a fire warden, evacuation and extinguisher practice.",
    ),
    (
        "First aid at work",
        F,
        "Health and Safety",
        "3",
        True,
        12,
        "The three-day HSE-approved first aid at work qualification.",
    ),
    (
        "Emergency first aid refresher",
        F,
        "Health and Safety",
        "1",
        False,
        12,
        "A one-day refresher for qualified first aiders.",
    ),
    (
        "Radiation protection supervisor",
        F,
        "Radiation Protection Service",
        "2",
        True,
        10,
        "The role of the RPS under the Ionising Radiations Regulations.",
    ),
    (
        "Working safely with lasers",
        F,
        "Radiation Protection Service",
        "0.5",
        False,
        15,
        "Laser classes, controls and the local rules.",
    ),
    (
        "Biological safety cabinets",
        F,
        "Biosafety Office",
        "0.5",
        False,
        12,
        "Choosing, using and testing microbiological safety cabinets.",
    ),
    (
        "Genetic modification safety",
        F,
        "Biosafety Office",
        "1",
        False,
        14,
        "GM risk assessment and containment levels.",
    ),
    (
        "Leadership for technical managers",
        F,
        "Organisational Development",
        "2",
        True,
        16,
        "Leading teams, giving feedback and planning for technical services.",
    ),
    (
        "Coaching skills",
        F,
        "Organisational Development",
        "1",
        False,
        14,
        "Coaching conversations for those who train and supervise others.",
    ),
    (
        "Project management essentials",
        F,
        "Organisational Development",
        "1",
        False,
        18,
        "Scoping, planning and delivering small projects.",
    ),
    (
        "Presenting your work",
        F,
        "Organisational Development",
        "0.5",
        False,
        14,
        "Presenting technical work clearly to mixed audiences.",
    ),
    (
        "Writing for professional registration",
        F,
        "Technician Commitment",
        "0.5",
        False,
        20,
        "Writing the competence report for RSciTech, RSci or EngTech.",
    ),
    (
        "Mentoring for technicians",
        F,
        "Technician Commitment",
        "0.5",
        False,
        16,
        "Becoming a mentor, and getting the most from having one.",
    ),
    (
        "Python for laboratory data",
        F,
        "Digital Skills",
        "2",
        False,
        16,
        "Reading instrument output and automating analysis with Python.",
    ),
    (
        "Research data management",
        F,
        "Library",
        "0.5",
        False,
        24,
        "Storing, describing and sharing research data well.",
    ),
    (
        "Excel for technical staff",
        F,
        "Digital Skills",
        "1",
        False,
        16,
        "Tables, lookups and charts for stock, bookings and results.",
    ),
    (
        "Equality, diversity and inclusion",
        F,
        "HR",
        "0.5",
        False,
        30,
        "Inclusive practice in teams and laboratories.",
    ),
    (
        "Technician Symposium",
        C,
        "Midlands Innovation",
        "1",
        True,
        40,
        "The regional technical community's annual symposium.",
    ),
    (
        "HEaTED annual conference",
        C,
        "HEaTED",
        "2",
        True,
        30,
        "The national conference for technicians in higher education.",
    ),
    (
        "Mass spectrometry user meeting",
        C,
        "British Mass Spectrometry Society",
        "1",
        True,
        20,
        "Talks and workshops for mass spectrometry users.",
    ),
    (
        "Microscopy workshop",
        C,
        "Royal Microscopical Society",
        "1",
        False,
        18,
        "Hands-on workshop on sample preparation and imaging.",
    ),
    (
        "Workshop technician network day",
        C,
        "Technician Commitment",
        "1",
        False,
        30,
        "Sharing practice between the university's workshops.",
    ),
    (
        "3D printing masterclass",
        C,
        "Engineering Workshop",
        "0.5",
        False,
        10,
        "Materials, slicing and finishing for research prototypes.",
    ),
    (
        "HPLC method development",
        J,
        "Chemistry",
        "1",
        False,
        6,
        "Developing and validating HPLC methods on the department's systems.",
    ),
    (
        "Confocal microscope induction",
        J,
        "Imaging Facility",
        "0.5",
        False,
        4,
        "Becoming an independent user of the confocal microscopes.",
    ),
    (
        "Flow cytometry induction",
        J,
        "Flow Cytometry Facility",
        "0.5",
        False,
        4,
        "Running and cleaning the analysers, with a supervised session.",
    ),
    (
        "CNC milling: first steps",
        J,
        "Engineering Workshop",
        "1",
        False,
        6,
        "Setting up and running a simple job on the CNC mill.",
    ),
    (
        "Autoclave operation",
        J,
        "Biosafety Office",
        "0.5",
        False,
        6,
        "Loading, running and validating the department autoclaves.",
    ),
    (
        "Cryogenics and liquid nitrogen handling",
        J,
        "Health and Safety",
        "0.5",
        False,
        8,
        "Safe filling, transport and storage of cryogens.",
    ),
)
LOCATIONS = (
    "Training Room 1, Staff House",
    "Seminar Room G.12, Chemistry",
    "Lecture Theatre B, Life Sciences",
    "Workshop, Engineering Building",
    "Imaging Suite, Biomedical Sciences",
    "Room 2.04, Library",
)


def _slug(title: str) -> str:
    from django.utils.text import slugify

    return slugify(title)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _working_day_on_or_after(day: datetime.date) -> datetime.date:
    from portal.periods import is_working_day

    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _session(course: Course, day: datetime.date, index: int, capacity: int) -> Session:
    hour = 9 if index % 3 else 13
    length = float(course.days)
    if length >= 1:
        starts = _at(day, 9, 30)
        ends = _at(day + datetime.timedelta(days=int(length) - 1), 16, 30)
    else:
        starts, ends = _at(day, hour, 30), _at(day, hour + 3, 30)
    return Session(
        course=course,
        starts_at=starts,
        ends_at=ends,
        location=LOCATIONS[index % len(LOCATIONS)],
        online_url="https://teams.example.ac.uk/training" if index % 7 == 0 else "",
        capacity=capacity,
        booking_closes_at=starts - datetime.timedelta(days=1),
        cancellation_deadline=add_working_days(day, -2),
    )


def seed_demo(*, technicians: int = 0, stdout=None) -> None:
    """The "training" seeder (order 30), after the technicians and their logins."""
    if Course.objects.filter(slug=_slug(COURSES[0][0])).exists():
        return
    rng = random.Random(9)
    today = timezone.localdate()
    now = timezone.now()
    people = list(
        Technician.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("pk", "staff_number", "line_manager_id")
    )
    with transaction.atomic():
        courses = Course.objects.bulk_create(
            Course(
                title=title,
                slug=_slug(title),
                category=category,
                provider=provider,
                days=Decimal(days),
                requires_manager_approval=approval,
                description=description,
            )
            for title, category, provider, days, approval, _capacity, description in COURSES
        )
        capacities = {course.slug: row[5] for course, row in zip(courses, COURSES, strict=True)}
        sessions = []
        first_day = today - datetime.timedelta(days=42)
        # Last academic year and this one up to six weeks ago: a lighter programme, all of it
        # delivered, so the reports of past years count sessions and attendance.
        past_start, _ = academic_year_bounds(academic_year_of(today) - 1)
        past_span = (first_day - past_start).days
        past_count = past_span * 150 // 190 // 2
        for index in range(past_count):
            course = courses[(index * 7) % len(courses)]
            day = _working_day_on_or_after(
                past_start + datetime.timedelta(days=index * past_span // past_count)
            )
            if day >= first_day:
                break
            sessions.append(_session(course, day, index, capacities[course.slug]))
        for index in range(150):
            course = courses[index % len(courses)]
            # Spread from six weeks ago to about five months ahead.
            day = _working_day_on_or_after(first_day + datetime.timedelta(days=index * 190 // 150))
            sessions.append(_session(course, day, index, capacities[course.slug]))
        sessions = Session.objects.bulk_create(sessions)
        bookings, records = [], []
        if people:
            demo = [person for person in people if person[1].startswith("DEMO")]
            for session in sessions:
                _book_session(rng, session, people, demo, now, bookings)
        Booking.objects.bulk_create(bookings)
        catalogue_changed()  # written in bulk (no signals)
        for booking in bookings:
            if booking.status == Booking.Status.ATTENDED:
                course = booking.session.course
                records.append(
                    TrainingRecord(
                        technician_id=booking.technician_id,
                        date=timezone.localdate(booking.session.starts_at),
                        days=course.days,
                        category=course.category,
                        title=course.title,
                        provider=course.provider,
                        booking=booking,
                    )
                )
        records += _logged_days(rng, people, today)
        TrainingRecord.objects.bulk_create(records, batch_size=1000)
    if stdout is not None:
        stdout.write(
            f"Training: {len(courses)} courses, {len(sessions)} sessions, {len(bookings)} "
            f"bookings, {len(records)} training records."
        )


def _book_session(rng, session, people, demo, now, bookings) -> None:
    fill = rng.choice((0.4, 0.7, 0.9, 1.0, 1.0, 1.3))
    wanted = min(int(session.capacity * fill), len(people))
    chosen = rng.sample(people, wanted)
    # The demo logins appear on a few sessions each, past and upcoming.
    for person in demo:
        if rng.random() < 0.06 and person not in chosen:
            chosen.insert(0, person)
    past = session.starts_at <= now
    # Booked about three weeks ahead; for the sessions to come, between a day and three weeks
    # ago (never in the future), in the order of the waiting list.
    created = min(
        session.starts_at - datetime.timedelta(days=21),
        now - datetime.timedelta(days=rng.randint(1, 20), minutes=7 * len(chosen)),
    )
    seats = 0
    for offset, (pk, _number, manager_id) in enumerate(chosen):
        made = created + datetime.timedelta(minutes=offset * 7)
        asks = _number == "DEMO002" or rng.random() < 0.2  # the demo technician asks
        if session.course.requires_manager_approval and not past and asks:
            status = Booking.Status.REQUESTED if manager_id else Booking.Status.CONFIRMED
        elif seats < session.capacity:
            status = Booking.Status.CONFIRMED
        else:
            status = Booking.Status.WAITLISTED
        late = False
        cancelled_at = None
        if status == Booking.Status.CONFIRMED:
            seats += 1
            if past:
                roll = rng.random()
                status = Booking.Status.NO_SHOW if roll < 0.06 else Booking.Status.ATTENDED
            elif rng.random() < 0.05:
                status, late = Booking.Status.CANCELLED, rng.random() < 0.5
                cancelled_at = now - datetime.timedelta(days=1)
                seats -= 1
        elif status == Booking.Status.WAITLISTED and past:
            status, cancelled_at = Booking.Status.CANCELLED, session.starts_at
        bookings.append(
            Booking(
                session=session,
                technician_id=pk,
                status=status,
                cancelled_late=late,
                cancelled_at=cancelled_at,
                created=made,
            )
        )


def _logged_days(rng, people, today) -> list[TrainingRecord]:
    start, _ = academic_year_bounds(academic_year_of(today))
    last_start, _ = academic_year_bounds(academic_year_of(today) - 1)
    entries = (
        (J, "Trained on the new autoclave with the supplier", "Supplier", "0.5"),
        (J, "Shadowed the facility manager on instrument maintenance", "", "1"),
        (J, "Learnt the department's new stock system", "", "0.5"),
        (C, "Institute of Science and Technology webinar series", "IST", "0.5"),
        (J, "Supervised practice on the CNC lathe", "", "1"),
        (C, "Regional technicians' network meeting", "Technician Commitment", "1"),
        (F, "Online course: introduction to statistics", "FutureLearn", "1"),
    )
    records = []
    for pk, _number, _manager in people:
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            category, title, provider, days = rng.choice(entries)
            if rng.random() < 0.3:
                day = last_start + datetime.timedelta(days=rng.randrange(365))
            else:
                span = max((today - start).days, 1)
                day = start + datetime.timedelta(days=rng.randrange(span))
            records.append(
                TrainingRecord(
                    technician_id=pk,
                    date=day,
                    days=Decimal(days),
                    category=category,
                    title=title,
                    provider=provider,
                    reflection="Useful: I now do this on my own." if rng.random() < 0.4 else "",
                )
            )
    return records
