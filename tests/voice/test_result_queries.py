"""The results page reads a survey's answers once: the same number of queries whatever the number
of questions and answers, and the same figures as each question read on its own."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.voice.conftest import make_survey
from voice import selectors, services
from voice.models import Invitation, Question

pytestmark = pytest.mark.django_db

KINDS = ["likert", "number", "single", "multiple", "text", "skills"]


def value_for(kind, n):
    return {
        "likert": 1 + n % 5,
        "number": n % 7,
        "single": "Yes" if n % 3 else "No",
        "multiple": ["Yes", "No"] if n % 2 else ["Yes"],
        "text": f"Comment {n}",
        "skills": [],
    }[kind]


def answered(survey, questions, departments, people):
    """`people` respondents spread over `departments`, each answering every question."""
    values = itertools.count()
    for n in range(people):
        department = departments[n % len(departments)]
        invitation = Invitation.objects.create(
            survey=survey,
            technician=factories.TechnicianFactory(department=department),
            department_name=department.name,
            faculty=department.faculty,
        )
        services.answer(
            services.token_for(invitation),
            {
                question.pk: value_for(question.kind, next(values))
                for question in questions
                if question.kind != "skills"
            },
        )


def survey_of(size, departments, today):
    """A survey copied from last year's, with `size` questions of every kind, both answered."""
    last = make_survey(
        title=f"Pulse {size} last year",
        opens_on=today - datetime.timedelta(days=380),
        closes_on=today + datetime.timedelta(days=5),  # answered below, then compared
    )
    this = make_survey(title=f"Pulse {size}", copied_from=last)
    questions, sources = [], []
    for order, kind in enumerate(KINDS * size, start=1):
        fields = {"kind": kind, "text": f"{kind} {order}", "order": order}
        if kind in ("single", "multiple"):
            fields["choices"] = ["Yes", "No"]
        source = Question.objects.create(survey=last, **fields)
        sources.append(source)
        questions.append(Question.objects.create(survey=this, copied_from=source, **fields))
    answered(last, sources, departments, 6 * size)
    answered(this, questions, departments, 8 * size)
    return this


@pytest.fixture
def departments():
    return [
        factories.DepartmentFactory(name=name, slug=name.lower(), faculty=faculty)
        for name, faculty in [
            ("Chemistry", "Science"),
            ("Physics", "Science"),
            ("History", "Arts"),
        ]
    ]


@pytest.mark.parametrize("by", ["department", "faculty"])
def test_survey_results_read_the_answers_once_at_two_sizes(
    settings, today, departments, by, django_assert_num_queries
):
    settings.VOICE_MIN_GROUP = 5
    for size in (1, 4):
        survey = survey_of(size, departments, today)
        # The actions made from results, the questions, every answer (theirs and last year's).
        with django_assert_num_queries(3):
            results = selectors.survey_results(survey, by=by)
        assert len(results) == len(KINDS) * size
        assert any(result.change is not None for result in results)
        assert any(result.units for result in results)


def test_the_results_page_and_the_csv_cost_the_same_at_two_sizes(
    personas, login, today, departments, settings
):
    settings.VOICE_MIN_GROUP = 5
    client = login(personas.steering)
    client.get("/")  # the first request of a session does its own one-off work
    counts = []
    for size in (1, 4):
        survey = survey_of(size, departments, today)
        sizes = []
        for url in (f"/voice/{survey.pk}/results/", f"/voice/{survey.pk}/results.csv"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            sizes.append(len(queries))
        counts.append(sizes)
    assert counts[0] == counts[1]


@pytest.mark.parametrize("threshold", [3, 5, 9])
@pytest.mark.parametrize("by", ["department", "faculty"])
def test_read_once_the_figures_are_those_of_each_question_read_alone(
    settings, today, departments, threshold, by
):
    settings.VOICE_MIN_GROUP = threshold
    survey = survey_of(1, departments, today)
    for result in selectors.survey_results(survey, by=by):
        question = result.question
        assert result.overall == selectors.overall(question)
        assert result.units == selectors.results_by_unit(survey, question, by=by)
        if question.is_numeric:
            source_alone = selectors.overall(question.copied_from)
            now_alone = selectors.overall(question)
            expected = (
                round(now_alone["mean"] - source_alone["mean"], 2)
                if now_alone and source_alone
                else None
            )
            assert result.change == expected
        if question.kind == "text":
            assert sorted(result.texts) == sorted(selectors.free_text(question))
        for unit in result.units:
            assert unit["respondents"] >= threshold
