"""Reminders at their boundaries (time-machine): renewals within 60 days, fired once when first
seen; applications waiting more than 10 working days (across Easter and Christmas bank
holidays); approved applications without proof after three months."""

import datetime

import pytest
import time_machine

from portal import registry
from portal.models import Notification
from portal.periods import working_days_between
from registration import reminders
from registration.models import FundingApplication, Registration
from tests.registration.conftest import S

pytestmark = pytest.mark.django_db
D = datetime.date


def sent(kind, recipient=None):
    notifications = Notification.objects.filter(kind=kind)
    if recipient is not None:
        notifications = notifications.addressed_to(recipient)
    return notifications.count()


def test_the_app_registers_its_reminders():
    names = set(registry.reminders())
    assert {"registration.renewals", "registration.waiting", "registration.no_proof"} <= names


# --- renewals ---------------------------------------------------------------------------------


@pytest.fixture
def registration(personas, registers, ist):
    return Registration.objects.create(
        technician=personas.technician_profile,
        register=registers["RSciTech"],
        body=ist,
        registered_on=D(2025, 9, 1),
        renewal_due_on=D(2026, 9, 1),
        status=Registration.Status.ACTIVE,
    )


def test_a_renewal_61_days_away_is_not_reminded_yet(registration):
    assert reminders.queue_renewal_reminders(D(2026, 7, 2)) == 0  # 61 days before


def test_a_renewal_within_60_days_is_reminded_once(registration, personas):
    assert reminders.queue_renewal_reminders(D(2026, 7, 3)) == 1  # exactly 60 days before
    assert sent("registration_renewal_due", personas.technician) == 1
    note = Notification.objects.get(kind="registration_renewal_due")
    assert "in 60 days" in note.subject and "1 September 2026" in note.body
    # the same pass again, and the following days of the window: nothing more
    assert reminders.queue_renewal_reminders(D(2026, 7, 3)) == 0
    assert reminders.queue_renewal_reminders(D(2026, 7, 4)) == 0
    assert reminders.queue_renewal_reminders(D(2026, 9, 1)) == 0
    assert sent("registration_renewal_due") == 1


def test_the_window_fires_when_first_seen_even_late(registration):
    assert reminders.queue_renewal_reminders(D(2026, 8, 20)) == 1  # 12 days before
    assert reminders.queue_renewal_reminders(D(2026, 9, 2)) == 0  # past: no more


def test_a_new_renewal_date_reminds_again(registration):
    reminders.queue_renewal_reminders(D(2026, 7, 3))
    registration.renewal_due_on = D(2027, 9, 1)
    registration.save()
    assert reminders.queue_renewal_reminders(D(2027, 7, 3)) == 1


def test_lapsed_registrations_and_leavers_are_not_reminded(registration, personas):
    registration.status = Registration.Status.LAPSED
    registration.save()
    assert reminders.queue_renewal_reminders(D(2026, 7, 3)) == 0
    registration.status = Registration.Status.ACTIVE
    registration.save()
    personas.technician_profile.is_active = False
    personas.technician_profile.save()
    assert reminders.queue_renewal_reminders(D(2026, 7, 3)) == 0


# --- waiting more than 10 working days -------------------------------------------------------


def test_working_days_skip_the_easter_and_christmas_bank_holidays():
    # Good Friday 3 April and Easter Monday 6 April 2026
    assert working_days_between(D(2026, 3, 24), D(2026, 4, 9)) == 10
    assert working_days_between(D(2026, 3, 24), D(2026, 4, 10)) == 11
    # Christmas Day (Friday), Boxing Day's substitute (Monday 28th), New Year's Day 2027
    assert working_days_between(D(2026, 12, 18), D(2027, 1, 6)) == 10
    assert working_days_between(D(2026, 12, 18), D(2027, 1, 7)) == 11


@pytest.mark.parametrize(
    ("since", "quiet_on", "reminded_on"),
    [
        (D(2026, 3, 24), D(2026, 4, 9), D(2026, 4, 10)),  # across Easter
        (D(2026, 12, 18), D(2027, 1, 6), D(2027, 1, 7)),  # across Christmas and New Year
    ],
    ids=["easter", "christmas"],
)
def test_a_submitted_application_reminds_the_line_manager_after_10_working_days(
    since, quiet_on, reminded_on, make_application, personas, frozen
):
    with frozen(since):
        application = make_application(S.SUBMITTED)
    assert reminders.queue_waiting_reminders(quiet_on) == 0
    assert reminders.queue_waiting_reminders(reminded_on) == 1
    assert sent("funding_waiting", personas.manager) == 1
    assert reminders.queue_waiting_reminders(reminded_on + datetime.timedelta(days=1)) == 0
    note = Notification.objects.get(kind="funding_waiting")
    assert "your endorsement" in note.subject
    assert application.get_absolute_url() in note.body


def test_an_endorsed_application_reminds_hr_and_a_new_step_starts_a_new_wait(
    make_application, personas, frozen
):
    with frozen(D(2026, 3, 24)):
        application = make_application(S.SUBMITTED)
    with frozen(D(2026, 4, 9)):
        from registration import services

        services.endorse_application(application, by=personas.manager)
    assert reminders.queue_waiting_reminders(D(2026, 4, 10)) == 0  # the decision's wait is new
    assert reminders.queue_waiting_reminders(D(2026, 4, 24)) == 1  # 11 working days later
    assert sent("funding_waiting", personas.hr) == 1
    assert "a decision" in Notification.objects.get(kind="funding_waiting").subject


def test_drafts_and_decided_applications_wait_for_nobody(make_application, frozen):
    with frozen(D(2026, 3, 2)):
        make_application(S.DRAFT)
        make_application(S.REJECTED)
        make_application(S.PAID)
    assert reminders.queue_waiting_reminders(D(2026, 6, 1)) == 0


# --- approved, no proof after three months ---------------------------------------------------


def test_approved_without_proof_after_three_months_reminds_the_applicant(
    make_application, personas, frozen
):
    with frozen(D(2026, 4, 30)):
        make_application(S.APPROVED)
    assert reminders.queue_no_proof_reminders(D(2026, 7, 29)) == 0
    assert reminders.queue_no_proof_reminders(D(2026, 7, 30)) == 1  # three months on
    assert sent("funding_no_proof", personas.technician) == 1
    assert reminders.queue_no_proof_reminders(D(2026, 8, 30)) == 0  # once


def test_three_months_before_the_end_of_a_month():
    assert reminders.months_before(D(2026, 5, 31), 3) == D(2026, 2, 28)
    assert reminders.months_before(D(2026, 1, 15), 3) == D(2025, 10, 15)


def test_proof_uploaded_stops_the_reminder(make_application, frozen):
    with frozen(D(2026, 4, 30)):
        application = make_application(S.REGISTERED)
    assert application.status == FundingApplication.Status.REGISTERED
    assert reminders.queue_no_proof_reminders(D(2026, 8, 1)) == 0


def test_the_periodic_pass_runs_them_on_londons_date(registration, personas, frozen):
    from portal.reminders import run_all

    with frozen(D(2026, 7, 2), hour=23, minute=30):  # still 61 days before, in London
        assert run_all()["registration.renewals"] == 0
    with frozen(D(2026, 7, 3), hour=0, minute=30):  # the first pass of the 60-day window
        assert run_all()["registration.renewals"] == 1
    with frozen(D(2026, 7, 3), hour=13):
        assert run_all()["registration.renewals"] == 0
    assert sent("registration_renewal_due", personas.technician) == 1


@pytest.mark.parametrize(
    ("today", "shown"),
    [
        (D(2026, 7, 2), None),  # 61 days before: not yet
        (D(2026, 7, 3), "in 60 days"),
        (D(2026, 9, 2), "overdue since 1 September 2026"),
    ],
)
def test_the_dashboard_and_my_registrations_warn_of_a_renewal_from_60_days(
    registration, personas, login, today, shown
):
    with time_machine.travel(datetime.datetime(2026, today.month, today.day, 12), tick=False):
        dashboard = login(personas.technician).get("/").content.decode()
        mine = login(personas.technician).get("/registration/").content.decode()
    if shown is None:
        assert "renewal due" not in dashboard
        assert "due for renewal" not in mine
    else:
        assert "RSciTech renewal due" in dashboard
        assert shown in dashboard
        assert "due for renewal on 1 September 2026" in mine
