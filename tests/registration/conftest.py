"""Fixtures of the registration tests: the registers and bodies of the data migration (loaded
again for transactional tests, which flush it), a budget, and applications in any state."""

import datetime
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps

from portal.periods import financial_year_of
from registration import services
from registration.models import FundingApplication, FundingBudget, ProfessionalBody, Register
from tests.actionplan.conftest import one_page_pdf

LONDON = ZoneInfo("Europe/London")
PDF = one_page_pdf()  # a real PDF: uploaded PDFs must open (portal.uploads.check_pdf)
S = FundingApplication.Status


def at_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=LONDON)


def load_registers() -> None:
    """The data migration's registers and bodies (idempotent)."""
    migration = importlib.import_module("registration.migrations.0002_registers_and_bodies")
    migration.load(apps, None)


@pytest.fixture
def registers(db):
    load_registers()
    return {register.code: register for register in Register.objects.all()}


@pytest.fixture
def ist(registers):
    return ProfessionalBody.objects.get(short_name="IST")


@pytest.fixture
def budget(db):
    from django.utils import timezone

    # Other years too, for tests that travel in time; the current one is returned.
    for year in range(2024, 2030):
        FundingBudget.objects.get_or_create(financial_year=year, defaults={"amount": 1000})
    return FundingBudget.objects.get(financial_year=financial_year_of(timezone.localdate()))


def pdf_upload(name="certificate.pdf", data=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def advance(application, status, personas, *, note="Fine."):
    """Take an application (a draft of the technician persona) to `status` through the
    services, by the right people."""
    steps = {
        S.DRAFT: [],
        S.SUBMITTED: ["submit"],
        S.ENDORSED: ["submit", "endorse"],
        S.APPROVED: ["submit", "endorse", "approve"],
        S.REJECTED: ["submit", "endorse", "reject"],
        S.REGISTERED: ["submit", "endorse", "approve", "record"],
        S.PAID: ["submit", "endorse", "approve", "record", "pay"],
        S.WITHDRAWN: ["submit", "withdraw"],
    }[status]
    applicant = application.applicant.user
    for step in steps:
        if step == "submit":
            services.submit_application(application, by=applicant)
        elif step == "endorse":
            services.endorse_application(application, by=personas.manager, note=note)
        elif step == "approve":
            services.approve_application(application, by=personas.hr, note=note)
        elif step == "reject":
            services.reject_application(application, by=personas.hr, note=note)
        elif step == "record":
            services.record_registration(application, by=applicant, proof=pdf_upload())
        elif step == "pay":
            services.mark_paid(application, by=personas.hr, reference="PO-1234")
        elif step == "withdraw":
            services.withdraw_application(application, by=applicant)
    return application


@pytest.fixture
def make_application(personas, registers, ist, budget):
    """make_application(status="draft", register="RSciTech"): an application of the technician
    persona, taken to `status` through the services."""

    def _make(status=S.DRAFT, register="RSciTech", user=None, **values):
        application = services.create_application(
            by=user or personas.technician,
            register=registers[register],
            body=ist,
            justification="Registration recognises my work with the mass spectrometers.",
            **values,
        )
        return advance(application, status, personas)

    return _make


@pytest.fixture
def frozen():
    """frozen(day): freeze the clock at noon in London on `day` (a context manager)."""

    def _freeze(day: datetime.date, hour: int = 12, minute: int = 0):
        moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)
        return time_machine.travel(moment, tick=False)

    return _freeze
