"""10,000 pending notifications sent through a real Celery worker on Redis.

    REDIS_URL=redis://127.0.0.1:6379/7 EMAIL_URL=file:///tmp/mails DATABASE_URL=postgres://… \
        .venv/bin/python bench/notifications.py [COUNT]

bench/run.py starts the worker (same REDIS_URL and EMAIL_URL) before running this. Writes
COUNT pending outbox rows, enqueues each one's send task, and a tenth of them a second time
(as when the sweep races the on-commit send, or a task is redelivered), waits until none is
pending, then reads the file backend's messages: every notification must be there exactly
once. Prints JSON.
"""

import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402

from portal.models import Notification  # noqa: E402
from portal.tasks import send_notification  # noqa: E402

KIND = "bench"
TIMEOUT = 600


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    run = time.strftime("%Y%m%d%H%M%S")
    mail_dir = Path(settings.EMAIL_FILE_PATH)
    recipients = list(get_user_model().objects.exclude(email="").order_by("pk"))
    Notification.objects.filter(kind=KIND).delete()
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient=recipients[i % len(recipients)],
                kind=KIND,
                key=f"{run}-{i}",
                subject=f"Bench {run} #{i}",
                body="A notification of the performance harness.",
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    started = time.perf_counter()
    for row in rows:
        send_notification.delay(row.pk)  # as the on-commit send does
    for row in rows[::10]:
        send_notification.delay(row.pk)  # a tenth again: a redelivery, or the sweep racing it
    enqueued = time.perf_counter() - started
    pending = count
    while pending and time.perf_counter() - started < TIMEOUT:
        time.sleep(0.25)
        pending = Notification.objects.filter(kind=KIND, status="pending").count()
    seconds = time.perf_counter() - started
    subjects = Counter()
    pattern = re.compile(rf"^Subject: (Bench {run} #\d+)$", re.MULTILINE)
    for path in mail_dir.glob("*.log"):
        subjects.update(pattern.findall(path.read_text(errors="replace")))
    json.dump(
        {
            "notifications": count,
            "enqueued_seconds": round(enqueued, 2),
            "seconds": round(seconds, 2),
            "pending_left": pending,
            "sent_rows": Notification.objects.filter(kind=KIND, status="sent").count(),
            "messages": sum(subjects.values()),
            "distinct_messages": len(subjects),
            "sent_twice": sum(1 for seen in subjects.values() if seen > 1),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
