"""The test SAML 2.0 identity provider: `python -m tests.idp.saml_server PORT`.

A pysaml2 IdP with signed responses and assertions, its metadata at /metadata, single sign-on
at /sso/redirect (HTTP-Redirect binding) and the eduPerson/X.500 attributes a Shibboleth IdP
releases: uid, mail, givenName and sn (URI names). Environment: IDP_KEY_FILE and IDP_CERT_FILE
(PEM), IDP_USERS (JSON), IDP_SP_METADATA_URL (the portal's
/accounts/saml/<organisation>/metadata/, read at the first sign-in) and IDP_XMLSEC1.
"""

from __future__ import annotations

import html
import os
import secrets
import sys
import threading
import urllib.request
from urllib.parse import parse_qs

import saml2
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, samlp
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from tests.idp.serving import serve, users

ATTRIBUTE_MAPS = os.path.join(os.path.dirname(saml2.__file__), "attributemaps")


def idp_config(base_url: str, sp_metadata: str | None) -> IdPConfig:
    settings = {
        "entityid": f"{base_url}/metadata",
        "service": {
            "idp": {
                "name": "Test identity provider",
                "endpoints": {
                    "single_sign_on_service": [(f"{base_url}/sso/redirect", BINDING_HTTP_REDIRECT)],
                },
                "name_id_format": [NAMEID_FORMAT_TRANSIENT, NAMEID_FORMAT_PERSISTENT],
                "policy": {
                    "default": {
                        "lifetime": {"minutes": 15},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_URI,
                    }
                },
                "sign_response": True,
                "sign_assertion": True,
                "want_authn_requests_signed": False,
            }
        },
        "key_file": os.environ["IDP_KEY_FILE"],
        "cert_file": os.environ["IDP_CERT_FILE"],
        "xmlsec_binary": os.environ.get("IDP_XMLSEC1", "/usr/bin/xmlsec1"),
        "attribute_map_dir": ATTRIBUTE_MAPS,
        "metadata": {"inline": [sp_metadata]} if sp_metadata else {},
    }
    config = IdPConfig()
    config.load(settings)
    return config


class IdentityProvider:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.accounts = {account["username"]: account for account in users()}
        self.pending: dict[str, dict] = {}  # login form id -> the request it answers
        self._server: Server | None = None
        self._lock = threading.Lock()

    @property
    def server(self) -> Server:
        """Made at the first sign-in, when the portal's metadata can be read."""
        with self._lock:
            if self._server is None:
                with urllib.request.urlopen(os.environ["IDP_SP_METADATA_URL"], timeout=10) as r:  # noqa: S310
                    sp_metadata = r.read().decode()
                self._server = Server(config=idp_config(self.base_url, sp_metadata))
            return self._server

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ["REQUEST_METHOD"]
        if path == "/metadata":
            body = create_metadata_string(None, config=idp_config(self.base_url, None))
            return self._respond(start_response, body, "application/samlmetadata+xml")
        if path == "/sso/redirect" and method == "GET":
            return self.login_form(environ, start_response)
        if path == "/sso/login" and method == "POST":
            return self.sign_in(environ, start_response)
        return self._respond(start_response, b"Not found", "text/plain", "404 Not Found")

    def login_form(self, environ, start_response, error: str = "", ticket: str = ""):
        if not ticket:
            query = parse_qs(environ.get("QUERY_STRING", ""))
            request = self.server.parse_authn_request(
                query["SAMLRequest"][0], BINDING_HTTP_REDIRECT
            ).message
            ticket = secrets.token_urlsafe(16)
            self.pending[ticket] = {
                "id": request.id,
                "sp": request.issuer.text,
                "acs": request.assertion_consumer_service_url,
                "relay_state": query.get("RelayState", [""])[0],
            }
        alert = f'<p role="alert">{html.escape(error)}</p>' if error else ""
        page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Test Shibboleth: sign in</title></head><body><main><h1>Test Shibboleth</h1>{alert}
<form method="post" action="/sso/login"><input type="hidden" name="ticket" value="{ticket}">
<p><label for="username">Username</label> <input id="username" name="username"></p>
<p><label for="password">Password</label> <input id="password" type="password" name="password"></p>
<button type="submit" name="action" value="login">Log in to Shibboleth</button>
<button type="submit" name="action" value="cancel">Cancel</button></form></main></body></html>"""
        return self._respond(start_response, page.encode(), "text/html; charset=utf-8")

    def sign_in(self, environ, start_response):
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
        ticket = form.get("ticket", "")
        request = self.pending.get(ticket)
        if request is None:
            return self._respond(
                start_response, b"Unknown request", "text/plain", "400 Bad Request"
            )
        if form.get("action") == "cancel":
            self.pending.pop(ticket)
            response = self.server.create_error_response(
                request["id"],
                request["acs"],
                (samlp.STATUS_AUTHN_FAILED, "The user cancelled the sign-in."),
                sign=True,
                sign_alg=SIG_RSA_SHA256,
                digest_alg=DIGEST_SHA256,
            )
            return self._post_back(start_response, request, response)
        account = self.accounts.get(form.get("username", ""))
        if account is None or account["password"] != form.get("password"):
            return self.login_form(
                environ, start_response, error="Wrong username or password.", ticket=ticket
            )
        self.pending.pop(ticket)
        identity = {
            "uid": [account["username"]],
            "mail": [account["email"]],
            "givenName": [account.get("first_name", "")],
            "sn": [account.get("last_name", "")],
        }
        response = self.server.create_authn_response(
            identity,
            in_response_to=request["id"],
            destination=request["acs"],
            sp_entity_id=request["sp"],
            userid=account["username"],
            name_id_policy=samlp.NameIDPolicy(format=NAMEID_FORMAT_TRANSIENT),
            authn={
                "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            },
            sign_response=True,
            sign_assertion=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        return self._post_back(start_response, request, response)

    def _post_back(self, start_response, request, response):
        """An auto-submitting form that posts the response to the portal (HTTP-POST binding)."""
        binding = self.server.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            request["acs"],
            request["relay_state"],
            response=True,
        )
        return self._respond(start_response, binding["data"].encode(), "text/html; charset=utf-8")

    @staticmethod
    def _respond(start_response, body, content_type, status="200 OK"):
        if isinstance(body, str):
            body = body.encode()
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body]


if __name__ == "__main__":
    port = int(sys.argv[1])
    serve(IdentityProvider(f"http://127.0.0.1:{port}"), port)
