"""No whole-page cache, no session copy: every signed-in request reads its session and its
user from the database and runs its permission check, whatever state Redis is in.

Each test here is one of the holes the page cache had (issue 19), kept so none comes back:
logging out while Redis is unreachable; deleting a user's sessions; a role removed while
Redis pauses; the report CSVs after a missed change; text holding the old CSRF placeholder.
"""

from __future__ import annotations

import contextlib

import pytest
import redis
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import roles
from tests import factories

DIRECTORY = "/technicians/"
HR_PAGE = "/registration/review/"
# What the page cache wrote into a cached page where each viewer's CSRF token went.
OLD_CSRF_PLACEHOLDER = "__portal_csrf_token__"


class Unreachable(redis.ConnectionError):
    pass


@contextlib.contextmanager
def redis_unreachable(monkeypatch, *, paused: bool = False):
    """While open, Redis refuses every connection (or, `paused`, times out as during a
    failover), and so does every cache that is not the database's (in production those are
    Redis; here, local memory). On leaving, Redis answers again, with whatever it held."""
    error = redis.TimeoutError if paused else Unreachable
    with monkeypatch.context() as patch:

        def refuse(*args, **kwargs):
            raise error("Redis is unreachable (test)")

        patch.setattr(redis.connection.AbstractConnection, "connect", refuse)
        for alias in caches.settings:
            cache = caches[alias]
            if "db.DatabaseCache" in caches.settings[alias]["BACKEND"]:
                continue
            for method in ("get", "set", "add", "delete", "get_many", "set_many", "touch"):
                patch.setattr(cache, method, refuse)
        yield


def signed_in(client) -> bool:
    return client.get(DIRECTORY).status_code == 200


def test_the_sessions_live_in_the_database(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_logging_out_while_redis_is_unreachable_ends_the_session_at_once(
    personas, login, monkeypatch, settings
):
    client = login(personas.steering)
    assert signed_in(client) and signed_in(client)  # any copy of the session would be made now
    key = client.session.session_key
    with redis_unreachable(monkeypatch):
        response = client.post("/accounts/logout/")
        assert response.status_code == 302
        assert not Session.objects.filter(session_key=key).exists()
        assert client.get(DIRECTORY).status_code == 302
    # Redis is back, with whatever it held: the old cookie still signs nobody in.
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    response = client.get(DIRECTORY)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_deleting_a_users_sessions_signs_them_out_at_once(personas, login):
    client = login(personas.steering)
    assert signed_in(client) and signed_in(client)
    for session in Session.objects.all():
        if session.get_decoded().get("_auth_user_id") == str(personas.steering.pk):
            session.delete()
    response = client.get(DIRECTORY)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("paused", [False, True], ids=["unreachable", "paused"])
def test_a_role_removed_is_refused_on_the_next_request_whatever_redis_does(
    personas, login, monkeypatch, paused
):
    client = login(personas.hr)
    assert client.get(HR_PAGE).status_code == 200
    assert client.get(HR_PAGE).status_code == 200
    with redis_unreachable(monkeypatch, paused=paused):
        personas.hr.groups.remove(Group.objects.get(name=roles.HR))
        assert client.get(HR_PAGE).status_code == 403
    assert client.get(HR_PAGE).status_code == 403


def test_pages_are_built_while_redis_is_unreachable(personas, login, monkeypatch):
    client = login(personas.steering)
    with redis_unreachable(monkeypatch):
        assert client.get(DIRECTORY).status_code == 200
        assert client.get("/").status_code == 200


def test_the_report_csvs_show_a_change_at_once(personas, login):
    from commitment.reports.selectors import current_year

    client = login(personas.hr)
    url = f"/reports/figures/{current_year()}/summary.csv"
    before = client.get(url)
    assert before.status_code == 200
    assert before["Cache-Control"] == "private, no-store"
    # A change the services never saw (a raw insert, as a missed write would be).
    factories.TechnicianFactory.create_batch(3, department=personas.technician_profile.department)
    after = client.get(url)
    assert after.content != before.content
    assert client.get(url).content == after.content


def test_text_holding_the_old_csrf_placeholder_is_shown_as_written(personas, login):
    me = personas.technician_profile
    bio = f"My bio mentions {OLD_CSRF_PLACEHOLDER} on purpose."
    type(me).objects.filter(pk=me.pk).update(bio=bio)
    client = login(personas.steering)
    for _ in range(2):  # built, then again (a cache would have served the second)
        page = client.get(f"/technicians/{me.pk}/").content.decode()
        assert bio in page
        token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else None
        if token:
            assert f"mentions {token}" not in page


def test_every_signed_in_request_reads_its_session_and_user(personas, login):
    client = login(personas.steering)
    client.get(DIRECTORY)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DIRECTORY).status_code == 200
        sql = " ".join(query["sql"] for query in queries)
        assert "django_session" in sql
        assert "auth_user" in sql
