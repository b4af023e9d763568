"""People on the staff list without an account, and what they received."""

from __future__ import annotations

import pytest
from django.core import mail

from portal.models import Notification
from tests import factories
from tests.registration.conftest import (  # noqa: F401 (the registration tests' fixtures)
    budget,
    frozen,
    ist,
    make_application,
    registers,
)


def no_account(department, email, **values):
    """A technician on HR's staff list who has never signed in: no account."""
    return factories.TechnicianFactory(department=department, email=email, user=None, **values)


def received(technician, kind: str) -> Notification:
    """The notification of `kind` to `technician`, sent to their staff-list address: the row
    is addressed to the person and marked sent, and the e-mail went to that address."""
    notification = Notification.objects.get(technician=technician, kind=kind)
    assert notification.recipient is None
    assert notification.status == Notification.Status.SENT, notification.reason
    messages = [m for m in mail.outbox if m.subject == notification.subject]
    assert [technician.email] in [m.to for m in messages], [m.to for m in mail.outbox]
    return notification


@pytest.fixture
def sends(django_capture_on_commit_callbacks):
    """`with sends():` runs the on-commit sends (the outbox task runs in-process)."""

    def _sends():
        return django_capture_on_commit_callbacks(execute=True)

    return _sends


@pytest.fixture
def nobody(personas, department):
    """Nora: on the staff list, managed by Morgan, no account."""
    return no_account(
        department,
        "nora.noaccount@example.ac.uk",
        first_name="Nora",
        last_name="Noaccount",
        line_manager=personas.manager_profile,
    )


@pytest.fixture
def boss(department):
    """Bo: a line manager on the staff list with no account."""
    return no_account(department, "bo.boss@example.ac.uk", first_name="Bo", last_name="Boss")
