"""The shared cache's backend (portal.redis_cache): Django's Redis cache keeping one client per
server, on a real Redis; unreachable, it fails as Django's does, so the shared figures are
computed from the database (portal.versions)."""

from urllib.parse import urlparse

import pytest
import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from portal import versions
from portal.redis_cache import RedisCache
from tests.portal.test_no_page_cache import Unreachable

pytestmark = pytest.mark.redis


@pytest.fixture
def cache(settings):
    location = urlparse(settings.REDIS_URL)._replace(path="/13").geturl()
    made = RedisCache(location, {"KEY_PREFIX": "test-redis-cache", "OPTIONS": {}})
    made.clear()
    yield made
    made.clear()


def test_values_go_to_redis_and_come_back(cache):
    cache.set("figures", {"open": [1, 2]}, 60)
    assert cache.get("figures") == {"open": [1, 2]}
    assert cache.get_many(["figures", "nothing"]) == {"figures": {"open": [1, 2]}}
    cache.delete("figures")
    assert cache.get("figures", "gone") == "gone"


def test_every_operation_uses_the_same_client(cache):
    first = cache._cache.get_client("a")
    cache.set("a", 1, 60)
    assert cache._cache.get_client("b", write=True) is first
    assert cache.get("a") == 1


def test_djangos_backend_builds_a_client_each_time(settings):
    """Why the portal's backend exists: Django's builds a new client for every operation."""
    location = urlparse(settings.REDIS_URL)._replace(path="/13").geturl()
    django_cache = DjangoRedisCache(location, {"OPTIONS": {}})
    assert django_cache._cache.get_client("a") is not django_cache._cache.get_client("a")


@pytest.mark.django_db
def test_an_unreachable_redis_fails_the_operation_and_the_figures_are_computed(
    cache, monkeypatch, settings
):
    cache.get("warm")  # a client and a pool exist before Redis goes away

    def refuse(*args, **kwargs):
        raise Unreachable("Redis is unreachable (test)")

    with monkeypatch.context() as patch:
        patch.setattr(redis.connection.AbstractConnection, "connect", refuse)
        cache._cache._pools[0].disconnect()  # the pooled socket is gone with the server
        with pytest.raises(redis.ConnectionError):
            cache.get("figures")
        patch.setattr(versions, "caches", {versions.CACHE_ALIAS: cache})
        assert versions.cached("figures", depends_on=(), compute=lambda: 42) == 42
    cache.set("figures", 1, 60)  # Redis back: the same client reconnects
    assert cache.get("figures") == 1
