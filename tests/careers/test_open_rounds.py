"""The rounds open to applications are on every technician's dashboard: read once a day for
everyone (portal.versions), and never stale: a round or scheme written through any path is
seen at once."""

import datetime

import pytest

from careers import selectors, services
from careers.models import MentoringPair, MentoringRound
from tests import factories
from tests.careers.conftest import TODAY, apply, make_round

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


def test_rounds_wait_for_matching_from_the_day_after_applications_close_while_people_applied():
    day = datetime.timedelta(days=1)
    closing = make_round(name="Closing", applications_close_on=TODAY, matching_on=TODAY + 5 * day)
    closed = make_round(name="Closed", applications_close_on=TODAY - day, matching_on=TODAY)
    make_round(name="Nobody applied", applications_close_on=TODAY - day)
    published = make_round(
        name="Published",
        applications_close_on=TODAY - day,
        status=MentoringRound.Status.PUBLISHED,
    )
    for round in (closing, closed, published):
        for _ in range(2):
            apply(round, factories.TechnicianFactory(), mentee=True)

    def waiting(today):
        return [(r.name, r.applicants) for r in selectors.rounds_waiting_for_matching(today)]

    assert waiting(TODAY) == [("Closed", 2)]
    assert waiting(TODAY + day) == [("Closed", 2), ("Closing", 2)]
