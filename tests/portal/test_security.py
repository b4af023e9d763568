"""Holes found by trying to break the portal with production settings, each closed: e-mail
management, sign-up that tells nothing, rate limits behind the proxy, error pages without a
user, password reset for unknown addresses, and refusals logged without a traceback."""

import logging
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests import factories
from tests.conftest import PASSWORD, make_user
from tests.portal.html_checks import h1_count

LOGIN = "/accounts/login/"
SIGNUP = "/accounts/signup/"
RESET = "/accounts/password/reset/"
NEW_PASSWORD = "a-long-and-unusual-passphrase-42"
SAME_ANSWER = "If this is a staff address, we have sent you an email"
User = get_user_model()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(clear_cache):
    pass


def sign_up(client, email, password=NEW_PASSWORD):
    return client.post(SIGNUP, {"email": email, "password1": password, "password2": password})


def log_in(client, email, password=PASSWORD, **headers):
    return client.post(LOGIN, {"login": email, "password": password}, **headers)


# --- 1. no taking over a colleague's profile with a second address -------------------------


@pytest.mark.django_db
def test_an_account_cannot_add_a_colleagues_address(login, personas):
    client = login(personas.technician)
    page = client.get("/accounts/email/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "alex.tech@example.ac.uk" in html
    assert "cannot be added or changed here" in html
    assert h1_count(html) == 1
    assert "<form" not in html.split("<main", 1)[1].split("</main>", 1)[0]

    for data in (
        {"action_add": "", "email": "morgan.manager@example.ac.uk"},
        {"action_add": "", "email": "my.other.address@example.ac.uk"},
        {"action_primary": "", "email": "morgan.manager@example.ac.uk"},
    ):
        assert client.post("/accounts/email/", data).status_code == 405
    assert list(
        EmailAddress.objects.filter(user=personas.technician).values_list("email", flat=True)
    ) == ["alex.tech@example.ac.uk"]
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_added_address_links_nobody_to_a_profile(client, department):
    """An account that got a colleague's address as a second, confirmed and primary address
    (possible before e-mail management was switched off) is not linked to the colleague."""
    private = factories.TechnicianFactory(
        email="private.person@example.ac.uk", visibility="private", department=department
    )
    attacker = make_user("attacker@example.ac.uk")
    EmailAddress.objects.filter(user=attacker).update(primary=False)
    EmailAddress.objects.create(
        user=attacker, email="private.person@example.ac.uk", verified=True, primary=True
    )
    attacker.email = "private.person@example.ac.uk"
    attacker.save()

    assert log_in(client, "private.person@example.ac.uk").status_code == 302
    private.refresh_from_db()
    assert private.user is None
    assert client.get(f"/technicians/{private.pk}/").status_code in {403, 404}


@pytest.mark.django_db
def test_an_unconfirmed_address_links_nobody(department):
    from technicians import services

    technician = factories.TechnicianFactory(email="new@example.ac.uk", department=department)
    user = factories.UserFactory(email="new@example.ac.uk", username="new@example.ac.uk")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    assert services.link_user_to_technician(user) is None
    technician.refresh_from_db()
    assert technician.user is None


@pytest.mark.django_db
def test_signing_up_with_an_address_that_has_an_account_tells_its_owner(client, personas):
    response = sign_up(client, "alex.tech@example.ac.uk")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email__iexact="alex.tech@example.ac.uk").count() == 1
    [message] = mail.outbox
    assert message.to == ["alex.tech@example.ac.uk"]
    assert "already exists" in message.body
    assert "/accounts/password/reset/" in message.body


@pytest.mark.django_db
def test_signing_up_with_the_address_of_an_account_off_the_staff_list_tells_its_owner(client):
    make_user("ada.admin@example.ac.uk")  # an administrator: an account, no technician
    response = sign_up(client, "ada.admin@example.ac.uk")
    assert response["Location"] == "/accounts/confirm-email/"
    [message] = mail.outbox
    assert message.to == ["ada.admin@example.ac.uk"]
    assert "already exists" in message.body


# --- 2. sign-up tells nobody who is on the staff list ---------------------------------------


def signup_answer(client, email):
    response = sign_up(client, email)
    page = client.get(response["Location"]) if response.status_code == 302 else response
    text = re.sub(r"\s+", " ", page.content.decode())
    # The page names the address it was asked about, whatever happened: compare the rest.
    return response.status_code, response.get("Location"), text.replace(email, "ADDRESS")


@pytest.mark.django_db
def test_every_address_gets_the_same_answer_and_the_same_page(department):
    factories.TechnicianFactory(
        email="on.the.list@example.ac.uk", visibility="private", department=department
    )
    factories.TechnicianFactory(email="a.leaver@example.ac.uk", is_active=False)
    make_user("has.an.account@example.ac.uk")
    answers = {
        email: signup_answer(Client(), email)
        for email in (
            "on.the.list@example.ac.uk",
            "stranger@gmail.example",
            "a.leaver@example.ac.uk",
            "has.an.account@example.ac.uk",
        )
    }
    first = answers["on.the.list@example.ac.uk"]
    assert first[0] == 302
    assert first[1] == "/accounts/confirm-email/"
    assert SAME_ANSWER in first[2]
    assert "not on the staff list" not in first[2]
    for email, answer in answers.items():
        assert answer == first, email
    # Only the address on the list got an account.
    assert set(User.objects.values_list("email", flat=True)) == {
        "on.the.list@example.ac.uk",
        "has.an.account@example.ac.uk",
    }


@pytest.mark.django_db
def test_an_address_off_the_staff_list_is_told_what_to_do_by_email(client, department):
    sign_up(client, "Stranger@Gmail.example")
    [message] = mail.outbox
    assert message.to == ["stranger@gmail.example"]
    assert message.subject.startswith("Technician Commitment: ")
    assert "not on it, so no account was made" in message.body
    assert "ask HR to add your work email address to the staff list" in message.body
    assert "/accounts/login/" in message.body
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_keeps_its_rate_limit(client, department):
    statuses = [sign_up(client, f"stranger{i}@gmail.example").status_code for i in range(20)]
    assert set(statuses) == {302}
    assert sign_up(client, "one.more@gmail.example").status_code == 429


# --- 3. rate limits count the client behind the reverse proxy -------------------------------


@pytest.fixture
def behind_one_proxy(settings, load_settings):
    """The settings a deployment behind one reverse proxy gets: PORTAL_TRUSTED_PROXY_COUNT=1."""
    production = load_settings(PORTAL_TRUSTED_PROXY_COUNT="1")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = production.ALLAUTH_TRUSTED_PROXY_COUNT
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = production.ALLAUTH_TRUSTED_CLIENT_IP_HEADER


def from_client(ip: str) -> dict:
    # What the proxy sends: the connecting address is always the proxy's own.
    return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": ip}


@pytest.mark.django_db
def test_failed_logins_behind_the_proxy_lock_out_only_their_client(
    client, personas, behind_one_proxy
):
    for i in range(10):  # "login_failed": 10/m/ip — ten different addresses, one client
        response = log_in(client, f"guess{i}@example.ac.uk", "x", **from_client("203.0.113.7"))
        assert "not correct" in response.content.decode()
    refused = log_in(client, "alex.tech@example.ac.uk", **from_client("203.0.113.7"))
    assert "Too many failed login attempts" in refused.content.decode()

    # A colleague behind the same proxy is not locked out.
    colleague = Client()
    assert (
        log_in(colleague, "alex.tech@example.ac.uk", **from_client("198.51.100.20")).status_code
        == 302
    )


@pytest.mark.django_db
def test_the_client_is_the_entry_the_trusted_proxies_appended(client, personas, behind_one_proxy):
    """A client's own X-Forwarded-For entries are not trusted: with one proxy, the last entry
    (the one the proxy appended) is the client."""
    for i in range(10):
        spoofed = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": f"192.0.2.{i}, 203.0.113.7"}
        log_in(client, f"guess{i}@example.ac.uk", "x", **spoofed)
    refused = log_in(client, "alex.tech@example.ac.uk", **from_client("203.0.113.7"))
    assert "Too many failed login attempts" in refused.content.decode()


@pytest.mark.django_db
def test_the_login_limit_is_per_client_not_for_the_whole_site(client, personas, behind_one_proxy):
    # "login": 30/m/ip: thirty people behind the proxy log in within a minute, and one more.
    for i in range(31):
        response = log_in(
            Client(), f"person{i}@example.ac.uk", "x", **from_client(f"203.0.113.{i}")
        )
        assert response.status_code == 200, i


@pytest.mark.django_db
def test_a_configured_client_address_header_is_used(client, personas, settings, load_settings):
    production = load_settings(PORTAL_TRUSTED_PROXY_HEADER="X-Real-IP")
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = production.ALLAUTH_TRUSTED_CLIENT_IP_HEADER
    for i in range(10):
        log_in(
            client,
            f"guess{i}@example.ac.uk",
            "x",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_REAL_IP="203.0.113.7",
        )
    assert (
        "Too many failed"
        in log_in(
            client, "alex.tech@example.ac.uk", REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="203.0.113.7"
        ).content.decode()
    )
    assert (
        log_in(
            Client(),
            "alex.tech@example.ac.uk",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_REAL_IP="203.0.113.8",
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_a_request_that_bypassed_the_proxy_counts_by_its_own_address(client, personas, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    # One X-Forwarded-For entry where two proxies should have added theirs: no 500.
    response = log_in(client, "alex.tech@example.ac.uk", **from_client("203.0.113.7"))
    assert response.status_code == 302


def test_the_trusted_proxies_come_from_the_environment(load_settings):
    default = load_settings()
    assert default.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    assert default.ALLAUTH_TRUSTED_CLIENT_IP_HEADER is None
    behind = load_settings(PORTAL_TRUSTED_PROXY_COUNT="1", PORTAL_TRUSTED_PROXY_HEADER="X-Real-IP")
    assert behind.ALLAUTH_TRUSTED_PROXY_COUNT == 1
    assert behind.ALLAUTH_TRUSTED_CLIENT_IP_HEADER == "X-Real-IP"


@pytest.mark.django_db
def test_an_account_stays_locked_after_failed_logins_until_its_password_is_reset(
    client, personas, behind_one_proxy
):
    email = "alex.tech@example.ac.uk"
    for i in range(5):  # "login_failed": 5/5m/key, from five different clients
        log_in(Client(), email, "guess", **from_client(f"203.0.113.{i}"))
    locked = log_in(Client(), email, **from_client("198.51.100.1"))
    assert "Too many failed login attempts" in locked.content.decode()

    client.post(RESET, {"email": email}, **from_client("198.51.100.1"))
    path = re.search(r"(/accounts/password/reset/key/[^\s]+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(path)["Location"]
    new_password = "a-brand-new-passphrase-for-alex"
    done = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302

    assert log_in(Client(), email, new_password, **from_client("198.51.100.1")).status_code == 302


@pytest.fixture
def load_settings(monkeypatch):
    from tests.portal.test_settings import SETTINGS_FILE, settings_env_names

    def _load(**env: str):
        import importlib.util

        for name in settings_env_names():
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return _load


# --- 4. every error page renders without a user ---------------------------------------------


@pytest.mark.django_db
def test_an_unknown_host_gets_the_400_page(settings):
    settings.ALLOWED_HOSTS = ["technicians.northfield.example"]
    settings.DEBUG = False
    client = Client(raise_request_exception=True)
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "The portal could not handle this request" in html
    assert h1_count(html) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("handler", "status"),
    [
        ("bad_request", 400),
        ("permission_denied", 403),
        ("page_not_found", 404),
        ("csrf_failure", 403),
    ],
)
def test_every_error_page_renders_without_a_user(rf, handler, status):
    from config import views

    request = rf.get("/somewhere/")
    assert not hasattr(request, "user")
    response = getattr(views, handler)(request)
    assert response.status_code == status
    assert h1_count(response.content.decode()) == 1


@pytest.mark.django_db
def test_the_500_page_renders_without_a_user(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500


# --- 8. password reset mails nobody it does not know ----------------------------------------


@pytest.mark.django_db
def test_a_password_reset_for_an_unknown_address_sends_no_email_at_all(client, personas):
    response = client.post(RESET, {"email": "somebody.else@gmail.example"})
    assert response.status_code == 302
    assert mail.outbox == []
    # A known address still gets its link, and the page is the same.
    known = client.post(RESET, {"email": "alex.tech@example.ac.uk"})
    assert known["Location"] == response["Location"]
    assert [message.to for message in mail.outbox] == [["alex.tech@example.ac.uk"]]


# --- 11. refusals are logged at INFO, without a traceback -----------------------------------


@pytest.mark.django_db
def test_a_refusal_is_logged_at_info_with_user_path_and_reason(login, personas, caplog):
    caplog.set_level(logging.INFO)
    response = login(personas.technician).get("/technicians/export.csv")
    assert response.status_code == 403
    refusals = [r for r in caplog.records if r.name == "portal.refusals"]
    [record] = refusals
    assert record.levelno == logging.INFO
    message = record.getMessage()
    assert "alex.tech@example.ac.uk" in message
    assert "/technicians/export.csv" in message
    assert record.exc_info is None
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.WARNING]


@pytest.mark.django_db
def test_a_refusal_logs_the_services_reason(login, personas, caplog, rf):
    from django.core.exceptions import PermissionDenied

    from config import views

    caplog.set_level(logging.INFO)
    request = rf.get("/action-plans/1/edit/")
    request.user = personas.technician
    views.permission_denied(request, PermissionDenied("Only the steering group edits plans."))
    [record] = [r for r in caplog.records if r.name == "portal.refusals"]
    assert "Only the steering group edits plans." in record.getMessage()


def test_djangos_own_403_record_loses_its_traceback_and_drops_to_info():
    from portal.logs import PermissionRefusalFilter

    try:
        raise ValueError("not a refusal")
    except ValueError:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request", logging.WARNING, "", 0, "Forbidden: /x", (), exc_info
    )
    record.status_code = 403
    assert PermissionRefusalFilter().filter(record)
    assert record.levelno == logging.INFO
    assert record.exc_info is None

    other = logging.LogRecord("django.request", logging.ERROR, "", 0, "boom", (), exc_info)
    other.status_code = 500
    assert PermissionRefusalFilter().filter(other)
    assert other.exc_info is exc_info
