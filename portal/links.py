"""Links in e-mails: absolute, on the site's address."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """A link for an e-mail: the site's address (SITE_URL) and `path`. Pages that need
    signing in send the reader through sign-in (or SSO) and back to `path`."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")
