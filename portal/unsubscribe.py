"""One-click unsubscribe from a kind of reminder (RFC 8058), without signing in.

Every reminder e-mail carries a link to `/notifications/unsubscribe/<token>/` and the headers
`List-Unsubscribe: <that link>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. The
token is signed (django.core.signing, salted) and names the person (or account) and the kind
of reminder: it cannot be forged or changed to unsubscribe someone else, and it works however
long ago the e-mail was sent (unsubscribing must keep working).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "portal.unsubscribe"
PERSON, ACCOUNT = "t", "u"


class BadToken(Exception):
    """The token was tampered with, or names nobody who still exists."""


def make_token(addressee, reminder_kind: str) -> str:
    from portal.preferences import _is_person

    who = PERSON if _is_person(addressee) else ACCOUNT
    return signing.dumps({who: addressee.pk, "k": reminder_kind}, salt=SALT, compress=True)


def read_token(token: str):
    """(addressee, reminder_kind) of a token; BadToken for a forged or stale one."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise BadToken("This unsubscribe link is not valid.") from None
    kind = data.get("k") if isinstance(data, dict) else None
    if not kind:
        raise BadToken("This unsubscribe link is not valid.")
    if PERSON in data:
        model = apps.get_model(settings.PORTAL_PERSON_MODEL)
        pk = data[PERSON]
    else:
        model = get_user_model()
        pk = data.get(ACCOUNT)
    addressee = model._default_manager.filter(pk=pk).first() if pk is not None else None
    if addressee is None:
        raise BadToken("This unsubscribe link names nobody who is still on the portal.")
    return addressee, kind


def unsubscribe_url(addressee, reminder_kind: str) -> str:
    from portal.links import absolute_url

    token = make_token(addressee, reminder_kind)
    return absolute_url(reverse("notifications:unsubscribe", args=[token]))
