"""Every signed-in page runs its permission check on every request: a role taken away between
two requests counts on the second. For every page of the permission matrix that a role opens
and a plain technician may not, a client that has just been served the page gets, once the
role is gone, exactly what a client signing in afresh gets (403 unless the person has another
reason to see it, such as owning the action): nothing is served from a cache."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.test_permission_matrix import ROWS, matrix_world, world  # noqa: F401 (its fixtures)

PRIVILEGED = ("steering", "coordinator", "hr", "admin")


def _first_privileged(row):
    """The first role (administrators last) that the page is shown to."""
    return next((persona for persona in PRIVILEGED if row.expect[persona] == 200), None)


CASES = [
    (row, _first_privileged(row))
    for row in ROWS
    if row.method == "get"
    and row.expect["technician"] in (403, 404)
    and _first_privileged(row) is not None
]


def test_there_are_pages_to_check():
    assert len(CASES) > 10


@pytest.mark.parametrize(
    ("row", "persona"),
    CASES,
    ids=lambda case: getattr(case, "name", case) + getattr(case, "note", ""),
)
def test_a_role_taken_away_is_refused_on_the_very_next_request(row, persona, world, login):  # noqa: F811
    user = getattr(world, persona)
    client = login(user)
    path = row.path(world)
    assert client.get(path, row.data(world)).status_code == 200
    assert client.get(path, row.data(world)).status_code == 200
    user.groups.clear()
    user.is_superuser = user.is_staff = False
    user.save()
    warmed = client.get(path, row.data(world)).status_code
    fresh = Client()
    fresh.force_login(user, backend="technicians.auth_backends.ModelBackend")
    assert warmed == fresh.get(path, row.data(world)).status_code
    if row.expect["technician"] == 403 and "own" not in row.note:
        assert warmed != 200, f"{path} still served to {persona} without the role"
