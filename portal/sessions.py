"""Sessions kept in the database and read from the shared cache (SESSION_ENGINE).

Django's cached_db store, except that the cache failing never fails a request: a session
read falls back to the database (as Django's does), and writing the copy to the cache or
deleting it is logged and skipped. The database stays the record, so Redis may be emptied or
restarted at any time: everybody stays signed in.
"""

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

logger = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            logger.warning("Sessions: the cache is unavailable, reading the database")
            data = None
        if data is not None:
            return data
        session = self._get_session_from_db()
        if not session:
            return {}
        data = self.decode(session.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=session.expire_date))
        except Exception:
            logger.warning("Sessions: the cache is unavailable, not keeping a copy there")
        return data

    def exists(self, session_key):
        # The database is the record: a key is free when no row has it.
        return super(CachedDBStore, self).exists(session_key)

    def delete(self, session_key=None):
        # The database row first (Django's DB store), then the cached copy.
        super(CachedDBStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            logger.exception("Sessions: could not delete the cached copy of a session")
