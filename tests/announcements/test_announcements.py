"""Announcements: written by the steering group or HR to every active technician or chosen
faculties and departments; queued to the outbox in batches, honouring each person's
preference; on the audience's dashboard for a week; listed at /announcements/."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from announcements import selectors, services
from announcements.models import Announcement
from portal.models import Notification, NotificationPreference
from tests import factories
from tests.notifications.conftest import no_account, received

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(department):
    """Chemistry (Science, the personas'), Physics (Science), History (Arts)."""
    physics = factories.DepartmentFactory(
        name="Physics", slug="physics", faculty="Faculty of Science"
    )
    history = factories.DepartmentFactory(name="History", slug="history", faculty="Faculty of Arts")
    return {"chemistry": department, "physics": physics, "history": history}


@pytest.fixture
def people(personas, units):
    """One technician without an account in each department, and a leaver in History."""
    made = {
        name: no_account(unit, f"{name}.tech@example.ac.uk", first_name=name.title())
        for name, unit in units.items()
    }
    leaver = no_account(units["history"], "left@example.ac.uk", is_active=False)
    return {**made, "leaver": leaver}


def told(announcement):
    return set(
        Notification.objects.filter(
            kind="announcement", key=f"announcement:{announcement.pk}"
        ).values_list("technician__email", flat=True)
    )


def publish(by, **values):
    values.setdefault("title", "News")
    values.setdefault("body", "Read https://example.ac.uk/news")
    return services.publish_announcement(by=by, **values)


# --- audience -------------------------------------------------------------------------------


def test_everyone_active_by_default(personas, people, sends):
    with sends():
        announcement = publish(personas.steering)
    assert told(announcement) == {
        "alex.tech@example.ac.uk",
        "morgan.manager@example.ac.uk",
        "chemistry.tech@example.ac.uk",
        "physics.tech@example.ac.uk",
        "history.tech@example.ac.uk",
    }
    announcement.refresh_from_db()
    assert (announcement.status, announcement.recipients) == ("sent", 5)


def test_chosen_faculties_and_departments(personas, people, units, sends):
    with sends():
        arts = publish(personas.hr, faculties=["Faculty of Arts"])
        mixed = publish(personas.hr, faculties=["Faculty of Arts"], departments=[units["physics"]])
        physics = publish(personas.hr, departments=[units["physics"].pk])
    assert told(arts) == {"history.tech@example.ac.uk"}
    assert told(mixed) == {"history.tech@example.ac.uk", "physics.tech@example.ac.uk"}
    assert told(physics) == {"physics.tech@example.ac.uk"}
    assert arts.audience_label() == "Faculty of Arts"


def test_only_the_steering_group_and_hr_write(personas, people):
    for persona in ("technician", "manager", "coordinator"):
        with pytest.raises(PermissionDenied):
            publish(getattr(personas, persona))
    with pytest.raises(ValidationError) as refused:
        publish(personas.hr, title=" ", body="")
    assert {"title", "body"} <= set(refused.value.error_dict)
    with pytest.raises(ValidationError, match="no faculty called"):
        publish(personas.hr, faculties=["Faculty of Magic"])
    assert not Announcement.objects.exists()


def test_a_technician_without_an_account_receives_it(personas, people, sends):
    with sends():
        announcement = publish(personas.steering, body="See https://example.ac.uk/x")
    notification = received(people["history"], "announcement")
    assert notification.reminder_kind == "announcements"
    assert f"/announcements/{announcement.pk}/" in notification.body
    message = next(m for m in mail.outbox if m.to == [people["history"].email])
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_each_persons_preference_for_announcements(personas, people, sends):
    NotificationPreference.objects.create(
        technician=people["physics"], reminder_kind="announcements", choice="never"
    )
    NotificationPreference.objects.create(
        technician=people["history"], reminder_kind="announcements", choice="digest"
    )
    with sends():
        publish(personas.steering)
    statuses = dict(
        Notification.objects.filter(kind="announcement").values_list("technician__email", "status")
    )
    assert statuses["physics.tech@example.ac.uk"] == "skipped"
    assert statuses["history.tech@example.ac.uk"] == "pending"  # held for the weekly digest
    assert statuses["chemistry.tech@example.ac.uk"] == "sent"
    addresses = {m.to[0] for m in mail.outbox}
    assert "physics.tech@example.ac.uk" not in addresses
    assert "history.tech@example.ac.uk" not in addresses


# --- batches --------------------------------------------------------------------------------


def test_it_goes_through_the_outbox_in_batches(personas, people, settings, sends, monkeypatch):
    settings.ANNOUNCEMENT_BATCH_SIZE = 2
    batches = []
    real = services.queue_batch
    monkeypatch.setattr(
        services, "queue_batch", lambda pk, **kw: batches.append(pk) or real(pk, **kw)
    )
    with sends():
        announcement = publish(personas.steering)
    assert len(batches) == 3  # 5 people, 2 at a time
    assert len(told(announcement)) == 5
    announcement.refresh_from_db()
    assert announcement.recipients == 5 and announcement.finished_at is not None


def test_a_batch_run_again_tells_nobody_twice_and_a_stopped_one_resumes(personas, people):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "_start", lambda pk: None)  # the broker never got it
        announcement = publish(personas.steering)
    assert services.queue_batch(announcement.pk, size=2) is True
    # The worker died after the batch committed; the task is delivered again from the start.
    Announcement.objects.filter(pk=announcement.pk).update(queued_through=0)
    assert services.queue_batch(announcement.pk, size=2) is True
    assert Notification.objects.filter(kind="announcement").count() == 2
    # The periodic pass resumes what was left half way, once it has waited a while.
    services.resume_unfinished(timezone.localdate())
    assert Notification.objects.filter(kind="announcement").count() == 2
    later = timezone.now() + datetime.timedelta(minutes=6)
    with time_machine.travel(later, tick=False):
        services.resume_unfinished(timezone.localdate())
    assert len(told(announcement)) == 5
    assert services.queue_batch(announcement.pk) is False  # done: nothing more
    assert Notification.objects.filter(kind="announcement").count() == 5


# --- the dashboard and the pages ---------------------------------------------------------------


def test_on_the_audiences_dashboard_for_exactly_a_week(personas, people, units, login):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        publish(personas.hr, title="For Science", faculties=["Faculty of Science"])
        publish(personas.hr, title="For Arts", faculties=["Faculty of Arts"])
    week = datetime.timedelta(days=7)
    client = login(personas.technician)  # Alex, Chemistry, Faculty of Science
    with time_machine.travel(start + week - datetime.timedelta(seconds=1), tick=False):
        page = client.get("/").content.decode()
        assert "For Science" in page
        assert "For Arts" not in page  # not in its audience
        # The writers see every announcement of the week.
        hr_page = login(personas.hr).get("/").content.decode()
        assert "For Science" in hr_page and "For Arts" in hr_page
    client = login(personas.technician)
    with time_machine.travel(start + week, tick=False):
        assert "For Science" not in client.get("/").content.decode()
    # Still listed with the past ones.
    assert "For Science" in client.get("/announcements/").content.decode()


def test_links_are_made_safely(personas, people, login):
    announcement = publish(
        personas.hr,
        title="Links",
        body='Agenda: https://example.ac.uk/agenda <script>alert("x")</script>\nSecond line',
    )
    page = login(personas.technician).get(f"/announcements/{announcement.pk}/").content.decode()
    assert '<a href="https://example.ac.uk/agenda" rel="nofollow">' in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page


BODIES = [
    'Agenda: https://example.ac.uk/agenda <script>alert("x")</script>\nSecond line',
    "Fish & chips at www.example.ac.uk.\n\nA second paragraph, <b>bold</b> not.",
    " ".join(f"word{n}" for n in range(80)) + " https://example.ac.uk/late",
    "Mail tech@example.ac.uk — “quoted” 'text'",
]


@pytest.mark.parametrize("body", BODIES)
def test_the_dashboard_shows_the_summary_the_template_wrote(personas, people, login, body):
    """The first fifty words of the body, links made live and paragraphs kept, written once
    for every dashboard: the markup of `body|truncatewords:50|urlize|linebreaks`, escaped."""
    from django.template import Context, Template

    announcement = publish(personas.hr, title="Summary", body=body)
    [shown] = selectors.on_dashboard(personas.technician_profile)
    expected = Template("{{ body|truncatewords:50|urlize|linebreaks }}").render(
        Context({"body": announcement.body})
    )
    assert shown.summary_html == expected
    page = login(personas.technician).get("/").content.decode()
    assert f"<div>{expected}</div>" in page
    assert "<script>" not in page.split('id="announcements-heading"')[1].split("</section>")[0]


def test_the_writing_page_sends_it(personas, people, units, login, sends):
    client = login(personas.steering)
    assert "Faculty of Arts" in client.get("/announcements/new/").content.decode()
    with sends():
        response = client.post(
            "/announcements/new/",
            {"title": "Physics news", "body": "Hello", "departments": [units["physics"].pk]},
        )
    announcement = Announcement.objects.get()
    assert response["Location"] == f"/announcements/{announcement.pk}/"
    assert told(announcement) == {"physics.tech@example.ac.uk"}


def test_the_list_runs_the_same_queries_whatever_its_length(personas, units, login):
    def make(count):
        for n in range(count):
            announcement = Announcement.objects.create(title=f"A{n}", body="B", status="sent")
            announcement.departments.set([units["physics"], units["history"]])

    client = login(personas.technician)
    make(2)
    client.get("/announcements/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/announcements/").status_code == 200
    make(20)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/announcements/")
    assert page.content.decode().count("<h2>") == 22
    assert len(many) == len(few)


def test_the_dashboard_reads_the_weeks_announcements_once_for_everyone(
    personas, people, django_assert_num_queries
):
    for n in range(5):
        publish(personas.hr, title=f"N{n}")
    assert len(selectors.on_dashboard(personas.technician_profile)) == 5
    with django_assert_num_queries(1):  # the versions; the announcements come from the cache
        assert len(selectors.on_dashboard(people["history"])) == 5


def test_the_dashboard_sees_a_new_announcement_at_once(personas, people):
    publish(personas.hr, title="First")
    assert [a.title for a in selectors.on_dashboard(people["physics"])] == ["First"]
    publish(personas.hr, title="Second")
    assert [a.title for a in selectors.on_dashboard(people["physics"])] == ["Second", "First"]


def test_the_dashboard_sees_an_audience_changed_or_an_announcement_removed_at_once(
    personas, people, units
):
    announcement = publish(personas.hr, title="Physics only", departments=[units["physics"]])
    assert selectors.on_dashboard(people["physics"]) and not selectors.on_dashboard(
        people["history"]
    )
    announcement.departments.set([units["history"]])
    assert selectors.on_dashboard(people["history"]) and not selectors.on_dashboard(
        people["physics"]
    )
    announcement.delete()
    assert selectors.on_dashboard(people["history"]) == []


def test_the_demo_seeds_announcements_once():
    from announcements import demo

    demo.seed_demo()
    demo.seed_demo()
    assert Announcement.objects.count() == len(demo.ITEMS)
