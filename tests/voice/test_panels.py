"""The voice's dashboard panel for the steering group and HR."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from tests.voice.conftest import make_survey
from voice import panels

pytestmark = pytest.mark.django_db


def test_the_managers_panel_lists_the_surveys_closed_within_thirty_days_newest_first(personas):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    make_survey(title="Long closed", opens_on=today - 60 * day, closes_on=today - 31 * day)
    edge = make_survey(
        title="Closed 30 days ago", opens_on=today - 59 * day, closes_on=today - 30 * day
    )
    recent = [
        make_survey(title=f"Survey {n}", opens_on=today - (20 - n) * day, closes_on=today + day)
        for n in range(5)
    ]
    request = RequestFactory().get("/")
    request.user = personas.steering
    shown = panels._managers_context(request)["surveys"]
    assert [survey.pk for survey in shown] == [survey.pk for survey in reversed(recent)]
    recent[0].delete()
    shown = panels._managers_context(request)["surveys"]
    assert shown[-1] == edge and len(shown) == 5
    assert all(survey.invited == 0 and survey.answered == 0 for survey in shown)
