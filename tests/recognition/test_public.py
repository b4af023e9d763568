"""What recognition shows outside the app: the public Commitment page's block (impact stories
and consenting winners only), the dashboard panel, the annual report's sections."""

import datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory

from portal import registry
from recognition import public, report, services
from recognition.models import AwardCategory, FundApplication, Nomination
from tests.recognition.conftest import S, close

pytestmark = pytest.mark.django_db


def test_the_public_block_is_registered_for_the_commitment_page():
    blocks = {block.name: block for block in registry.public_blocks()}
    assert blocks["recognition"].template == "recognition/blocks/public.html"


def test_the_public_block_shows_shared_stories_and_consenting_public_winners(
    personas, make_application, call, clock
):
    request = RequestFactory().get("/commitment/")
    assert public.public_context(request) is None
    application = make_application(S.SUBMITTED)
    close(call, clock)
    services.award_fund_application(application, by=personas.hr, amount=Decimal("200"))
    services.submit_fund_report(application, by=personas.technician, report="Private notes.")
    assert public.public_context(request) is None  # not marked shareable
    FundApplication.objects.filter(pk=application.pk).update(report_shareable=True)
    category = AwardCategory.objects.create(name="Outreach")
    winner = Nomination.objects.create(
        category=category,
        nominee=personas.technician_profile,
        nominated_by=personas.manager,
        statement="x",
        round_year=2026,
        round_number=1,
        status="winner",
    )
    context = public.public_context(request)
    assert [a.pk for a in context["stories"]] == [application.pk]
    assert context["winners"] == []  # no consent, and an internal profile
    winner.consent_to_publish = True
    winner.save()
    assert public.public_context(request)["winners"] == []  # still an internal profile
    alex = personas.technician_profile
    alex.visibility = "public"
    alex.save()
    assert public.public_context(request)["winners"] == [winner]


def test_the_fund_section_counts_awards_and_winners(personas, make_application, call, clock):
    application = make_application(S.SUBMITTED)
    close(call, clock)
    services.award_fund_application(application, by=personas.hr, amount=Decimal("250"))
    year = 2025  # the academic year 2025–26 holds March 2026
    figures = report.fund_figures(year)
    assert (figures["applications"], figures["awarded"], figures["amount_awarded"]) == (1, 1, 250.0)
    tables = {table.slug: table for table in report.fund_tables(figures)}
    assert tables["development-fund"].rows[2] == ["Awarded", "£250.00"]


def test_the_dashboard_shows_open_calls_to_staff(personas, call, login):
    page = login(personas.coordinator).get("/")
    assert b"Recognition and development" in page.content
    assert call.title.encode() in page.content
    assert b"My research outputs" not in page.content  # no staff-list profile
    assert b"My research outputs" in login(personas.technician).get("/").content


def test_the_call_closes_on_its_last_day(call, clock):
    assert call.is_open(call.closes_on)
    assert not call.is_open(call.closes_on + datetime.timedelta(days=1))
