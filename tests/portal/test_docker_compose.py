"""docker-compose.yml and the Dockerfile agree with each other and with config/settings.py.

There is no Docker engine here, so the files are read, not run."""

import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from tests.portal.test_settings import load_settings, settings_env_names  # noqa: F401

BASE_DIR = Path(__file__).resolve().parents[2]
PORTAL_SERVICES = ("web", "worker", "reports-worker", "imports-worker", "beat", "migrate")


def interpolate(value: str) -> str:
    """Compose's ${NAME:-default} and ${NAME:?error}, as if nothing were set in .env."""

    def replace(match: re.Match) -> str:
        operator, word = match.group(2), match.group(3) or ""
        return word if operator in {":-", "-"} else "set-in-dotenv"

    return re.sub(r"\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}", replace, str(value))


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined."""
    text = (BASE_DIR / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def command(service: dict) -> list[str]:
    value = service.get("command", [])
    return value if isinstance(value, list) else shlex.split(value)


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {name: interpolate(value) for name, value in env.items()}


def test_every_service_of_the_deployment_exists(services):
    assert set(services) >= {"db", "redis", "web", "worker", "reports-worker", "beat"}


def test_postgres_and_redis(services):
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert any("/var/lib/postgresql/data" in volume for volume in services["db"]["volumes"])
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "ping" in " ".join(services["redis"]["healthcheck"]["test"])


def test_the_web_server_is_gunicorn_on_the_wsgi_application(services):
    argv = command(services["web"])
    assert argv[0] == "gunicorn"
    assert argv[1] in {"config.wsgi", "config.wsgi:application"}
    assert "0.0.0.0:8000" in argv
    assert any(port.endswith(":8000") for port in services["web"]["ports"])


def test_the_workers_listen_on_their_queues(services):
    worker = command(services["worker"])
    assert worker[:4] == ["celery", "-A", "config", "worker"]
    assert worker[worker.index("-Q") + 1].split(",") == ["celery"]

    reports = command(services["reports-worker"])
    assert reports[:4] == ["celery", "-A", "config", "worker"]
    assert reports[reports.index("-Q") + 1].split(",") == ["reports"]
    assert reports[reports.index("--concurrency") + 1] == "1"  # one report at a time

    imports = command(services["imports-worker"])
    assert imports[:4] == ["celery", "-A", "config", "worker"]
    assert imports[imports.index("-Q") + 1].split(",") == ["imports"]


def test_the_queues_are_the_ones_tasks_are_routed_to(services, settings):
    queues = {
        queue
        for name in ("worker", "reports-worker", "imports-worker")
        for argv in [command(services[name])]
        for queue in argv[argv.index("-Q") + 1].split(",")
    }
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed | {settings.CELERY_TASK_DEFAULT_QUEUE} <= queues


def test_exactly_one_beat(services):
    beats = [name for name, service in services.items() if "beat" in command(service)]
    assert beats == ["beat"]
    assert command(services["beat"])[:4] == ["celery", "-A", "config", "beat"]


def test_migrations_run_before_the_portal_starts(services):
    assert "migrate" in " ".join(command(services["migrate"]))
    assert "createcachetable" in " ".join(command(services["migrate"]))
    for name in ("web", "worker", "reports-worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["db"]["condition"] == "service_healthy"


def test_every_environment_variable_is_one_the_settings_read(services):
    known = settings_env_names()
    for name in PORTAL_SERVICES:
        unknown = set(environment(services[name])) - known
        assert not unknown, f"{name} sets variables settings.py never reads: {sorted(unknown)}"


def test_production_values(services):
    for name in PORTAL_SERVICES:
        env = environment(services[name])
        assert env["DEBUG"] == "0", name
        assert env["SECRET_KEY"], name
        database = urlparse(env["DATABASE_URL"])
        assert (database.scheme, database.hostname, database.port) == ("postgres", "db", 5432)
        assert database.path == "/" + services["db"]["environment"]["POSTGRES_DB"]
        assert database.username == services["db"]["environment"]["POSTGRES_USER"]
        broker = urlparse(env["REDIS_URL"])
        assert (broker.scheme, broker.hostname, broker.port) == ("redis", "redis", 6379)
        for required in ("ALLOWED_HOSTS", "EMAIL_URL", "MEDIA_ROOT", "PORTAL_INSTITUTION_NAME"):
            assert env.get(required), f"{name} lacks {required}"


def test_the_secret_key_must_come_from_the_operator(compose, services):
    raw = services["web"]["environment"]["SECRET_KEY"]
    assert raw.startswith("${SECRET_KEY:?"), "compose refuses to start without a SECRET_KEY"


def test_uploads_live_in_a_volume_mounted_at_media_root(compose, services):
    for name in ("web", "worker", "reports-worker"):
        env = environment(services[name])
        mounts = {
            volume.split(":")[1]: volume.split(":")[0] for volume in services[name]["volumes"]
        }
        assert env["MEDIA_ROOT"] in mounts, f"{name}: nothing mounted at MEDIA_ROOT"
        assert mounts[env["MEDIA_ROOT"]] in compose["volumes"], "a named volume, kept"


def test_the_dockerfile_builds_the_image_the_services_run(dockerfile, services):
    keywords = [keyword for keyword, _ in dockerfile]
    args = dict(dockerfile)
    assert args["FROM"] == "python:3.11-slim"
    run = " ".join(rest for keyword, rest in dockerfile if keyword == "RUN")
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b"):
        assert library in run, f"WeasyPrint needs {library}"
    # The portal's dependencies at the versions CI tested (the lock), then the portal itself.
    assert re.search(r"pip install --constraint requirements\.lock \.(\s|$)", run)
    assert re.search(r"SECRET_KEY=\S+ +python manage.py collectstatic --noinput", run)

    user = [rest for keyword, rest in dockerfile if keyword == "USER"]
    assert user and user[-1] not in {"root", "0"}, "the container runs as a non-root user"
    assert keywords.index("USER") > max(i for i, k in enumerate(keywords) if k == "RUN")

    assert "ENTRYPOINT" not in keywords
    cmd = json.loads(args["CMD"])
    assert cmd == command(services["web"]), "web runs the image's own command"
    assert args["EXPOSE"] == "8000"
    for name in ("web", "worker", "reports-worker", "beat", "migrate"):
        assert services[name]["build"] == "."


def test_the_image_paths_match_the_compose_environment(dockerfile, services):
    env_lines = " ".join(rest for keyword, rest in dockerfile if keyword == "ENV")
    image_env = dict(re.findall(r"([A-Z_]+)=(\S+)", env_lines))
    web = environment(services["web"])
    assert image_env["STATIC_ROOT"] == web["STATIC_ROOT"]
    assert image_env["MEDIA_ROOT"] == web["MEDIA_ROOT"]
    assert "/data/media" in " ".join(rest for keyword, rest in dockerfile if keyword == "RUN")


def test_the_docker_context_leaves_out_local_state():
    ignored = (BASE_DIR / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", "*.sqlite3", ".env", "media/", "staticfiles/"):
        assert entry in ignored


def test_the_settings_env_parser_sees_the_variables_of_the_design():
    names = settings_env_names()
    assert names >= {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "EMAIL_URL",
        "DEFAULT_FROM_EMAIL",
        "MEDIA_ROOT",
        "STATIC_ROOT",
        "PORTAL_INSTITUTION_NAME",
        "SITE_URL",
        "SSO_OIDC_CLIENT_ID",
        "SSO_SAML_IDP_METADATA_URL",
    }


def test_web_and_worker_run_as_replicas_and_the_singletons_once(services):
    """Scaling out: several stateless web and e-mail worker replicas; one beat, one reports
    worker (a report at a time)."""
    for name in ("web", "worker"):
        assert int(services[name]["deploy"]["replicas"]) >= 2
    for name in ("beat", "reports-worker"):
        assert int(services[name].get("deploy", {}).get("replicas", 1)) == 1
    # Each web replica gets its own host port: a range as wide as the replicas.
    [published] = services["web"]["ports"]
    host, _, container = interpolate(published).rpartition(":")
    first, _, last = host.partition("-")
    assert container == "8000"
    assert int(last or first) - int(first) + 1 == int(services["web"]["deploy"]["replicas"])


def test_replicas_on_many_hosts_can_share_media_through_a_bucket(services, settings):
    env = environment(services["web"])
    assert env["MEDIA_STORAGE"] == "filesystem"  # one host by default: the media volume
    assert {"MEDIA_S3_BUCKET", "MEDIA_S3_ENDPOINT_URL"} <= set(env)


# --- Redis roles (issue 20, hole 6) ----------------------------------------------------------


def redis_option(argv: list[str], name: str) -> str | None:
    return argv[argv.index(name) + 1] if name in argv else None


def test_the_brokers_redis_never_evicts_a_queued_task(services):
    argv = command(services["redis"])
    assert argv[0] == "redis-server"
    assert redis_option(argv, "--maxmemory-policy") == "noeviction"


def test_anything_cached_lives_in_its_own_capped_redis_with_an_lru_policy(services):
    cache = services["cache"]
    assert cache["image"].startswith("redis:7")
    argv = command(cache)
    assert redis_option(argv, "--maxmemory") not in (None, "0")
    assert redis_option(argv, "--maxmemory-policy") in {"allkeys-lru", "volatile-lru"}
    assert "ping" in " ".join(cache["healthcheck"]["test"])
    for name in PORTAL_SERVICES:
        env = environment(services[name])
        broker, cached = urlparse(env["REDIS_URL"]), urlparse(env["PORTAL_CACHE_URL"])
        assert broker.hostname == "redis" and cached.hostname == "cache", name
        assert (broker.hostname, broker.port, broker.path) != (
            cached.hostname,
            cached.port,
            cached.path,
        )


def test_no_redis_cache_of_the_portal_shares_the_brokers_database(settings):
    for alias in settings.CACHES.values():
        if "redis" in alias["BACKEND"].lower() and settings.REDIS_URL:
            assert alias["LOCATION"].rstrip("/") != settings.REDIS_URL.rstrip("/")


def test_the_settings_refuse_a_cache_in_the_brokers_database(load_settings):  # noqa: F811
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="PORTAL_CACHE_URL"):
        load_settings(REDIS_URL="redis://redis:6379/0", PORTAL_CACHE_URL="redis://redis:6379/0")
    configured = load_settings(
        REDIS_URL="redis://redis:6379/0", PORTAL_CACHE_URL="redis://cache:6379/0"
    )
    assert configured.CACHES["shared"]["LOCATION"] == "redis://cache:6379/0"
    assert configured.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
