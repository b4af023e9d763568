"""Fixtures of the recognition tests: a frozen clock, calls (open or closed) with their panel,
applications in any state taken there through the services, and panel members."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from portal import roles
from recognition import services
from recognition.models import FundApplication, FundCall, Panel
from tests.actionplan.conftest import one_page_pdf
from tests.conftest import make_user

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 3, 2)  # a Monday
S = FundApplication.Status


def at(day: datetime.date, hour: int = 12):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def frozen(day: datetime.date, hour: int = 12):
    return time_machine.travel(at(day, hour), tick=False)


@pytest.fixture
def clock():
    """The tests' today, frozen at noon; `clock.move_to(day)` travels."""
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


def receipt_upload(name="receipt.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, one_page_pdf(), content_type="application/pdf")


@pytest.fixture
def members(db):
    return [
        make_user("pat.panel@example.ac.uk", roles.STEERING_GROUP),
        make_user("quinn.panel@example.ac.uk", roles.STEERING_GROUP),
        make_user("riley.panel@example.ac.uk", roles.TECHNICIAN),
    ]


def make_call(
    *,
    opens_on,
    closes_on,
    pot="2000.00",
    max_award="1000.00",
    members=(),
    coordinator=None,
    **extra,
):
    panel = Panel.objects.create(
        name="Panel",
        criteria="Benefit to the role\nBenefit to the team",
        scoring_closes_on=closes_on + datetime.timedelta(days=14),
        coordinator=coordinator,
    )
    panel.members.set(members)
    return FundCall.objects.create(
        title=extra.pop("title", "Spring call"),
        opens_on=opens_on,
        closes_on=closes_on,
        pot=Decimal(pot),
        max_award=Decimal(max_award),
        questions=extra.pop("questions", "What will you do differently?"),
        panel=panel,
        **extra,
    )


@pytest.fixture
def call(db, personas, members, clock):
    """Open today (closes in 10 days); HR coordinates; three panel members."""
    return make_call(
        opens_on=TODAY - datetime.timedelta(days=5),
        closes_on=TODAY + datetime.timedelta(days=10),
        members=members,
        coordinator=personas.hr,
    )


def values(**overrides):
    starts = overrides.pop("activity_starts_on", TODAY + datetime.timedelta(days=40))
    base = {
        "activity": "Confocal microscopy course",
        "certified": False,
        "activity_starts_on": starts,
        "activity_ends_on": overrides.pop("activity_ends_on", starts + datetime.timedelta(days=2)),
        "cost": Decimal("1000.00"),
        "amount_requested": Decimal("500.00"),
        "match_funding": Decimal("0"),
        "match_funding_source": "",
        "expected_return": "I can run the method for the team.",
        "sharing_plan": "A lunchtime talk.",
        "answers": ["Run samples in-house."],
    }
    base.update(overrides)
    return base


@pytest.fixture
def make_application(personas, call):
    """make_application(status="draft", by=technician, **values): an application of the
    technician persona to `call`, taken to `status` (draft or submitted) through the services."""

    def _make(status=S.DRAFT, *, by=None, target_call=None, applicant=None, **overrides):
        application = services.create_fund_application(
            by=by or personas.technician,
            call=target_call or call,
            applicant=applicant or personas.technician_profile,
            **values(**overrides),
        )
        if status == S.SUBMITTED:
            services.submit_fund_application(application, by=by or personas.technician)
        return application

    return _make


def close(call, clock, *, days_after=1):
    """Move the clock to `days_after` days after the call closed."""
    clock.move_to(at(call.closes_on + datetime.timedelta(days=days_after)))
