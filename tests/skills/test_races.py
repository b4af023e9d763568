"""Shadowing requests under concurrency (PostgreSQL, real threads): one open request per
learner, teacher and skill, and one answer per request."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from skills import services as skill_services
from skills.models import ShadowingRequest
from tests import factories
from tests.conftest import make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def teacher(personas):
    user = make_user("terry.trainer@example.ac.uk")
    technician = factories.TechnicianFactory(user=user, email=user.email)
    skill = factories.SkillFactory(name="Cryo-EM", category="Imaging")
    factories.TechnicianSkillFactory(technician=technician, skill=skill, level=4)
    return technician, user, skill


def run_together(count, target):
    barrier = threading.Barrier(count)
    outcomes = []

    def run():
        try:
            barrier.wait(timeout=10)
            outcomes.append(target())
        except Exception as error:  # counted below
            outcomes.append(error)
        finally:
            connection.close()  # the thread's own connection, or teardown cannot drop the db

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_asking_at_once_makes_one_request(personas, teacher):
    technician, _user, skill = teacher
    outcomes = run_together(
        6, lambda: skill_services.request_shadowing(technician, skill, by=personas.technician)
    )
    made = [o for o in outcomes if isinstance(o, ShadowingRequest)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(made), len(refused)) == (1, 5)
    assert ShadowingRequest.objects.count() == 1


def test_accepting_and_declining_at_once_one_wins(personas, teacher):
    """A teacher's two answers at once (two tabs): the first is kept, the second refused."""
    technician, user, skill = teacher
    request = skill_services.request_shadowing(technician, skill, by=personas.technician)
    calls = iter(
        [
            lambda: skill_services.accept_shadowing(request, by=user),
            lambda: skill_services.decline_shadowing(request, by=user),
        ]
    )
    lock = threading.Lock()

    def next_call():
        with lock:
            call = next(calls)
        return call()

    outcomes = run_together(2, next_call)
    assert sum(isinstance(o, ShadowingRequest) for o in outcomes) == 1
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1
    request.refresh_from_db()
    assert request.status in {"accepted", "declined"}
