"""The shared cache's backend: Django's Redis cache, with one Redis client per server.

Django's `RedisCache` builds a new `redis.Redis` client around its connection pool for every
operation, and building one (its table of reply parsers) costs more than the GET it sends:
about 0.1 ms each time, several times a page. The client is safe to share between threads
and keeps no state of its own, and its pool (which holds the sockets, and opens new ones in a
forked worker) is Django's, so keeping the client changes nothing but the cost. Everything
else, the timeouts and what an unreachable Redis raises included, is Django's.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ClientPerServer(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write: bool = False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ClientPerServer
