"""/healthz for the load balancer: database and broker status, and never a secret."""

from unittest import mock

import pytest
from django.db import OperationalError, connection


def health(client):
    response = client.get("/healthz")
    return response, response.json()


@pytest.mark.django_db
def test_healthy_without_a_broker_means_tasks_run_in_process(client, settings):
    settings.REDIS_URL = ""
    response, body = health(client)
    assert response.status_code == 200
    assert body == {"database": "ok", "broker": "in-process"}
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_unreachable_broker_is_reported_but_the_portal_stays_in_service(client, settings):
    settings.REDIS_URL = "redis://:broker-password-123@127.0.0.1:1/0"
    response, body = health(client)
    assert response.status_code == 200  # pages still work; notifications wait in the outbox
    assert body == {"database": "ok", "broker": "error"}
    assert "broker-password-123" not in response.content.decode()


@pytest.mark.redis
@pytest.mark.django_db
def test_a_reachable_broker_is_ok(client):
    response, body = health(client)
    assert response.status_code == 200
    assert body == {"database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_an_unreachable_database_answers_503(client, settings):
    settings.REDIS_URL = ""

    def unreachable(*args, **kwargs):
        raise OperationalError('could not connect to server: password "db-secret" refused')

    with mock.patch.object(connection, "cursor", unreachable):
        response, body = health(client)

    assert response.status_code == 503
    assert body == {"database": "error", "broker": "in-process"}
    assert "db-secret" not in response.content.decode()


@pytest.mark.django_db
def test_the_answer_holds_no_secrets_or_settings(client, settings):
    settings.REDIS_URL = "redis://:broker-password-123@127.0.0.1:1/0"
    response, body = health(client)
    text = response.content.decode()
    assert set(body) == {"database", "broker"}
    for secret in (settings.SECRET_KEY, "broker-password-123", "127.0.0.1", "redis://"):
        assert secret not in text
    assert str(settings.DATABASES["default"]["NAME"]) not in text


@pytest.mark.django_db
def test_only_get_is_allowed(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https_in_production(client, settings):
    # As settings.py does with DEBUG off: the load balancer probes over plain HTTP.
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    settings.REDIS_URL = ""
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
