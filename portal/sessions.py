"""Sessions kept in the database and read from the shared cache (SESSION_ENGINE).

Django's cached_db store, except that the cache failing never fails a request: a session
read falls back to the database (as Django's does), and writing the copy to the cache or
deleting it is logged and skipped; after a failure the process leaves the cache alone for a
few seconds (`portal.pagecache.available`), so a Redis that hangs is not waited for on every
request. The database stays the record, so Redis may be emptied or
restarted at any time: everybody stays signed in.
"""

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from portal import pagecache

logger = logging.getLogger(__name__)


# A copy lives an hour at most, then is read again from the database: a copy that a failed
# delete left behind (logging out while the cache did not answer) outlives its session by an
# hour at most.
COPY_SECONDS = 3600


class SessionStore(CachedDBStore):
    @staticmethod
    def _copy_age(expiry_age: int) -> int:
        return min(expiry_age, COPY_SECONDS)

    def load(self):
        data = None
        if pagecache.available():
            try:
                data = self._cache.get(self.cache_key)
            except Exception:
                pagecache.failed("sessions read from the database")
        if data is not None:
            return data
        session = self._get_session_from_db()
        if not session:
            return {}
        data = self.decode(session.session_data)
        if pagecache.available():
            try:
                self._cache.set(
                    self.cache_key,
                    data,
                    self._copy_age(self.get_expiry_age(expiry=session.expire_date)),
                )
            except Exception:
                pagecache.failed("sessions not copied to it")
        return data

    def save(self, must_create=False):
        # The database row always; the copy while the cache answers.
        super(CachedDBStore, self).save(must_create)
        if not pagecache.available():
            return
        try:
            self._cache.set(self.cache_key, self._session, self._copy_age(self.get_expiry_age()))
        except Exception:
            pagecache.failed("sessions not copied to it")

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
            logger.exception(
                "Sessions: could not delete the cached copy of an ended session; it lapses "
                "within %s seconds",
                COPY_SECONDS,
            )
