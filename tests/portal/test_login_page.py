"""The login page: one "Forgot your password?" link, a labelled "Remember me" checkbox, one
spelling of email, and a favicon."""

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_the_login_page_has_one_password_reset_link(client):
    html = client.get("/accounts/login/").content.decode()
    assert html.count('href="/accounts/password/reset/"') == 1
    assert "Forgot your password?" in html
    assert "Forgotten" not in html


@pytest.mark.django_db
def test_remember_me_is_a_labelled_checkbox(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<label for="id_remember">Remember me</label>' in html
    assert html.index('id="id_remember"') < html.index('<label for="id_remember">')


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_one_spelling_of_email(client, path):
    html = client.get(path).content.decode()
    assert "e-mail" not in html.lower()


@pytest.mark.django_db
def test_every_page_has_a_favicon(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg"' in html
    assert finders.find("favicon.svg")
