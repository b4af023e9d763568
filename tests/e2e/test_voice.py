"""The technician voice in a real browser: a technician answers an anonymous survey from the
link in their e-mail on a phone, without signing in, then the steering group reads the
results, with the threshold applied."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import assert_no_serious_accessibility_violations
from tests.voice.conftest import likert, make_survey
from voice import services
from voice.models import Invitation, Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_answer_from_the_emailed_link_at_375_px_then_read_the_results(
    personas, page, live_server, log_in, settings
):
    settings.VOICE_MIN_GROUP = 5
    settings.SITE_URL = live_server.url
    department = personas.technician_profile.department
    survey = make_survey(anonymous=True, title="Pulse survey")
    scale = likert(survey, text="Technicians are credited for their work.", pillar="visibility")
    Question.objects.create(
        survey=survey,
        order=2,
        kind="single",
        text="Have you read the action plan?",
        choices=["Yes", "Not yet"],
    )
    # Four colleagues have answered already; the fifth, with no account, answers in the browser.
    for value in (4, 5, 3, 4):
        invitation = Invitation.objects.create(
            survey=survey,
            technician=factories.TechnicianFactory(department=department),
            department_name=department.name,
            faculty=department.faculty,
        )
        services.answer(services.token_for(invitation), {scale.pk: value})
    newcomer = factories.TechnicianFactory(department=department, email="newcomer@example.ac.uk")
    assert services.invite(survey) >= 1
    [message] = [m for m in mail.outbox if m.to == ["newcomer@example.ac.uk"]]
    link = re.search(r"http\S+/voice/answer/\S+/", message.body).group(0)
    assert newcomer.user_id is None

    page.set_viewport_size(PHONE)
    page.goto(link)
    expect(page.get_by_role("heading", name="Pulse survey")).to_be_visible()
    assert_no_serious_accessibility_violations(page)
    # By keyboard: focus the scale's first choice, move along it with the arrow keys.
    page.get_by_label("1 · Strongly disagree").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("4 · Agree")).to_be_checked()
    page.get_by_label("Yes", exact=True).check()
    send = page.get_by_role("button", name="Send my answers")
    box = send.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    send.click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    page.goto(link)
    expect(page.get_by_text("You have answered this survey already")).to_be_visible()

    log_in(personas.steering)
    page.goto(f"{live_server.url}/voice/{survey.pk}/results/")
    expect(page.get_by_text("5 of 7 invited answered", exact=False).first).to_be_visible()
    table = page.get_by_role("table", name=re.compile("By department"))
    expect(table.get_by_role("rowheader", name=department.name)).to_be_visible()
    # Only one person answered the second question: below the threshold, no figure.
    expect(
        page.get_by_text("Fewer than 5 people answered this question", exact=False)
    ).to_be_visible()
    assert_no_serious_accessibility_violations(page)
