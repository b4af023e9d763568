"""The Content-Security-Policy header, written once a process.

django-csp's middleware builds the header from the settings for every response: about 300
Python calls a request, as many as a small page's own view. The portal's policy is the same on
every page (no nonce, no view with a policy of its own), so `FixedPolicyMiddleware` writes the
header django-csp would write, built once and again only when the settings change (tests). A
response that asks for a policy of its own (django-csp's decorators) or a request that used a
nonce goes through django-csp itself, as before.
"""

from __future__ import annotations

import http.client
from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a response or a request carries when a view or a template asks for a policy of its own.
_OWN_PARTS = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_DEBUG_PAGES = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)


@cache
def _headers() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(header, policy, the response's exemption flag, excluded URL prefixes), for the policy
    and the report-only one the settings give; a header with no policy is left out."""
    headers = []
    for header, setting, report_only, exempt in (
        (HEADER, "CONTENT_SECURITY_POLICY", False, "_csp_exempt"),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True, "_csp_exempt_ro"),
    ):
        policy = build_policy(report_only=report_only)
        if policy:
            excluded = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            headers.append((header, policy, exempt, tuple(excluded)))
    return tuple(headers)


@receiver(setting_changed)
def _forget_headers(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _headers.cache_clear()


class FixedPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, part, None) is not None for part in _OWN_PARTS
        ):
            return super().process_response(request, response)
        if response.status_code in _DEBUG_PAGES and settings.DEBUG:
            return response
        for header, policy, exempt, excluded in _headers():
            if (
                header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(excluded)
            ):
                response[header] = policy
        # As django-csp: a nonce asked for once the header is written is an error, not a hole.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
