"""Every page that needs a login sends `Cache-Control: private, no-cache` or stricter (issue
20, hole 5), walked over the permission matrix: each GET row that sends anonymous visitors
to the login page is fetched as a persona who may see it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.utils.cache import get_max_age

from tests.conftest import PERSONA_NAMES
from tests.test_permission_matrix import ROWS, make_world


@pytest.fixture
def world(personas):
    """The matrix's objects, made for this test alone (the module's other tests make personas
    of their own)."""
    return make_world(personas)


SIGNED_IN = [name for name in PERSONA_NAMES if name != "anonymous"]
LOGIN_ONLY = [
    row
    for row in ROWS
    if row.method == "get"
    and row.expect["anonymous"] in (302, 403, 404)
    and any(row.expect[name] == 200 for name in SIGNED_IN)
]


def private(cache_control: str) -> bool:
    directives = {part.strip().split("=")[0] for part in cache_control.lower().split(",")}
    return "private" in directives and bool(directives & {"no-cache", "no-store"})


def test_the_walk_covers_the_pages_of_every_app():
    names = {row.name.split(":")[0] for row in LOGIN_ONLY}
    assert {"home", "technicians", "training", "registration", "reports"} <= names


def test_pages_that_need_a_login_are_never_kept_by_a_shared_cache(world, login):
    wrong = []
    for row in LOGIN_ONLY:
        persona = next(name for name in SIGNED_IN if row.expect[name] == 200)
        response = login(getattr(world, persona)).get(row.path(world), row.data(world))
        assert response.status_code == 200, row.path(world)
        cache_control = response.get("Cache-Control", "")
        if (
            not private(cache_control)
            or get_max_age(response)
            or "Cookie" not in response.get("Vary", "")
        ):
            wrong.append(f"{row.path(world)} as {persona}: {cache_control!r}")
    assert not wrong, "\n".join(wrong)


def test_a_public_page_seen_by_a_visitor_is_left_alone(client, db):
    response = client.get("/meet-our-technicians/")
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")


def test_a_view_is_handed_the_signed_in_user_itself_rather_than_a_lazy_stand_in(personas, login):
    response = login(personas.technician).get("/")
    assert type(response.wsgi_request.user) is get_user_model()
    assert response.wsgi_request.user.pk == personas.technician.pk


def test_a_visitor_is_handed_the_anonymous_user(client, db):
    response = client.get("/meet-our-technicians/")
    assert type(response.wsgi_request.user) is AnonymousUser


def test_a_session_deleted_between_requests_signs_its_user_out(personas, login):
    client = login(personas.technician)
    assert client.get("/").status_code == 200
    Session.objects.all().delete()
    response = client.get("/")
    assert type(response.wsgi_request.user) is AnonymousUser
    assert response.status_code == 302
