"""The Entra tenant check: only the university's own tenant is trusted, and the test suite's
loopback provider only with the test-only setting, which never works with DEBUG off."""

import pytest

from tests.portal.test_auth import ENTRA, run_with_sso_settings

REFUSED = "SSO_OIDC_SERVER_URL must name the university's own tenant"


def check(**env):
    return run_with_sso_settings(["manage.py", "check"], **{**ENTRA, **env})


@pytest.mark.parametrize(
    "server_url",
    [
        "https://login.microsoftonline.com/common/v2.0",
        "https://login.microsoftonline.com/Organizations/v2.0",
        "https://login.microsoftonline.com/consumers",
        "https://login.microsoftonline.com/",
        "http://login.microsoftonline.com/tenant-id/v2.0",  # not https
        "https://login.microsoftonline.com.evil.example/tenant-id/v2.0",
        "https://login.microsoftonline.com/tenant-id/oauth2/v2.0/authorize",
        "http://127.0.0.1:9000/o",  # the test provider, without the test setting
    ],
)
def test_a_url_that_names_no_single_entra_tenant_is_refused(server_url):
    result = check(SSO_OIDC_SERVER_URL=server_url)
    assert result.returncode != 0
    assert REFUSED in result.stderr


@pytest.mark.parametrize(
    "server_url",
    [
        "https://login.microsoftonline.com/0b0e3b1c-1234-4cde-9f00-5a5a5a5a5a5a/v2.0",
        "https://login.microsoftonline.com/northfield.ac.uk/v2.0/",
    ],
)
def test_a_single_tenant_url_is_accepted(server_url):
    result = check(SSO_OIDC_SERVER_URL=server_url)
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_test_setting_accepts_a_loopback_provider_with_debug_on():
    result = check(
        SSO_OIDC_SERVER_URL="http://127.0.0.1:9000/o", SSO_OIDC_ALLOW_TEST_ISSUER="1", DEBUG="1"
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_test_setting_never_accepts_a_provider_on_another_host():
    result = check(
        SSO_OIDC_SERVER_URL="https://idp.example.org/o", SSO_OIDC_ALLOW_TEST_ISSUER="1", DEBUG="1"
    )
    assert result.returncode != 0
    assert REFUSED in result.stderr


def test_the_test_setting_is_refused_with_debug_off():
    result = check(
        SSO_OIDC_SERVER_URL="http://127.0.0.1:9000/o",
        SSO_OIDC_ALLOW_TEST_ISSUER="1",
        DEBUG="0",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="portal.example.ac.uk",
    )
    assert result.returncode != 0
    assert "never works with DEBUG off" in result.stderr
