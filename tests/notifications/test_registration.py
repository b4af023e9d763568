"""Every kind of registration notification reaches a technician who has no account, at the
staff-list address: decisions about their funding application, and the reminders."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings as django_settings

from registration import reminders, services
from registration.models import Registration
from tests.notifications.conftest import received
from tests.registration.conftest import S

pytestmark = pytest.mark.django_db
D = datetime.date


def without_account(technician):
    """The person's account goes (say, removed when they moved to single sign-on); they stay
    on the staff list."""
    technician.user = None
    technician.save(update_fields=["user"])


@pytest.mark.parametrize(
    ("status", "step", "kind"),
    [
        (S.SUBMITTED, "send_back", "funding_draft"),
        (S.ENDORSED, "approve", "funding_approved"),
        (S.ENDORSED, "reject", "funding_rejected"),
        (S.REGISTERED, "pay", "funding_paid"),
    ],
)
def test_decisions_reach_an_applicant_without_an_account(
    make_application, personas, status, step, kind, sends
):
    application = make_application(status)
    alex = personas.technician_profile
    without_account(alex)
    application.refresh_from_db()
    with sends():
        if step == "send_back":
            services.send_back_application(application, by=personas.manager, note="Add CPD.")
        elif step == "approve":
            services.approve_application(application, by=personas.hr)
        elif step == "reject":
            services.reject_application(application, by=personas.hr, note="Not this year.")
        else:
            services.mark_paid(application, by=personas.hr, reference="PO-1")
    notification = received(alex, kind)
    assert f"{django_settings.SITE_URL}{application.get_absolute_url()}" in notification.body


def test_a_submitted_application_reaches_the_line_manager_at_the_staff_list_address(
    make_application, personas, sends
):
    morgan = personas.manager_profile
    # The account was made with another address; the staff list's is the one that counts.
    personas.manager.email = "morgan.private@example.com"
    personas.manager.save(update_fields=["email"])
    with sends():
        make_application(S.SUBMITTED)
    received(morgan, "funding_submitted")


def test_the_renewal_reminder(personas, registers, ist, nobody, sends):
    Registration.objects.create(
        technician=nobody,
        register=registers["RSciTech"],
        body=ist,
        registered_on=D(2025, 9, 1),
        renewal_due_on=D(2026, 9, 1),
        status=Registration.Status.ACTIVE,
    )
    with sends():
        assert reminders.queue_renewal_reminders(D(2026, 7, 3)) == 1
    received(nobody, "registration_renewal_due")


def test_the_no_proof_reminder(make_application, personas, frozen, sends):
    with frozen(D(2026, 1, 5)):
        make_application(S.APPROVED)
    without_account(personas.technician_profile)
    with sends():
        assert reminders.queue_no_proof_reminders(D(2026, 4, 6)) == 1
    received(personas.technician_profile, "funding_no_proof")


def test_the_waiting_reminder_reaches_the_manager_at_the_staff_list_address(
    make_application, personas, frozen, sends
):
    with frozen(D(2026, 3, 24)):
        make_application(S.SUBMITTED)
    with sends():
        assert reminders.queue_waiting_reminders(D(2026, 4, 10)) == 1
    received(personas.manager_profile, "funding_waiting")
