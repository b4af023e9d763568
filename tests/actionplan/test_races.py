"""Posting updates is atomic and serialised on the action's row (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connection

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
            connection.close()  # the thread's own connection, or teardown cannot drop the db

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


def _hold_plan_change(personas, plan, **changes):
    """Start a thread that changes the plan and keeps its transaction (and row lock) open
    for a moment; returns the thread once the change is made but not yet committed."""
    import time

    from django.db import transaction

    changed = threading.Event()

    def change():
        try:
            with transaction.atomic():
                services.update_plan(personas.steering, plan, **changes)
                changed.set()
                time.sleep(0.5)
        finally:
            changed.set()
            connection.close()  # the thread's own connection, or teardown cannot drop the db

    thread = threading.Thread(target=change)
    thread.start()
    assert changed.wait(timeout=10)
    return thread


def test_an_update_posted_while_the_plan_is_archived_waits_and_is_refused(personas, owned_action):
    from django.core.exceptions import ValidationError

    thread = _hold_plan_change(personas, owned_action.plan, status="archived")
    try:
        with pytest.raises(ValidationError, match="This plan is archived"):
            services.post_update(
                personas.technician, owned_action, note="Late", progress=90, status="in_progress"
            )
    finally:
        thread.join(timeout=10)
    owned_action.refresh_from_db()
    assert owned_action.progress == 40
    assert not ActionUpdate.objects.exists()


def test_a_due_date_set_while_the_period_shrinks_is_checked_against_the_new_period(
    personas, owned_action
):
    import datetime

    from django.core.exceptions import ValidationError

    thread = _hold_plan_change(personas, owned_action.plan, ends_on=datetime.date(2027, 7, 31))
    try:
        with pytest.raises(ValidationError, match="within the plan's period"):
            services.update_action(
                personas.steering, owned_action, due_on=datetime.date(2028, 3, 31)
            )
    finally:
        thread.join(timeout=10)
    owned_action.refresh_from_db()
    owned_action.plan.refresh_from_db()
    assert owned_action.plan.covers(owned_action.due_on)
