"""The notification tests' fixtures: running the on-commit sends."""

from tests.notifications.conftest import sends  # noqa: F401
