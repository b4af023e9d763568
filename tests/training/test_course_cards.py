"""The catalogue's course cards are written in Python (`{% course_card %}`): each must be the
markup the catalogue's template wrote, for every kind of course and next session."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import timezone

from tests.training.conftest import at, make_course, make_session
from training import selectors
from training.models import Booking

pytestmark = pytest.mark.django_db

# The card as the template wrote it before.
TEMPLATE_CARD = (
    "{% load humanize %}"
    '<li class="panel course-card">'
    '<h2 class="course-title"><a href="{{ course.get_absolute_url }}">{{ course.title }}</a></h2>'
    '<p class="card-line"><span class="badge">{{ course.get_category_display }}</span> '
    '{{ course.provider }} · {{ course.days|floatformat:"-2" }} day{{ course.days|pluralize }}'
    "{% if course.requires_manager_approval %} · "
    '<span class="badge badge-warning">Needs manager approval</span>{% endif %}</p>'
    "{% if course.next_session %}{% with session=course.next_session %}"
    '<p class="card-line">Next: <time datetime="{{ session.starts_at|date:\'c\' }}">'
    '{{ session.starts_at|date:"D j M Y, H:i" }}</time> — {% if session.seats_left %}'
    "{{ session.seats_left }} of {{ session.capacity }} seats left{% else %}full"
    "{% if session.waiting %}, {{ session.waiting|intcomma }} waiting{% endif %}{% endif %}</p>"
    "{% endwith %}"
    '<p class="card-line muted">{{ course.upcoming_count }} upcoming '
    "session{{ course.upcoming_count|pluralize }}</p>"
    '{% else %}<p class="card-line muted">No upcoming session: open the course to be told '
    "when it runs.</p>{% endif %}</li>"
)


@pytest.fixture
def programme(personas):
    today = timezone.localdate()
    # Late in the evening UTC in summer: past midnight in London, the day the card shows.
    evening = datetime.datetime(today.year + 1, 7, 14, 23, 30, tzinfo=datetime.UTC)
    full = make_session(
        make_course(title='Lasers <& "optics">', days=Decimal("0.5")),
        starts_at=evening,
        capacity=1,
    )
    Booking.objects.create(session=full, technician=personas.manager_profile, status="confirmed")
    Booking.objects.create(
        session=full, technician=personas.technician_profile, status="waitlisted"
    )
    no_wait = make_session(
        make_course(title="First aid", requires_manager_approval=True), capacity=1
    )
    Booking.objects.create(session=no_wait, technician=personas.manager_profile, status="confirmed")
    course = make_course(title="COSHH", days=Decimal("2.00"), provider="Safety & Co")
    for days in (3, 9):
        make_session(course, starts_at=at(today + datetime.timedelta(days=days)), capacity=12)
    make_course(title="Python for data")


def test_each_card_is_the_markup_the_template_wrote(programme):
    old = Template(TEMPLATE_CARD)
    new = Template("{% load training_tags %}{% course_card course %}")
    courses = selectors.catalogue()
    assert len(courses) == 4
    for course in courses:
        written = new.render(Context({"course": course}))
        assert parse_html(written) == parse_html(old.render(Context({"course": course})))
    lasers = next(c for c in courses if c.title.startswith("Lasers"))
    written = new.render(Context({"course": lasers}))
    assert "full, 1 waiting" in written and "&lt;&amp;" in written and "0.50 days" in written
    shown = datetime.date(timezone.localdate().year + 1, 7, 15).strftime("%a %-d %b %Y, 00:30")
    assert shown in written  # 23:30 UTC on the 14th is 00:30 in London on the 15th


# The status badge as the template included in every booking row wrote it before.
TEMPLATE_STATUS = (
    "<span class=\"badge{% if booking.status == 'waitlisted' or booking.status == 'requested' %}"
    ' badge-warning{% endif %}" data-status="{{ booking.status }}">'
    "{{ booking.get_status_display }}</span>"
)


@pytest.mark.parametrize("status", [choice for choice, _label in Booking.Status.choices])
def test_a_bookings_status_badge_is_the_markup_the_template_wrote(status):
    booking = Booking(status=status)
    written = Template("{% load training_tags %}{% booking_status booking %}").render(
        Context({"booking": booking})
    )
    assert parse_html(written) == parse_html(
        Template(TEMPLATE_STATUS).render(Context({"booking": booking}))
    )
    assert ("badge-warning" in written) == (status in {"waitlisted", "requested"})
