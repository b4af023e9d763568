"""PostgreSQL as Django runs it, with timestamps read by psycopg's compiled loader.

Django reads every `timestamptz` value through a loader of its own, a subclass of psycopg's
pure-Python one, only to attach the database connection's time zone. With `USE_TZ` and no
`TIME_ZONE` for the database (the portal's settings) that zone is UTC, and Django sets each
session's zone to UTC: psycopg's own loader then attaches exactly the same zone
(`datetime.timezone.utc`), and its compiled version parses a value several times faster. A
line manager's dashboard reads about 130 such values; this saved about a tenth of its CPU.

Where the zones differ (a `TIME_ZONE` for the database, or `USE_TZ` off) each cursor gets
Django's loader, as Django's own `create_cursor` does. `settings.py` names this backend in
place of `django.db.backends.postgresql`; everything else is Django's.
"""

from __future__ import annotations

import datetime

from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.utils.asyncio import async_unsafe
from psycopg.types.datetime import TimestamptzLoader  # psycopg swaps in its compiled twin

_UTC = datetime.UTC


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        # The connection's own adapters: Django's template map is shared by every connection.
        connection.adapters.register_loader("timestamptz", TimestamptzLoader)
        return connection

    @async_unsafe
    def create_cursor(self, name=None):
        cursor = self._new_cursor(name)
        if self.timezone != _UTC:
            register_tzloader(self.timezone, cursor)
        return cursor

    def _new_cursor(self, name: str | None):
        """What Django's `create_cursor` opens, before it looks at the loader's zone (which
        psycopg's compiled loader does not name)."""
        if not name:
            return self.connection.cursor()
        if self.settings_dict["OPTIONS"].get("server_side_binding") is not True:
            # psycopg binds a named cursor's values on the server: a class of Django's binds
            # them on the client where the settings ask for it.
            return base.ServerSideCursor(
                self.connection, name=name, scrollable=False, withhold=self.connection.autocommit
            )
        # In autocommit mode the cursor outlives its transaction: a holdable cursor.
        return self.connection.cursor(name, scrollable=False, withhold=self.connection.autocommit)
