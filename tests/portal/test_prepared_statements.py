"""On PostgreSQL a query the portal repeats is planned once per connection: its values travel
apart from its text (server-side binding), and its second run on a connection makes it a
prepared statement (settings.py says why; docs/deployment.md, Prepared statements)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from tests import factories

pytestmark = pytest.mark.django_db


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_a_repeated_query_is_prepared_once_with_its_values_apart(client):
    users = [factories.UserFactory() for _ in range(3)]
    for user in users:  # the same text, a different value each time
        assert get_user_model().objects.get(pk=user.pk) == user
    by_key = [sql for sql in prepared_statements() if 'WHERE "auth_user"."id" = $1' in sql]
    assert len(by_key) == 1  # one statement for the three lookups, the key a parameter
