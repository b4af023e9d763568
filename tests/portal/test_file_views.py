"""Every view that serves a file checks permission, and sends it so that nothing keeps or
runs it: exports, evidence and photos of non-public profiles with `Cache-Control: private,
no-store`; stored files as sandboxed attachments that browsers will not sniff.

The walk covers every URL of ours through the permission matrix (tests/matrix), which holds a
row for each of them: whatever answers with a file is checked here, so a new download
cannot ship unguarded or cacheable."""

import inspect
from types import SimpleNamespace

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.cache import get_max_age

from tests.conftest import PERSONA_NAMES
from tests.test_permission_matrix import MATRIX_MODULES, OUR_APPS, ROWS

REFUSED = {302, 403, 404}
# Files anyone may have: the photo of a public profile. Everything else is private.
PUBLIC_FILES = {("technicians:photo", " public")}
# A personal calendar feed, fetched by calendar apps every few minutes: kept by the app only.
PRIVATE_CACHEABLE = {"training:calendar_feed"}


@pytest.fixture
def world(personas):
    """The permission matrix's objects (tests/test_permission_matrix.py), one of each."""
    world = SimpleNamespace(**vars(personas))
    for module in MATRIX_MODULES:
        module.setup(world)
    return world


def serves_a_file(response) -> bool:
    disposition = response.get("Content-Disposition", "")
    content_type = response.get("Content-Type", "")
    return (
        isinstance(response, FileResponse | StreamingHttpResponse)
        or disposition.startswith("attachment")
        or content_type.startswith(("text/csv", "application/pdf", "image/", "text/calendar"))
    )


def file_responses(world, login):
    """(row, persona, response) for each GET row of the matrix that answers with a file, as
    the first persona allowed to have it."""
    found = []
    for row in ROWS:
        if row.method != "get":
            continue
        allowed = [persona for persona in PERSONA_NAMES if row.expect[persona] == 200]
        if not allowed:
            continue
        persona = allowed[0]
        response = login(getattr(world, persona)).get(row.path(world))
        if response.status_code == 200 and serves_a_file(response):
            found.append((row, persona, response))
    return found


def innermost(view):
    chain = [view]
    while hasattr(chain[-1], "__wrapped__"):
        chain.append(chain[-1].__wrapped__)
    return chain


def our_views(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from our_views(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            module = getattr(pattern.callback, "__module__", "")
            if module.split(".")[0] in OUR_APPS:
                yield f"{namespace}{pattern.name}", pattern.callback


# A calendar feed has no login: its secret token is the permission (and is revocable).
PERMISSION_WORDS = ("permission", "deny_unless", "can_", "is_staff_member", "calendar_token")


def checks_permission_in_code(view) -> bool:
    """The view is wrapped in a permission decorator, or its own code asks a permission rule
    (or a selector that takes the user, which then decides what exists for them)."""
    for function in innermost(view):
        qualname = getattr(function, "__qualname__", "")
        if "permission_required" in qualname or "login_required" in qualname:
            return True
    source = inspect.getsource(innermost(view)[-1])
    return any(word in source for word in PERMISSION_WORDS) or "request.user" in source


@pytest.mark.django_db
def test_every_view_serving_a_file_checks_permission(world, login):
    served = file_responses(world, login)
    names = {row.name for row, _persona, _response in served}
    # The walk does find the downloads (it would pass vacuously otherwise).
    assert {"actionplan:evidence", "actionplan:export", "technicians:photo"} <= names
    assert {"technicians:export"} <= names

    views = dict(our_views())
    for name in sorted(names):
        rows = [row for row in ROWS if row.name == name]
        refusals = {status for row in rows for status in row.expect.values()} & REFUSED
        assert refusals, f"{name} serves a file to every persona: no permission check?"
        anonymous = {row.expect["anonymous"] for row in rows}
        assert anonymous & REFUSED, f"{name} never refuses an anonymous visitor"
        assert checks_permission_in_code(views[name]), f"{name}: no permission check in its code"


@pytest.mark.django_db
def test_every_file_served_is_private_unless_public_and_never_sniffed(world, login):
    problems = []
    for row, persona, response in file_responses(world, login):
        where = f"{row.name}{row.note} as {persona}"
        cache_control = response.get("Cache-Control", "")
        if (row.name, row.note) in PUBLIC_FILES:
            if "public" not in cache_control or not get_max_age(response):
                problems.append(f"{where}: a public file should be cacheable: {cache_control}")
        elif row.name in PRIVATE_CACHEABLE:
            if "private" not in cache_control:
                problems.append(f"{where}: Cache-Control is {cache_control!r}")
        elif "private" not in cache_control or "no-store" not in cache_control:
            problems.append(f"{where}: Cache-Control is {cache_control!r}")
        if response.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{where}: sniffable")
        if isinstance(response, FileResponse) and response.get("Content-Security-Policy") != (
            "sandbox"
        ):
            problems.append(f"{where}: a stored file without Content-Security-Policy: sandbox")
    assert not problems, "\n".join(problems)


# --- item by item --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/technicians/export.csv", "/action-plans/{plan}/export.csv"],
)
def test_csv_exports_are_never_stored(login, personas, path):
    from tests import factories

    plan = factories.ActionPlanFactory(status="published")
    response = login(personas.hr).get(path.format(plan=plan.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert set(response["Cache-Control"].replace(" ", "").split(",")) >= {"private", "no-store"}


@pytest.mark.django_db
def test_evidence_is_a_sandboxed_attachment_that_is_never_stored(world, login):
    update = world.ap_evidence
    action = update.action
    url = f"/action-plans/{action.plan_id}/actions/{action.pk}/updates/{update.pk}/evidence/"
    response = login(world.steering).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert set(response["Cache-Control"].replace(" ", "").split(",")) >= {"private", "no-store"}


@pytest.mark.django_db
@pytest.mark.parametrize("profile", ["internal_profile", "private_profile"])
def test_photos_of_profiles_that_are_not_public_are_never_stored(world, login, profile):
    technician = getattr(world, profile)
    response = login(world.hr).get(f"/technicians/{technician.pk}/photo/thumb/")
    assert response.status_code == 200
    assert set(response["Cache-Control"].replace(" ", "").split(",")) >= {"private", "no-store"}
    assert "max-age" not in response["Cache-Control"]


@pytest.mark.django_db
def test_the_photo_of_a_public_profile_may_be_cached(world, login):
    response = login(None).get(f"/technicians/{world.public_profile.pk}/photo/thumb/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert get_max_age(response) > 0
