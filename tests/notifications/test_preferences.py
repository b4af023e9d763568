"""Each person chooses, per kind of reminder: at once (the default), a weekly digest, or
never; decisions always come at once; every reminder carries a one-click unsubscribe."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signing import Signer

from portal import digest, outbox, preferences, registry
from portal import unsubscribe as links
from portal.models import Notification, NotificationPreference
from portal.services import queue_notification, set_notification_preferences, unsubscribe
from tests.notifications.conftest import received
from training import reminders as training_reminders

pytestmark = pytest.mark.django_db
KIND = training_reminders.SESSION_TOMORROW
LONDON = datetime.timezone(datetime.timedelta(0))  # December: London is on UTC
MONDAY = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=LONDON)


def remind(person, key="1", kind=KIND, subject=None):
    return queue_notification(
        person, kind, key, subject or f"Reminder {key}", f"Body {key}", reminder_kind=kind
    )


def choose(person, choice, kind=KIND):
    NotificationPreference.objects.create(
        reminder_kind=kind, choice=choice, **preferences.owner_filter(person)
    )


def test_every_app_registers_its_kinds_of_reminder():
    names = {kind.name for kind in registry.reminder_kinds()}
    assert {
        "training_session_tomorrow",
        "training_approval_waiting",
        "registration_renewal_due",
        "funding_waiting",
        "action_reminders",
        "skills.review_due",
        "announcements",
        "voice.reminder",
        "commitment_submission_due",
        "careers.no_meeting",
        "careers.evaluation",
        "fund_report_week",
        "fund_report_due",
        "fund_report_overdue",
    } <= names


def test_at_once_is_the_default(nobody, sends):
    assert preferences.choice_for(nobody, KIND) == preferences.AT_ONCE
    assert set(preferences.choices_for(nobody).values()) == {preferences.AT_ONCE}
    with sends():
        remind(nobody)
    received(nobody, KIND)


def test_never_skips_and_records_why(nobody, sends):
    choose(nobody, preferences.NEVER)
    with sends():
        notification = remind(nobody)
    assert notification.status == Notification.Status.SKIPPED
    assert "preferences" in notification.reason
    assert mail.outbox == []


def test_decisions_always_come_at_once_whatever_the_preferences(nobody, sends):
    for kind in registry.reminder_kinds():
        choose(nobody, preferences.NEVER, kind=kind.name)
    with sends():
        queue_notification(nobody, "training_booking_declined", "b:1", "Not approved", "Sorry")
    received(nobody, "training_booking_declined")


def test_a_digest_holds_reminders_and_sends_one_email_a_week(nobody, personas, sends):
    choose(nobody, preferences.DIGEST)
    with time_machine.travel(MONDAY - datetime.timedelta(days=5), tick=False), sends():
        remind(nobody, "1", subject="Tomorrow: COSHH")
        remind(nobody, "2", subject="Tomorrow: Fire safety")
        remind(personas.technician_profile, "3")  # at once: not held
    assert [m.to for m in mail.outbox] == [[personas.technician_profile.email]]
    assert Notification.objects.filter(digest=True, status="pending").count() == 2
    # Not on other days; nothing sent by the sweep meanwhile.
    assert digest.send_digests(MONDAY - datetime.timedelta(days=1)) == 0
    assert outbox.sweep()["tried"] == 0
    with time_machine.travel(MONDAY, tick=False), sends():
        assert digest.send_digests(MONDAY) == 1
        assert digest.send_digests(MONDAY + datetime.timedelta(hours=1)) == 0  # once only
    weekly = received(nobody, digest.DIGEST_KIND)
    assert weekly.key == "2026-W50"
    assert weekly.subject == "Your weekly digest: 2 reminders"
    assert "1. Tomorrow: COSHH" in weekly.body and "2. Tomorrow: Fire safety" in weekly.body
    assert "Body 1" in weekly.body and "/technicians/me/notifications/" in weekly.body
    assert set(
        Notification.objects.filter(key__in=["1", "2"]).values_list("status", flat=True)
    ) == {"sent"}
    assert len([m for m in mail.outbox if m.to == [nobody.email]]) == 1
    # A reminder that comes later in the week waits for the next digest.
    with time_machine.travel(MONDAY + datetime.timedelta(hours=3), tick=False), sends():
        remind(nobody, "4")
        assert digest.send_digests(MONDAY + datetime.timedelta(hours=3)) == 0
    next_monday = MONDAY + datetime.timedelta(days=7)
    with time_machine.travel(next_monday, tick=False), sends():
        assert digest.send_digests(next_monday) == 1
    assert Notification.objects.filter(kind=digest.DIGEST_KIND, technician=nobody).count() == 2


def test_the_settings_page_saves_choices_for_the_person(personas, login):
    client = login(personas.technician)
    page = client.get("/technicians/me/notifications/")
    assert page.status_code == 200
    assert "Training: the day before a session you are booked on" in page.content.decode()
    data = {kind.name: "at_once" for kind in registry.reminder_kinds()}
    data[KIND] = "digest"
    data["announcements"] = "never"
    response = client.post("/technicians/me/notifications/", data)
    assert response.status_code == 302
    choices = preferences.choices_for(personas.technician_profile)
    assert (choices[KIND], choices["announcements"]) == ("digest", "never")
    # Kept on the technician, so they hold whether or not the person signs in.
    assert NotificationPreference.objects.filter(
        technician=personas.technician_profile, user=None
    ).count() == len(data)
    assert "notifications/" in client.get("/technicians/me/").content.decode()


def test_someone_without_a_technician_profile_keeps_settings_on_the_account(personas, login):
    data = {kind.name: "at_once" for kind in registry.reminder_kinds()}
    data[KIND] = "never"
    assert login(personas.hr).post("/technicians/me/notifications/", data).status_code == 302
    assert preferences.choice_for(personas.hr, KIND) == "never"
    assert NotificationPreference.objects.filter(user=personas.hr, technician=None).exists()


def test_only_the_person_changes_their_settings(personas, nobody):
    with pytest.raises(PermissionDenied):
        set_notification_preferences(nobody, {KIND: "never"}, by=personas.hr)
    with pytest.raises(ValidationError):
        set_notification_preferences(
            personas.technician_profile, {"no-such-kind": "never"}, by=personas.technician
        )
    with pytest.raises(ValidationError):
        set_notification_preferences(
            personas.technician_profile, {KIND: "sometimes"}, by=personas.technician
        )
    set_notification_preferences(nobody, {KIND: "never"}, by=personas.admin)
    assert preferences.choice_for(nobody, KIND) == "never"


def test_held_reminders_follow_a_new_choice(nobody, personas, sends):
    choose(nobody, preferences.DIGEST)
    remind(nobody, "1")
    with sends():
        set_notification_preferences(nobody, {KIND: "at_once"}, by=personas.admin)
    received(nobody, KIND)


# --- unsubscribe ---------------------------------------------------------------------------


def test_every_reminder_carries_the_one_click_unsubscribe_headers(nobody, sends, settings):
    settings.SITE_URL = "https://portal.example.ac.uk"
    with sends():
        remind(nobody)
        queue_notification(nobody, "training_booking_confirmed", "b:1", "Booked", "Body")
    reminder, decision = mail.outbox
    link = reminder.extra_headers["List-Unsubscribe"]
    assert link.startswith("<https://portal.example.ac.uk/notifications/unsubscribe/")
    assert reminder.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.strip("<>") in reminder.body
    message = reminder.message()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A decision is not a reminder: no unsubscribe.
    assert "List-Unsubscribe" not in decision.extra_headers


def test_one_click_unsubscribe_without_signing_in(nobody, client, sends):
    token = links.make_token(nobody, KIND)
    page = client.get(f"/notifications/unsubscribe/{token}/")
    assert page.status_code == 200
    assert "Stop these reminders?" in page.content.decode()
    assert preferences.choice_for(nobody, KIND) == "at_once"  # GET changes nothing
    # The mail client's one-click POST: no session, no CSRF token.
    client.handler.enforce_csrf_checks = True
    done = client.post(f"/notifications/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    assert preferences.choice_for(nobody, KIND) == "never"
    with sends():
        assert remind(nobody, "2").status == Notification.Status.SKIPPED
    assert mail.outbox == []
    # Other kinds still come.
    assert preferences.choice_for(nobody, "announcements") == "at_once"


def test_a_tampered_token_is_refused_and_changes_nothing(nobody, personas, client):
    token = links.make_token(nobody, KIND)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/notifications/unsubscribe/{tampered}/").status_code == 400
    assert client.post(f"/notifications/unsubscribe/{tampered}/").status_code == 400
    # Signed with another salt (or for another purpose): refused too.
    other = Signer(salt="something-else").sign_object({"t": nobody.pk, "k": KIND})
    assert client.post(f"/notifications/unsubscribe/{other}/").status_code == 400
    with pytest.raises(ValidationError):
        unsubscribe("not-a-token")
    assert not NotificationPreference.objects.exists()


def test_a_token_names_one_person_and_one_kind(nobody, personas):
    token = links.make_token(nobody, KIND)
    assert links.read_token(token) == (nobody, KIND)
    assert links.read_token(links.make_token(personas.hr, "announcements")) == (
        personas.hr,
        "announcements",
    )
    unsubscribe(token)
    assert preferences.choice_for(nobody, KIND) == "never"
    assert preferences.choice_for(personas.technician_profile, KIND) == "at_once"
