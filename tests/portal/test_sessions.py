"""Sessions (portal/sessions.py): the database is the record, the shared cache a copy that
saves a query on every request, and a cache that fails or is emptied signs nobody out."""

import time

from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import pagecache

DIRECTORY = "/technicians/"


def test_a_session_is_read_from_the_cache_and_kept_in_the_database(personas, login):
    client = login(personas.steering)
    assert Session.objects.filter(session_key=client.session.session_key).exists()
    client.get(DIRECTORY)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DIRECTORY).status_code == 200
    assert not [query for query in queries if "django_session" in query["sql"]]


def test_an_emptied_cache_signs_nobody_out(personas, login):
    client = login(personas.steering)
    caches["pages"].clear()  # Redis restarted, say
    assert client.get(DIRECTORY).status_code == 200


def test_a_cache_that_fails_signs_nobody_out(page_cache_down, personas, login):
    client = login(personas.steering)
    page_cache_down()
    assert client.get(DIRECTORY).status_code == 200
    # Logging out still ends the session, in the database.
    key = client.session.session_key
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(DIRECTORY).status_code == 302


def test_a_cached_copy_lives_an_hour_at_most(personas, login):
    client = login(personas.steering)
    client.get(DIRECTORY)
    cache = caches["pages"]
    key = "django.contrib.sessions.cached_db" + client.session.session_key
    expires_at = cache._expire_info[cache.make_key(key)]
    assert expires_at - time.time() <= 3600 + 1


def test_after_a_failure_the_cache_is_left_alone_for_a_few_seconds(
    page_cache_down, personas, login
):
    client = login(personas.steering)
    page_cache_down()
    assert client.get(DIRECTORY).status_code == 200
    assert not pagecache.available()
    # Left alone: not even tried, until the few seconds are over.
    calls = []
    original = caches["pages"].get_many
    caches["pages"].get_many = lambda *a, **k: calls.append(1) or original(*a, **k)
    assert client.get(DIRECTORY).status_code == 200
    assert calls == []
    pagecache._unavailable_until = 0.0
    assert pagecache.available()
