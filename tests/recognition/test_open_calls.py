"""The development fund calls open today are on every member of staff's dashboard: read once a
day for everyone (portal.versions), and never stale: a call opened through the service, or
changed or deleted in the admin, is seen at once; a call leaves at the end of its last day."""

import datetime
from decimal import Decimal

import pytest

from recognition import selectors, services
from tests.recognition.conftest import LONDON, TODAY, at, make_call

pytestmark = pytest.mark.django_db


def titles():
    return [call.title for call in selectors.open_calls()]


def test_a_second_read_costs_only_the_versions(call, django_assert_num_queries):
    assert titles() == ["Spring call"]
    with django_assert_num_queries(1):
        assert titles() == ["Spring call"]


def test_a_call_opened_through_the_service_is_seen_at_once(call, personas):
    assert titles() == ["Spring call"]
    services.open_call(
        by=personas.hr,
        title="Summer call",
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=3),
        pot=Decimal("500.00"),
        max_award=Decimal("250.00"),
    )
    assert titles() == ["Summer call", "Spring call"]  # the soonest to close first


def test_a_call_changed_or_deleted_in_the_admin_is_seen_at_once(call):
    assert titles() == ["Spring call"]
    call.closes_on = TODAY - datetime.timedelta(days=1)
    call.save()
    assert titles() == []
    call.closes_on = TODAY
    call.title = "Spring call (extended)"
    call.save()
    assert titles() == ["Spring call (extended)"]
    call.delete()
    assert titles() == []


def test_a_call_is_open_until_the_end_of_its_last_day(clock, members, personas):
    make_call(opens_on=TODAY, closes_on=TODAY, members=members, coordinator=personas.hr)
    clock.move_to(at(TODAY, 0))
    assert titles() == ["Spring call"]
    clock.move_to(datetime.datetime.combine(TODAY, datetime.time(23, 59, 59), tzinfo=LONDON))
    assert titles() == ["Spring call"]
    clock.move_to(at(TODAY + datetime.timedelta(days=1), 0))
    assert titles() == []
    clock.move_to(
        datetime.datetime.combine(
            TODAY - datetime.timedelta(days=1), datetime.time(23, 59, 59), tzinfo=LONDON
        )
    )
    assert titles() == []
