"""Report-back reminders: a week before the report is due and on the day, each once; the day
after, the award is flagged for HR, once."""

import datetime
from decimal import Decimal

import pytest

from portal.models import Notification
from recognition import reminders, selectors, services
from tests.recognition.conftest import S, close

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_on(make_application, personas, call, clock):
    application = make_application(S.SUBMITTED)
    close(call, clock)
    services.award_fund_application(application, by=personas.hr, amount=Decimal("300"))
    application.refresh_from_db()
    return application.report_due_on


def _kinds():
    return sorted(
        Notification.objects.values_list("kind", flat=True).filter(kind__startswith="fund_report")
    )


def test_reminders_fire_once_a_week_before_and_once_on_the_day(due_on, personas):
    day = datetime.timedelta(days=1)
    assert reminders.queue_report_reminders(due_on - 8 * day) == 0
    assert reminders.queue_report_reminders(due_on - 7 * day) == 1
    assert reminders.queue_report_reminders(due_on - 7 * day) == 0  # the same pass again
    assert reminders.queue_report_reminders(due_on - 3 * day) == 0  # the window already fired
    assert _kinds() == ["fund_report_week"]
    assert reminders.queue_report_reminders(due_on) == 1
    assert reminders.queue_report_reminders(due_on) == 0
    assert _kinds() == ["fund_report_due", "fund_report_week"]
    week, on_the_day = (
        Notification.objects.get(kind="fund_report_week"),
        Notification.objects.get(kind="fund_report_due"),
    )
    assert week.technician == personas.technician_profile
    assert "due in 7 days" in week.subject
    assert "due today" in on_the_day.subject


def test_an_overdue_report_flags_the_award_for_hr_once(due_on, personas):
    day = datetime.timedelta(days=1)
    assert selectors.overdue_reports(due_on) == []
    reminders.queue_report_reminders(due_on + day)
    reminders.queue_report_reminders(due_on + 2 * day)
    flagged = Notification.objects.filter(kind="fund_report_overdue")
    assert flagged.count() == 1
    assert flagged.get().recipient == personas.hr
    assert [a.report_due_on for a in selectors.overdue_reports(due_on + day)] == [due_on]


def test_a_report_sent_stops_the_reminders(due_on, personas):
    from recognition.models import FundApplication

    application = FundApplication.objects.get()
    services.submit_fund_report(application, by=personas.technician, report="Done.")
    assert reminders.queue_report_reminders(due_on - datetime.timedelta(days=7)) == 0
    assert reminders.queue_report_reminders(due_on + datetime.timedelta(days=1)) == 0


def test_the_producer_is_registered():
    from portal import registry

    assert registry.reminders()["recognition.fund_reports"] is reminders.queue_report_reminders
