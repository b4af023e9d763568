"""The portal's PostgreSQL backend reads timestamps with psycopg's compiled loader, and every
value comes back exactly as Django's own backend gives it."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Summer time in London, with microseconds: an hour off UTC, and every digit kept.
JOINED = datetime.datetime(2026, 7, 1, 9, 30, 15, 123456, tzinfo=LONDON)


def timestamptz_loader():
    connection.ensure_connection()
    return connection.connection.adapters.get_loader(1184, 0)  # timestamptz, text format


def test_the_connection_reads_timestamps_with_psycopgs_compiled_loader():
    loader = timestamptz_loader()
    assert loader.__name__ == "TimestamptzLoader"
    assert loader.__module__.startswith(("psycopg_binary", "psycopg_c"))  # not Python's


def test_a_saved_time_comes_back_the_same_instant_in_utc(django_user_model):
    user = django_user_model.objects.create_user("ada", "ada@example.ac.uk", date_joined=JOINED)
    joined = get_user_model().objects.values_list("date_joined", flat=True).get(pk=user.pk)
    assert joined == JOINED
    assert joined.tzinfo is datetime.UTC
    assert joined.isoformat() == "2026-07-01T08:30:15.123456+00:00"


def test_raw_sql_and_a_server_side_cursor_read_utc_times(django_user_model):
    for number in range(3):
        django_user_model.objects.create_user(f"user{number}", date_joined=JOINED)
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [JOINED])
        (value,) = cursor.fetchone()
    assert value == JOINED and value.tzinfo is datetime.UTC
    # .iterator() reads through a named (server-side) cursor, which Django opens its own way.
    streamed = list(
        django_user_model.objects.values_list("date_joined", flat=True).iterator(chunk_size=2)
    )
    assert streamed == [JOINED] * 3
    assert {value.tzinfo for value in streamed} == {datetime.UTC}


def test_with_no_time_zones_values_are_naive_as_djangos_backend_gives_them(django_user_model):
    user = django_user_model.objects.create_user("grace", date_joined=JOINED)
    with override_settings(USE_TZ=False, TIME_ZONE="Europe/London"):
        joined = get_user_model().objects.values_list("date_joined", flat=True).get(pk=user.pk)
    assert joined == JOINED.replace(tzinfo=None)
    assert joined.tzinfo is None
    # And aware again, in UTC, once the setting is back.
    again = get_user_model().objects.values_list("date_joined", flat=True).get(pk=user.pk)
    assert again == JOINED and again.tzinfo is datetime.UTC
