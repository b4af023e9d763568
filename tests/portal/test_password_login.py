"""SSO only (PORTAL_PASSWORD_LOGIN off): password sign-in is refused for staff and kept for
administrators; password sign-up is closed."""

import pytest

from technicians.password_login import SSO_ONLY_MESSAGE
from tests.portal.test_auth import log_in, logged_in_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso_only(settings):
    settings.PORTAL_PASSWORD_LOGIN = False


def test_a_technician_with_the_right_password_is_refused(client, personas, sso_only):
    response = log_in(client, personas.technician.email)
    assert response.status_code == 200
    assert SSO_ONLY_MESSAGE in response.content.decode()
    assert not logged_in_user(client).is_authenticated


@pytest.mark.parametrize("persona", ["hr", "steering", "coordinator"])
def test_other_staff_are_refused_too(client, personas, sso_only, persona):
    response = log_in(client, getattr(personas, persona).email)
    assert response.status_code == 200
    assert not logged_in_user(client).is_authenticated


def test_an_administrator_still_signs_in_with_a_password(client, personas, sso_only):
    assert log_in(client, personas.admin.email).status_code == 302
    assert logged_in_user(client) == personas.admin


def test_a_wrong_password_gets_the_usual_message_not_the_sso_one(client, personas, sso_only):
    response = log_in(client, personas.technician.email, "not-my-password")
    assert SSO_ONLY_MESSAGE not in response.content.decode()
    assert "are not correct" in response.content.decode()


def test_password_sign_up_is_closed(client, personas, sso_only):
    html = client.get("/accounts/signup/").content.decode()
    assert "Sign in with your university account" in html
    assert 'name="password1"' not in html
    client.post(
        "/accounts/signup/",
        {
            "email": personas.technician_profile.email,
            "password1": "a-long-new-password-1",
            "password2": "a-long-new-password-1",
        },
    )
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(email=personas.technician_profile.email).count() == 1


def test_the_sign_in_page_offers_only_the_administrator_form(client, sso_only):
    html = client.get("/accounts/login/").content.decode()
    assert "Administrator sign-in" in html
    assert "/accounts/signup/" not in html


def test_with_password_sign_in_on_the_page_offers_sign_up(client):
    html = client.get("/accounts/login/").content.decode()
    assert "Administrator sign-in" not in html
    assert "/accounts/signup/" in html


def test_with_password_sign_in_on_a_technician_signs_in(client, personas):
    assert log_in(client, personas.technician.email).status_code == 302
    assert logged_in_user(client) == personas.technician
