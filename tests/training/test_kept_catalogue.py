"""The catalogue as it opens is the same for everyone: written once and kept under the
catalogue's version (training.views._kept_course_list). It must always be the catalogue of
this instant: a booking, a new session or course, and a session starting are seen at once."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.training.conftest import make_course, make_session
from training import services
from training.models import Booking

pytestmark = pytest.mark.django_db

CATALOGUE = "/training/"


def listing(client, **params) -> str:
    page = client.get(CATALOGUE, params).content.decode()
    start = page.index('<p class="results-count"')
    return page[start : page.index("</ul>", start)]


def test_everyone_reads_one_copy_until_something_changes(personas, login):
    make_session(make_course(title="Lasers"), capacity=3)
    first = listing(login(personas.technician))
    with CaptureQueriesContext(connection) as queries:
        assert listing(login(personas.manager)) == first
    assert not [q for q in queries.captured_queries if "training_course" in q["sql"]]
    assert "3 of 3 seats left" in first


def test_a_booking_a_session_and_a_course_are_seen_at_once(personas, login, alex):
    session = make_session(make_course(title="Lasers"), capacity=3)
    client = login(personas.manager)
    listing(client)
    services.book_session(session, alex, by=personas.technician)
    assert "2 of 3 seats left" in listing(client)
    make_session(session.course, starts_at=session.starts_at + datetime.timedelta(days=7))
    assert "2 upcoming sessions" in listing(client)
    make_course(title="Glassblowing")
    assert "Glassblowing" in listing(client)


def test_a_session_that_starts_leaves_the_list_at_that_instant(personas, login):
    now = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(hours=1)
    course = make_course(title="Lasers")
    make_session(course, starts_at=now + datetime.timedelta(seconds=30), capacity=4)
    make_session(course, starts_at=now + datetime.timedelta(days=7), capacity=9)
    client = login(personas.technician)
    with time_machine.travel(now + datetime.timedelta(seconds=29), tick=False):
        assert "4 of 4 seats left" in listing(client)  # kept until that session starts
    with time_machine.travel(now + datetime.timedelta(seconds=30), tick=False):
        shown = listing(client)
    assert "9 of 9 seats left" in shown and "1 upcoming session" in shown


def test_a_filtered_catalogue_is_its_own(personas, login):
    make_session(make_course(title="Lasers"))
    make_session(make_course(title="Glassblowing"))
    client = login(personas.technician)
    listing(client)
    searched = listing(client, q="glass")
    assert "Glassblowing" in searched and "Lasers" not in searched


def test_a_booking_cancelled_frees_its_seat_at_once(personas, login, alex):
    session = make_session(make_course(title="Lasers"), capacity=1)
    booking = Booking.objects.create(session=session, technician=alex, status="confirmed")
    client = login(personas.manager)
    assert "full" in listing(client)
    booking.status = Booking.Status.CANCELLED
    booking.save()
    assert "1 of 1 seats left" in listing(client)


def test_the_kept_list_lasts_until_a_session_starts_not_a_minute(personas, login):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=3)
    make_session(make_course(title="Lasers"), starts_at=start, capacity=4)
    client = login(personas.technician)
    first = listing(client)
    later = time_machine.travel(start - datetime.timedelta(hours=1), tick=False)
    with later, CaptureQueriesContext(connection) as queries:
        assert listing(client) == first
    assert not [q for q in queries.captured_queries if "training_course" in q["sql"]]
