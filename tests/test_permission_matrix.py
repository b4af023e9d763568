"""Walks every URL of ours for every persona, and fails if a URL is missing from the matrix."""

import copy
import importlib
import pkgutil
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

import tests.matrix
from tests.conftest import PERSONA_NAMES, make_department, make_personas

# The project shell and every app whose folder sits in the project: a new app is walked too.
OUR_APPS = ("config",) + tuple(
    config.name
    for config in apps.get_app_configs()
    if Path(config.path).resolve().parent == Path(settings.BASE_DIR).resolve()
)
MATRIX_MODULES = [
    importlib.import_module(f"tests.matrix.{info.name}")
    for info in pkgutil.iter_modules(tests.matrix.__path__)
]
ROWS = [row for module in MATRIX_MODULES for row in module.ROWS]


def our_url_names(patterns=None, namespace=""):
    """Every named URL whose view lives in one of our apps."""
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= our_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            module = getattr(pattern.callback, "__module__", "")
            if module.split(".")[0] in OUR_APPS:
                assert pattern.name, f"unnamed URL {pattern.pattern} in {module}"
                names.add(f"{namespace}{pattern.name}")
    return names


def test_every_app_of_ours_is_walked():
    assert {"config", "portal", "technicians", "commitment"} <= set(OUR_APPS)


def test_every_url_of_ours_is_in_the_matrix():
    missing = our_url_names() - {row.name for row in ROWS}
    assert not missing, f"URLs without a row in the permission matrix: {sorted(missing)}"


def test_every_row_covers_every_persona():
    for row in ROWS:
        assert set(row.expect) == set(PERSONA_NAMES), f"{row.name} lacks personas"


def make_world(personas) -> SimpleNamespace:
    world = SimpleNamespace(**vars(personas))
    for module in MATRIX_MODULES:
        module.setup(world)
    return world


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The matrix's objects, made once for a module (they take a second to make, and the
    walks below use them hundreds of times): inside a transaction that every test's own
    (then a savepoint) rolls back to, itself rolled back when the module ends. The files they
    store are kept in a folder of their own, copied into each test's MEDIA_ROOT by `world`."""
    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(MEDIA_ROOT=media):
                world = make_world(make_personas(make_department()))
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield world, media
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def world(matrix_world, db, settings, tmp_path):
    """The matrix's objects for one test: what the test changes in the database is rolled
    back after it, its files and objects are its own copies."""
    made, media = matrix_world
    settings.MEDIA_ROOT = tmp_path / "matrix-media"
    shutil.copytree(media, settings.MEDIA_ROOT)
    return copy.deepcopy(made)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.name}{r.note}")
def test_permission_matrix(row, world, login):
    for persona in PERSONA_NAMES:
        client = login(getattr(world, persona))
        call = getattr(client, row.method)
        response = call(row.path(world), row.data(world))
        assert response.status_code == row.expect[persona], (
            f"{row.method.upper()} {row.path(world)} as {persona}: "
            f"{response.status_code}, expected {row.expect[persona]}"
        )
        if row.expect[persona] == 302 and persona == "anonymous":
            assert "/accounts/login/" in response["Location"]
