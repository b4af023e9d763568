"""The page cache (portal/pagecache.py): a page is built once and served until anything it is
built from changes, for its viewer only, with fresh CSRF tokens, never more than a minute old."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.session import SessionStorage
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal import pagecache, roles
from technicians import services
from technicians.models import Technician
from tests import factories

DIRECTORY = "/technicians/"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def queries_for(client, path, **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return len(queries), response


@pytest.fixture(autouse=True)
def _early_in_a_minute():
    """Each test starts at a minute's first second: the minute is part of a page's key, and a
    test that crossed into the next one would see its page built again."""
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def colleague(personas, login):
    return login(personas.steering)


def test_a_page_is_built_once_then_served_without_a_query(colleague):
    built, first = queries_for(colleague, DIRECTORY)
    served, second = queries_for(colleague, DIRECTORY)
    assert first.status_code == second.status_code == 200
    assert built > 3
    assert served == 0  # the session too comes from the cache
    assert CSRF_INPUT.sub("", second.content.decode()) == CSRF_INPUT.sub("", first.content.decode())


def test_a_profile_edited_through_its_service_shows_at_once(personas, colleague):
    me = personas.technician_profile
    colleague.get(f"/technicians/{me.pk}/")
    services.update_profile(me, {"expertise": "Zebrafish husbandry"}, by=personas.technician)
    assert "Zebrafish husbandry" in colleague.get(f"/technicians/{me.pk}/").content.decode()


def test_a_bulk_update_a_raw_write_and_a_delete_show_at_once(personas, colleague):
    me = personas.technician_profile
    url = f"/technicians/{me.pk}/"
    colleague.get(url)
    Technician.objects.filter(pk=me.pk).update(job_title="Chief glassblower")
    assert "Chief glassblower" in colleague.get(url).content.decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE technicians_technician SET job_title = %s WHERE id = %s",
            ["Senior glassblower", me.pk],
        )
    assert "Senior glassblower" in colleague.get(url).content.decode()
    Technician.objects.filter(pk=me.pk).delete()
    assert colleague.get(url).status_code == 404


def test_each_viewer_has_their_own_page(personas, login):
    assert personas.hr.email in login(personas.hr).get("/").content.decode()
    technician_page = login(personas.technician).get("/").content.decode()
    assert personas.technician.email in technician_page
    assert personas.hr.email not in technician_page
    assert Client().get(DIRECTORY).status_code == 302  # nobody's page for a stranger


def test_a_role_taken_away_is_refused_at_once(personas, login):
    client = login(personas.hr)
    assert client.get("/registration/review/").status_code == 200
    personas.hr.groups.remove(Group.objects.get(name=roles.HR))
    assert client.get("/registration/review/").status_code == 403


def test_a_deactivated_account_or_new_password_is_signed_out_at_once(personas, login):
    client = login(personas.steering)
    assert client.get(DIRECTORY).status_code == 200
    personas.steering.set_password("a-brand-new-password-1")
    personas.steering.save()
    assert client.get(DIRECTORY).status_code == 302

    client = login(personas.hr)
    assert client.get(DIRECTORY).status_code == 200
    personas.hr.is_active = False
    personas.hr.save()
    assert client.get(DIRECTORY).status_code == 302


def test_signing_in_does_not_empty_the_cache():
    sql = 'UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"."id" = %s'
    assert pagecache.written_app(sql) is None
    assert pagecache.written_app('UPDATE "auth_user" SET "is_active" = %s WHERE') == "auth"
    assert pagecache.written_app('INSERT INTO "django_session" ("session_key")') is None
    assert pagecache.written_app('DELETE FROM "training_booking" WHERE') == "training"
    assert pagecache.written_app('SELECT * FROM "technicians_technician"') is None


def test_every_form_gets_a_fresh_valid_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.steering)
    first = CSRF_INPUT.findall(client.get(DIRECTORY).content.decode())
    second = CSRF_INPUT.findall(client.get(DIRECTORY).content.decode())
    assert first and second
    assert pagecache.CSRF_PLACEHOLDER.decode() not in "".join(second)
    assert set(first).isdisjoint(second)  # masked afresh for each request
    secret = client.cookies["csrftoken"].value
    assert {_unmask_cipher_token(token) for token in first + second} == {secret}
    # The token of a page served from the cache is accepted (logging out posts it).
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": second[0]})
    assert response.status_code == 302
    assert client.get(DIRECTORY).status_code == 302


def test_visitors_share_the_public_page_and_a_signed_in_colleague_has_their_own(personas):
    factories.TechnicianFactory(visibility=Technician.Visibility.PUBLIC, first_name="Pat")
    first, second = Client(), Client()
    first.get("/meet-our-technicians/")
    served, page = queries_for(second, "/meet-our-technicians/")
    assert served == 0
    assert "Log in" in page.content.decode()
    signed_in = Client()
    signed_in.force_login(personas.steering)
    mine = signed_in.get("/meet-our-technicians/").content.decode()
    assert personas.steering.email in mine
    assert personas.steering.email not in second.get("/meet-our-technicians/").content.decode()


def test_a_page_with_a_message_waiting_is_built_and_not_kept(settings, colleague, rf):
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    colleague.get(DIRECTORY)
    session = colleague.session
    request = rf.get("/")
    request.session = session
    storage = SessionStorage(request)
    storage.add(message_levels.SUCCESS, "Your profile was saved.")
    storage.update(HttpResponse())
    session.save()
    built, page = queries_for(colleague, DIRECTORY)
    assert "Your profile was saved." in page.content.decode()
    assert built > 3
    # Shown once: the next request builds the page without it (and keeps that one).
    assert "Your profile was saved." not in colleague.get(DIRECTORY).content.decode()
    assert queries_for(colleague, DIRECTORY)[0] == 0


def test_htmx_partials_and_full_pages_are_kept_apart(colleague):
    full = colleague.get(DIRECTORY).content.decode()
    partial = colleague.get(DIRECTORY, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in full
    assert "<html" not in partial
    assert "<html" in colleague.get(DIRECTORY).content.decode()


def test_nothing_but_a_get_is_served_from_the_cache(personas, login):
    client = login(personas.technician)
    client.get("/technicians/me/")
    response = client.post("/technicians/me/", {})
    assert response.status_code in (200, 302)
    with CaptureQueriesContext(connection) as queries:
        client.post("/technicians/me/", {})
    assert len(queries) > 1


def test_what_depends_on_the_clock_is_at_most_a_minute_old(personas, colleague):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, 10, tzinfo=dt.UTC), tick=False):
        colleague.get(DIRECTORY)
        assert queries_for(colleague, DIRECTORY)[0] == 0
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, 59, tzinfo=dt.UTC), tick=False):
        assert queries_for(colleague, DIRECTORY)[0] == 0
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 1, 0, tzinfo=dt.UTC), tick=False):
        assert queries_for(colleague, DIRECTORY)[0] > 3


def test_the_version_changes_at_once_and_again_on_commit(personas):
    """Inside a transaction the version changes at once (this connection sees its own rows),
    and again on commit, when other processes first see them: once per app and transaction,
    however many writes."""
    index = pagecache.watched_apps().index("technicians")
    before = pagecache.versions()[index]
    Technician.objects.filter(pk=personas.technician_profile.pk).update(bio="One")
    Technician.objects.filter(pk=personas.technician_profile.pk).update(bio="Two")
    during = pagecache.versions()[index]
    assert during != before
    on_commit = [
        func
        for _, func, _ in connection.run_on_commit
        if getattr(func, "func", None) is pagecache.bump and func.args == ("technicians",)
    ]
    assert len(on_commit) == 1
    on_commit[0]()  # what the commit would run (pytest-django's transaction never commits)
    assert pagecache.versions()[index] not in (before, during)


def test_pages_are_built_when_the_cache_is_down(page_cache_down, personas, login, caplog):
    page_cache_down()
    client = login(personas.steering)
    assert client.get(DIRECTORY).status_code == 200
    assert client.get(DIRECTORY).status_code == 200
    services.update_profile(
        personas.technician_profile, {"expertise": "Rheology"}, by=personas.technician
    )
    page = client.get(f"/technicians/{personas.technician_profile.pk}/")
    assert "Rheology" in page.content.decode()
    assert "page cache" in caplog.text.lower()


def test_the_page_cache_can_be_turned_off(settings, colleague):
    settings.PORTAL_PAGE_CACHE = False
    colleague.get(DIRECTORY)
    assert queries_for(colleague, DIRECTORY)[0] > 3


def test_a_shared_value_is_built_once_until_its_data_changes(personas):
    built = []

    def count_technicians():
        built.append(1)
        return Technician.objects.count()

    assert pagecache.memoized("test.count", count_technicians) == 2
    assert pagecache.memoized("test.count", count_technicians) == 2
    assert len(built) == 1
    factories.TechnicianFactory()
    assert pagecache.memoized("test.count", count_technicians) == 3
    assert len(built) == 2
    # Arguments are part of the key.
    pagecache.memoized("test.count", count_technicians, args=(2026,))
    assert len(built) == 3


def test_a_value_that_depends_on_the_date_is_rebuilt_each_day(db):
    days = []
    with time_machine.travel(dt.datetime(2026, 12, 1, 23, 59, tzinfo=dt.UTC), tick=False):
        pagecache.memoized("test.today", lambda: days.append(1), by_day=True)
        pagecache.memoized("test.today", lambda: days.append(1), by_day=True)
    with time_machine.travel(dt.datetime(2026, 12, 2, 0, 1, tzinfo=dt.UTC), tick=False):
        pagecache.memoized("test.today", lambda: days.append(1), by_day=True)
    assert len(days) == 2


def test_shared_values_are_built_each_time_with_the_cache_off(settings, db):
    settings.PORTAL_PAGE_CACHE = False
    built = []
    pagecache.memoized("test.off", lambda: built.append(1))
    pagecache.memoized("test.off", lambda: built.append(1))
    assert len(built) == 2


def test_a_process_serves_its_own_copy_only_while_the_shared_versions_match(personas, colleague):
    me = personas.technician_profile
    url = f"/technicians/{me.pk}/"
    colleague.get(url)
    # The shared copy is gone (another replica's Redis eviction, say): this process's own
    # copy still serves, under the same versions.
    pagecache.cache().delete_many(
        [key for key in pagecache.cache()._cache if key.startswith(":1:pagecache:page:")]
    )
    assert queries_for(colleague, url)[0] == 0
    # A change written by any process gives new versions: the own copy is not served.
    pagecache.bump("technicians")
    assert queries_for(colleague, url)[0] > 1


def test_the_local_copies_keep_to_their_size():
    copies = pagecache.LocalCopies(max_bytes=1000)
    for number in range(10):
        copies.put(f"page{number}", (["v"], b"x" * 200, []))
    assert copies.get("page0") is None
    assert copies.get("page9") is not None
    copies.put("huge", (["v"], b"x" * 900, []))  # over a quarter of the room: not kept
    assert copies.get("huge") is None


def test_a_change_written_while_the_cache_was_left_alone_is_recorded_when_it_answers(
    personas, colleague
):
    me = personas.technician_profile
    url = f"/technicians/{me.pk}/"
    colleague.get(url)
    pagecache.failed("a test")  # as after a timeout: the cache is left alone for a while
    Technician.objects.filter(pk=me.pk).update(job_title="Glass technologist")
    assert "Glass technologist" in colleague.get(url).content.decode()  # built, uncached
    pagecache._unavailable_until = 0.0  # the few seconds are over
    assert "Glass technologist" in colleague.get(url).content.decode()
    assert queries_for(colleague, url)[0] == 0
