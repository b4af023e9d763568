"""A real Celery worker (a separate process) on the test database and a test-only Redis DB.

The worker is started with `.venv/bin/celery -A config worker`, exactly as `make worker` and
docker-compose start it, with DATABASE_URL pointing at pytest's test database (the tests are
transaction=True, so what they write is committed and visible to it) and REDIS_URL at a Redis
database number of its own, flushed before and after. On SQLite another process cannot see
the test database reliably, so these tests need PostgreSQL and Redis.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlparse, urlunparse

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.celery_helpers import celery_config

BASE_DIR = Path(__file__).resolve().parents[2]
# The virtualenv running the tests (a worktree may share another checkout's .venv).
CELERY = Path(sys.executable).parent / "celery"
STARTUP_TIMEOUT = 30


def worker_redis_url() -> str:
    """The broker URL of these tests: REDIS_URL's server with a database number of its own
    (PORTAL_TEST_REDIS_DB, default 15, or 14 when REDIS_URL itself uses 15), and one lower for
    each further process of a suite spread over several (`make test`: pytest-xdist's gw1,
    gw2…), so that no two workers take each other's tasks."""
    base = urlparse(settings.REDIS_URL)
    own = int(base.path.strip("/") or 0)
    first = int(os.environ.get("PORTAL_TEST_REDIS_DB", "14" if own == 15 else "15"))
    process = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    numbers = [number for number in range(first, -1, -1) if number != own]
    assert process < len(numbers), "more test processes than Redis databases to give them"
    return urlunparse(base._replace(path=f"/{numbers[process]}"))


def worker_database_url() -> str:
    """DATABASE_URL of pytest's test database (test_<name>), for the worker process."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = quote(str(db["PASSWORD"] or ""), safe="")
    credentials = f"{user}:{password}@" if user else ""
    return f"postgres://{credentials}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Worker:
    process: subprocess.Popen
    log_path: Path
    name: str

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, pattern: str, timeout: float = 20, count: int = 1) -> None:
        wait_until(
            lambda: len(re.findall(pattern, self.log())) >= count,
            timeout,
            lambda: f"worker log never showed {pattern!r} x{count}:\n{self.log()[-4000:]}",
        )

    def children(self) -> list[int]:
        """Pids of the worker's pool processes (prefork), from /proc."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def wait_until(condition: Callable[[], bool], timeout: float, message: Callable[[], str]):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(message())


@pytest.fixture
def broker(transactional_db) -> Iterator[str]:
    """The test-only Redis DB, empty, with this process's Celery app publishing to it."""
    url = worker_redis_url()
    client = redis.Redis.from_url(url)
    client.flushdb()
    with celery_config(broker_url=url, task_always_eager=False):
        yield url
    client.flushdb()


@pytest.fixture
def start_worker(broker, tmp_path) -> Iterator[Callable[..., Worker]]:
    """`start_worker(pool="solo", email_url=...)` starts a real worker and waits until ready."""
    started: list[Worker] = []

    def _start(pool: str = "solo", email_url: str = "", **extra_env: str) -> Worker:
        name = f"reliability-{uuid.uuid4().hex[:8]}@%h"
        log_path = tmp_path / f"worker-{len(started)}.log"
        env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            # Close the connection after each task: nothing holds the test database open.
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": broker,
            "EMAIL_URL": email_url or f"file://{tmp_path / 'mail'}",
            "DEBUG": "1",
            **extra_env,
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        argv = [str(CELERY), "-A", "config", "worker", "-Q", "celery,reports,imports"]
        argv += ["--pool", pool, "--concurrency", "1", "-n", name, "--loglevel", "INFO"]
        argv += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        with log_path.open("wb") as log:
            process = subprocess.Popen(  # noqa: S603
                argv,
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(process, log_path, name)
        started.append(worker)
        wait_until(
            lambda: " ready." in worker.log() or process.poll() is not None,
            STARTUP_TIMEOUT,
            lambda: f"the worker did not start:\n{worker.log()[-4000:]}",
        )
        assert process.poll() is None, f"the worker exited:\n{worker.log()[-4000:]}"
        return worker

    yield _start
    for worker in started:
        worker.stop()


@dataclass
class StallingSMTPServer:
    """A small SMTP server that leaves its first client hanging (no greeting) and serves
    the others: the first send is caught mid-task, the next ones are delivered."""

    sock: socket.socket = field(default_factory=lambda: socket.create_server(("127.0.0.1", 0)))
    first_client: threading.Event = field(default_factory=threading.Event)
    messages: list[bytes] = field(default_factory=list)
    connections: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _open: list[socket.socket] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.sock.getsockname()[1]}"

    def start(self) -> None:
        self.sock.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self._open.append(conn)
            self.connections += 1
            if self.connections == 1:
                self.first_client.set()  # never answered: the client waits for a greeting
            else:
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        stream = conn.makefile("rb")

        def reply(line: str) -> None:
            conn.sendall(f"{line}\r\n".encode())

        try:
            reply("220 reliability-test ESMTP")
            while line := stream.readline():
                verb = line.decode(errors="replace").strip().split(" ")[0].upper()
                if verb in {"EHLO", "HELO"}:
                    reply("250 reliability-test")
                elif verb == "DATA":
                    reply("354 end with <CRLF>.<CRLF>")
                    data = b""
                    while not data.endswith(b"\r\n.\r\n"):
                        chunk = stream.readline()
                        if not chunk:
                            return
                        data += chunk
                    self.messages.append(data)
                    reply("250 queued")
                elif verb == "QUIT":
                    reply("221 bye")
                    return
                else:  # MAIL, RCPT, RSET, NOOP
                    reply("250 ok")
        except OSError:
            return
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        for conn in self._open:
            conn.close()
        self.sock.close()


@pytest.fixture
def stalling_smtp() -> Iterator[StallingSMTPServer]:
    server = StallingSMTPServer()
    server.start()
    yield server
    server.close()
