"""Logging in (django-allauth): e-mail and password, sign-up from the staff list, password
reset, rate limits, the admin behind allauth, and single sign-on switched on by settings."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from portal import roles
from tests import factories
from tests.conftest import PASSWORD, make_user
from tests.portal.html_checks import h1_count, input_names, unlabelled_inputs

BASE_DIR = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"
SIGNUP = "/accounts/signup/"
RESET = "/accounts/password/reset/"
User = get_user_model()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(clear_cache):
    pass


def log_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password, **extra})


def logged_in_user(client):
    return client.get("/").wsgi_request.user


# --- e-mail and password -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_of_staff_logs_in_with_email_and_password(client, personas):
    response = log_in(client, "alex.tech@example.ac.uk")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user(client) == personas.technician


@pytest.mark.django_db
def test_the_email_address_is_not_case_sensitive_at_login(client, personas):
    assert log_in(client, "Alex.Tech@Example.AC.UK").status_code == 302
    assert logged_in_user(client) == personas.technician


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_message(client, personas):
    response = log_in(client, "alex.tech@example.ac.uk", "not-my-password")
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert not logged_in_user(client).is_authenticated


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_message_as_a_wrong_password(client, personas):
    response = log_in(client, "nobody@example.ac.uk")
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_an_unverified_address_cannot_log_in_until_it_is_confirmed(client, personas):
    user = factories.UserFactory(email="new.starter@example.ac.uk", username="new.starter")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = log_in(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not logged_in_user(client).is_authenticated
    assert "confirm" in mail.outbox[-1].body.lower()


@pytest.mark.django_db
def test_logging_out_needs_a_post_and_ends_the_session(client, personas):
    log_in(client, "alex.tech@example.ac.uk")
    page = client.get("/accounts/logout/")
    assert page.status_code == 200  # a confirmation page: GET never logs out
    assert logged_in_user(client).is_authenticated

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not logged_in_user(client).is_authenticated
    assert client.get("/").status_code == 302  # the dashboard needs a login again


@pytest.mark.django_db
def test_the_dashboard_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


# --- rate limits ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_after_five_failed_attempts_an_address_is_locked_for_a_while(client, personas):
    email = "alex.tech@example.ac.uk"
    for _ in range(5):
        assert "not correct" in log_in(client, email, "guess").content.decode()

    # Even the right password is refused now (ACCOUNT_RATE_LIMITS "login_failed": 5/5m/key).
    response = log_in(client, email)
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert not logged_in_user(client).is_authenticated

    # The lock is per address: a colleague on the same network still gets in.
    assert log_in(client, "morgan.manager@example.ac.uk").status_code == 302


@pytest.mark.django_db
def test_too_many_login_requests_from_one_address_get_429(client, personas):
    # ACCOUNT_RATE_LIMITS "login": 30/m/ip (allauth's default), answered with templates/429.html.
    statuses = [log_in(client, f"guess{i}@example.ac.uk", "x").status_code for i in range(30)]
    assert set(statuses) == {200}
    response = log_in(client, "alex.tech@example.ac.uk")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert h1_count(response.content.decode()) == 1


# --- sign-up, only for the staff list ------------------------------------------------------


NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def sign_up(client, email, password=NEW_PASSWORD):
    return client.post(SIGNUP, {"email": email, "password1": password, "password2": password})


@pytest.mark.django_db
def test_signup_makes_no_account_for_an_address_not_on_the_staff_list(client, department):
    # The same answer as for a staff address (tests/portal/test_security.py): nothing tells
    # who is on the list; the e-mail says what to do.
    response = sign_up(client, "stranger@gmail.example")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not User.objects.exists()
    [message] = mail.outbox
    assert "ask HR to add your work email address to the staff list" in message.body


@pytest.mark.django_db
def test_signup_makes_no_account_for_a_leaver(client, department):
    factories.TechnicianFactory(email="left.last.year@example.ac.uk", is_active=False)
    response = sign_up(client, "left.last.year@example.ac.uk")
    assert response["Location"] == "/accounts/confirm-email/"
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_technician_on_the_staff_list_signs_up_confirms_and_is_linked_at_first_login(
    client, department
):
    technician = factories.TechnicianFactory(
        email="Jo.Bloggs@Example.ac.uk", first_name="Jo", department=department
    )
    password = NEW_PASSWORD

    response = sign_up(client, "jo.bloggs@example.ac.uk", password)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email__iexact="jo.bloggs@example.ac.uk")
    assert not EmailAddress.objects.get(user=user).verified

    [confirmation] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", confirmation.body)
    assert link, confirmation.body
    assert client.post(link.group(1)).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.logout()
    assert log_in(client, "jo.bloggs@example.ac.uk", password).status_code == 302
    technician.refresh_from_db()
    assert technician.user == user  # linked by e-mail, whatever its case
    assert "Welcome, Jo" in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_user_is_linked_to_the_technician_with_the_same_address_at_login(client, department):
    technician = factories.TechnicianFactory(email="Pat.Lab@Example.ac.uk", department=department)
    user = make_user("pat.lab@example.ac.uk")
    assert log_in(client, "pat.lab@example.ac.uk").status_code == 302
    technician.refresh_from_db()
    assert technician.user == user


@pytest.mark.django_db
def test_a_technician_linked_to_someone_else_is_not_taken_over(client, department):
    owner = make_user("owner@example.ac.uk")
    technician = factories.TechnicianFactory(
        email="shared@example.ac.uk", user=owner, department=department
    )
    make_user("shared@example.ac.uk")
    assert log_in(client, "shared@example.ac.uk").status_code == 302
    technician.refresh_from_db()
    assert technician.user == owner


@pytest.mark.django_db
def test_a_technician_joins_the_technician_group_when_linked(client, department):
    factories.TechnicianFactory(email="Kim.Lab@Example.ac.uk", department=department)
    user = make_user("kim.lab@example.ac.uk")
    assert not user.groups.exists()
    assert log_in(client, "kim.lab@example.ac.uk").status_code == 302
    assert set(user.groups.values_list("name", flat=True)) == {roles.TECHNICIAN}
    client.logout()
    assert log_in(client, "kim.lab@example.ac.uk").status_code == 302  # again: no change
    assert user.groups.count() == 1


@pytest.mark.django_db
def test_staff_without_a_profile_and_leavers_do_not_join_the_technician_group(client, department):
    factories.TechnicianFactory(email="gone@example.ac.uk", is_active=False, department=department)
    for email in ("gone@example.ac.uk", "not.technical@example.ac.uk"):
        user = make_user(email)
        assert log_in(client, email).status_code == 302
        assert not user.groups.exists(), email
        client.logout()


# --- password reset ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_forgotten_password_is_reset_through_a_link_sent_by_email(client, personas):
    response = client.post(RESET, {"email": "Alex.Tech@example.ac.uk"})
    assert response.status_code == 302
    assert "Check your email" in client.get(response["Location"]).content.decode()

    [message] = mail.outbox
    assert message.to == ["alex.tech@example.ac.uk"]
    assert message.subject.startswith("Technician Commitment: ")
    assert "The Technician Commitment portal" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", message.body)
    assert link, message.body

    # allauth moves the key out of the URL into the session, then shows the form.
    response = client.get(link.group(1))
    assert response.status_code == 302
    form_url = response["Location"]
    page = client.get(form_url)
    assert "Choose a new password" in page.content.decode()
    assert unlabelled_inputs(page.content.decode()) == []

    new_password = "a-brand-new-passphrase-for-alex"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert "Password changed" in client.get(response["Location"]).content.decode()

    assert "not correct" in log_in(client, "alex.tech@example.ac.uk").content.decode()
    assert log_in(client, "alex.tech@example.ac.uk", new_password).status_code == 302


@pytest.mark.django_db
def test_a_used_reset_link_does_not_work_twice(client, personas):
    client.post(RESET, {"email": "alex.tech@example.ac.uk"})
    path = re.search(r"(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body).group(1)
    form_url = client.get(path)["Location"]
    client.post(
        form_url, {"password1": "first-new-passphrase-1", "password2": "first-new-passphrase-1"}
    )
    response = client.get(path, follow=True)
    assert "This link does not work" in response.content.decode()


@pytest.mark.django_db
def test_a_reset_for_an_unknown_address_sends_nothing_and_tells_nothing(client, personas):
    response = client.post(RESET, {"email": "nobody@example.ac.uk"})
    assert response.status_code == 302  # the same page as for a real address
    assert all("password/reset/key" not in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_the_reset_page_mentions_the_university_account_only_with_single_sign_on(client):
    html = client.get(RESET).content.decode()
    assert "Enter your work email address" in html
    assert "IT services" not in html  # no single sign-on configured here


# --- the pages themselves ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", [LOGIN, SIGNUP, RESET])
def test_the_sign_in_pages_have_one_heading_and_a_label_for_every_field(client, path):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert h1_count(html) == 1
    assert unlabelled_inputs(html) == []
    assert input_names(html), "the page has a form"


@pytest.mark.django_db
def test_the_sign_in_page_words_and_links(client):
    html = client.get(LOGIN).content.decode()
    assert "<h1>Sign in</h1>" in html
    assert 'for="id_login"' in html and 'for="id_password"' in html
    assert 'href="/accounts/password/reset/"' in html
    assert 'href="/accounts/signup/"' in html
    assert 'href="/meet-our-technicians/"' in html
    assert "Sign in with" not in html  # no single sign-on configured here


@pytest.mark.django_db
def test_errors_are_announced_and_tied_to_the_form(client, personas):
    html = log_in(client, "alex.tech@example.ac.uk", "wrong").content.decode()
    assert 'role="alert"' in html
    assert h1_count(html) == 1


# --- the admin, behind allauth -------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_sends_anonymous_visitors_to_the_allauth_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["technician", "manager", "steering", "coordinator"])
def test_the_admin_refuses_staff_who_are_not_administrators(login, personas, persona):
    response = login(getattr(personas, persona)).get("/admin/", follow=True)
    assert response.status_code == 403


@pytest.mark.django_db
def test_hr_see_only_the_registers_in_the_admin_and_edit_their_fees(login, personas):
    from registration.models import Register

    client = login(personas.hr)
    index = client.get("/admin/")
    assert index.status_code == 200
    html = index.content.decode()
    assert "/admin/registration/register/" in html
    for hidden in ("/admin/auth/user/", "/admin/portal/notification/", "/admin/technicians/"):
        assert hidden not in html
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/registration/fundingbudget/").status_code == 403
    register = Register.objects.get(code="RSciTech")
    page = client.get(f"/admin/registration/register/{register.pk}/change/")
    assert page.status_code == 200


@pytest.mark.django_db
def test_a_superuser_gets_into_the_admin(login, personas):
    response = login(personas.admin).get("/admin/")
    assert response.status_code == 200
    assert "Technician Commitment Portal administration" in response.content.decode()


@pytest.mark.django_db
def test_a_member_of_the_administrator_group_gets_into_the_admin(client, personas):
    user = make_user("ali.administrator@example.ac.uk", roles.ADMINISTRATOR)
    assert not user.is_staff and not user.is_superuser
    assert log_in(client, user.email).status_code == 302  # through the allauth form
    response = client.get("/admin/")
    assert response.status_code == 200
    assert client.get("/admin/portal/notification/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 200


@pytest.mark.django_db
def test_after_logging_in_from_the_admin_an_administrator_lands_in_the_admin(client, personas):
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"login": "ada.admin@example.ac.uk", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_the_groups_of_the_design_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Technician",
        "Steering group",
        "Training coordinator",
        "HR",
        "Administrator",
    }
    assert set(roles.ALL_GROUPS) <= set(Group.objects.values_list("name", flat=True))


# --- single sign-on, switched on by environment variables ----------------------------------


def run_with_sso_settings(argv: list[str], **env) -> subprocess.CompletedProcess:
    """Run a Python command in a fresh process whose only SSO_* variables are `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SSO_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, *argv],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def sso_probe(**env):
    result = run_with_sso_settings(["-m", "tests.portal.sso_probe"], **env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


ENTRA = {
    "SSO_OIDC_CLIENT_ID": "00000000-1111-2222-3333-444444444444",
    "SSO_OIDC_SECRET": "client-secret-value",
    "SSO_OIDC_SERVER_URL": "https://login.microsoftonline.com/tenant-id/v2.0",
    "SSO_OIDC_NAME": "Northfield account",
}
SHIBBOLETH = {
    "SSO_SAML_IDP_METADATA_URL": "https://idp.northfield.example/idp/shibboleth",
    "SSO_SAML_IDP_ENTITY_ID": "https://idp.northfield.example/idp/shibboleth",
    "SSO_SAML_NAME": "Northfield Shibboleth",
    "SSO_SAML_ORGANISATION": "northfield",
}


def test_without_sso_settings_no_provider_is_installed():
    probe = sso_probe()
    assert probe["installed_apps"] == []
    assert probe["providers"] == []
    assert "Sign in with" not in probe["login_html"]


def test_openid_connect_for_microsoft_entra_is_switched_on_by_its_settings():
    probe = sso_probe(**ENTRA)
    assert probe["installed_apps"] == ["allauth.socialaccount.providers.openid_connect"]
    [provider] = probe["providers"]
    assert provider == {
        "id": "openid_connect",
        "provider_id": "entra",
        "name": "Northfield account",
        "login_url": "/accounts/oidc/entra/login/",
        # Entra sends no email_verified claim: the university's own provider is trusted.
        "trusts_email": True,
    }
    app = probe["settings"]["openid_connect"]["APPS"][0]
    assert app["client_id"] == ENTRA["SSO_OIDC_CLIENT_ID"]
    assert app["settings"]["server_url"] == ENTRA["SSO_OIDC_SERVER_URL"]
    assert probe["login_status"] == 200
    assert 'href="/accounts/oidc/entra/login/?process=login"' in probe["login_html"]
    assert "Sign in with Northfield account" in probe["login_html"]
    assert h1_count(probe["login_html"]) == 1
    assert ENTRA["SSO_OIDC_SECRET"] not in probe["login_html"]
    assert "reset that password through IT services" in probe["reset_html"]


def test_saml_for_shibboleth_is_switched_on_by_its_settings():
    probe = sso_probe(**SHIBBOLETH)
    assert probe["installed_apps"] == ["allauth.socialaccount.providers.saml"]
    [provider] = probe["providers"]
    assert provider["id"] == "saml"
    assert provider["name"] == "Northfield Shibboleth"
    assert provider["trusts_email"] is True
    # allauth's SAML URLs carry the organisation slug (the app's client_id).
    assert provider["login_url"] == "/accounts/saml/northfield/login/"
    app = probe["settings"]["saml"]["APPS"][0]
    assert app["settings"]["idp"] == {
        "entity_id": SHIBBOLETH["SSO_SAML_IDP_ENTITY_ID"],
        "metadata_url": SHIBBOLETH["SSO_SAML_IDP_METADATA_URL"],
    }
    assert set(app["settings"]["attribute_mapping"]) >= {"uid", "email"}
    assert "Sign in with Northfield Shibboleth" in probe["login_html"]


def test_both_providers_pass_the_system_checks():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SSO_")}
    env.update(ENTRA | SHIBBOLETH)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "server_url",
    [
        "https://login.microsoftonline.com/common/v2.0",
        "https://login.microsoftonline.com/organizations/v2.0/",
        "https://login.microsoftonline.com/consumers/v2.0",
        "",
    ],
)
def test_openid_connect_refuses_a_multi_tenant_or_missing_server_url(server_url):
    """The e-mail claim is trusted: only the university's own tenant may vouch for it."""
    result = run_with_sso_settings(
        ["manage.py", "check"], **{**ENTRA, "SSO_OIDC_SERVER_URL": server_url}
    )
    assert result.returncode != 0
    assert "SSO_OIDC_SERVER_URL must name the university's own tenant" in result.stderr


def social_login(email: str):
    from allauth.socialaccount.models import SocialAccount, SocialLogin

    return SocialLogin(
        user=User(email=email, username=email),
        account=SocialAccount(provider="openid_connect", uid=f"uid-{email}"),
    )


@pytest.mark.django_db
def test_single_sign_on_makes_accounts_only_for_the_staff_list(rf, department):
    from technicians.adapters import PortalSocialAccountAdapter

    factories.TechnicianFactory(email="Sam.Sso@Example.ac.uk", department=department)
    factories.TechnicianFactory(email="left@example.ac.uk", is_active=False, department=department)
    request = rf.get("/accounts/oidc/entra/login/callback/")
    adapter = PortalSocialAccountAdapter(request)
    assert adapter.is_open_for_signup(request, social_login("sam.sso@example.ac.uk"))
    assert not adapter.is_open_for_signup(request, social_login("student123@example.ac.uk"))
    assert not adapter.is_open_for_signup(request, social_login("left@example.ac.uk"))
    assert not adapter.is_open_for_signup(request, social_login(""))


@pytest.mark.django_db
def test_the_closed_signup_page_explains_the_staff_list(client):
    from django.template.loader import render_to_string

    html = render_to_string("account/signup_closed.html", request=client.get("/").wsgi_request)
    assert "ask HR to add your work email address to the staff list" in html
    assert h1_count(html) == 1


@pytest.mark.django_db
def test_linking_refreshes_the_cached_group_names(department):
    from portal import permissions
    from technicians import services

    factories.TechnicianFactory(email="lee.lab@example.ac.uk", department=department)
    user = make_user("lee.lab@example.ac.uk")
    assert permissions.group_names(user) == frozenset()  # read and cached
    services.link_user_to_technician(user)
    assert permissions.group_names(user) == {roles.TECHNICIAN}
