"""Single sign-on end to end: the portal, configured as the README says, against a real OpenID
Connect provider (django-oauth-toolkit, standing in for Entra ID) and a real SAML 2.0
identity provider (pysaml2, standing in for Shibboleth), each in its own process. Chromium
walks the journeys a university's staff take; nothing between portal and provider is mocked.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, REQUIRE_SERVICES

ROOT = Path(__file__).resolve().parents[2]
XMLSEC1 = shutil.which("xmlsec1")
CLIENT_ID = "portal-test-client"
CLIENT_SECRET = "portal-test-secret"  # noqa: S105
ORGANISATION = "northfield"
IDP_PASSWORD = "provider-password"  # noqa: S105

# Each provider has its own people, so one provider's journeys never see the other's accounts.
# `staff`: on HR's staff list (as the portal has it); `provider_email`: what the provider sends.
PEOPLE = {
    "oidc": {
        "newcomer": ("ada", "ada.oidc@northfield.example", True),
        "student": ("sam", "sam.student.oidc@northfield.example", False),
        "password_user": ("grace", "grace.oidc@northfield.example", True),
        "other_case": ("alan", "Alan.Turing.OIDC@Northfield.Example", True),
        "leaves": ("lin", "lin.oidc@northfield.example", True),
    },
    "saml": {
        "newcomer": ("ada", "ada.saml@northfield.example", True),
        "student": ("sam", "sam.student.saml@northfield.example", False),
        "password_user": ("grace", "grace.saml@northfield.example", True),
        "other_case": ("alan", "Alan.Turing.SAML@Northfield.Example", True),
        "leaves": ("lin", "lin.saml@northfield.example", True),
    },
}

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback)
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {seconds} s:\n{log.read_text()[-3000:]}")


def _rsa_key_and_certificate(directory: Path, name: str) -> tuple[Path, Path]:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"test {name} provider")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


@dataclass
class SSOWorld:
    portal: str
    oidc: str
    saml: str

    database: Path

    def portal_state(self, email: str) -> dict:
        """What the portal's database says of an address: accounts, links and groups."""
        with sqlite3.connect(self.database) as db:
            users = [
                pk
                for (pk,) in db.execute(
                    "SELECT id FROM auth_user WHERE lower(email) = lower(?) ORDER BY id", [email]
                )
            ]
            groups = db.execute(
                "SELECT g.name FROM auth_group g JOIN auth_user_groups ug ON ug.group_id = g.id"
                " JOIN auth_user u ON u.id = ug.user_id WHERE lower(u.email) = lower(?)"
                " ORDER BY g.name",
                [email],
            ).fetchall()
            social = db.execute(
                "SELECT s.provider FROM socialaccount_socialaccount s"
                " JOIN auth_user u ON u.id = s.user_id WHERE lower(u.email) = lower(?)"
                " ORDER BY s.provider",
                [email],
            ).fetchall()
            linked = db.execute(
                "SELECT user_id FROM technicians_technician WHERE lower(email) = lower(?)", [email]
            ).fetchone()
        return {
            "users": users,
            "groups": [name for (name,) in groups],
            "social": [provider for (provider,) in social],
            "linked_to": linked[0] if linked else None,
        }


def _provider_accounts(kind: str) -> list[dict[str, str]]:
    return [
        {
            "username": username,
            "password": IDP_PASSWORD,
            "email": email,
            "first_name": username.title(),
            "last_name": kind.upper(),
        }
        for username, email, _ in PEOPLE[kind].values()
    ]


def _staff_list_code() -> str:
    """The staff list, and one technician per provider who already has a password account."""
    rows = [
        (email.lower(), username.title(), kind.upper())
        for kind, people in PEOPLE.items()
        for username, email, on_list in people.values()
        if on_list
    ]
    return (
        "from allauth.account.models import EmailAddress\n"
        "from django.contrib.auth import get_user_model\n"
        "from technicians.models import Department, Technician\n"
        "d, _ = Department.objects.get_or_create(slug='physics', defaults={'name': 'Physics', "
        "'faculty': 'Science'})\n"
        f"for n, (email, first, last) in enumerate({rows!r}):\n"
        "    Technician.objects.get_or_create(email=email, defaults={'staff_number': f'S{n:04}',"
        " 'first_name': first, 'last_name': last, 'job_title': 'Technician',"
        " 'role_family': 'laboratory', 'department': d})\n"
        "for email in ('grace.oidc@northfield.example', 'grace.saml@northfield.example'):\n"
        "    if not get_user_model().objects.filter(email=email).exists():\n"
        "        u = get_user_model().objects.create_user(username=email, email=email,"
        f" password={PASSWORD!r})\n"
        "        EmailAddress.objects.create(user=u, email=email, verified=True, primary=True)\n"
    )


@pytest.fixture(scope="module")
def sso(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sso")
    portal_port, oidc_port, saml_port = _free_port(), _free_port(), _free_port()
    portal = f"http://127.0.0.1:{portal_port}"
    oidc = f"http://127.0.0.1:{oidc_port}"
    saml = f"http://127.0.0.1:{saml_port}"

    base = {k: v for k, v in os.environ.items() if not k.startswith(("SSO_", "DJANGO_"))}
    base.pop("REDIS_URL", None)
    # The portal, configured the way the README tells a university to (plus the test issuer).
    portal_env = {
        **base,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{directory / 'portal.sqlite3'}",
        "MEDIA_ROOT": str(directory / "media"),
        "EMAIL_URL": f"file://{directory / 'mail'}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SSO_OIDC_CLIENT_ID": CLIENT_ID,
        "SSO_OIDC_SECRET": CLIENT_SECRET,
        "SSO_OIDC_SERVER_URL": f"{oidc}/o",
        "SSO_OIDC_NAME": "Northfield account",
        "SSO_OIDC_ALLOW_TEST_ISSUER": "1",
        "SSO_SAML_IDP_METADATA_URL": f"{saml}/metadata",
        "SSO_SAML_IDP_ENTITY_ID": f"{saml}/metadata",
        "SSO_SAML_NAME": "Northfield Shibboleth",
        "SSO_SAML_ORGANISATION": ORGANISATION,
    }
    manage = [sys.executable, "manage.py"]
    for argv in (
        ["migrate", "--noinput"],
        ["createcachetable"],
        ["shell", "-c", _staff_list_code()],
    ):
        subprocess.run(
            manage + argv, cwd=ROOT, env=portal_env, check=True, capture_output=True, timeout=180
        )

    oidc_key, _ = _rsa_key_and_certificate(directory, "oidc")
    key_file, cert_file = _rsa_key_and_certificate(directory, "saml")
    servers = {
        "portal": (
            manage + ["runserver", "--noreload", "--nothreading", f"127.0.0.1:{portal_port}"],
            portal_env,
            f"{portal}/healthz",
        ),
        "oidc": (
            [sys.executable, "-m", "tests.idp.oidc_server", str(oidc_port)],
            {
                **base,
                "IDP_DATABASE": str(directory / "oidc.sqlite3"),
                "IDP_RSA_PRIVATE_KEY": oidc_key.read_text(),
                "IDP_USERS": json.dumps(_provider_accounts("oidc")),
                "IDP_CLIENT_ID": CLIENT_ID,
                "IDP_CLIENT_SECRET": CLIENT_SECRET,
                "IDP_REDIRECT_URI": f"{portal}/accounts/oidc/entra/login/callback/",
            },
            f"{oidc}/o/.well-known/openid-configuration",
        ),
        "saml": (
            [sys.executable, "-m", "tests.idp.saml_server", str(saml_port)],
            {
                **base,
                "IDP_KEY_FILE": str(key_file),
                "IDP_CERT_FILE": str(cert_file),
                "IDP_XMLSEC1": XMLSEC1,
                "IDP_USERS": json.dumps(_provider_accounts("saml")),
                "IDP_SP_METADATA_URL": f"{portal}/accounts/saml/{ORGANISATION}/metadata/",
            },
            f"{saml}/metadata",
        ),
    }
    processes = []
    try:
        for name, (argv, env, ready_url) in servers.items():
            if name == "saml" and XMLSEC1 is None:
                continue  # its tests skip (or fail in CI): see `provider`
            log = directory / f"{name}.log"
            process = subprocess.Popen(  # noqa: S603
                argv, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
            )
            processes.append(process)
            _wait_for(ready_url, process, log)
        yield SSOWorld(portal=portal, oidc=oidc, saml=saml, database=directory / "portal.sqlite3")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


NO_XMLSEC1 = "the SAML identity provider signs with xmlsec1 (Debian package xmlsec1)"


@pytest.fixture(params=["oidc", "saml"])
def kind(request):
    """Each journey once per provider; without xmlsec1 the SAML ones skip (fail in CI)."""
    if request.param == "saml" and XMLSEC1 is None:
        if REQUIRE_SERVICES:
            pytest.fail(NO_XMLSEC1)
        pytest.skip(NO_XMLSEC1)
    return request.param


def _start_sign_in(page, sso: SSOWorld, kind: str) -> None:
    page.goto(f"{sso.portal}/accounts/login/")
    name = "Northfield account" if kind == "oidc" else "Northfield Shibboleth"
    page.get_by_role("link", name=f"Sign in with {name}").click()
    page.get_by_role("button", name=f"Continue to {name}").click()


def _sign_in_at_provider(page, sso: SSOWorld, kind: str, username: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(IDP_PASSWORD)
    if kind == "oidc":
        page.get_by_role("button", name="Sign in to the provider").click()
        page.get_by_role("button", name="Authorize").click()
    else:
        page.get_by_role("button", name="Log in to Shibboleth").click()


def _sign_in(page, sso: SSOWorld, kind: str, who: str) -> None:
    _start_sign_in(page, sso, kind)
    _sign_in_at_provider(page, sso, kind, PEOPLE[kind][who][0])


SOCIAL_PROVIDER = {"oidc": "entra", "saml": "shibboleth"}


def test_a_technician_on_the_staff_list_signs_in_for_the_first_time(page, sso, kind):
    _, email, _ = PEOPLE[kind]["newcomer"]
    assert sso.portal_state(email)["users"] == []
    _sign_in(page, sso, kind, "newcomer")
    expect(page).to_have_url(f"{sso.portal}/")
    expect(page.get_by_role("main")).to_contain_text("Ada")
    state = sso.portal_state(email)
    assert len(state["users"]) == 1
    assert state["linked_to"] == state["users"][0]
    assert state["groups"] == ["Technician"]
    assert state["social"] == [SOCIAL_PROVIDER[kind]]


def test_someone_the_provider_knows_but_the_staff_list_does_not_is_refused(page, sso, kind):
    _, email, _ = PEOPLE[kind]["student"]
    _sign_in(page, sso, kind, "student")
    expect(page.get_by_role("heading", level=1)).to_have_text("No account for this address")
    expect(page.get_by_text("ask HR to add your work email address")).to_be_visible()
    expect(page.get_by_role("link", name="Back to sign in")).to_be_visible()
    assert sso.portal_state(email)["users"] == []


def test_a_password_account_signing_in_by_sso_lands_in_the_same_account(page, sso, kind):
    _, email, _ = PEOPLE[kind]["password_user"]
    before = sso.portal_state(email)["users"]
    assert len(before) == 1
    _sign_in(page, sso, kind, "password_user")
    expect(page).to_have_url(f"{sso.portal}/")
    state = sso.portal_state(email)
    assert state["users"] == before
    assert state["social"] == [SOCIAL_PROVIDER[kind]]
    assert state["linked_to"] == before[0]


def test_an_address_in_another_case_still_matches_the_staff_list(page, sso, kind):
    _, email, _ = PEOPLE[kind]["other_case"]
    _sign_in(page, sso, kind, "other_case")
    expect(page).to_have_url(f"{sso.portal}/")
    state = sso.portal_state(email.lower())
    assert len(state["users"]) == 1
    assert state["linked_to"] == state["users"][0]
    assert state["groups"] == ["Technician"]


def test_cancelling_at_the_provider_shows_a_clear_page_with_a_way_back(page, sso, kind):
    _start_sign_in(page, sso, kind)
    page.get_by_label("Username").fill(PEOPLE[kind]["newcomer"][0])
    page.get_by_label("Password").fill(IDP_PASSWORD)
    if kind == "oidc":
        page.get_by_role("button", name="Sign in to the provider").click()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Sign-in cancelled|Sign-in did not complete")
    )
    page.get_by_role("link", name="Back to sign in").click()
    expect(page).to_have_url(f"{sso.portal}/accounts/login/")


def test_logging_out_ends_the_portal_session(page, sso, kind):
    _sign_in(page, sso, kind, "leaves")
    expect(page).to_have_url(f"{sso.portal}/")
    page.goto(f"{sso.portal}/accounts/logout/")
    page.get_by_role("main").get_by_role(
        "button", name=re.compile("Sign out|Log out", re.I)
    ).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{sso.portal}/technicians/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/technicians/"))
