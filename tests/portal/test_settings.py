"""config/settings.py: every deployment value from the environment, safe by default."""

import ast
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.portal.html_checks import inspect

BASE_DIR = Path(__file__).resolve().parents[2]
SETTINGS_FILE = BASE_DIR / "config" / "settings.py"
PRODUCTION_KEY = "k3x!q9-a-long-random-production-secret-key-for-the-deploy-check-0123456789"


def settings_env_names() -> set[str]:
    """Every environment variable settings.py reads: env("NAME"), env_bool, env_list."""
    tree = ast.parse(SETTINGS_FILE.read_text())
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"env", "env_bool", "env_list"}
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


@pytest.fixture
def load_settings(monkeypatch):
    """Execute settings.py afresh under a given environment (Django's own settings untouched)."""

    def _load(**env: str):
        for name in settings_env_names():
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return _load


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    drop = settings_env_names() | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- production ----------------------------------------------------------------------------


def test_production_settings_pass_the_deploy_checks():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="technicians.northfield.example",
        CSRF_TRUSTED_ORIGINS="https://technicians.northfield.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = run_manage("check", DEBUG="0", ALLOWED_HOSTS="technicians.northfield.example")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_off_without_a_secret_key_raises(load_settings):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings(DEBUG="0")


def test_production_is_locked_down(load_settings):
    prod = load_settings(DEBUG="0", SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="a.example,b.example")
    assert prod.DEBUG is False
    assert prod.ALLOWED_HOSTS == ["a.example", "b.example"]
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SECURE_SSL_REDIRECT and prod.SECURE_HSTS_SECONDS >= 31536000
    assert prod.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert any(re.match(pattern, "healthz") for pattern in prod.SECURE_REDIRECT_EXEMPT)
    static_backend = prod.STORAGES["staticfiles"]["BACKEND"]
    assert static_backend == "portal.staticfiles.ManifestStaticFilesStorage"


def test_local_defaults_need_nothing(load_settings):
    local = load_settings()
    assert local.DEBUG is True
    assert local.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert local.CELERY_TASK_ALWAYS_EAGER is True  # no Redis: tasks run in-process
    assert local.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    assert local.TIME_ZONE == "Europe/London" and local.USE_TZ is True


def test_deployment_values_come_from_the_environment(load_settings, tmp_path):
    loaded = load_settings(
        DATABASE_URL="postgres://portal:pw@db.internal:5432/portal",
        REDIS_URL="redis://redis.internal:6379/2",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
        PORTAL_INSTITUTION_NAME="University of Elsewhere",
        SITE_URL="https://technicians.elsewhere.example",
        DEFAULT_FROM_EMAIL="technicians@elsewhere.example",
        CSRF_TRUSTED_ORIGINS="https://technicians.elsewhere.example",
    )
    database = loaded.DATABASES["default"]
    assert (database["ENGINE"], database["HOST"], database["NAME"]) == (
        "portal.postgresql",
        "db.internal",
        "portal",
    )
    assert loaded.CELERY_BROKER_URL == "redis://redis.internal:6379/2"
    assert loaded.CELERY_TASK_ALWAYS_EAGER is False
    # Redis is the broker only: login rate limits stay in the database cache.
    assert loaded.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    paths = {"media": loaded.MEDIA_ROOT, "static": loaded.STATIC_ROOT}
    assert paths == {"media": tmp_path / "media", "static": tmp_path / "static"}
    assert loaded.PORTAL_INSTITUTION_NAME == "University of Elsewhere"
    assert loaded.SITE_URL == "https://technicians.elsewhere.example"
    assert loaded.DEFAULT_FROM_EMAIL == loaded.SERVER_EMAIL == "technicians@elsewhere.example"
    assert loaded.CSRF_TRUSTED_ORIGINS == ["https://technicians.elsewhere.example"]


# --- EMAIL_URL -----------------------------------------------------------------------------


def test_email_url_smtp_with_starttls(load_settings):
    loaded = load_settings(EMAIL_URL="smtp://portal%40uni:p%40ss%2Fword@mail.uni.example:587?tls=1")
    assert loaded.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert (loaded.EMAIL_HOST, loaded.EMAIL_PORT) == ("mail.uni.example", 587)
    assert loaded.EMAIL_HOST_USER == "portal@uni"
    assert loaded.EMAIL_HOST_PASSWORD == "p@ss/word"
    assert loaded.EMAIL_USE_TLS is True and loaded.EMAIL_USE_SSL is False
    assert loaded.EMAIL_TIMEOUT <= 10


def test_email_url_smtps_uses_ssl_on_465(load_settings):
    loaded = load_settings(EMAIL_URL="smtps://relay.uni.example")
    assert (loaded.EMAIL_HOST, loaded.EMAIL_PORT) == ("relay.uni.example", 465)
    assert loaded.EMAIL_USE_SSL is True and loaded.EMAIL_USE_TLS is False


def test_email_url_plain_smtp_relay(load_settings):
    loaded = load_settings(EMAIL_URL="smtp://relay.uni.example")
    assert (loaded.EMAIL_HOST, loaded.EMAIL_PORT) == ("relay.uni.example", 25)
    assert loaded.EMAIL_HOST_USER == loaded.EMAIL_HOST_PASSWORD == ""


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("console://", "django.core.mail.backends.console.EmailBackend"),
        ("locmem://", "django.core.mail.backends.locmem.EmailBackend"),
    ],
)
def test_email_url_console_and_locmem(load_settings, url, backend):
    loaded = load_settings(EMAIL_URL=url)
    assert backend == loaded.EMAIL_BACKEND


def test_email_url_file_writes_messages_to_a_directory(load_settings, tmp_path):
    loaded = load_settings(EMAIL_URL=f"file://{tmp_path}/mail")
    assert loaded.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"
    assert f"{tmp_path}/mail" == loaded.EMAIL_FILE_PATH


@pytest.mark.parametrize("url", ["http://mail.example", "file://", "mailto:someone@example"])
def test_an_email_url_that_makes_no_sense_is_refused(load_settings, url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        load_settings(EMAIL_URL=url)


# --- Content Security Policy ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "technician", "hr", "admin"])
def test_every_page_carries_a_strict_content_security_policy(login, personas, persona):
    client = login(getattr(personas, persona))
    response = client.get("/" if persona != "anonymous" else "/accounts/login/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


class _InlineFinder:
    """Inline scripts and style attributes, which the policy would block."""

    @staticmethod
    def find(html: str) -> list[str]:
        problems = []
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html):
            problems.append("inline <script>")
        if re.search(r"\sstyle=\"", html) or re.search(r"<style[\s>]", html):
            problems.append("style attribute or element")
        if re.search(r"\son[a-z]+=\"", html):
            problems.append("inline event handler")
        return problems


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_the_sign_in_pages_need_nothing_the_policy_forbids(client, path):
    html = client.get(path).content.decode()
    assert _InlineFinder.find(html) == []
    assert inspect(html).h1 == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["technician", "manager", "steering", "hr", "admin"])
def test_the_dashboard_needs_nothing_the_policy_forbids(login, personas, persona):
    html = login(getattr(personas, persona)).get("/").content.decode()
    assert _InlineFinder.find(html) == []


def test_single_sign_on_identity_providers_may_receive_the_login_form(load_settings):
    # The SSO button posts to allauth, which redirects to the identity provider: browsers
    # check that redirect against form-action.
    loaded = load_settings(
        SSO_OIDC_CLIENT_ID="client",
        SSO_OIDC_SERVER_URL="https://login.microsoftonline.com/tenant-id/v2.0",
        SSO_SAML_IDP_METADATA_URL="https://idp.northfield.example/idp/shibboleth",
        SSO_SAML_IDP_ENTITY_ID="https://idp.northfield.example/idp/shibboleth",
        CSP_FORM_ACTION_EXTRA="https://extra.example",
    )
    form_action = loaded.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]
    assert form_action == [
        "'self'",
        "https://login.microsoftonline.com",
        "https://idp.northfield.example",
        "https://extra.example",
    ]
    without_sso = load_settings().CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]
    assert without_sso == ["'self'"]
