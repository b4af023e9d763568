"""The demo tells a true story: what `seed_demo` writes agrees with itself and with what the
pages show. Seeded once (a small size, every app's seeder) for the whole module."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from actionplan.models import ActionUpdate
from commitment.reports import selectors as report_selectors
from portal.periods import academic_year_of
from registration.models import FundingApplication, FundingEvent
from skills.models import ShadowingRequest
from technicians.demo.seed import has_demo_photo
from technicians.models import Technician
from technicians.selectors import profile_completeness
from training import report as training_report
from training.models import Booking, Session, TrainingRecord

SIZE = 90


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, seeded once for the module (and removed afterwards)."""
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(MEDIA_ROOT=media):
                call_command("seed_demo", technicians=SIZE, stdout=io.StringIO())
            yield media
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def seeded(demo, db, settings):
    settings.MEDIA_ROOT = demo
    return demo


def test_every_date_that_describes_the_past_is_in_the_past(seeded):
    now = timezone.now()
    assert Booking.objects.exists()
    assert not Booking.objects.filter(created__gt=now).exists()
    assert not Booking.objects.filter(cancelled_at__gt=now).exists()
    assert not TrainingRecord.objects.filter(date__gt=timezone.localdate()).exists()
    assert not ActionUpdate.objects.filter(created__gt=now).exists()
    assert FundingApplication.objects.exists()
    assert not FundingApplication.objects.filter(created__gt=now).exists()
    assert not FundingApplication.objects.filter(decided_at__gt=now).exists()
    assert not FundingEvent.objects.filter(created__gt=now).exists()
    for field in ("created", "decided_at", "completed_at"):
        assert not ShadowingRequest.objects.filter(**{f"{field}__gt": now}).exists(), field
    # A booking still waiting for approval was asked in the past, some of them long enough
    # ago for the manager's reminder (three working days).
    waiting = Booking.objects.filter(status=Booking.Status.REQUESTED)
    assert waiting.exists()
    assert waiting.filter(created__lt=now - timezone.timedelta(days=5)).exists()


def test_the_new_apps_past_is_in_the_past_too(seeded):
    """Announcements, surveys and the Commitment's submissions: sent, answered and submitted
    before today; a closed survey has its answers, and the one still open is open today."""
    from announcements.models import Announcement
    from commitment.models import Submission, SubmissionEvent
    from voice.models import Invitation, Survey

    now, today = timezone.now(), timezone.localdate()
    assert Announcement.objects.exists()
    assert not Announcement.objects.filter(created__gt=now).exists()
    assert not Announcement.objects.filter(finished_at__gt=now).exists()
    assert Survey.objects.exists()
    assert not Survey.objects.filter(invited_at__gt=now).exists()
    closed = Survey.objects.filter(closes_on__lt=today)
    assert closed.exists()
    for survey in closed:
        assert Invitation.objects.filter(survey=survey, answered=True).exists(), survey.title
    assert not Invitation.objects.filter(last_sent_on__gt=today).exists()
    submitted = Submission.objects.exclude(submitted_on=None)
    assert submitted.exists()
    assert not submitted.filter(submitted_on__gt=today).exists()
    assert not SubmissionEvent.objects.filter(created__gt=now).exists()


def test_about_two_thirds_of_profiles_are_complete_with_a_portrait(seeded):
    complete, active, percent = profile_completeness()
    assert active > 0
    assert 60 <= percent <= 75
    with_photo = Technician.objects.exclude(photo="")
    assert with_photo.count() == sum(
        has_demo_photo(number)
        for number in Technician.objects.values_list("staff_number", flat=True)
    )
    technician = with_photo.first()
    assert technician.photo_thumbnail
    with technician.photo.open("rb") as photo:
        assert photo.read(3) == b"\xff\xd8\xff"  # re-encoded by the photo service as JPEG
    # The demo logins' own profiles lack something, so their dashboards show what to add.
    assert not Technician.objects.filter(staff_number__startswith="DEMO").exclude(photo="")


def test_past_sessions_have_attendance_and_the_report_counts_them(seeded):
    now = timezone.now()
    past = Session.objects.filter(status=Session.Status.SCHEDULED, ends_at__lt=now)
    assert past.exists()
    # Nobody still "confirmed" for a session that is over: attended or no-show.
    assert not Booking.objects.filter(session__in=past, status=Booking.Status.CONFIRMED).exists()
    last_complete = academic_year_of(timezone.localdate()) - 1
    figures = training_report.figures(last_complete)
    assert figures["sessions_delivered"] > 0
    assert figures["attended"] > figures["no_shows"] > 0
    assert figures["days"] > 0


def test_the_plan_quotes_the_figures_the_portal_shows(seeded, client):
    complete, active, percent = profile_completeness()
    closing = ActionUpdate.objects.filter(action__ref="V1.1").order_by("-created").first()
    assert f"{percent} %" in closing.note
    assert f"{complete:,} of {active:,}" in closing.note
    assert percent >= 60  # the action's success measure, which the note says was met
    client.force_login(_user("hr@example.ac.uk"))
    page = client.get("/").content.decode()
    shown = re.search(r"Complete profiles</dt><dd>([\d,]+) of ([\d,]+) \((\d+) %\)", page)
    assert shown, "HR's staff-list panel shows the complete profiles"
    assert shown.groups() == (f"{complete:,}", f"{active:,}", str(percent))


def test_the_reports_page_opens_on_the_last_complete_year_with_data(seeded, client):
    client.force_login(_user("hr@example.ac.uk"))
    page = client.get("/reports/").content.decode()
    last_complete = academic_year_of(timezone.localdate()) - 1
    assert re.search(rf'<option value="{last_complete}"[^>]* selected', page)
    years = [year for year, _label in report_selectors.years_with_data()]
    assert last_complete in years
    assert all(year <= last_complete + 1 for year in years)


def _user(email):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=email)
