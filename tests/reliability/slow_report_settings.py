"""Settings of a worker whose annual report has one extra, slow section (see slow_report/):
a render that lasts until the test lets it finish, so the test can kill the worker mid-render."""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.reliability.slow_report"]  # noqa: F405
