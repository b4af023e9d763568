"""The notification outbox: written with the change, sent once, never lost."""

import socket
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from config.celery import app as celery_app
from portal import outbox, tasks
from portal.models import Notification
from portal.services import queue_notification
from tests import factories
from tests.celery_helpers import celery_config

CLOSED_PORT = 1  # nothing listens on port 1: connecting is refused at once


def make_user(email="robin.recipient@example.ac.uk"):
    return factories.UserFactory(email=email, username=email)


def pending(user, key="k1", kind="test", **fields):
    return Notification.objects.create(
        recipient=user, kind=kind, key=key, subject=f"Subject {key}", body="Body", **fields
    )


@pytest.fixture
def smtp_refused(settings):
    """A real SMTP backend pointed at a port where nothing listens: every send fails."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = CLOSED_PORT
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2


class SlowLocmemBackend(LocmemBackend):
    """Django's in-memory backend, taking its time: widens the window for races."""

    delay = 0.3

    def send_messages(self, messages):
        time.sleep(self.delay)
        return super().send_messages(messages)


# --- queueing ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_queued_notification_is_sent_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue_notification(user, "test", "k1", "Your session", "See you there.")
        assert mail.outbox == [], "nothing is sent before the commit"

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "Your session"
    assert message.body == "See you there."
    assert message.from_email == settings.DEFAULT_FROM_EMAIL


@pytest.mark.django_db
def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                queue_notification(user, "test", "k1", "Subject", "Body")
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_same_kind_key_and_recipient_is_queued_once(django_capture_on_commit_callbacks):
    user, other = make_user(), make_user("sam.other@example.ac.uk")
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_notification(user, "action_due", "action-7", "Due soon", "Body")
        again = queue_notification(user, "action_due", "action-7", "Due soon", "Body")
        to_other = queue_notification(other, "action_due", "action-7", "Due soon", "Body")
        other_kind = queue_notification(user, "action_overdue", "action-7", "Overdue", "Body")

    assert first is not None and to_other is not None and other_kind is not None
    assert again is None
    assert Notification.objects.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted([user.email, other.email, user.email])


@pytest.mark.django_db
def test_a_duplicate_does_not_break_the_callers_transaction(django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        queue_notification(user, "test", "k1", "Subject", "Body")
        assert queue_notification(user, "test", "k1", "Subject", "Body") is None
        # The transaction is still usable after the duplicate.
        factories.UserFactory(email="after@example.ac.uk", username="after@example.ac.uk")
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_account_without_an_email_address_is_recorded_as_failed_with_the_reason():
    nobody = factories.UserFactory(email="", username="no-address")
    with transaction.atomic():
        notification = queue_notification(nobody, "test", "k1", "Subject", "Body")
    assert notification.status == Notification.Status.FAILED
    assert notification.reason == "No e-mail address"
    assert queue_notification(None, "test", "k1", "Subject", "Body") is None
    assert Notification.objects.count() == 1
    assert mail.outbox == []


# --- sending -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sending_twice_sends_one_email():
    notification = pending(make_user())
    assert outbox.send(notification.pk) is True
    assert outbox.send(notification.pk) is False
    assert tasks.send_notification.delay(notification.pk).get() is False  # a redelivery
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1


@pytest.mark.django_db
def test_sending_a_notification_that_no_longer_exists_does_nothing():
    assert outbox.send(987654) is False
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_failed_send_stays_pending_with_a_backoff_then_fails_for_good(smtp_refused):
    notification = pending(make_user())
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert outbox.send(notification.pk) is False
        notification.refresh_from_db()
        assert notification.status == Notification.Status.PENDING
        assert notification.attempts == 1
        assert "ConnectionRefusedError" in notification.last_error
        assert notification.next_attempt_at == start + timedelta(minutes=2)
        assert notification.sent_at is None

        for attempt in range(2, outbox.MAX_ATTEMPTS + 1):
            traveller.shift(outbox.backoff(attempt - 1))
            assert outbox.send(notification.pk) is False
            notification.refresh_from_db()
            assert notification.attempts == attempt
            if attempt < outbox.MAX_ATTEMPTS:
                assert notification.status == Notification.Status.PENDING
                assert notification.next_attempt_at == timezone.now() + outbox.backoff(attempt)

    assert notification.status == Notification.Status.FAILED
    assert notification.next_attempt_at is None
    # Failed for good: neither the task nor the sweep tries again.
    assert outbox.send(notification.pk) is False
    notification.refresh_from_db()
    assert notification.attempts == outbox.MAX_ATTEMPTS
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_sweep_waits_for_the_backoff_after_a_failure(smtp_refused, settings):
    notification = pending(make_user())
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        traveller.shift(timedelta(minutes=2))
        assert outbox.sweep() == {"tried": 1, "sent": 0}  # fails: SMTP refused
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        traveller.shift(timedelta(minutes=1))
        assert outbox.sweep() == {"tried": 0, "sent": 0}  # backoff: 2 minutes
        traveller.shift(timedelta(minutes=1, seconds=1))
        assert outbox.sweep() == {"tried": 1, "sent": 1}
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2
    assert len(mail.outbox) == 1


# --- the sweep -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_sends_rows_left_pending_for_more_than_a_minute():
    user = make_user()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        # Written but never sent (the broker was down when the change committed).
        rows = [queue_notification(user, "test", f"k{i}", f"S{i}", "B") for i in range(3)]
        already_sent = pending(user, key="done", status=Notification.Status.SENT)
        failed = pending(user, key="failed", status=Notification.Status.FAILED, attempts=5)

        traveller.shift(timedelta(seconds=30))
        assert tasks.send_pending_notifications.delay().get() == {"tried": 0, "sent": 0}
        assert mail.outbox == []

        traveller.shift(timedelta(seconds=31))
        assert tasks.send_pending_notifications.delay().get() == {"tried": 3, "sent": 3}
        assert tasks.send_pending_notifications.delay().get() == {"tried": 0, "sent": 0}

    assert sorted(m.subject for m in mail.outbox) == ["S0", "S1", "S2"]
    for row in rows:
        row.refresh_from_db()
        assert row.status == Notification.Status.SENT
    already_sent.refresh_from_db()
    failed.refresh_from_db()
    assert (already_sent.attempts, failed.status) == (0, Notification.Status.FAILED)


@pytest.mark.django_db
def test_the_sweep_works_in_batches_by_primary_key_and_stops_at_its_limit():
    user = make_user()
    with time_machine.travel(timezone.now() - timedelta(minutes=5), tick=False):
        Notification.objects.bulk_create(
            Notification(recipient=user, kind="bulk", key=str(i), subject=f"S{i}", body="B")
            for i in range(25)
        )
    first = outbox.sweep(batch_size=10, limit=12)
    assert first == {"tried": 12, "sent": 12}
    lowest = sorted(Notification.objects.values_list("pk", flat=True))[:12]
    assert set(
        Notification.objects.filter(status=Notification.Status.SENT).values_list("pk", flat=True)
    ) == set(lowest)
    assert outbox.sweep(batch_size=10) == {"tried": 13, "sent": 13}
    assert len(mail.outbox) == 25
    assert len({m.subject for m in mail.outbox}) == 25


def test_the_beat_schedule_names_registered_tasks():
    celery_app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in schedule.values()} >= {
        "portal.tasks.send_pending_notifications",
        "portal.tasks.send_reminders",
    }
    for name, entry in schedule.items():
        assert entry["task"] in celery_app.tasks, f"beat entry {name} names an unknown task"
    # The sweep runs often enough that "pending for more than a minute" means something.
    assert schedule["send-pending-notifications"]["schedule"] <= 300


def test_tasks_are_safe_to_deliver_twice():
    conf = celery_app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"] and conf.task_serializer == "json"
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert celery_app.tasks["portal.tasks.send_notification"].autoretry_for


# --- a broker that is down or hung never fails a request -----------------------------------


def notify_view(request):
    """A view that changes something and notifies, as the apps' services do."""
    user = factories.UserFactory(email="broker-test@example.ac.uk", username="broker-test")
    with transaction.atomic():
        queue_notification(user, "test", "broker-down", "Queued while the broker was down", "B")
    return HttpResponse("saved")


urlpatterns = [path("notify/", notify_view)]


@pytest.fixture
def hung_redis():
    """A TCP server that accepts connections and never answers: a hung Redis."""
    server = socket.create_server(("127.0.0.1", 0))
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.mark.urls("tests.portal.test_outbox")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", ["refused", "hung"])
def test_a_request_succeeds_when_the_broker_is_unreachable_and_the_sweep_sends_later(
    client, broker, request, caplog
):
    broker_url = (
        f"redis://127.0.0.1:{CLOSED_PORT}/0"
        if broker == "refused"
        else request.getfixturevalue("hung_redis")
    )
    with celery_config(broker_url=broker_url, task_always_eager=False):
        started = time.monotonic()
        response = client.get("/notify/")
        elapsed = time.monotonic() - started

    assert response.status_code == 200
    # The short broker timeouts of settings: a hung broker costs seconds, never a hang.
    assert elapsed < (2 if broker == "refused" else 8), f"the request took {elapsed:.1f}s"
    notification = Notification.objects.get(key="broker-down")  # committed
    assert notification.status == Notification.Status.PENDING
    assert mail.outbox == []
    assert "on_commit" in caplog.text  # the failed publish is logged, not raised

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert outbox.sweep() == {"tried": 1, "sent": 1}
    [message] = mail.outbox
    assert message.subject == "Queued while the broker was down"


# --- two workers, one row (PostgreSQL: real row locks) -------------------------------------


def _in_thread(target, results, index, barrier):
    try:
        barrier.wait()
        results[index] = target()
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_notification_send_one_email(settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowLocmemBackend"
    notification = pending(make_user())
    results = [None, None]
    barrier = threading.Barrier(2)
    threads = [
        threading.Thread(
            target=_in_thread,
            args=(lambda: outbox.send(notification.pk), results, i, barrier),
        )
        for i in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(results) == [False, True], "one worker sends, the other skips the locked row"
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_every_row_once(settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowLocmemBackend"
    SlowLocmemBackend.delay = 0.02
    try:
        user = make_user()
        with time_machine.travel(timezone.now() - timedelta(minutes=5), tick=False):
            for i in range(20):
                pending(user, key=str(i))
        results = [None, None]
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=_in_thread, args=(outbox.sweep, results, i, barrier))
            for i in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        SlowLocmemBackend.delay = 0.3

    assert sum(result["sent"] for result in results) == 20
    assert len(mail.outbox) == 20
    assert len({m.subject for m in mail.outbox}) == 20
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


# --- the admin's "send now" ----------------------------------------------------------------


@pytest.mark.django_db
def test_an_administrator_can_send_notifications_now_from_the_admin(personas, login):
    user = make_user()
    waiting = pending(user, key="waiting")
    failed = pending(user, key="failed", status=Notification.Status.FAILED, attempts=5)
    sent = pending(user, key="sent", status=Notification.Status.SENT, attempts=1)

    client = login(personas.admin)
    response = client.post(
        "/admin/portal/notification/",
        {"action": "send_now", "_selected_action": [waiting.pk, failed.pk, sent.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "2 notification(s) sent." in response.content.decode()
    assert sorted(m.subject for m in mail.outbox) == ["Subject failed", "Subject waiting"]
    for row in (waiting, failed, sent):
        row.refresh_from_db()
        assert row.status == Notification.Status.SENT
    assert sent.attempts == 1  # left alone: never sent twice


@pytest.mark.django_db
def test_the_notification_admin_lists_the_outbox_for_administrators_only(personas, login):
    pending(make_user(), key="listed")
    assert login(personas.admin).get("/admin/portal/notification/").status_code == 200
    # HR enter the admin for the registers' fees only: the outbox is not theirs.
    assert login(personas.hr).get("/admin/portal/notification/").status_code == 403
    assert "/admin/portal/notification/" not in login(personas.hr).get("/admin/").content.decode()
