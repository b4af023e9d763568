"""The WSGI entry point gunicorn serves (Dockerfile, docker-compose.yml)."""

import gc
import importlib
import sys


def test_the_started_portal_is_frozen_out_of_the_garbage_collectors_walks():
    gc.unfreeze()
    sys.modules.pop("config.wsgi", None)
    try:
        wsgi = importlib.import_module("config.wsgi")
        assert gc.get_freeze_count() > 10_000  # every object of the started portal
        assert callable(wsgi.application)
    finally:
        gc.unfreeze()
