"""This round's apps tell people without accounts too: every notification of careers
(mentoring), recognition (fund decisions and reminders, awards), the technician voice (survey
invitations and reminders) and the Commitment (submission reminders, the annual report) reaches
a technician who has never signed in at their staff-list address; the Commitment's reminder
honours the lead's preference and carries the one-click unsubscribe like every reminder."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from careers import reminders as careers_reminders
from careers import services as careers
from careers.models import MentoringPair
from commitment import reminders as commitment_reminders
from commitment.models import AnnualReport, Commitment
from commitment.reports import work
from portal import preferences, registry
from portal.models import Notification, NotificationPreference
from recognition import reminders as recognition_reminders
from recognition import services as recognition
from technicians.models import Technician
from tests import factories
from tests.careers.conftest import make_round
from tests.notifications.conftest import no_account, received
from tests.recognition.conftest import (  # noqa: F401 (the recognition tests' fixtures)
    S,
    call,
    clock,
    close,
    make_application,
    members,
)
from tests.voice.conftest import likert, make_survey
from voice import services as voice
from voice.models import Invitation

pytestmark = pytest.mark.django_db
D = datetime.date


def without_account(technician: Technician) -> Technician:
    """The person leaves their account behind: the staff list is all the portal has."""
    Technician.objects.filter(pk=technician.pk).update(user=None)
    technician.refresh_from_db()
    return technician


# --- careers: mentoring --------------------------------------------------------------------


@pytest.fixture
def pair_of_nobodies(department):
    round = make_round(today=D(2026, 3, 10))
    mentor = no_account(department, "mo.mentor@example.ac.uk", first_name="Mo", last_name="Mentor")
    mentee = no_account(department, "mae.mentee@example.ac.uk", first_name="Mae", last_name="Mee")
    return MentoringPair.objects.create(
        round=round, mentor=mentor, mentee=mentee, reasons=["Both work with NMR"]
    )


def test_a_published_pair_reaches_both_at_their_staff_list_addresses(
    pair_of_nobodies, personas, sends
):
    with sends():
        assert careers.publish_round(pair_of_nobodies.round, by=personas.coordinator) == 1
    for person in (pair_of_nobodies.mentor, pair_of_nobodies.mentee):
        assert "paired with" in received(person, "careers.paired").subject


def test_mentoring_reminders_reach_a_pair_without_accounts(pair_of_nobodies, sends):
    MentoringPair.objects.filter(pk=pair_of_nobodies.pk).update(
        status=MentoringPair.Status.ACTIVE, starts_on=D(2026, 1, 5), ends_on=D(2026, 3, 1)
    )
    with sends():
        careers_reminders.queue_mentoring_reminders(D(2026, 2, 20))  # six weeks, no meeting
        careers_reminders.queue_mentoring_reminders(D(2026, 3, 2))  # the pairing has ended
    for person in (pair_of_nobodies.mentor, pair_of_nobodies.mentee):
        received(person, "careers.no_meeting")
        received(person, "careers.evaluation")


# --- recognition: the development fund and the awards ------------------------------------------


@pytest.fixture
def awarded(make_application, personas, call, clock, sends):  # noqa: F811 (fixtures)
    application = make_application(S.SUBMITTED)
    applicant = without_account(personas.technician_profile)
    close(call, clock)
    with sends():
        recognition.award_fund_application(application, by=personas.hr, amount=Decimal("300"))
    application.refresh_from_db()
    return application, applicant


def test_a_fund_award_reaches_an_applicant_without_an_account(awarded):
    application, applicant = awarded
    notification = received(applicant, f"fund_{application.status}")
    assert "/recognition/" in notification.body


def test_a_declined_fund_application_reaches_an_applicant_without_an_account(
    make_application,  # noqa: F811 (the recognition fixtures imported above)
    personas,
    call,  # noqa: F811
    clock,  # noqa: F811
    sends,
):
    application = make_application(S.SUBMITTED)
    applicant = without_account(personas.technician_profile)
    close(call, clock)
    with sends():
        recognition.decline_fund_application(
            application, by=personas.hr, feedback="The pot is spent."
        )
    application.refresh_from_db()
    received(applicant, f"fund_{application.status}")


def test_report_reminders_reach_an_applicant_without_an_account(awarded, sends):
    application, applicant = awarded
    due = application.report_due_on
    with sends():
        recognition_reminders.queue_report_reminders(due - datetime.timedelta(days=7))
        recognition_reminders.queue_report_reminders(due)
    received(applicant, "fund_report_week")
    received(applicant, "fund_report_due")


def test_an_award_and_a_testimony_request_reach_people_without_accounts(
    personas, department, sends
):
    from recognition.models import AwardCategory
    from tests.recognition.conftest import frozen

    nominee = no_account(department, "nia.nominee@example.ac.uk", first_name="Nia")
    supporter = no_account(department, "sol.supporter@example.ac.uk", first_name="Sol")
    category = AwardCategory.objects.create(name="Technician of the year")
    with frozen(D(2026, 3, 1)), sends():
        nomination = recognition.nominate(
            category=category, nominee=nominee, by=personas.manager, statement="Kept NMR going."
        )
        recognition.request_testimony(nomination, by=personas.manager, supporter=supporter)
    assert "/recognition/" in received(supporter, "award_testimony_request").body
    with frozen(D(2026, 4, 1)), sends():
        recognition.award_nomination(nomination, by=personas.hr)
    received(nominee, "award_won")


# --- the technician voice -------------------------------------------------------------------


def test_a_survey_invitation_and_its_reminder_reach_a_technician_without_an_account(nobody, sends):
    survey = make_survey(title="Pulse 2026")
    likert(survey)
    with sends():
        assert voice.invite(survey) >= 1
    invitation = received(nobody, "voice.invitation")
    assert "/voice/answer/" in invitation.body
    later = Invitation.objects.get(survey=survey, technician=nobody).last_sent_on + (
        datetime.timedelta(days=voice.REMINDER_GAP_DAYS)
    )
    with sends():
        voice.queue_survey_reminders(later)
    reminder = received(nobody, "voice.reminder")
    assert reminder.reminder_kind == voice.REMINDER_KIND
    assert "/voice/answer/" in reminder.body


# --- the Commitment ---------------------------------------------------------------------------


@pytest.fixture
def lead(personas):
    """The Commitment's lead: an account linked to a technician on the staff list."""
    profile = factories.TechnicianFactory(
        user=personas.steering, email=personas.steering.email, first_name="Sam"
    )
    Commitment.objects.create(
        signed_on=D(2023, 6, 1), announced_on=D(2023, 7, 1), lead=personas.steering
    )
    return profile


def test_the_submission_reminder_is_a_reminder_kind_like_any_other():
    kind = registry.reminder_kind(commitment_reminders.KIND)
    assert kind is not None and "Commitment" in kind.label


def test_the_submission_reminder_reaches_the_lead_as_a_person_with_unsubscribe(lead, sends):
    with sends():
        assert commitment_reminders.queue_submission_reminders(D(2024, 1, 31)) == 1
    notification = received(lead, commitment_reminders.KIND)
    assert notification.reminder_kind == commitment_reminders.KIND
    [message] = [m for m in mail.outbox if m.subject == notification.subject]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_the_submission_reminder_honours_the_leads_preference(lead, sends):
    NotificationPreference.objects.create(
        technician=lead, reminder_kind=commitment_reminders.KIND, choice=preferences.NEVER
    )
    with sends():
        commitment_reminders.queue_submission_reminders(D(2024, 1, 31))
    notification = Notification.objects.get(kind=commitment_reminders.KIND)
    assert notification.status == Notification.Status.SKIPPED
    assert mail.outbox == []


def test_the_annual_report_reaches_whoever_asked_for_it_at_their_staff_list_address(
    personas, sends, settings
):
    asker = factories.TechnicianFactory(
        user=personas.hr, email="harper.staff-list@example.ac.uk", first_name="Harper"
    )
    with time_machine.travel(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)):
        report = AnnualReport.objects.create(year=2025, requested_by=personas.hr)
        with sends():
            work.render(report.pk)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.READY, report.error
    received(asker, "annual_report_ready")
