"""Recognition pages: constant query counts at two sizes, and the demo seeder."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import registry
from recognition import demo, selectors
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


def _overdue_award(personas, make_application, call, clock):
    """An award whose report was due two days ago (the clock moved there)."""
    from recognition import services

    application = make_application(S.SUBMITTED)
    close(call, clock)
    services.award_fund_application(application, by=personas.hr, amount=Decimal("100"))
    application.refresh_from_db()
    clock.move_to(
        datetime.datetime.combine(application.report_due_on, datetime.time(12))
        + datetime.timedelta(days=2)
    )
    return application


def test_the_hr_dashboard_shows_overdue_reports(personas, make_application, call, clock, login):
    application = _overdue_award(personas, make_application, call, clock)
    page = login(personas.hr).get("/")
    assert b"overdue report" in page.content
    assert application.activity.encode() in page.content


def _fund_panel(page) -> str:
    html = page.content.decode()
    start = html.index('aria-labelledby="recognition-hr-heading"')
    return html[start : html.index("</section>", start)]


def test_the_fund_panel_is_shared_by_everyone_who_runs_the_fund_and_follows_each_change(
    personas, make_application, call, clock, login
):
    application = _overdue_award(personas, make_application, call, clock)
    from recognition import services

    hr_panel = _fund_panel(login(personas.hr).get("/"))
    assert "<strong>1</strong> overdue report" in hr_panel
    assert personas.technician_profile.full_name in hr_panel
    assert _fund_panel(login(personas.admin).get("/")) == hr_panel
    # The applicant's name, as it stands now.
    personas.technician_profile.last_name = "Renamed"
    personas.technician_profile.save()
    assert "Renamed" in _fund_panel(login(personas.hr).get("/"))
    # The report sent: no longer overdue, at the next visit.
    services.submit_fund_report(application, by=personas.technician, report="It went well.")
    panel = _fund_panel(login(personas.admin).get("/"))
    assert "<strong>0</strong> overdue reports" in panel and "Renamed" not in panel


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


def test_forms_post_through_the_services(personas, login, clock, members):
    from recognition.models import AwardCategory, JudgingRound, Testimony

    hr = login(personas.hr)
    response = hr.post(
        "/recognition/calls/new/",
        {
            "title": "Summer call",
            "opens_on": "2026-03-01",
            "closes_on": "2026-03-31",
            "pot": "15000",
            "max_award": "1000",
            "max_share_certified": "50",
            "max_share_other": "70",
            "min_days_ahead": "28",
            "report_back_weeks": "4",
            "criteria": "Benefit\nValue",
            "panel_member_1": members[0].email.upper(),
        },
    )
    call = FundCall.objects.get(title="Summer call")
    assert response.status_code == 302 and response["Location"] == call.get_absolute_url()
    assert list(call.panel.members.all()) == [members[0]]
    assert call.panel.coordinator == personas.hr
    response = hr.post(
        "/recognition/awards/manage/",
        {"form": "category", "category-name": "Outreach", "category-description": ""},
    )
    assert response.status_code == 302
    category = AwardCategory.objects.get(name="Outreach")
    response = hr.post(
        "/recognition/awards/manage/",
        {
            "form": "round",
            "round-year": "2026",
            "round-number": "1",
            "round-criteria": "Impact",
            "round-scoring_closes_on": "2026-04-20",
            "round-member_1": members[1].email,
        },
    )
    assert response.status_code == 302
    assert JudgingRound.objects.get().panel.members.get() == members[1]

    manager = login(personas.manager)
    response = manager.post(
        "/recognition/awards/nominate/",
        {
            "category": category.pk,
            "nominee": personas.technician_profile.email,
            "statement": "Runs outreach days for schools.",
        },
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and nomination.round_number == 1
    response = manager.post(
        f"/recognition/nominations/{nomination.pk}/testimony/",
        {"supporter": personas.manager_profile.email},
    )
    assert Testimony.objects.get().supporter == personas.manager_profile
    # Nominating oneself through the page is refused on the form.
    response = login(personas.technician).post(
        "/recognition/awards/nominate/",
        {
            "category": category.pk,
            "nominee": personas.technician_profile.email,
            "statement": "Me.",
        },
    )
    assert response.status_code == 200
    assert "cannot nominate yourself" in response.content.decode()

    technician = login(personas.technician)
    response = technician.post(
        "/recognition/outputs/",
        {
            "title": "A dataset",
            "kind": "dataset",
            "doi": "10.5281/zenodo.42",
            "year": "2025",
            "roles": ["data-curation", "resources"],
            "credit": "author",
        },
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get(technician=personas.technician_profile)
    assert contribution.roles == ["data-curation", "resources"]


def test_the_scoring_panel_is_on_the_dashboards_of_panel_members_only(personas, members, call):
    def sees_scoring(user) -> bool:
        return "recognition.scoring" in [panel.name for panel in registry.panels_for(user)]

    assert sees_scoring(members[0]) and sees_scoring(members[2])
    assert not sees_scoring(personas.steering)
    call.panel.members.add(personas.steering)
    assert sees_scoring(personas.steering)
    call.panel.members.remove(members[0])
    assert not sees_scoring(members[0])


def test_panel_membership_is_read_with_the_signed_in_user(
    personas, members, call, django_assert_num_queries
):
    """The sign-in backend reads whether the user sits on a scoring panel in its one query:
    the dashboard's test asks no query of its own, and gives the same answer."""
    from technicians.auth_backends import ModelBackend

    call.panel.members.add(personas.steering)
    for user, sits in ((members[2], True), (personas.steering, True), (personas.hr, False)):
        with django_assert_num_queries(1):
            loaded = ModelBackend().get_user(user.pk)
            assert selectors.sits_on_a_panel(loaded) is sits
        assert selectors.sits_on_a_panel(type(user).objects.get(pk=user.pk)) is sits


def test_a_panel_member_added_since_sees_the_scoring_panel_at_the_next_visit(
    personas, members, call, login
):
    client = login(personas.technician)
    assert "Development fund: to score" not in client.get("/").content.decode()
    call.panel.members.add(personas.technician)
    assert "Development fund: to score" in client.get("/").content.decode()
    call.panel.members.remove(personas.technician)
    assert "Development fund: to score" not in client.get("/").content.decode()
