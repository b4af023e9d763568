"""People are chosen with the house's people picker on the recognition forms: a call's and a
round's panel members, the nominee, a team's members, a supporter. Each is a search box with
suggestions (never a <select> of every name), and works without JavaScript."""

import re

import pytest

from portal import roles
from recognition import forms as f
from recognition.models import AwardCategory, FundCall, JudgingRound, Nomination
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _boxes(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="search" name="{name}[^"]*"[^>]*>', html)


def test_the_call_form_chooses_panel_members_with_search_boxes(personas, login):
    html = login(personas.hr).get("/recognition/calls/new/").content.decode()
    boxes = _boxes(html, "panel_member_")
    assert len(boxes) == f.PANEL_SIZE
    for box in boxes:
        assert 'role="combobox"' in box and 'aria-autocomplete="list"' in box
        assert "/technicians/people/search/?accounts=1&amp;field=panel_member_" in box
    assert '<label for="id_panel_member_1">Panel member 1 <span' in html
    assert not re.search(r"<select[^>]*name=\"panel", html)


def _call_data(**people):
    return {
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
        **people,
    }


def test_panel_members_are_taken_by_address_or_by_a_name_only_one_has(personas, login):
    riley = make_user("riley.panel@example.ac.uk", roles.STEERING_GROUP)  # no staff-list row
    response = login(personas.hr).post(
        "/recognition/calls/new/",
        _call_data(
            panel_member_1="RILEY.PANEL@example.ac.uk",
            panel_member_2=personas.manager_profile.full_name,  # a technician with a login
            panel_member_3=personas.manager.email,  # the same person twice counts once
        ),
    )
    assert response.status_code == 302
    call = FundCall.objects.get()
    assert set(call.panel.members.all()) == {riley, personas.manager}


def test_an_ambiguous_or_unknown_panel_member_is_explained_on_the_form(personas, login):
    department = personas.technician_profile.department
    for last_name in ("Panelone", "Paneltwo"):
        person = factories.TechnicianFactory(
            first_name="Quinn", last_name=last_name, department=department
        )
        person.user = make_user(person.email, roles.TECHNICIAN)
        person.save()
    factories.TechnicianFactory(first_name="Nologin", last_name="Person")
    client = login(personas.hr)
    page = client.post("/recognition/calls/new/", _call_data(panel_member_1="Quinn"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Several people match “Quinn”" in text and "Quinn Panelone (" in text
    page = client.post("/recognition/calls/new/", _call_data(panel_member_1="Nologin Person"))
    assert "Nobody with a portal login matches “Nologin Person”" in page.content.decode()
    assert not FundCall.objects.exists()


def test_the_rounds_panel_is_chosen_the_same_way(personas, login):
    response = login(personas.hr).post(
        "/recognition/awards/manage/",
        {
            "form": "round",
            "round-year": "2026",
            "round-number": "1",
            "round-criteria": "Impact",
            "round-scoring_closes_on": "2026-04-20",
            "round-member_1": personas.steering.email,
        },
    )
    assert response.status_code == 302
    assert list(JudgingRound.objects.get().panel.members.all()) == [personas.steering]
    html = login(personas.hr).get("/recognition/awards/manage/").content.decode()
    assert len(_boxes(html, "round-member_")) == f.PANEL_SIZE


def test_the_nominee_and_a_team_are_chosen_with_the_picker(personas, login):
    category = AwardCategory.objects.create(name="Team", is_team=True)
    client = login(personas.manager)
    html = client.get("/recognition/awards/nominate/").content.decode()
    assert len(_boxes(html, "nominee")) == 1
    assert len(_boxes(html, "team_member_")) == f.TEAM_SIZE
    # A fixed name: a random one with "Alex" in it would also match the nominee's "Alex Tech"
    # (every factory address starts "technician…"), and the name would no longer be only hers.
    colleague = factories.TechnicianFactory(
        first_name="Robin", last_name="Colleague", department=personas.technician_profile.department
    )
    response = client.post(
        "/recognition/awards/nominate/",
        {
            "category": category.pk,
            "nominee": personas.technician_profile.full_name,
            "team_name": "Imaging",
            "team_member_1": colleague.email,
            "statement": "A team that runs the facility.",
        },
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.nominee == personas.technician_profile
    assert list(nomination.team.all()) == [colleague]


def test_the_supporter_is_chosen_with_the_picker(personas, login):
    category = AwardCategory.objects.create(name="Research")
    client = login(personas.manager)
    client.post(
        "/recognition/awards/nominate/",
        {
            "category": category.pk,
            "nominee": personas.technician_profile.email,
            "statement": "Runs outreach days.",
        },
    )
    nomination = Nomination.objects.get()
    html = client.get(f"/recognition/nominations/{nomination.pk}/").content.decode()
    assert len(_boxes(html, "supporter")) == 1
    client.post(  # a staff number, as the picker takes it
        f"/recognition/nominations/{nomination.pk}/testimony/",
        {"supporter": personas.manager_profile.staff_number},
    )
    assert nomination.testimonies.get().supporter == personas.manager_profile
