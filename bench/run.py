"""The performance harness: `make bench` (never part of `make test`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/run.py

For each data size (1,250 and 12,500 technicians) it seeds a fresh PostgreSQL database with
`seed_demo` (the larger size in the database named after DATABASE_URL's with `_12500`), counts
each page's SQL queries with the test client (bench/queries.py), serves the portal with
gunicorn under the production settings (DEBUG=0, 2 workers, loopback) and loads every page
with wrk as the role that uses it, next to the minimal Django "hello" app (bench/hello.py)
under the same gunicorn: the ceiling. Then the mixed load: at least 200 signed-in viewers
across every role (bench/mixed.py), each request a random viewer and a random main page
(bench/mixed.lua), while bench/writer.py makes one write a second through a service. Then
the background work: the annual report at both sizes, 10,000 notifications through a real
Celery worker on Redis (database 7 unless BENCH_REDIS_URL says otherwise), and HR's staff
list preview and apply at 12,500 rows. Writes bench/RESULTS.md (with bench/tuning.md, what
each change bought) and prints the same.

Options: --sizes 1250,12500  --duration 10 (seconds per page)  --mixed-duration 30
--viewers 200  --connections 16  --keep (reuse databases already seeded at that size)
--no-background.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
# The shared figures (portal.versions) in their own Redis database, as deployed.
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/8")
SEED_LIMIT_SECONDS = 180
# Targets: each page on its own, and the mixed load, as shares of the hello ceiling.
SHARE_TARGET, P95_TARGET_MS, MIXED_SHARE_TARGET = 4.0, 150.0, 6.0
REPORT_TARGETS = {1250: 10, 12500: 60}
NOTIFICATIONS_TARGET = 60


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the machine and the tools -------------------------------------------------------------


def ensure_wrk() -> str:
    """wrk is a Debian package; install it when missing (not in CI: only here)."""
    found = shutil.which("wrk")
    if found:
        return found
    log("installing wrk (apt-get install -y wrk)")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


def memory_gb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def versions(env: dict) -> dict[str, str]:
    script = (
        "import django, gunicorn, celery, psycopg, json, sys\n"
        "out = {'Python': sys.version.split()[0], 'Django': django.get_version(),\n"
        "       'gunicorn': gunicorn.__version__, 'Celery': celery.__version__,\n"
        "       'psycopg': psycopg.__version__.split()[0]}\n"
        "try:\n"
        "    import weasyprint; out['WeasyPrint'] = weasyprint.__version__\n"
        "except Exception: pass\n"
        "import redis; out['Redis server'] = redis.Redis.from_url(sys.argv[2]).info()"
        "['redis_version']\n"
        "conn = psycopg.connect(sys.argv[1]); cur = conn.cursor()\n"
        "cur.execute('SHOW server_version'); out['PostgreSQL'] = cur.fetchone()[0].split()[0]\n"
        "print(json.dumps(out))\n"
    )
    found = json.loads(
        subprocess.run(
            # The server's own database: the bench databases may not exist yet.
            [PYTHON, "-c", script, server_database_url(env["DATABASE_URL"]), REDIS_URL],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout
    )
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    match = re.search(r"wrk (\S+)", wrk.stdout + wrk.stderr)
    found["wrk"] = match.group(1) if match else "?"
    return found


# --- databases and the portal's settings -----------------------------------------------------


def database_url(base: str, size: int, sizes: list[int]) -> str:
    """The first size in DATABASE_URL's database, the others in <name>_<size>."""
    if size == sizes[0]:
        return base
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path}_{size}"))


def production_env(url: str, **extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        STATIC_ROOT=str(Path(tempfile.gettempdir()) / "portal_bench_static"),
        MEDIA_ROOT=str(Path(tempfile.gettempdir()) / "portal_bench_media"),
        EMAIL_URL="locmem://",
        PORTAL_CACHE_URL=CACHE_URL,
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def server_database_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def recreate_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    admin = server_database_url(url)
    script = (
        "import psycopg, sys\n"
        "conn = psycopg.connect(sys.argv[1], autocommit=True); cur = conn.cursor()\n"
        "cur.execute('DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)' % sys.argv[2])\n"
        "cur.execute('CREATE DATABASE \"%s\"' % sys.argv[2])\n"
    )
    subprocess.run([PYTHON, "-c", script, admin, name], check=True)


def manage(env: dict, *args: str, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )


def technician_count(env: dict) -> int:
    script = (
        "import psycopg, sys\n"
        "try:\n"
        "    cur = psycopg.connect(sys.argv[1]).cursor()\n"
        "    cur.execute('SELECT count(*) FROM technicians_technician'); print(cur.fetchone()[0])\n"
        "except Exception: print(-1)\n"
    )
    out = subprocess.run(
        [PYTHON, "-c", script, env["DATABASE_URL"]], capture_output=True, text=True
    ).stdout
    return int(out.strip() or -1)


def seed(env: dict, size: int, keep: bool) -> float | None:
    """Seconds seed_demo took on a fresh database (None: an existing one kept)."""
    if keep and technician_count(env) == size:
        log(f"{size}: keeping the seeded database")
        manage(env, "migrate", "--noinput", "-v0")
        vacuum_analyze(env["DATABASE_URL"])
        return None
    recreate_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    log(f"{size}: seed_demo --technicians {size}")
    started = time.perf_counter()
    manage(env, "seed_demo", "--technicians", str(size))
    seconds = time.perf_counter() - started
    vacuum_analyze(env["DATABASE_URL"])
    return seconds


def vacuum_analyze(url: str) -> None:
    """What autovacuum does to a production database within minutes of a bulk load: clear
    the seed's dead rows and give the planner statistics. Measured straight after seeding,
    the planner guessed 79 visible technicians out of 12,500 and sorted them all."""
    script = (
        "import psycopg, sys\n"
        "conn = psycopg.connect(sys.argv[1], autocommit=True)\n"
        "conn.cursor().execute('VACUUM ANALYZE')\n"
    )
    subprocess.run([PYTHON, "-c", script, url], check=True)


def run_json(env: dict, script: str, *args: str) -> dict:
    out = subprocess.run(
        [PYTHON, str(BENCH / script), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


# --- gunicorn and wrk -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn with 2 workers on loopback, as production runs it (docker-compose's web)."""

    def __init__(self, app: str, env: dict, workers: int = 2):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                app,
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                request = urllib.request.Request(self.url("/healthz"))
                urllib.request.urlopen(request, timeout=2)  # noqa: S310 (loopback)
                return
            except urllib.error.HTTPError:
                return  # it answers (the hello app has no /healthz: 200 anyway)
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn {app} did not start")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wrk(
    url: str,
    *,
    cookie: str = "",
    duration: int,
    connections: int,
    script: str = "latency.lua",
    script_args: tuple[str, ...] = (),
) -> dict:
    headers = ["-H", "X-Forwarded-Proto: https"]
    if cookie:
        headers += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            "10s",  # a busy machine's slow answers are measured, not dropped as timeouts
            "-s",
            script,
            *headers,
            url,
            *(("--", *script_args) if script_args else ()),
        ],
        cwd=BENCH,  # mixed.lua loads latency.lua from here
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    return json.loads(line[len("BENCH ") :])


def bench_pages(env: dict, pages: dict, options) -> tuple[dict, list[dict]]:
    """Each page, and the mixed load, against hello measured just before it.

    The ceiling is measured beside each measurement rather than once for the run: a shared
    machine's speed drifts over the minutes a run takes (hello has been seen at 3,819 and
    5,280 req/s on one machine within five minutes), and a share of a ceiling measured
    minutes earlier measures that drift as much as the page. Both servers stay up; only one
    is asked at a time."""
    hello_server = Gunicorn("bench.hello:app", env)
    portal = Gunicorn("config.wsgi:application", env)
    hello_seconds = max(2, options.duration // 2)

    def hello_now() -> dict:
        return wrk(
            hello_server.url("/"),
            cookie="",
            duration=hello_seconds,
            connections=options.connections,
        )

    rows = []
    try:
        wrk(hello_server.url("/"), cookie="", duration=2, connections=options.connections)
        hellos = []
        for page in pages["pages"]:
            cookie = pages["cookies"][page["role"]]  # the session's and CSRF cookies
            url = portal.url(page["path"])
            wrk(url, cookie=cookie, duration=1, connections=options.connections)  # warm
            hello = hello_now()
            hellos.append(hello)
            figures = wrk(
                url, cookie=cookie, duration=options.duration, connections=options.connections
            )
            figures.update(page)
            figures["hello_rps"] = hello["rps"]
            figures["share"] = 100 * figures["rps"] / hello["rps"]
            rows.append(figures)
            log(
                f"{page['label']}: {figures['rps']:.0f} req/s ({figures['share']:.1f} % of "
                f"hello's {hello['rps']:.0f}), p50 {figures['p50_ms']:.0f} ms, p95 "
                f"{figures['p95_ms']:.0f} ms; built in {page['build_ms']:.0f} ms with "
                f"{page['queries']} queries"
            )
        hello = hello_now()
        hellos.append(hello)
        mixed = mixed_load(portal, env, options)
        mixed["hello_rps"] = hello["rps"]
        mixed["share"] = 100 * mixed["rps"] / hello["rps"]
        log(
            f"mixed: {mixed['rps']:.0f} req/s "
            f"({mixed['share']:.1f} % of hello's {hello['rps']:.0f})"
        )
    finally:
        portal.stop()
        hello_server.stop()
    rates = sorted(h["rps"] for h in hellos)
    ceiling = dict(hellos[len(hellos) // 2])  # the median run, for its latencies
    ceiling.update(rps=statistics.median(rates), lowest=rates[0], highest=rates[-1])
    return ceiling, rows, mixed


def mixed_load(portal: Gunicorn, env: dict, options) -> dict:
    """Random viewers on random pages (bench/mixed.py), one write a second meanwhile."""
    drawn = run_json(env, "mixed.py", "--viewers", str(options.viewers))
    handle, name = tempfile.mkstemp(prefix="portal_bench_mixed_", suffix=".tsv")
    os.close(handle)
    lines = Path(name)
    lines.write_text("".join(f"{r['cookie']}\t{r['path']}\n" for r in drawn["requests"]))
    url = portal.url("/")
    mixed = {"connections": options.connections, "script": "mixed.lua"}
    try:
        wrk(url, duration=2, script_args=(str(lines),), **mixed)  # warm
        writer = subprocess.Popen(
            [PYTHON, str(BENCH / "writer.py"), str(options.mixed_duration + 1)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        figures = wrk(url, duration=options.mixed_duration, script_args=(str(lines),), **mixed)
        figures["writes"] = json.loads(writer.communicate(timeout=120)[0])
    finally:
        lines.unlink(missing_ok=True)
    figures["viewers"] = drawn["viewers"]
    figures["distinct_pages"] = len({r["path"] for r in drawn["requests"]})
    return figures


# --- background work ----------------------------------------------------------------------------


def annual_report(env: dict) -> dict:
    """render_annual_report YEAR --output: seconds, pages and the process's peak memory."""
    year_script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        "django.setup(); from commitment.reports.selectors import current_year;"
        "print(current_year())"
    )
    year = subprocess.run(
        [PYTHON, "-c", year_script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    output = Path(tempfile.gettempdir()) / f"portal_bench_report_{os.getpid()}.pdf"
    # A wrapper process whose only child is the command: its children's peak is the command's.
    wrapper = (
        "import resource, subprocess, sys\n"
        "code = subprocess.run(sys.argv[1:]).returncode\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print('PEAK_KB', peak, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [
            PYTHON,
            "-c",
            wrapper,
            PYTHON,
            str(ROOT / "manage.py"),
            "render_annual_report",
            year,
            "--output",
            str(output),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:]}
    peak = int(re.search(r"PEAK_KB (\d+)", done.stderr).group(1)) / 1024
    pages_script = "import sys, pypdf; print(len(pypdf.PdfReader(sys.argv[1]).pages))"
    pages = subprocess.run(
        [PYTHON, "-c", pages_script, str(output)], capture_output=True, text=True, check=True
    ).stdout.strip()
    output.unlink(missing_ok=True)
    return {"year": year, "seconds": seconds, "pages": int(pages), "peak_mb": peak}


def notifications(env: dict) -> dict:
    """10,000 pending notifications through real workers (Redis database 7, file e-mail)."""
    mail_dir = Path(tempfile.mkdtemp(prefix="portal_bench_mail_"))
    worker_env = dict(env, REDIS_URL=REDIS_URL, EMAIL_URL=f"file://{mail_dir}")
    celery = str(BIN / "celery")
    subprocess.run(
        [celery, "-A", "portal", "purge", "-f", "-Q", "celery"],
        cwd=ROOT,
        env=worker_env,
        capture_output=True,
    )
    # As docker-compose deploys it: two worker replicas of two processes each.
    workers = [
        subprocess.Popen(
            [
                celery,
                "-A",
                "portal",
                "worker",
                "-Q",
                "celery",
                "--concurrency",
                "2",
                "-n",
                f"bench{replica}@%h",
                "-l",
                "WARNING",
            ],
            cwd=ROOT,
            env=worker_env,
        )
        for replica in (1, 2)
    ]
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            ping = subprocess.run(
                [celery, "-A", "portal", "inspect", "ping", "-t", "2"],
                cwd=ROOT,
                env=worker_env,
                capture_output=True,
                text=True,
            )
            if ping.stdout.count("pong") >= len(workers):
                break
            time.sleep(1)
        result = run_json(worker_env, "notifications.py", "10000")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        shutil.rmtree(mail_dir, ignore_errors=True)
    return result


# --- the results ----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def pages_table(hello: dict, rows: list[dict]) -> list[str]:
    spread = (
        f"; from {hello['lowest']:.0f} to {hello['highest']:.0f} req/s over the run"
        if "lowest" in hello
        else ""
    )
    lines = [
        f"Hello ceiling: **{hello['rps']:.0f} req/s**, the median of its runs beside each "
        f"measurement (p50 {hello['p50_ms']:.1f} ms, p95 {hello['p95_ms']:.1f} ms{spread}). "
        "Each share below is of hello measured just before that page.",
        "",
        "| page | role | req/s | p50 ms | p95 ms | hello beside it | share of hello "
        "| target met | queries | built in |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for row in rows:
        ok = (
            row["share"] >= SHARE_TARGET and row["p95_ms"] <= P95_TARGET_MS and row["status"] == 200
        )
        plural = "" if row["errors"] == 1 else "s"
        errors = f" ({row['errors']} error{plural})" if row["errors"] else ""
        status = "" if row["status"] == 200 else f" (HTTP {row['status']})"
        lines.append(
            f"| {row['label']}{status} | {row['role']} | {row['rps']:.0f}{errors} | "
            f"{row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row.get('hello_rps', hello['rps']):.0f} "
            f"| {row['share']:.1f} % | {verdict(ok)} | {row['queries']} | "
            f"{row['build_ms']:.0f} ms |"
        )
    return lines


def mixed_lines(mixed: dict) -> list[str]:
    ok = mixed["share"] >= MIXED_SHARE_TARGET and mixed["errors"] == 0
    viewers = ", ".join(f"{count} {role}" for role, count in sorted(mixed["viewers"].items()))
    writes = mixed["writes"]
    return [
        f"**Mixed load**: {mixed['rps']:.0f} req/s, **{mixed['share']:.1f} % of hello** "
        f"(hello just before it: {mixed.get('hello_rps', 0):.0f} req/s) "
        f"(target ≥ {MIXED_SHARE_TARGET:.0f} %: {verdict(ok)}), p50 {mixed['p50_ms']:.1f} ms, "
        f"p95 {mixed['p95_ms']:.1f} ms, p99 {mixed['p99_ms']:.1f} ms, {mixed['errors']} errors. "
        f"{sum(mixed['viewers'].values())} signed-in viewers ({viewers}); "
        f"{mixed['distinct_pages']} distinct URLs; {writes['writes']} profile edits through "
        f"`update_profile` meanwhile (slowest {writes['slowest_ms']:.0f} ms).",
        "",
    ]


def write_results(results: dict, options) -> str:
    out = [
        "# Performance results",
        "",
        f"Written by `make bench` (bench/run.py) on {results['date']}. "
        "Rerun it to refresh this file; the figures are those of the machine it ran on.",
        "",
        "## Machine and versions",
        "",
        f"- {results['cores']} cores, {results['memory_gb']:.1f} GB memory, {results['platform']}",
        f"- load average (1, 5, 15 min) at the start: {results['load_start']}; "
        f"at the end: {results.get('load_end', '(still running)')}",
        "- " + ", ".join(f"{name} {value}" for name, value in results["versions"].items()),
        "- gunicorn: 2 sync workers on 127.0.0.1, production settings (DEBUG=0), no page "
        "cache (every page built on every request, sessions in the database); "
        f"wrk: 2 threads, {options.connections} connections, {options.duration} s a page "
        "after a 1 s warm-up, with the session and CSRF cookies a signed-in browser holds",
        "- hello: the minimal Django app (bench/hello.py: one view, no middleware) under the "
        "same gunicorn, measured just before each page and before the mixed load "
        f"({max(2, options.duration // 2)} s each, its server idle while the portal's runs): "
        "each share is of the hello beside it, as a shared machine's speed drifts over a run",
        f"- mixed load: {options.viewers} signed-in viewers across every role (bench/mixed.py), "
        "each request a random viewer and a random page of their role's main pages, with a "
        f"random profile, course and plan ({options.mixed_duration} s after a 2 s warm-up), "
        "while bench/writer.py edits one profile a second through the profile service",
        "- *queries* and *built in*: the page's SQL queries and its fastest of three builds "
        "in-process through the test client (bench/queries.py)",
        "- the database is measured after `VACUUM ANALYZE`, as autovacuum leaves it within "
        "minutes of a bulk load (straight after seeding, the planner has no statistics)",
        "",
        f"Targets: the mixed load at least {MIXED_SHARE_TARGET:.0f} % of hello; each main page "
        f"on its own at least {SHARE_TARGET:.0f} % of hello with p95 ≤ {P95_TARGET_MS:.0f} ms; "
        "query counts identical at both sizes; the report ≤ 10 s at 1,250 and ≤ 60 s at "
        "12,500; 10,000 notifications ≤ 60 s; 12,500 technicians seeded in ≤ 3 minutes.",
        "",
    ]
    for size, section in results["sizes"].items():
        out += [f"## {size:,} technicians", ""]
        if section.get("seed_seconds") is not None:
            seconds = section["seed_seconds"]
            note = (
                f" (target ≤ {SEED_LIMIT_SECONDS} s: {verdict(seconds <= SEED_LIMIT_SECONDS)})"
                if size >= 12500
                else ""
            )
            out += [f"`seed_demo --technicians {size}`: {seconds:.1f} s{note}.", ""]
        out += [f"Load average during the pages: {section['load']}.", ""]
        found = section.get("search")
        if found:
            out += [
                f"The directory search for “{found['word']}” (count and first page, in the "
                f"database): {found['stored_ms']:.1f} ms through the stored, GIN-indexed "
                f"vector; {found['built_ms']:.1f} ms with the vector built per row as before "
                f"(same results: {verdict(found['same_results'])}).",
                "",
            ]
        if section.get("mixed"):
            out += mixed_lines(section["mixed"])
        out += pages_table(section["hello"], section["pages"])
        out.append("")
    if len(results["sizes"]) > 1:
        counts = [
            {row["label"].split(" (")[0]: row["queries"] for row in section["pages"]}
            for section in results["sizes"].values()
        ]
        same = all(count == counts[0] for count in counts)
        differing = sorted(
            label for label in counts[0] if len({count.get(label) for count in counts}) > 1
        )
        out += [
            f"Query counts identical at every size: {verdict(same)}"
            + (f" (differ: {', '.join(differing)})" if differing else "")
            + ".",
            "",
        ]
    background = results.get("background") or {}
    if background:
        out += ["## Background work", "", "| work | figure | target met |", "|---|---|---|"]
        for size, report in background.get("reports", {}).items():
            if "error" in report:
                out.append(f"| annual report, {size:,} technicians | failed: {report['error']} | |")
                continue
            ok = report["seconds"] <= REPORT_TARGETS.get(size, 60)
            out.append(
                f"| annual report {report['year']}, {size:,} technicians | "
                f"{report['seconds']:.1f} s, {report['pages']} pages, peak "
                f"{report['peak_mb']:.0f} MB | {verdict(ok)} |"
            )
        sent = background.get("notifications")
        if sent:
            ok = (
                sent["seconds"] <= NOTIFICATIONS_TARGET
                and sent["sent_twice"] == 0
                and sent["distinct_messages"] == sent["notifications"]
            )
            out.append(
                f"| {sent['notifications']:,} notifications, 2 worker replicas × 2 processes "
                f"on Redis (a tenth of the tasks enqueued twice) | {sent['seconds']:.1f} s; "
                f"{sent['distinct_messages']:,} distinct messages, {sent['messages']:,} in all, "
                f"{sent['sent_twice']} sent twice, {sent['pending_left']} left pending | "
                f"{verdict(ok)} |"
            )
        staff = background.get("staff_list")
        if staff:
            out.append(
                f"| staff list, {staff['rows']:,} rows | preview {staff['preview_seconds']:.1f} s "
                f"({staff['preview_queries']} queries), apply {staff['apply_seconds']:.1f} s "
                f"({staff['apply_queries']} queries): {staff['summary']} | |"
            )
        out.append("")
    tuning = BENCH / "tuning.md"
    if tuning.exists():
        out += [tuning.read_text().rstrip(), ""]
    text = "\n".join(out)
    (BENCH / "RESULTS.md").write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1250,12500")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--mixed-duration", type=int, default=30)
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="reuse databases seeded at a size")
    parser.add_argument("--no-background", action="store_true")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    base = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit("make bench runs against PostgreSQL: set DATABASE_URL=postgres://…")
    ensure_wrk()
    results = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "memory_gb": memory_gb(),
        "platform": platform.platform(),
        "load_start": load(),
        "sizes": {},
        "background": {},
    }
    first_env = production_env(database_url(base, sizes[0], sizes))
    results["versions"] = versions(first_env)
    manage(first_env, "collectstatic", "--noinput", "-v0")
    reports = {}
    for size in sizes:
        env = production_env(database_url(base, size, sizes))
        section = {"seed_seconds": seed(env, size, options.keep)}
        if section["seed_seconds"] is not None:
            log(f"{size}: seeded in {section['seed_seconds']:.1f} s")
        pages = run_json(env, "queries.py")
        section["search"] = run_json(env, "search.py")
        section["load"] = load()
        section["hello"], section["pages"], section["mixed"] = bench_pages(env, pages, options)
        results["sizes"][size] = section
        if not options.no_background:
            log(f"{size}: annual report")
            reports[size] = annual_report(env)
            results["background"]["reports"] = reports
            if size == max(sizes):
                log(f"{size}: staff list preview and apply")
                results["background"]["staff_list"] = run_json(env, "staff_list_apply.py")
        write_results(results, options)  # what is measured so far, if a later step fails
    if not options.no_background:
        log("10,000 notifications through the workers")
        results["background"]["notifications"] = notifications(
            production_env(database_url(base, sizes[0], sizes))
        )
    results["load_end"] = load()
    print(write_results(results, options))


if __name__ == "__main__":
    main()
