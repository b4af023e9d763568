"""The voice's dashboard panel for the steering group and HR."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal import versions
from tests import factories
from tests.voice.conftest import likert, make_survey
from voice import panels, services
from voice.models import Invitation

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


def _managers_panel(user):
    request = RequestFactory().get("/")
    request.user = user
    with versions.per_request():
        return panels._managers_context(request)["surveys"]


def test_the_managers_panel_is_counted_once_for_all_of_them(personas):
    make_survey(title="Pulse")
    assert [survey.title for survey in _managers_panel(personas.steering)] == ["Pulse"]
    with CaptureQueriesContext(connection) as queries:
        assert [survey.title for survey in _managers_panel(personas.hr)] == ["Pulse"]
    assert not [query for query in queries if "voice_" in query["sql"]]


def test_the_managers_panel_counts_every_invitation_and_answer_at_once(personas):
    survey = make_survey(title="Pulse")
    question = likert(survey)

    def counts():
        [shown] = _managers_panel(personas.steering)
        return shown.title, shown.invited, shown.answered

    assert counts() == ("Pulse", 0, 0)
    invitations = [
        Invitation.objects.create(survey=survey, technician=factories.TechnicianFactory())
        for _ in range(3)
    ]
    assert counts() == ("Pulse", 3, 0)
    services.answer(services.token_for(invitations[0]), {question.pk: 4})  # anonymous
    assert counts() == ("Pulse", 3, 1)
    survey.title = "Autumn pulse"
    survey.save()
    assert counts() == ("Autumn pulse", 3, 1)
    invitations[1].delete()
    assert counts() == ("Autumn pulse", 2, 1)
