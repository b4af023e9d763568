"""The Content-Security-Policy header is written once a process (portal.csp): every response
gets exactly the headers django-csp's own middleware would give it."""

import pytest
from csp.constants import NONE, SELF
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import override_settings

from portal.csp import FixedPolicyMiddleware

pytestmark = pytest.mark.django_db

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def headers_from(middleware_class, request, response, prepare=lambda request, response: None):
    """The response as the middleware leaves it; `prepare` is what the view did in between."""
    middleware = middleware_class(lambda request: response)
    middleware.process_request(request)
    prepare(request, response)
    return middleware.process_response(request, response)


def both(rf, *, path="/", prepare=lambda request, response: None, status=200):
    """The headers each middleware writes for the same request and response."""
    written = []
    for middleware_class in (CSPMiddleware, FixedPolicyMiddleware):
        request, response = rf.get(path), HttpResponse(status=status)
        done = headers_from(middleware_class, request, response, prepare)
        written.append({name: done.get(name) for name in HEADERS})
    return written


def test_a_page_gets_the_policy_django_csp_writes(rf):
    django_csp, fixed = both(rf)
    assert fixed == django_csp
    assert "default-src 'self'" in fixed["Content-Security-Policy"]
    assert fixed["Content-Security-Policy-Report-Only"] is None


@pytest.mark.parametrize(
    "prepare",
    [
        pytest.param(
            lambda rq, rs: setattr(rs, "_csp_update", {"img-src": ["https://a.example"]}),
            id="update",
        ),
        pytest.param(
            lambda rq, rs: setattr(rs, "_csp_replace", {"script-src": [NONE]}), id="replace"
        ),
        pytest.param(lambda rq, rs: setattr(rs, "_csp_exempt", True), id="exempt"),
        pytest.param(
            lambda rq, rs: rs.__setitem__("Content-Security-Policy", "x"), id="set already"
        ),
        pytest.param(lambda rq, rs: str(rq.csp_nonce), id="nonce"),
    ],
)
def test_a_response_with_a_policy_of_its_own_is_written_as_django_csp_writes_it(rf, prepare):
    django_csp, fixed = both(rf, prepare=prepare)
    assert fixed == django_csp


def test_the_settings_changing_change_the_header(rf):
    policy = {
        "DIRECTIVES": {"default-src": [SELF], "report-uri": "/csp-report/"},
        "EXCLUDE_URL_PREFIXES": ["/static/"],
    }
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=policy):
        django_csp, fixed = both(rf)
        assert fixed == django_csp and fixed["Content-Security-Policy-Report-Only"]
        assert both(rf, path="/static/site.css")[1]["Content-Security-Policy-Report-Only"] is None
    assert both(rf)[1]["Content-Security-Policy-Report-Only"] is None


def test_debug_error_pages_and_a_late_nonce_are_as_django_csp_leaves_them(rf, settings):
    settings.DEBUG = True
    assert both(rf, status=404) == [dict.fromkeys(HEADERS)] * 2
    settings.DEBUG = False
    request, response = rf.get("/"), HttpResponse()
    headers_from(FixedPolicyMiddleware, request, response)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_every_page_of_the_portal_carries_it(client):
    response = client.get("/accounts/login/", headers={"x-forwarded-proto": "https"})
    assert response["Content-Security-Policy"] == build_policy()
