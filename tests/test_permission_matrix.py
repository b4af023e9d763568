"""Walks every URL of ours for every persona, and fails if a URL is missing from the matrix."""

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import tests.matrix
from tests.conftest import PERSONA_NAMES

OUR_APPS = ("portal", "technicians", "actionplan", "training", "registration", "announcements")
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


def test_every_url_of_ours_is_in_the_matrix():
    missing = our_url_names() - {row.name for row in ROWS}
    assert not missing, f"URLs without a row in the permission matrix: {sorted(missing)}"


def test_every_row_covers_every_persona():
    for row in ROWS:
        assert set(row.expect) == set(PERSONA_NAMES), f"{row.name} lacks personas"


@pytest.fixture
def world(personas):
    world = SimpleNamespace(**vars(personas))
    for module in MATRIX_MODULES:
        module.setup(world)
    return world


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
