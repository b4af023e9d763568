"""Changes owned by the kernel: the notification outbox."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction

from portal.models import NO_ADDRESS, Notification


def person_model():
    """The model of the people notifications are addressed to (settings.PORTAL_PERSON_MODEL)."""
    return apps.get_model(settings.PORTAL_PERSON_MODEL)


def absolute_url(path: str) -> str:
    """A link for an e-mail: the site's address (SITE_URL) and `path`. Pages that need
    signing in send the reader through sign-in (or SSO) and back to `path`."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def addressee_of(to):
    """Who a notification to `to` is addressed to: a person as such; an account linked to a
    person (its `user`), the person, so that one person has one address and one set of
    preferences; any other account, itself. None for nobody."""
    if to is None:
        return None
    Person = person_model()
    if isinstance(to, Person):
        return to
    if getattr(to, "pk", None) is None:
        return None
    linked = Person._default_manager.filter(user=to).first()
    return linked or to


def queue_notification(
    to,
    kind: str,
    key: str,
    subject: str,
    body: str,
    *,
    reminder_kind: str = "",
) -> Notification | None:
    """Write a Notification to `to` (a person, PORTAL_PERSON_MODEL, or an account) in the
    caller's transaction and send it after commit.

    A person gets it at their staff-list e-mail whether or not they have an account. With no
    usable address the row is still written, as failed with the reason, so that nothing is
    silently dropped (HR sees who has no address). `reminder_kind` marks a reminder: the
    person's preference for that kind applies (at once, weekly digest, never) and the e-mail
    carries an unsubscribe link. Decisions about a person's own bookings and applications pass
    no `reminder_kind`: they always go at once.

    Returns None when this (kind, key, addressee) was already queued, or there is nobody to
    tell: producers can run again and again without telling anyone twice.
    """
    addressee = addressee_of(to)
    if addressee is None:
        return None
    fields = (
        {"technician": addressee}
        if isinstance(addressee, person_model())
        else {"recipient": addressee}
    )
    notification = Notification(
        kind=kind, key=key, subject=subject, body=body, reminder_kind=reminder_kind, **fields
    )
    if not notification.address:
        notification.status = Notification.Status.FAILED
        notification.reason = NO_ADDRESS
    elif reminder_kind:
        from portal import preferences

        choice = preferences.choice_for(addressee, reminder_kind)
        if choice == preferences.NEVER:
            notification.status = Notification.Status.SKIPPED
            notification.reason = "Turned off in the person's preferences"
        elif choice == preferences.DIGEST:
            notification.digest = True
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        return None
    if notification.status == Notification.Status.PENDING and not notification.digest:
        from portal.tasks import send_notification

        # robust: a broker that is down must not fail the request; the sweep sends it later.
        transaction.on_commit(lambda: send_notification.delay(notification.pk), robust=True)
    return notification
