"""Fixtures of the careers tests: a pathway of two bands whose second expects a named skill,
two skills of a category, training days, a registration and years of experience."""

import datetime
from decimal import Decimal

import pytest

from careers.models import (
    Band,
    BandSkill,
    MentoringApplication,
    MentoringRound,
    MentoringScheme,
    Pathway,
)
from tests import factories
from tests.registration.conftest import load_registers

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def registers(db):
    from registration.models import Register

    load_registers()
    return {register.code: register for register in Register.objects.all()}


@pytest.fixture
def ladder(db, registers):
    pathway = Pathway.objects.create(
        name="Research technical professional", role_families=["laboratory"]
    )
    nmr = factories.SkillFactory(name="NMR spectroscopy", category="Analytical")
    factories.SkillFactory(name="HPLC", category="Analytical")
    factories.SkillFactory(name="GC-MS", category="Analytical")
    first = Band.objects.create(pathway=pathway, order=1, name="Band 1", grades=["4"])
    second = Band.objects.create(
        pathway=pathway,
        order=2,
        name="Band 2",
        grades=["5", "6"],
        training_days=Decimal("8"),
        register=registers["RSciTech"],
        years_experience=3,
    )
    BandSkill.objects.create(band=second, skill=nmr, level=3)
    BandSkill.objects.create(band=second, category="Analytical", count=2, level=2)
    return {"pathway": pathway, "first": first, "second": second, "nmr": nmr}


def make_round(today=TODAY, **values):
    scheme, _ = MentoringScheme.objects.get_or_create(name="Technician mentoring")
    defaults = {
        "name": "Spring",
        "applications_open_on": today - datetime.timedelta(days=10),
        "applications_close_on": today + datetime.timedelta(days=10),
        "matching_on": today + datetime.timedelta(days=14),
    }
    return MentoringRound.objects.create(scheme=scheme, **(defaults | values))


def apply(
    round, technician, *, mentor=False, mentee=False, capacity=1, offered=(), sought=(), **values
):
    application = MentoringApplication.objects.create(
        round=round,
        technician=technician,
        as_mentor=mentor,
        as_mentee=mentee,
        capacity=capacity,
        **values,
    )
    application.topics_offered.set(offered)
    application.topics_sought.set(sought)
    return application


@pytest.fixture
def told(monkeypatch):
    """`told()` lists what careers queued for whom: (technician, kind, subject, body).

    Once the kernel addresses notifications to technicians (Notification.technician), the
    outbox's rows are read; until then its call is recorded as the kernel would take it, one
    per kind, key and person."""
    from portal.models import Notification

    if "technician" in {field.name for field in Notification._meta.get_fields()}:
        return lambda: [
            (n.technician, n.kind, n.subject, n.body)
            for n in Notification.objects.filter(kind__startswith="careers.").order_by("pk")
        ]
    calls = {}

    def queue_notification(to, kind, key, subject, body, **extra):
        if (kind, key, to.pk) in calls:
            return None
        calls[(kind, key, to.pk)] = (to, kind, subject, body)
        return calls[(kind, key, to.pk)]

    monkeypatch.setattr("careers.services.queue_notification", queue_notification)
    monkeypatch.setattr("careers.reminders.queue_notification", queue_notification)
    return lambda: list(calls.values())
