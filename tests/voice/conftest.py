import datetime

import pytest
from django.utils import timezone

from tests import factories
from voice.models import Question, Survey

TODAY = datetime.date(2026, 11, 2)


@pytest.fixture
def today():
    return timezone.localdate()


def make_survey(*, anonymous=True, opens_on=None, closes_on=None, **fields):
    today = timezone.localdate()
    return Survey.objects.create(
        title=fields.pop("title", "Pulse survey"),
        opens_on=opens_on or today - datetime.timedelta(days=1),
        closes_on=closes_on or today + datetime.timedelta(days=14),
        anonymous=anonymous,
        **fields,
    )


def likert(survey, text="I feel valued.", pillar="recognition", order=1, required=True):
    return Question.objects.create(
        survey=survey, order=order, kind="likert", text=text, pillar=pillar, required=required
    )


def people_in(department, count):
    return [factories.TechnicianFactory(department=department) for _ in range(count)]
