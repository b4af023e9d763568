"""The training pages: behaviour through the views, and constant query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.training.conftest import make_course, make_session, make_technician
from training import services
from training.models import Booking, Session, TrainingRecord

pytestmark = pytest.mark.django_db


# --- behaviour -----------------------------------------------------------------------------


def test_the_catalogue_filters(personas, login):
    make_session(make_course(title="COSHH risk assessment", provider="Health and Safety"))
    full = make_session(make_course(title="Lasers", category="on_the_job"), capacity=1)
    Booking.objects.create(session=full, technician=personas.manager_profile, status="confirmed")
    make_course(title="Python for data")  # no session
    client = login(personas.technician)
    page = client.get("/training/").content.decode()
    assert "COSHH risk assessment" in page and "Python for data" in page
    page = client.get("/training/?q=coshh").content.decode()
    assert "COSHH" in page and "Lasers" not in page
    page = client.get("/training/?category=on_the_job").content.decode()
    assert "Lasers" in page and "COSHH" not in page
    page = client.get("/training/?free_seats=on").content.decode()
    assert "COSHH" in page and "Lasers" not in page and "Python for data" not in page
    page = client.get("/training/?provider=Health+and+Safety").content.decode()
    assert "COSHH" in page and "Lasers" not in page
    soon = timezone.localdate() + datetime.timedelta(days=3)
    page = client.get(f"/training/?starts_until={soon.isoformat()}").content.decode()
    assert "COSHH" not in page


def test_each_course_card_shows_its_next_session_and_how_many_are_to_come(personas, login):
    from tests.training.conftest import at

    today = timezone.localdate()
    lasers = make_course(title="Lasers")
    first = make_session(lasers, starts_at=at(today + datetime.timedelta(days=5)), capacity=1)
    make_session(lasers, starts_at=at(today + datetime.timedelta(days=20)))
    make_session(lasers, starts_at=at(today + datetime.timedelta(days=40)))
    make_session(lasers, starts_at=at(today - datetime.timedelta(days=2)))  # past: not counted
    Booking.objects.create(session=first, technician=personas.manager_profile, status="confirmed")
    Booking.objects.create(
        session=first, technician=personas.technician_profile, status="waitlisted"
    )
    make_session(make_course(title="COSHH"), capacity=4)
    make_course(title="Python for data")
    client = login(personas.technician)

    def card(page: str, title: str) -> str:
        start = page.index(f">{title}</a>")
        return page[start : page.index("</li>", start)]

    page = client.get("/training/").content.decode()
    lasers_card = card(page, "Lasers")
    assert "full, 1 waiting" in lasers_card
    assert (today + datetime.timedelta(days=5)).strftime("%-d %b %Y") in lasers_card
    assert "3 upcoming sessions" in lasers_card
    assert "4 of 4 seats left" in card(page, "COSHH")
    assert "1 upcoming session<" in card(page, "COSHH")
    assert "No upcoming session" in card(page, "Python for data")
    # Sessions from a date on: the next one and the count are those of the dates asked for.
    since = (today + datetime.timedelta(days=10)).isoformat()
    lasers_card = card(client.get(f"/training/?starts_from={since}").content.decode(), "Lasers")
    assert "2 upcoming sessions" in lasers_card
    assert "10 of 10 seats left" in lasers_card


def test_booking_from_the_page_and_seeing_it_in_my_training(personas, session, login):
    client = login(personas.technician)
    page = client.get(f"/training/sessions/{session.pk}/book/").content.decode()
    assert "Cancel by" in page
    response = client.post(
        f"/training/sessions/{session.pk}/book/",
        {"technician": personas.technician_profile.email},
    )
    assert response.status_code == 302 and response["Location"] == "/training/me/"
    page = client.get("/training/me/").content.decode()
    assert "COSHH risk assessment" in page and "Confirmed" in page


def test_posting_without_choosing_books_oneself(personas, session, login, alex):
    response = login(personas.technician).post(f"/training/sessions/{session.pk}/book/")
    assert response.status_code == 302
    assert Booking.objects.get().technician == alex


def test_a_refusal_is_shown_on_the_form(personas, session, login, alex):
    services.book_session(session, alex, by=personas.technician)
    response = login(personas.technician).post(
        f"/training/sessions/{session.pk}/book/", {"technician": alex.email}
    )
    assert response.status_code == 200
    assert "You already have a booking for this session" in response.content.decode()


def test_a_technician_cannot_book_someone_else(personas, session, login, morgan):
    response = login(personas.technician).post(
        f"/training/sessions/{session.pk}/book/", {"technician": morgan.email}
    )
    assert response.status_code == 200  # not a choice on the form
    assert not Booking.objects.exists()


def test_a_manager_books_for_the_team(personas, session, login, alex):
    response = login(personas.manager).post(
        f"/training/sessions/{session.pk}/book/", {"technician": alex.email}
    )
    assert response.status_code == 302
    assert Booking.objects.get().technician == alex


def test_cancelling_late_says_so(personas, course, login, alex):
    starts = timezone.now() + datetime.timedelta(hours=30)
    session = make_session(course, starts_at=starts, cancellation_deadline=timezone.localdate())
    booking = services.book_session(session, alex, by=personas.technician)
    session.cancellation_deadline = timezone.localdate() - datetime.timedelta(days=1)
    session.save()
    client = login(personas.technician)
    assert (
        "late cancellation"
        in client.get(f"/training/bookings/{booking.pk}/cancel/").content.decode()
    )
    response = client.post(f"/training/bookings/{booking.pk}/cancel/", follow=True)
    assert "recorded as late" in response.content.decode()


def test_decline_without_a_reason_keeps_the_form(personas, login, alex):
    session = make_session(make_course(requires_manager_approval=True))
    booking = services.book_session(session, alex, by=personas.technician)
    response = login(personas.manager).post(
        f"/training/bookings/{booking.pk}/decline/", {"reason": ""}
    )
    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == "requested"


def test_the_approvals_page_lists_the_team(personas, login, alex):
    session = make_session(make_course(title="First aid", requires_manager_approval=True))
    services.book_session(session, alex, by=personas.technician)
    page = login(personas.manager).get("/training/approvals/").content.decode()
    assert "Alex Tech" in page and "First aid" in page


def test_a_manager_approves_only_their_teams_bookings_of_sessions_to_come(personas, alex):
    from training import selectors

    course = make_course(title="First aid", requires_manager_approval=True)
    later, soon = make_session(course), make_session(course)
    mine = services.book_session(later, alex, by=personas.technician)
    services.book_session(soon, alex, by=personas.technician)
    elsewhere = make_technician(alex.department, last_name="Elsewhere")
    services.book_session(later, elsewhere, by=elsewhere.user)
    manager = personas.manager_profile
    Session.objects.filter(pk=soon.pk).update(starts_at=timezone.now())  # begins this instant
    assert selectors.approvals_waiting(personas.manager, manager) == [mine]
    everyone = selectors.approvals_waiting(personas.coordinator, None)
    assert {booking.technician for booking in everyone} == {alex, elsewhere}


def test_ticking_attendance(personas, course, login, alex):
    session = make_session(course)
    booking = services.book_session(session, alex, by=personas.technician)
    session.starts_at = timezone.now() - datetime.timedelta(hours=1)
    session.ends_at = timezone.now() + datetime.timedelta(hours=1)
    session.save()
    client = login(personas.coordinator)
    page = client.get(f"/training/sessions/{session.pk}/register/").content.decode()
    assert "Alex Tech" in page and "No-show" in page
    client.post(f"/training/bookings/{booking.pk}/attendance/", {"attended": "1"})
    client.post(f"/training/bookings/{booking.pk}/attendance/", {"attended": "1"})
    assert TrainingRecord.objects.filter(booking=booking).count() == 1
    printable = client.get(f"/training/sessions/{session.pk}/register/?print=1").content.decode()
    assert "Signature" in printable


def test_logging_hours_from_the_form(personas, login, alex, settings):
    settings.TRAINING_HOURS_PER_DAY = 7
    response = login(personas.technician).post(
        "/training/me/log/",
        {
            "date": timezone.localdate().isoformat(),
            "category": "conference_workshop",
            "title": "Regional network day",
            "provider": "",
            "amount": "14",
            "unit": "hours",
            "reflection": "",
        },
    )
    assert response.status_code == 302
    assert TrainingRecord.objects.get().days == Decimal("2.00")


def test_bad_evidence_is_refused_and_nothing_lost(personas, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(personas.technician).post(
        "/training/me/log/",
        {
            "date": timezone.localdate().isoformat(),
            "category": "formal",
            "title": "Statistics course",
            "amount": "1",
            "unit": "days",
            "evidence": SimpleUploadedFile("cert.pdf", b"<script>alert(1)</script>"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "content is of another type" in page
    assert 'value="Statistics course"' in page
    assert not TrainingRecord.objects.exists()


def test_my_export_neutralises_formulas(personas, login, alex):
    TrainingRecord.objects.create(
        technician=alex, date=timezone.localdate(), days=1, category="formal", title="=HYPERLINK(1)"
    )
    content = login(personas.technician).get("/training/me/export.csv").content.decode()
    assert "'=HYPERLINK(1)" in content


def test_hr_totals_export(personas, login, alex):
    TrainingRecord.objects.create(
        technician=alex, date=timezone.localdate(), days=1, category="formal", title="X"
    )
    content = login(personas.hr).get("/training/totals/export.csv").content.decode()
    assert "department,Chemistry" in content and "faculty,Faculty of Science" in content


def test_interest_from_the_course_page(personas, login, alex):
    course = make_course(title="Lasers", slug="lasers")
    client = login(personas.technician)
    assert "Tell me when this runs" in client.get("/training/courses/lasers/").content.decode()
    client.post("/training/courses/lasers/interest/")
    assert course.interests.filter(technician=alex).exists()


def test_coordinator_adds_a_session_with_the_default_deadline(personas, login, course):
    from portal.periods import add_working_days

    start = (timezone.localtime() + datetime.timedelta(days=30)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    response = login(personas.coordinator).post(
        f"/training/manage/courses/{course.slug}/sessions/new/",
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "location": "Room 1",
            "capacity": "12",
        },
    )
    assert response.status_code == 302
    session = course.sessions.get()
    assert session.cancellation_deadline == add_working_days(start.date(), -2)


# --- constant query counts --------------------------------------------------------------------


def _programme(size: int, department):
    people = [make_technician(department, login=False) for _ in range(3)]
    for n in range(size):
        course = make_course(title=f"Course {n}", slug=f"course-n{n}")
        for _ in range(2):
            session = make_session(course, capacity=2)
            for person in people:
                Booking.objects.create(
                    session=session,
                    technician=person,
                    status="confirmed" if person is not people[-1] else "waitlisted",
                )


@pytest.mark.parametrize("size", [3, 15])
def test_catalogue_queries_are_constant(
    personas, login, department, size, django_assert_max_num_queries
):
    _programme(size, department)
    client = login(personas.technician)
    with django_assert_max_num_queries(14):
        response = client.get("/training/?free_seats=on")
    assert response.status_code == 200


@pytest.mark.parametrize("sessions", [5, 50])
def test_course_page_queries_are_constant(
    personas, login, alex, sessions, django_assert_max_num_queries
):
    course = make_course(slug="big")
    for n in range(sessions):
        session = make_session(course, capacity=3)
        if n % 2:
            Booking.objects.create(session=session, technician=alex, status="confirmed")
    client = login(personas.technician)
    with django_assert_max_num_queries(14):
        response = client.get("/training/courses/big/")
    assert response.status_code == 200
    assert response.content.decode().count('class="panel session-card"') == sessions


@pytest.mark.parametrize("size", [2, 20])
def test_my_training_queries_are_constant(
    personas, login, alex, size, django_assert_max_num_queries
):
    for n in range(size):
        session = make_session(capacity=3)
        Booking.objects.create(session=session, technician=alex, status="confirmed")
        TrainingRecord.objects.create(
            technician=alex, date=timezone.localdate(), days=1, category="formal", title=f"R{n}"
        )
    client = login(personas.technician)
    client.get("/training/me/")  # makes the calendar token
    with django_assert_max_num_queries(14):
        response = client.get("/training/me/")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_hr_totals_queries_are_constant(personas, login, size, django_assert_max_num_queries):
    from tests import factories

    for n in range(size):
        department = factories.DepartmentFactory(faculty=f"Faculty {n % 3}")
        person = make_technician(department, login=False)
        TrainingRecord.objects.create(
            technician=person, date=timezone.localdate(), days=1, category="formal", title="X"
        )
    client = login(personas.hr)
    with django_assert_max_num_queries(12):
        response = client.get("/training/totals/")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_team_and_register_queries_are_constant(
    personas, login, morgan, size, django_assert_max_num_queries
):
    session = make_session(capacity=size)
    for _ in range(size):
        person = make_technician(morgan.department, line_manager=morgan, login=False)
        Booking.objects.create(session=session, technician=person, status="confirmed")
    client = login(personas.manager)
    with django_assert_max_num_queries(14):
        assert client.get("/training/team/").status_code == 200
    client = login(personas.coordinator)
    with django_assert_max_num_queries(14):
        assert client.get(f"/training/sessions/{session.pk}/register/").status_code == 200


def test_my_training_says_where_i_am_on_the_waiting_list(personas, login, alex, morgan):
    session = make_session(capacity=1)
    services.book_session(session, morgan, by=personas.manager)
    first = make_technician(alex.department)
    services.book_session(session, first, by=first.user)
    services.book_session(session, alex, by=personas.technician)
    page = login(personas.technician).get("/training/me/").content.decode()
    assert "number 2 in line" in page


def test_the_course_page_marks_my_bookings_and_interest_on_the_sessions_to_come(personas, alex):
    from training import selectors
    from training.models import CourseInterest

    course = make_course(title="Lasers", slug="lasers")
    now = timezone.now()
    began = make_session(course, starts_at=now - datetime.timedelta(minutes=1))
    first, second = make_session(course), make_session(course, capacity=3)
    other_course = make_session(make_course(title="Welding", slug="welding"))
    Booking.objects.create(session=began, technician=alex, status="confirmed")
    mine = Booking.objects.create(session=second, technician=alex, status="confirmed")
    Booking.objects.create(session=other_course, technician=alex, status="confirmed")
    Booking.objects.create(session=first, technician=alex, status="cancelled")
    colleague = make_technician(alex.department, last_name="Colleague")
    Booking.objects.create(session=first, technician=colleague, status="confirmed")
    page = selectors.course_page(course, alex, now)
    assert [session.pk for session in page.sessions] == [first.pk, second.pk]
    assert [session.my_booking for session in page.sessions] == [None, mine]
    assert [session.taken for session in page.sessions] == [1, 1]
    assert not page.interested
    CourseInterest.objects.create(course=course, technician=alex)
    assert selectors.course_page(course, alex, now).interested
    assert not selectors.course_page(course, colleague, now).interested
    assert selectors.course_page(course, None, now).sessions[1].my_booking is None
