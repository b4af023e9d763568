"""Announcements: staff read them; the steering group and HR write them."""

from tests.matrix import Row, staff

WRITERS = staff(403, steering=200, hr=200, admin=200)


def setup(world) -> None:
    from announcements.models import Announcement

    world.announcement = Announcement.objects.create(
        title="Welcome", body="See https://example.ac.uk/", status=Announcement.Status.SENT
    )


ROWS = [
    Row("announcements:list", lambda w: "/announcements/", staff(200)),
    Row("announcements:detail", lambda w: f"/announcements/{w.announcement.pk}/", staff(200)),
    Row("announcements:new", lambda w: "/announcements/new/", WRITERS),
    # Without a title or text: the form again, with its errors; nothing is sent.
    Row(
        "announcements:new",
        lambda w: "/announcements/new/",
        WRITERS,
        method="post",
        data=lambda w: {"title": "", "body": ""},
        note=" (empty)",
    ),
]
