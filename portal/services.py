"""Changes owned by the kernel: the notification outbox."""

from __future__ import annotations

from celery import current_app
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction

from portal.links import absolute_url  # noqa: F401  (callers import it from here too)
from portal.models import NO_ADDRESS, Notification

# The send task, found by name (portal.tasks imports the outbox, which imports this module).
SEND_TASK = "portal.tasks.send_notification"


def person_model():
    """The model of the people notifications are addressed to (settings.PORTAL_PERSON_MODEL)."""
    return apps.get_model(settings.PORTAL_PERSON_MODEL)


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
        send_notification = current_app.tasks[SEND_TASK]

        # robust: a broker that is down must not fail the request; the sweep sends it later.
        transaction.on_commit(lambda: send_notification.delay(notification.pk), robust=True)
    return notification


def set_notification_preferences(addressee, choices: dict[str, str], *, by) -> dict[str, str]:
    """Keep how `addressee` (a person or an account) wants each kind of reminder: at once,
    in a weekly digest, or never. Only the person themself (or an administrator) may.

    Reminders already waiting for a digest follow the new choice: at once, they are sent now;
    never, they are skipped. Returns the person's choices."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from portal import permissions, preferences, registry
    from portal.models import NotificationPreference

    if addressee is None:
        raise ValidationError("There is nobody to keep these settings for.")
    own = addressee_of(by) if getattr(by, "is_authenticated", False) else None
    if own != addressee and not permissions.is_admin(by):
        raise PermissionDenied("You can change only your own notification settings.")
    known = {kind.name for kind in registry.reminder_kinds()}
    valid = {value for value, _label in preferences.CHOICES}
    for kind, choice in choices.items():
        if kind not in known:
            raise ValidationError(f"There is no kind of reminder called “{kind}”.")
        if choice not in valid:
            raise ValidationError("Choose at once, weekly digest or never.")
    owner = preferences.owner_filter(addressee)
    with transaction.atomic():
        for kind, choice in choices.items():
            NotificationPreference.objects.update_or_create(
                reminder_kind=kind, **owner, defaults={"choice": choice}
            )
            _apply_to_held(addressee, kind, choice)
    return preferences.choices_for(addressee)


def unsubscribe(token: str) -> tuple[object, str]:
    """The one-click unsubscribe: the token's person no longer gets its kind of reminder.
    Needs no sign-in: the signed token is the proof. Returns (addressee, reminder kind);
    ValidationError for a bad token."""
    from django.core.exceptions import ValidationError

    from portal import preferences
    from portal import unsubscribe as links
    from portal.models import NotificationPreference

    try:
        addressee, kind = links.read_token(token)
    except links.BadToken as error:
        raise ValidationError(str(error)) from None
    with transaction.atomic():
        NotificationPreference.objects.update_or_create(
            reminder_kind=kind,
            **preferences.owner_filter(addressee),
            defaults={"choice": preferences.NEVER},
        )
        _apply_to_held(addressee, kind, preferences.NEVER)
    return addressee, kind


def _apply_to_held(addressee, kind: str, choice: str) -> None:
    """Reminders of `kind` waiting for `addressee`'s digest follow a new choice."""
    from portal import preferences

    field = "technician" if isinstance(addressee, person_model()) else "recipient"
    held = Notification.objects.filter(
        status=Notification.Status.PENDING, digest=True, reminder_kind=kind, **{field: addressee}
    )
    if choice == preferences.NEVER:
        held.update(
            status=Notification.Status.SKIPPED,
            digest=False,
            reason="Turned off in the person's preferences",
        )
    elif choice == preferences.AT_ONCE:
        send_notification = current_app.tasks[SEND_TASK]

        ids = list(held.values_list("pk", flat=True))
        held.update(digest=False)
        for pk in ids:
            transaction.on_commit(lambda pk=pk: send_notification.delay(pk), robust=True)
