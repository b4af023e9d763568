"""Results: year-on-year change for copied surveys, the CSV of aggregates, actions made from
results, and the evidence the self-assessment and the annual report read."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from actionplan.models import Action
from tests import factories
from tests.voice.conftest import likert, make_survey
from voice import selectors, services
from voice.models import Invitation, Question, ResultAction

pytestmark = pytest.mark.django_db


def answer_all(survey, question, values, department=None):
    department = department or factories.DepartmentFactory(name="Chemistry", slug="chemistry")
    for value in values:
        invitation = Invitation.objects.create(
            survey=survey,
            technician=factories.TechnicianFactory(department=department),
            department_name=department.name,
            faculty=department.faculty,
        )
        services.answer(services.token_for(invitation), {question.pk: value})


def test_a_copied_survey_shows_the_change_year_on_year(personas, today, settings):
    settings.VOICE_MIN_GROUP = 5
    last_year = make_survey(
        title="Pulse 2025",
        opens_on=today - datetime.timedelta(days=380),
        closes_on=today + datetime.timedelta(days=5),
    )
    question = likert(last_year)
    answer_all(last_year, question, [2, 3, 3, 2, 3])  # mean 2.6
    copy = services.copy_survey(
        last_year,
        by=personas.steering,
        title="Pulse 2026",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=10),
    )
    [copied] = copy.questions.all()
    assert copied.copied_from == question and copied.text == question.text
    assert selectors.change_since_copy(copied) is None  # nobody answered yet
    answer_all(copy, copied, [4, 4, 3, 4, 5])  # mean 4.0
    assert selectors.change_since_copy(copied) == pytest.approx(1.4)


def test_only_the_steering_group_and_hr_run_surveys(personas, today):
    with pytest.raises(PermissionDenied):
        services.create_survey(
            by=personas.technician, title="Mine", opens_on=today, closes_on=today
        )
    survey = services.create_survey(
        by=personas.hr, title="HR's", opens_on=today, closes_on=today + datetime.timedelta(days=1)
    )
    assert survey.pk


def test_questions_freeze_once_anyone_answers(personas):
    survey = make_survey()
    question = likert(survey)
    answer_all(survey, question, [3])
    with pytest.raises(Exception, match="can no longer change"):
        services.add_question(survey, by=personas.steering, kind="text", text="Late question")


def test_an_action_made_from_a_result_keeps_its_link(personas, today):
    plan = factories.ActionPlanFactory(status="published")
    survey = make_survey()
    question = likert(survey, pillar="career_development")
    action = services.create_action_from_result(
        survey,
        by=personas.steering,
        plan=plan,
        question=question,
        ref="C9.1",
        title="Publish a career pathway",
        due_on=plan.ends_on,
    )
    link = ResultAction.objects.get()
    assert (link.action, link.question, link.survey) == (action, question, survey)
    assert action.pillar == "career_development"
    assert Action.objects.get(pk=action.pk).voice_origin.survey == survey
    assert survey.title in action.description
    [result] = [r for r in selectors.survey_results(survey) if r.question == question]
    assert result.actions == [link]


def test_the_csv_holds_aggregates_only(personas, login, settings):
    settings.VOICE_MIN_GROUP = 5
    survey = make_survey()
    question = likert(survey)
    text = Question.objects.create(survey=survey, order=2, kind="text", text="Why?")
    answer_all(survey, question, [1, 2, 3, 4, 5, 5])
    response = login(personas.steering).get(f"/voice/{survey.pk}/results.csv")
    body = response.content.decode()
    assert "All respondents" in body and "Chemistry" in body
    assert text.text not in body
    assert response["Cache-Control"].startswith("private")


def test_the_voice_evidence_of_a_period(personas, today, settings):
    settings.VOICE_MIN_GROUP = 5
    survey = make_survey()
    question = likert(survey, pillar="recognition")
    answer_all(survey, question, [4, 4, 4, 5, 5])
    [item] = selectors.voice_evidence(today - datetime.timedelta(days=30), today)
    assert item["answered"] == 5 and item["invited"] == 5 and item["rate"] == 100
    [headline] = item["headlines"]
    assert headline["mean"] == pytest.approx(4.4)
    assert selectors.pillar_headlines(today, today)["recognition"][0]["question"] == question.text


def test_the_survey_list_counts_each_surveys_invited_and_answered(personas):
    from tests import factories
    from tests.voice.conftest import make_survey
    from voice import selectors
    from voice.models import Invitation

    pulse = make_survey(title="Pulse")
    make_survey(title="Nobody yet")
    people = [factories.TechnicianFactory() for _ in range(3)]
    for n, person in enumerate(people):
        Invitation.objects.create(survey=pulse, technician=person, answered=n < 2)
    counts = {s.title: (s.invited, s.answered) for s in selectors.surveys_for_managers()}
    assert counts["Pulse"] == (3, 2)
    assert counts["Nobody yet"] == (0, 0)
