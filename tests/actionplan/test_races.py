"""Posting updates is atomic and serialised on the action's row (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import close_old_connections

from actionplan import services
from actionplan.models import ActionUpdate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_updates_leave_the_action_matching_its_latest_update(personas, owned_action):
    barrier = threading.Barrier(8)
    failures = []

    def post(progress):
        try:
            barrier.wait(timeout=10)
            services.post_update(
                personas.steering,
                owned_action,
                note=f"Thread at {progress} %",
                progress=progress,
                status="in_progress",
            )
        except Exception as error:  # reported below
            failures.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=post, args=(10 + n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures
    owned_action.refresh_from_db()
    latest = ActionUpdate.objects.filter(action=owned_action).order_by("-created", "-pk").first()
    assert ActionUpdate.objects.filter(action=owned_action).count() == 8
    assert owned_action.progress == latest.progress
