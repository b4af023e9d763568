"""Fixtures of the portal app's tests."""

import pytest
from django.core.cache import cache


@pytest.fixture
def clear_cache(db):
    """Rate limits live in the database cache, which transaction=True tests do not roll back."""
    cache.clear()
    yield
    cache.clear()
