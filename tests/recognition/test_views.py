"""Recognition pages: constant query counts at two sizes, and the demo seeder."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import registry
from recognition import demo
from recognition.models import (
    Contribution,
    FundApplication,
    FundCall,
    Nomination,
    Output,
    Review,
)
from tests import factories
from tests.recognition.conftest import S, close, values

pytestmark = pytest.mark.django_db


def _queries(client, path):
    client.get(path)  # warm: the session and the user
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def _add_applications(call, personas, members, count):
    for _ in range(count):
        technician = factories.TechnicianFactory(
            line_manager=personas.manager_profile, department=personas.technician_profile.department
        )
        application = FundApplication.objects.create(
            call=call, applicant=technician, status=S.SUBMITTED, **values()
        )
        for member in members:
            Review.objects.create(
                panel=call.panel, reviewer=member, application=application, scores=[3, 4]
            )
        output = Output.objects.create(
            title=f"Paper {application.pk}", doi=f"10.1/{application.pk}", year=2025
        )
        Contribution.objects.create(output=output, technician=technician, roles=["software"])
        Contribution.objects.create(
            output=output, technician=personas.technician_profile, roles=["investigation"]
        )


@pytest.mark.parametrize(
    "persona, path",
    [
        ("hr", "/recognition/calls/{call}/"),
        ("manager", "/recognition/"),
        ("technician", "/recognition/outputs/"),
        ("steering", "/recognition/"),
    ],
)
def test_pages_run_a_fixed_number_of_queries(persona, path, personas, members, call, login):
    call.panel.members.add(personas.steering)
    client = login(getattr(personas, persona))
    path = path.format(call=call.pk)
    _add_applications(call, personas, members, 3)
    small = _queries(client, path)
    _add_applications(call, personas, members, 12)
    assert _queries(client, path) == small


def test_the_hr_dashboard_shows_overdue_reports(personas, make_application, call, clock, login):
    from recognition import services

    application = make_application(S.SUBMITTED)
    close(call, clock)
    services.award_fund_application(application, by=personas.hr, amount=Decimal("100"))
    application.refresh_from_db()
    clock.move_to(
        datetime.datetime.combine(application.report_due_on, datetime.time(12))
        + datetime.timedelta(days=2)
    )
    page = login(personas.hr).get("/")
    assert b"overdue report" in page.content
    assert application.activity.encode() in page.content


def test_the_demo_seeder_is_deterministic_and_idempotent():
    from technicians.demo import seed_demo

    entries = {entry.name: entry for entry in registry.seeders()}
    assert entries["recognition"].seed is demo.seed_demo
    assert entries["recognition"].order > entries["technicians"].order
    seed_demo(technicians=60)
    demo.seed_demo(technicians=60)
    first = sorted(FundApplication.objects.values_list("activity", "status", "amount_awarded"))
    demo.seed_demo(technicians=60)
    assert (
        sorted(FundApplication.objects.values_list("activity", "status", "amount_awarded")) == first
    )
    assert FundCall.objects.count() == 2
    statuses = {status for _, status, _ in first}
    assert {S.REPORTED, S.CLAIMED, S.NOT_FUNDED, S.AWARDED} <= statuses
    assert Nomination.objects.filter(status="winner").exists()
    assert Nomination.objects.filter(status="open").exists()
    assert Contribution.objects.exists()
