"""A real Celery worker delivers the outbox, and a worker killed mid-send loses nothing and
sends nothing twice (acks_late + reject_on_worker_lost + the row lock)."""

import os
import signal

import pytest
from django.conf import settings
from django.db import transaction

from config.celery import app as celery_app
from portal.models import Notification
from portal.services import queue_notification
from portal.tasks import send_notification
from tests import factories
from tests.reliability.conftest import wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def recipient():
    return factories.UserFactory(email="rowan.reliable@example.ac.uk", username="rowan")


def status_of(notification: Notification) -> str:
    notification.refresh_from_db()
    return notification.status


def test_a_real_worker_delivers_a_queued_notification_once(start_worker, tmp_path):
    worker = start_worker(pool="solo")
    user = recipient()

    with transaction.atomic():
        notification = queue_notification(
            user, "reliability", "delivered", "Your booking is confirmed", "See you on Monday."
        )
        # Nothing is published before the commit.
    wait_until(
        lambda: status_of(notification) == "sent",
        20,
        lambda: f"not sent by the worker:\n{worker.log()[-4000:]}",
    )
    [mail_file] = list((tmp_path / "mail").iterdir())
    message = mail_file.read_text()
    assert "Subject: Your booking is confirmed" in message
    assert "To: rowan.reliable@example.ac.uk" in message
    assert "See you on Monday." in message

    # The same message delivered again (as after a redelivery) sends nothing more.
    send_notification.delay(notification.pk)
    worker.wait_for_log(r"portal\.tasks\.send_notification\[[^\]]+\] succeeded", count=2)
    assert len(list((tmp_path / "mail").iterdir())) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1


def test_every_task_of_the_beat_schedule_runs_on_a_real_worker(start_worker):
    worker = start_worker(pool="solo")
    names = sorted({entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()})
    for name in names:
        celery_app.send_task(name)
    for name in names:
        worker.wait_for_log(rf"{name.replace('.', chr(92) + '.')}\[[^\]]+\] succeeded")
    assert "NotRegistered" not in worker.log()


def test_a_worker_killed_mid_send_redelivers_and_sends_exactly_once(start_worker, stalling_smtp):
    worker = start_worker(pool="prefork", email_url=stalling_smtp.url)
    user = recipient()
    with transaction.atomic():
        notification = queue_notification(
            user, "reliability", "killed", "Action due in 14 days", "Please update it."
        )

    # The pool process has locked the row and is talking to the mail server: kill it there.
    assert stalling_smtp.first_client.wait(20), worker.log()[-4000:]
    [child] = worker.children()
    os.kill(child, signal.SIGKILL)

    # acks_late + reject_on_worker_lost: the message goes back to the queue, a new pool
    # process takes it, the row lock died with the killed process, and the send completes.
    wait_until(
        lambda: status_of(notification) == "sent",
        30,
        lambda: f"not redelivered:\n{worker.log()[-4000:]}",
    )
    assert "WorkerLostError" in worker.log() or "SIGKILL" in worker.log()
    assert len(stalling_smtp.messages) == 1
    assert b"Subject: Action due in 14 days" in stalling_smtp.messages[0]
    assert stalling_smtp.connections == 2  # the killed attempt, and the one that sent
    notification.refresh_from_db()
    assert notification.attempts == 1  # the killed attempt's transaction never committed
    assert worker.process.poll() is None, "the worker itself survived its pool process"
