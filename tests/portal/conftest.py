"""Fixtures of the portal app's tests: Celery in-process unless a test says otherwise."""

import pytest
from django.core.cache import cache

from tests.portal.celery_helpers import celery_config


@pytest.fixture(autouse=True)
def _celery_in_process():
    """Tasks run in-process here even when REDIS_URL is set (tests/reliability runs a real
    worker). Tests that need a real broker use `celery_config(...)` themselves."""
    with celery_config(task_always_eager=True):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The personas' passwords are hashed with MD5 here: PBKDF2 costs ~0.5 s per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clear_cache(db):
    """Rate limits live in the database cache, which transaction=True tests do not roll back."""
    cache.clear()
    yield
    cache.clear()
