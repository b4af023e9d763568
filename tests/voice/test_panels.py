"""The voice's dashboard panel for the steering group and HR."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal import dashboard, versions
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
    shown = panels._managers_context(None)["surveys"]
    assert [survey.pk for survey in shown] == [survey.pk for survey in reversed(recent)]
    recent[0].delete()
    shown = panels._managers_context(None)["surveys"]
    assert shown[-1] == edge and len(shown) == 5
    assert all(survey.invited == 0 and survey.answered == 0 for survey in shown)


def _managers_panel(user) -> str:
    """The panel as the dashboard shows it to `user`: written once for every manager."""
    request = RequestFactory().get("/")
    request.user = user
    with versions.per_request():
        [shown] = [p for p in dashboard.shown_panels(request) if "voice-surveys" in (p.html or "")]
    return shown.html


def test_the_managers_panel_is_written_once_for_all_of_them(personas):
    make_survey(title="Pulse")
    assert "Pulse</a>: nobody invited yet" in _managers_panel(personas.steering)
    with CaptureQueriesContext(connection) as queries:
        assert "Pulse</a>: nobody invited yet" in _managers_panel(personas.hr)
    assert not [query for query in queries if "voice_" in query["sql"]]


def test_the_managers_panel_counts_every_invitation_and_answer_at_once(personas):
    survey = make_survey(title="Pulse")
    question = likert(survey)

    def counts():
        first_survey = _managers_panel(personas.steering).split("<li>", 1)[1]
        return first_survey.split('">', 1)[1]

    assert counts().startswith("Pulse</a>: nobody invited yet")
    invitations = [
        Invitation.objects.create(survey=survey, technician=factories.TechnicianFactory())
        for _ in range(3)
    ]
    assert counts().startswith("Pulse</a>: 0 of 3 answered")
    services.answer(services.token_for(invitations[0]), {question.pk: 4})  # anonymous
    assert counts().startswith("Pulse</a>: 1 of 3 answered")
    survey.title = "Autumn pulse"
    survey.save()
    assert counts().startswith("Autumn pulse</a>: 1 of 3 answered")
    invitations[1].delete()
    assert counts().startswith("Autumn pulse</a>: 1 of 2 answered")
