"""The individual development report: its person's, and their line manager's once shared."""

import io

import pytest
from pypdf import PdfReader

from tests import factories
from tests.voice.conftest import make_survey
from voice import services
from voice.models import Invitation, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(personas):
    skill = factories.SkillFactory(name="Confocal microscopy")
    factories.TechnicianSkillFactory(technician=personas.technician_profile, skill=skill, level=3)
    survey = make_survey(anonymous=False, title="Development survey")
    skills = Question.objects.create(survey=survey, order=1, kind="skills", text="Your skills")
    days = Question.objects.create(survey=survey, order=2, kind="number", text="Days wanted?")
    invitation = Invitation.objects.create(survey=survey, technician=personas.technician_profile)
    return services.answer(
        services.token_for(invitation),
        {
            skills.pk: [{"skill": skill.pk, "level": 4, "wants_to_learn": True}],
            days.pk: "12",
        },
    )


def test_the_report_holds_confirmed_skills_wishes_training_and_answers(report, personas, login):
    response = login(personas.technician).get(f"/voice/reports/{report.pk}.pdf")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Confocal microscopy", "4 of 4", "What I want to learn", "Days wanted?", "12"):
        assert expected in text
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1


def test_the_line_manager_reads_it_only_once_shared(report, personas, login):
    url = f"/voice/reports/{report.pk}.pdf"
    assert login(personas.manager).get(url).status_code == 403
    login(personas.technician).post(f"/voice/reports/{report.pk}/share/", {"shared": "1"})
    assert login(personas.manager).get(url).status_code == 200
    assert login(personas.hr).get(url).status_code == 403
    login(personas.technician).post(f"/voice/reports/{report.pk}/share/", {"shared": "0"})
    assert login(personas.manager).get(url).status_code == 403
    assert (
        login(personas.manager)
        .post(f"/voice/reports/{report.pk}/share/", {"shared": "1"})
        .status_code
        == 403
    )


def test_the_report_shows_the_gap_to_the_next_band(personas, login):
    from careers.models import Band, Pathway

    Pathway.objects.create(name="Research technical professional", role_families=["laboratory"])
    pathway = Pathway.objects.get()
    Band.objects.create(pathway=pathway, order=1, name="Band 1", grades=["6"])
    Band.objects.create(pathway=pathway, order=2, name="Band 2", grades=["7"], years_experience=40)
    profile = personas.technician_profile
    profile.grade, profile.role_family = "6", "laboratory"
    profile.save()
    survey = make_survey(anonymous=False, title="Development survey")
    question = Question.objects.create(survey=survey, order=1, kind="number", text="Days?")
    invitation = Invitation.objects.create(survey=survey, technician=profile)
    response = services.answer(services.token_for(invitation), {question.pk: "3"})
    pdf = login(personas.technician).get(f"/voice/reports/{response.pk}.pdf").content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "My pathway: 0 of 1 expectations met for" in text
    assert "Band 2" in text and "Not yet" in text


def test_the_dashboard_lists_my_latest_reports_and_only_named_ones(report, personas, login):
    page = login(personas.technician).get("/").content.decode()
    assert "My development reports" in page
    assert "Development survey (PDF)" in page
    anonymous = make_survey(anonymous=True, title="Pulse survey")
    invitation = Invitation.objects.create(survey=anonymous, technician=personas.manager_profile)
    services.answer(services.token_for(invitation), {})
    page = login(personas.manager).get("/").content.decode()
    assert "My development reports" not in page
