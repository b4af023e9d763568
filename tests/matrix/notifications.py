"""A person's notification settings (signed in), and the one-click unsubscribe (anyone with
the signed token: no sign-in)."""

from tests.matrix import Row, everyone, staff


def setup(world) -> None:
    from portal import unsubscribe

    world.unsubscribe_token = unsubscribe.make_token(
        world.technician_profile, "training_session_tomorrow"
    )


ROWS = [
    Row("notification_settings", lambda w: "/technicians/me/notifications/", staff(200)),
    # Nothing chosen: the form again, with its errors; nothing changes.
    Row(
        "notification_settings",
        lambda w: "/technicians/me/notifications/",
        staff(200),
        method="post",
        note=" (nothing chosen)",
    ),
    Row(
        "notifications:unsubscribe",
        lambda w: f"/notifications/unsubscribe/{w.unsubscribe_token}/",
        everyone(200),
    ),
    Row(
        "notifications:unsubscribe",
        lambda w: f"/notifications/unsubscribe/{w.unsubscribe_token}/",
        everyone(200),
        method="post",
        note=" (one click)",
    ),
    Row(
        "notifications:unsubscribe",
        lambda w: "/notifications/unsubscribe/tampered/",
        everyone(400),
        note=" (a tampered token)",
    ),
]
