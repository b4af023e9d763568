"""The dashboard at /: a greeting, then the panels each app registers for the person's roles,
what needs them first; each panel's numbers on a known data set; a constant number of
queries for every role at two data sizes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from portal import registry, versions
from portal.registry import Panel
from tests import factories
from tests.portal.html_checks import h1_count

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 3, 10)  # academic year 2025–26
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, 0, tzinfo=LONDON), tick=False):
        yield TODAY


def dashboard(login, user):
    response = login(user).get("/")
    assert response.status_code == 200
    return response


def html_of(response) -> str:
    return response.content.decode()


def context(response, name):
    """A value from the rendered panels' contexts."""
    return response.context[name]


@pytest.fixture
def plan(db):
    return factories.ActionPlanFactory(
        title="Action Plan 2025–2028",
        starts_on=datetime.date(2025, 8, 1),
        ends_on=datetime.date(2028, 7, 31),
        status="published",
    )


# --- greeting, header and texts --------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_greets_the_person_by_name_and_the_header_says_who_is_signed_in(
    login, personas
):
    html = html_of(dashboard(login, personas.technician))
    assert "Welcome, Alex" in html
    assert "Signed in as <strong>Alex Tech</strong>" in html
    assert h1_count(html) == 1
    personas.hr.first_name, personas.hr.last_name = "Harper", "Hughes"
    personas.hr.save()
    html = html_of(dashboard(login, personas.hr))
    assert "Welcome, Harper" in html
    assert "Signed in as <strong>Harper Hughes</strong>" in html


@pytest.mark.django_db
def test_a_technician_sees_their_profile_the_directory_and_the_plans(login, personas):
    html = html_of(dashboard(login, personas.technician))
    assert 'href="/technicians/me/"' in html
    assert 'href="/technicians/"' in html
    assert "See the action plans" in html
    assert "My team" not in html
    assert 'href="/technicians/import/"' not in html
    assert 'href="/admin/"' not in html
    assert "My actions" not in html  # owns none


@pytest.mark.django_db
def test_an_unlinked_technician_is_told_to_ask_hr(login, department):
    from tests.conftest import make_user

    user = make_user("new.starter@example.ac.uk", "Technician")
    html = html_of(dashboard(login, user))
    assert "ask HR to check that the staff list has your work email address" in html
    assert "new.starter@example.ac.uk" in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "steering"])
def test_other_roles_without_a_profile_are_not_told_to_ask_hr(login, personas, who):
    html = html_of(dashboard(login, getattr(personas, who)))
    assert "ask HR" not in html
    assert "your role does not need one" in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["hr", "admin"])
def test_hr_without_a_profile_is_told_how_to_link_one(login, personas, who):
    html = html_of(dashboard(login, getattr(personas, who)))
    assert "ask HR" not in html
    assert "put their work email address in the staff list and import it" in html


@pytest.mark.django_db
def test_the_administrators_card_does_not_call_them_the_steering_group(login, personas):
    html = html_of(dashboard(login, personas.admin))
    assert 'href="/admin/"' in html
    assert "As an administrator you can do everything" in html
    assert "member of the steering group" not in html
    assert 'href="/technicians/import/"' in html  # administrators can do everything


@pytest.mark.django_db
def test_the_training_coordinator_sees_the_staff_panels_and_no_placeholder(login, personas):
    html = html_of(dashboard(login, personas.coordinator))
    assert 'href="/technicians/"' in html
    assert 'href="/action-plans/"' in html
    for placeholder in ("coming soon", "Coming soon", "placeholder", "not available yet"):
        assert placeholder not in html


@pytest.mark.django_db
def test_a_leaver_sees_only_that_they_have_left(login, personas):
    profile = personas.technician_profile
    profile.is_active = False
    profile.save()
    html = html_of(dashboard(login, personas.technician))
    assert "You have left the university" in html
    assert "View and update your profile" not in html


# --- any registered panel is rendered -----------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_renders_any_panel_an_app_registers(login, personas, tmp_path, settings):
    panel_dir = tmp_path / "templates"
    (panel_dir / "extra").mkdir(parents=True)
    (panel_dir / "extra" / "panel.html").write_text(
        '<section class="panel">Extra {{ n }}</section>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], panel_dir]}
    ]
    panel = Panel(
        name="tests.extra",
        template="extra/panel.html",
        applies=lambda user: user.email == "sam.steering@example.ac.uk",
        context=lambda request: {"n": 42},
        order=1,
    )
    registry.register_panel(panel)
    try:
        assert "Extra 42" in html_of(dashboard(login, personas.steering))
        assert "Extra 42" not in html_of(dashboard(login, personas.technician))
    finally:
        registry._panels.pop("tests.extra")


@pytest.mark.django_db
def test_a_shared_panel_is_written_once_a_day_for_everyone_and_again_when_its_data_changes(
    login, personas, tmp_path, settings
):
    panel_dir = tmp_path / "templates"
    (panel_dir / "extra").mkdir(parents=True)
    (panel_dir / "extra" / "shared.html").write_text(
        '<section class="panel">Shared {{ n }}, request: {{ request.user|default:"none" }}'
        "{% csrf_token %}</section>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], panel_dir]}
    ]
    asked = []

    def shared_context(request):
        asked.append(request)
        return {"n": len(asked)}

    registry.register_panel(
        Panel(
            name="tests.shared",
            template="extra/shared.html",
            applies=lambda user: True,
            context=shared_context,
            order=1,
            shared_by=("tests-shared",),
        )
    )
    try:
        shown = "Shared 1, request: none</section>"  # no viewer's data, no CSRF token
        assert shown in html_of(dashboard(login, personas.steering))
        assert shown in html_of(dashboard(login, personas.technician))
        assert asked == [None]
        versions.bump("tests-shared")
        assert "Shared 2," in html_of(dashboard(login, personas.technician))
        with time_machine.travel(datetime.datetime(2026, 3, 11, 9, 0, tzinfo=LONDON)):
            assert "Shared 3," in html_of(dashboard(login, personas.technician))
        assert asked == [None, None, None]
    finally:
        registry._panels.pop("tests.shared")


# --- the action owner's panel -----------------------------------------------------------------


@pytest.fixture
def owned(plan, personas):
    """The technician owns: one overdue by 5 days, one due in 10, one due in 30 (the window's
    last day), one due in 31 (outside it), and one complete and long past."""
    owner = personas.technician
    make = factories.ActionFactory
    return {
        "late": make(plan=plan, ref="V1.1", owner=owner, due_on=TODAY - 5 * DAY),
        "soon": make(plan=plan, ref="V1.2", owner=owner, due_on=TODAY + 10 * DAY),
        "edge": make(plan=plan, ref="V1.3", owner=owner, due_on=TODAY + 30 * DAY),
        "later": make(plan=plan, ref="V1.4", owner=owner, due_on=TODAY + 31 * DAY),
        "done": make(
            plan=plan,
            ref="V1.5",
            owner=owner,
            due_on=TODAY - 50 * DAY,
            status="complete",
            progress=100,
        ),
    }


@pytest.mark.django_db
def test_the_owner_panel_lists_overdue_and_due_soon_with_how_late_or_soon(login, personas, owned):
    factories.ActionUpdateFactory(action=owned["soon"], author=personas.technician, note="Booked")
    factories.ActionUpdateFactory(action=owned["late"], author=personas.steering, note="Not mine")
    response = dashboard(login, personas.technician)
    mine = context(response, "mine")
    assert [a.ref for a in mine.overdue] == ["V1.1"]
    assert [a.ref for a in mine.due_soon] == ["V1.2", "V1.3"]
    assert mine.open_count == 4
    assert [u.note for u in mine.recent_updates] == ["Booked"]
    html = html_of(response)
    assert "overdue by 5 days" in html
    assert "due in 10 days" in html
    assert "due in 30 days" in html
    assert "V1.4" not in html
    # What needs you comes first.
    assert html.index('id="my-actions-heading"') < html.index('id="profile-heading"')


@pytest.mark.django_db
def test_the_owner_panel_reads_the_actions_once_for_its_test_and_what_it_shows(
    login, personas, owned
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(personas.technician)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert context(response, "mine").open_count == 4
    reads = [q for q in queries.captured_queries if 'FROM "actionplan_action"' in q["sql"]]
    assert len(reads) == 1


@pytest.mark.django_db
def test_an_owner_of_finished_actions_only_still_sees_their_last_updates(login, personas, plan):
    done = factories.ActionFactory(
        plan=plan, ref="V2.1", owner=personas.technician, status="complete", progress=100
    )
    factories.ActionUpdateFactory(action=done, author=personas.technician, note="All done")
    response = dashboard(login, personas.technician)
    mine = context(response, "mine")
    assert (mine.open_count, mine.overdue, mine.due_soon) == (0, [], [])
    assert "All done" in html_of(response)
    assert "Nothing of yours is overdue" in html_of(response)


# --- the steering group's panel ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_steering_panel_counts_rag_by_pillar_and_lists_overdue_and_latest_updates(
    login, personas, plan
):
    make = factories.ActionFactory
    owner = personas.technician
    late = make(plan=plan, ref="V1.1", pillar="visibility", owner=owner, due_on=TODAY - 12 * DAY)
    make(plan=plan, ref="V1.2", pillar="visibility", status="complete", progress=100)
    make(plan=plan, ref="R1.1", pillar="recognition", status="blocked")
    make(plan=plan, ref="C1.1", pillar="career_development", progress=10, due_on=TODAY + 5 * DAY)
    make(plan=plan, ref="S1.1", pillar="sustainability", progress=10)
    for hour in range(12):
        factories.ActionUpdateFactory(
            action=late,
            author=personas.steering,
            note=f"Note {hour}",
            created=datetime.datetime(2026, 3, 1, hour, tzinfo=LONDON),
        )
    # Another plan's actions are not counted.
    make(plan=factories.ActionPlanFactory(status="archived"), due_on=TODAY - DAY)
    response = dashboard(login, personas.steering)
    steering = context(response, "steering")
    assert steering.plan == plan
    counts = {s.pillar: dict(s.rag_counts) for s in steering.overview.pillars}
    assert counts["visibility"] == {"red": 1, "amber": 0, "green": 0, "complete": 1}
    assert counts["recognition"] == {"red": 1, "amber": 0, "green": 0, "complete": 0}
    assert counts["career_development"] == {"red": 0, "amber": 1, "green": 0, "complete": 0}
    assert counts["sustainability"] == {"red": 0, "amber": 0, "green": 1, "complete": 0}
    assert [a.ref for a in steering.overdue] == ["V1.1"]
    assert steering.overdue_count == 1
    assert [u.note for u in steering.recent_updates] == [f"Note {h}" for h in range(11, 1, -1)]
    html = html_of(response)
    assert "overdue by 12 days" in html
    # The owner is named, and linked to the profile the reader may see.
    assert f'href="/technicians/{personas.technician_profile.pk}/">Alex' in html


KEPT_STEERING_PANEL = "actionplan/panels/_steering_kept.html"


@pytest.mark.django_db
def test_the_steering_panel_is_written_once_and_names_people_as_each_reader_may_see_them(
    login, personas, plan, department
):
    """One steering member's visit writes the panel; the next member's reads it, and each
    sees an owner on a private profile as they may: "a colleague", or by name for the
    owner's own line manager. An author whose account is gone since is "a former user"."""
    from portal import roles
    from tests.conftest import make_user

    lead_user = make_user("lee.lead@example.ac.uk", roles.STEERING_GROUP)
    lead = factories.TechnicianFactory(
        user=lead_user, email=lead_user.email, department=department, first_name="Lee"
    )
    owner_user = make_user("pat.private@example.ac.uk")
    factories.TechnicianFactory(
        user=owner_user,
        email=owner_user.email,
        department=department,
        first_name="Pat",
        last_name="Private",
        line_manager=lead,
        visibility="private",
    )
    leaver = make_user("lou.leaver@example.ac.uk")
    late = factories.ActionFactory(plan=plan, ref="V1.1", owner=owner_user, due_on=TODAY - DAY)
    factories.ActionUpdateFactory(action=late, author=leaver, note="Started")

    first = dashboard(login, personas.steering)
    assert KEPT_STEERING_PANEL in [template.name for template in first.templates]
    html = html_of(first)
    assert "overdue by 1 day</span> · A colleague (private profile)</li>" in html
    assert "Pat Private" not in html
    leaver.delete()  # the update's author becomes nobody in SQL: the plans' version stays

    second = dashboard(login, lead_user)
    assert KEPT_STEERING_PANEL not in [template.name for template in second.templates]
    html = html_of(second)
    assert "overdue by 1 day</span> · Pat Private</li>" in html  # named, not linked
    assert 'by <span class="muted">a former user</span> — Started' in html


@pytest.mark.django_db
def test_the_steering_panel_shows_a_change_to_the_plan_at_the_next_visit(login, personas, plan):
    action = factories.ActionFactory(plan=plan, ref="V1.1", due_on=TODAY - DAY)
    assert "Overdue (1)" in html_of(dashboard(login, personas.steering))
    action.status, action.progress = "complete", 100
    action.save()
    assert "No action of this plan is overdue." in html_of(dashboard(login, personas.steering))


@pytest.mark.django_db
def test_the_steering_panel_without_a_published_plan_says_so(login, personas):
    factories.ActionPlanFactory(status="draft")
    assert "No plan is published yet." in html_of(dashboard(login, personas.steering))


@pytest.mark.django_db
def test_a_technician_does_not_see_the_steering_panel(login, personas, plan):
    html = html_of(dashboard(login, personas.technician))
    assert "Actions by pillar and RAG rating" not in html


# --- HR's panel -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_hr_panel_counts_technicians_joiners_leavers_completeness_and_the_last_import(
    login, personas, department
):
    from portal.models import ImportRun

    # The personas Morgan and Alex: active, long-serving, with empty profiles.
    for technician in (personas.manager_profile, personas.technician_profile):
        technician.bio, technician.expertise = "", ""
        technician.started_on = datetime.date(2020, 1, 6)
        technician.save()
    complete = factories.TechnicianFactory(
        department=department,
        bio="I run the NMR suite.",
        expertise="NMR",
        started_on=datetime.date(2025, 8, 1),  # first day of the year: a joiner
    )
    factories.attach_photo(complete)
    factories.TechnicianFactory(
        department=department, bio="Bio", expertise="", started_on=datetime.date(2026, 7, 31)
    )
    factories.TechnicianFactory(
        department=department, bio="", expertise="", started_on=datetime.date(2025, 7, 31)
    )
    factories.TechnicianFactory(department=department, is_active=False)  # not counted
    ImportRun.objects.create(
        kind="staff-list",
        by=personas.hr,
        file_name="autumn.csv",
        counts={"created": 3, "updated": 0, "leavers": 2},
    )
    last = ImportRun.objects.create(
        kind="staff-list",
        by=personas.hr,
        file_name="spring.csv",
        counts={"created": 1, "updated": 4, "leavers": 1},
    )
    ImportRun.objects.create(kind="actionplan-actions", by=personas.steering, counts={})
    ImportRun.objects.filter(pk=last.pk).update(
        created=datetime.datetime(2026, 3, 10, 11, 0, tzinfo=LONDON)
    )
    ImportRun.objects.filter(file_name="autumn.csv").update(
        created=datetime.datetime(2025, 9, 1, 10, 0, tzinfo=LONDON)
    )
    # Last year's leavers are not this year's.
    old = ImportRun.objects.create(kind="staff-list", by=personas.hr, counts={"leavers": 9})
    ImportRun.objects.filter(pk=old.pk).update(
        created=datetime.datetime(2025, 7, 31, 10, 0, tzinfo=LONDON)
    )
    response = dashboard(login, personas.hr)
    hr = context(response, "hr")
    assert hr["active"] == 5
    assert hr["joiners"] == 2
    assert hr["leavers"] == 3
    assert hr["complete"] == 1
    assert hr["completeness"]["no_bio"] == 3
    assert hr["completeness"]["no_expertise"] == 4
    assert hr["completeness"]["no_photo"] == 4
    assert hr["last_import"].file_name == "spring.csv"
    html = html_of(response)
    assert "2025–26" in html
    assert "spring.csv" in html
    assert "spring.csv: 1 created, 4 updated, 1 made leavers." in html
    assert 'href="/technicians/import/"' in html
    assert 'href="/technicians/export.csv"' in html


@pytest.mark.django_db
def test_the_hr_panel_names_the_command_line_for_an_import_made_there(login, personas):
    from portal.models import ImportRun

    ImportRun.objects.create(kind="staff-list", by=None, file_name="hr.csv", counts={})
    assert "by the command line, hr.csv" in html_of(dashboard(login, personas.hr))


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=LONDON), tick=False)
def test_the_hr_panel_with_no_import_this_year_shows_the_last_one_and_no_leavers(login, personas):
    from portal.models import ImportRun

    older = ImportRun.objects.create(kind="staff-list", by=personas.hr, counts={"leavers": 4})
    last = ImportRun.objects.create(kind="staff-list", by=personas.hr, counts={"leavers": 9})
    ImportRun.objects.filter(pk=older.pk).update(
        created=datetime.datetime(2025, 6, 1, 10, 0, tzinfo=LONDON)
    )
    ImportRun.objects.filter(pk=last.pk).update(
        created=datetime.datetime(2025, 7, 31, 10, 0, tzinfo=LONDON)  # last year's last day
    )
    hr = context(dashboard(login, personas.hr), "hr")
    assert hr["last_import"] == last
    assert hr["leavers"] == 0


@pytest.mark.django_db
def test_the_hr_panel_before_any_import(login, personas):
    assert "The staff list has not been imported yet." in html_of(dashboard(login, personas.hr))


@pytest.mark.django_db
def test_only_hr_sees_the_hr_panel(login, personas):
    for who in ("technician", "manager", "steering", "coordinator"):
        assert "Active technicians" not in html_of(dashboard(login, getattr(personas, who)))


# --- the line manager's panel -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_line_manager_sees_the_team_with_profile_completeness(login, personas, department):
    report = personas.technician_profile
    report.bio, report.expertise = "Mass spectrometry lead.", ""
    report.save()
    complete = factories.TechnicianFactory(
        first_name="Robin",
        last_name="Ready",
        line_manager=personas.manager_profile,
        department=department,
        bio="Bio",
        expertise="XRD",
    )
    factories.attach_photo(complete)
    factories.TechnicianFactory(
        first_name="Former",
        last_name="Report",
        line_manager=personas.manager_profile,
        is_active=False,
        department=department,
    )
    response = dashboard(login, personas.manager)
    team = context(response, "my_team")
    assert [(m.full_name, m.profile_gaps) for m in team] == [
        ("Robin Ready", []),
        ("Alex Tech", ["expertise", "a photo"]),
    ]
    html = html_of(response)
    assert "My team" in html
    assert "Missing expertise, a photo" in html
    assert "Complete" in html
    assert "Former Report" not in html  # leavers are not the team
    assert f'href="/technicians/{report.pk}/"' in html


@pytest.mark.django_db
def test_a_team_members_private_profile_is_named_but_not_linked(login, personas):
    """The line manager may not open a private profile: no link that would end in a 404."""
    report = personas.technician_profile
    report.visibility = "private"
    report.save()
    html = html_of(dashboard(login, personas.manager))
    assert "Alex Tech" in html
    assert f'href="/technicians/{report.pk}/"' not in html
    assert "(private profile)" in html


# --- a constant number of queries for each role, at two data sizes ---------------------------


def grow(personas, department, plan, size: int) -> None:
    """`size` more of everything the panels read."""
    for n in range(size):
        member = factories.TechnicianFactory(
            line_manager=personas.manager_profile, department=department
        )
        action = factories.ActionFactory(
            plan=plan,
            owner=[personas.technician, personas.manager, personas.steering][n % 3],
            due_on=TODAY + (n % 40 - 10) * DAY,
        )
        factories.ActionUpdateFactory(action=action, author=action.owner)
        del member


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["technician", "manager", "steering", "coordinator", "hr", "admin"])
def test_the_dashboard_runs_a_constant_number_of_queries(
    who, login, personas, department, plan, django_assert_max_num_queries
):
    from portal.models import ImportRun

    client = login(getattr(personas, who))
    grow(personas, department, plan, 3)
    ImportRun.objects.create(kind="staff-list", by=personas.hr, counts={"leavers": 1})
    client.get("/")  # the session's first read is not counted
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Both sizes measure the path that works the shared figures out (portal.versions).
    versions.clear_copies()
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == 200
    grow(personas, department, plan, 40)
    ImportRun.objects.create(kind="staff-list", by=personas.hr, counts={"leavers": 2})
    versions.clear_copies()
    with django_assert_max_num_queries(len(small)):
        assert client.get("/").status_code == 200
