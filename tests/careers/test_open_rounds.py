"""The rounds open to applications are on every technician's dashboard: read once a day for
everyone (portal.versions), and never stale: a round or scheme written through any path is
seen at once."""

import datetime

import pytest

from careers import selectors, services
from careers.models import MentoringPair
from tests import factories
from tests.careers.conftest import TODAY, make_round

pytestmark = pytest.mark.django_db


def names(today=TODAY):
    return [f"{round.scheme.name}: {round.name}" for round in selectors.open_rounds(today)]


def test_a_second_read_costs_only_the_versions(django_assert_num_queries):
    make_round()
    assert names() == ["Technician mentoring: Spring"]
    with django_assert_num_queries(1):
        assert names() == ["Technician mentoring: Spring"]


def test_a_round_opened_or_moved_by_the_coordinator_is_seen_at_once(personas):
    round = make_round()
    assert names() == ["Technician mentoring: Spring"]
    services.save_round(
        round,
        by=personas.coordinator,
        scheme=round.scheme,
        applications_close_on=TODAY - datetime.timedelta(days=1),
        matching_on=TODAY,
    )
    assert names() == []
    services.save_round(
        None,
        by=personas.coordinator,
        scheme=round.scheme,
        name="Autumn",
        applications_open_on=TODAY,
        applications_close_on=TODAY,
        matching_on=TODAY,
        months=6,
    )
    assert names() == ["Technician mentoring: Autumn"]


def test_a_scheme_renamed_is_seen_at_once(personas):
    round = make_round()
    assert names() == ["Technician mentoring: Spring"]
    services.save_scheme(round.scheme, by=personas.coordinator, name="Peer mentoring")
    assert names() == ["Peer mentoring: Spring"]


def test_a_published_round_leaves_the_list_at_once(personas):
    round = make_round()
    assert names() == ["Technician mentoring: Spring"]
    MentoringPair.objects.create(
        round=round,
        mentor=factories.TechnicianFactory(),
        mentee=factories.TechnicianFactory(),
        reasons=["x"],
    )
    services.publish_round(round, by=personas.coordinator)
    assert names() == []


def test_a_round_is_open_to_the_last_day_of_its_window_and_not_after():
    make_round(
        applications_open_on=TODAY,
        applications_close_on=TODAY,
        matching_on=TODAY + datetime.timedelta(days=1),
    )
    assert names(TODAY - datetime.timedelta(days=1)) == []
    assert names(TODAY) == ["Technician mentoring: Spring"]
    assert names(TODAY + datetime.timedelta(days=1)) == []
