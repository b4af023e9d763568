"""Peer-review feedback (advice becomes an action in one step, linked both ways) and the
public Commitment page (no login, never an internal note)."""

import datetime

import pypdf
import pytest
import time_machine
from django.core.exceptions import ValidationError

from actionplan.models import Action
from commitment import services
from commitment.models import Advice, Commitment, Submission
from commitment.reports import work
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_a_day():
    with time_machine.travel(datetime.datetime(2026, 12, 5, 12, 0), tick=False):
        yield


@pytest.fixture
def plan():
    return factories.ActionPlanFactory(title="Plan 2025–28")


@pytest.fixture
def submitted(personas, plan):
    commitment = services.save_commitment(
        by=personas.steering,
        signed_on=D(2023, 6, 1),
        announced_on=D(2023, 7, 1),
        lead=personas.steering,
        contact_email="tc@example.ac.uk",
        champion="Jo Rivers",
    )
    stage_1 = commitment.submissions.get(stage=1)
    services.start_drafting(stage_1, by=personas.steering)
    return services.submit_submission(stage_1, by=personas.steering)


def test_advice_becomes_an_action_with_its_link(submitted, personas, plan, client):
    advice = services.add_advice(
        submitted, by=personas.steering, pillar="sustainability", text="Pair single-holder skills."
    )
    action = services.advice_to_action(
        advice, by=personas.steering, plan=plan, ref="PR1", due_on=D(2027, 6, 30)
    )
    advice.refresh_from_db()
    assert advice.action == action
    assert (action.plan, action.pillar, action.ref) == (plan, "sustainability", "PR1")
    assert action.title == "Pair single-holder skills."
    assert "Pair single-holder skills." in action.description
    # The action's history names who made it (through the action plan's service).
    assert action.history.first().history_user == personas.steering
    with pytest.raises(ValidationError, match="already become an action"):
        services.advice_to_action(
            advice, by=personas.steering, plan=plan, ref="PR2", due_on=D(2027, 6, 30)
        )
    # The submission page shows what was done with it.
    client.force_login(personas.steering)
    page = client.get(f"/commitment/self-assessment/{submitted.pk}/").content.decode()
    assert "it became action" in page and action.get_absolute_url() in page


def test_advice_goes_only_to_the_current_or_next_plan(submitted, personas):
    old = factories.ActionPlanFactory(
        title="Old", starts_on=D(2020, 8, 1), ends_on=D(2023, 7, 31), status="archived"
    )
    advice = services.add_advice(submitted, by=personas.steering, pillar="visibility", text="x")
    with pytest.raises(ValidationError):
        services.advice_to_action(
            advice, by=personas.steering, plan=old, ref="A", due_on=D(2023, 1, 1)
        )
    assert not Action.objects.filter(plan=old).exists()


def test_advice_waits_for_the_submission(personas, plan):
    commitment = Commitment.objects.create(signed_on=D(2023, 6, 1), announced_on=D(2023, 7, 1))
    draft = Submission.objects.create(commitment=commitment, stage=1, due_on=D(2024, 7, 31))
    with pytest.raises(ValidationError, match="peer review comes after"):
        services.add_advice(draft, by=personas.steering, pillar="visibility", text="x")


def test_the_review_is_recorded(submitted, personas):
    services.record_strengths(
        submitted, by=personas.steering, pillar="visibility", strengths="A public directory."
    )
    reviewed = services.mark_reviewed(submitted, by=personas.steering)
    assert reviewed.status == "reviewed"
    assert list(reviewed.events.values_list("kind", flat=True)) == [
        "started",
        "submitted",
        "reviewed",
    ]


def test_the_public_page_shows_the_plan_and_never_an_internal_note(submitted, plan, client):
    action = factories.ActionFactory(
        plan=plan,
        ref="V1",
        title="Publish every profile",
        description="INTERNAL description of the budget row",
        status="in_progress",
        progress=40,
    )
    factories.ActionUpdateFactory(action=action, note="INTERNAL note: the supplier is late")
    factories.DepartmentFactory(name="Physics", slug="physics")
    response = client.get("/commitment/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Publish every profile" in page and "In progress" in page
    assert "INTERNAL" not in page
    assert "tc@example.ac.uk" in page and "Jo Rivers" in page
    assert "Stage 1: submitted on 5 December 2026" in page
    assert "Stage 2: due 31 July 2027" in page
    assert "/meet-our-technicians/" in page and "/technicians/departments/physics/" in page
    assert "annual-report" not in page  # no approved report yet


def test_the_public_page_before_the_commitment_is_recorded(client):
    assert client.get("/commitment/").status_code == 200


def test_an_approved_report_is_linked_publicly(submitted, personas, client):
    from django.core.files.base import ContentFile

    from commitment.models import AnnualReport

    Commitment.objects.update(chair=personas.steering)
    report = AnnualReport.objects.create(year=2025, version=1, status="ready", pages=1)
    report.file.save("r.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    assert client.get(f"/commitment/annual-report/{report.pk}.pdf").status_code == 404
    with pytest.raises(Exception, match="steering chair"):
        services.approve_annual_report(report, by=personas.hr)
    services.approve_annual_report(report, by=personas.steering)
    report.refresh_from_db()
    assert report.approved_by == personas.steering
    assert report.status == "queued"  # made again, saying it is approved
    assert client.get(f"/commitment/annual-report/{report.pk}.pdf").status_code == 404
    work.render(report.pk)
    report.refresh_from_db()
    assert report.status == "ready", report.error
    text = "".join(page.extract_text() for page in pypdf.PdfReader(report.file.open()).pages)
    assert "Approved by" in text and "Draft" not in text
    page = client.get("/commitment/").content.decode()
    assert f"/commitment/annual-report/{report.pk}.pdf" in page
    assert client.get(f"/commitment/annual-report/{report.pk}.pdf").status_code == 200
    with pytest.raises(ValidationError, match="already been approved"):
        services.approve_annual_report(report, by=personas.steering)


def test_advice_list_is_kept_per_pillar(submitted, personas):
    services.add_advice(submitted, by=personas.steering, pillar="recognition", text="One")
    services.add_advice(submitted, by=personas.steering, pillar="visibility", text="Two")
    assert list(Advice.objects.values_list("pillar", flat=True)) == ["recognition", "visibility"]
