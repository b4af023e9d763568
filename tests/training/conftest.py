"""Courses, sessions and technicians for the training tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from portal import roles
from tests import factories
from tests.conftest import make_user
from training.models import Course, Session


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An aware datetime in Europe/London."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_course(**values) -> Course:
    n = Course.objects.count() + 1
    defaults = {
        "title": f"Course {n}",
        "slug": f"course-{n}",
        "category": "formal",
        "provider": "Technical Services",
        "days": Decimal("1.00"),
    }
    defaults.update(values)
    return Course.objects.create(**defaults)


def make_session(course=None, *, starts_at=None, capacity=10, **values) -> Session:
    course = course or make_course()
    starts_at = starts_at or (timezone.now() + datetime.timedelta(days=14)).replace(
        second=0, microsecond=0
    )
    return Session.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=values.pop("ends_at", starts_at + datetime.timedelta(hours=3)),
        capacity=capacity,
        location=values.pop("location", "Training Room 1"),
        **values,
    )


def make_technician(department=None, *, line_manager=None, login=True, **values):
    """A technician with a login (Technician group) unless login=False."""
    technician = factories.TechnicianFactory(
        department=department or factories.DepartmentFactory(), line_manager=line_manager, **values
    )
    if login:
        user = make_user(technician.email, roles.TECHNICIAN)
        technician.user = user
        technician.save(update_fields=["user"])
    return technician


@pytest.fixture
def course(db):
    return make_course(title="COSHH risk assessment", slug="coshh")


@pytest.fixture
def session(course):
    return make_session(course, capacity=2)


@pytest.fixture
def alex(personas):
    return personas.technician_profile


@pytest.fixture
def morgan(personas):
    return personas.manager_profile


@pytest.fixture
def alex_number(alex):
    alex.staff_number = "T123"
    alex.save()
    return "T123"
