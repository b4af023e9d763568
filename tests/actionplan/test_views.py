"""The plan pages: four pillar sections with progress and RAG counts, a filterable table of
actions, and the forms of the steering group and of action owners."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplan.models import Action, ActionPlan, ActionUpdate
from tests import factories
from tests.actionplan.conftest import ENDS, STARTS, TODAY

DAY = datetime.timedelta(days=1)


def detail_url(plan, **query):
    url = reverse("actionplan:detail", args=[plan.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def update_url(action):
    return reverse("actionplan:action_update", args=[action.plan_id, action.pk])


def refs(response) -> list[str]:
    """The references of the table's rows, in the order shown."""
    return re.findall(
        r'<tr id="action-\d+"><th scope="row">([^<]*)</th>', response.content.decode()
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def mixed_plan(plan, personas, today):
    """Two visibility actions and one of each other pillar, with every RAG rating."""
    make = factories.ActionFactory
    make(
        plan=plan,
        ref="V1.1",
        pillar="visibility",
        status="complete",
        progress=100,
        due_on=TODAY - 10 * DAY,
        owner=personas.technician,
    )
    make(
        plan=plan,
        ref="V1.2",
        pillar="visibility",
        status="in_progress",
        progress=50,
        due_on=TODAY + 200 * DAY,
        owner=personas.manager,
    )
    make(
        plan=plan,
        ref="R1.1",
        pillar="recognition",
        status="blocked",
        progress=20,
        due_on=TODAY + 100 * DAY,
        owner=personas.technician,
    )
    make(
        plan=plan,
        ref="C1.1",
        pillar="career_development",
        status="in_progress",
        progress=10,
        due_on=TODAY + 5 * DAY,
    )
    make(
        plan=plan,
        ref="S1.1",
        pillar="sustainability",
        status="not_started",
        progress=0,
        due_on=TODAY - DAY,
    )
    return plan


def pillar_summary(response, pillar):
    return next(s for s in response.context["overview"].pillars if s.pillar == pillar)


def test_the_plan_shows_four_pillar_sections_with_progress_and_rag_counts(
    login, personas, mixed_plan
):
    response = login(personas.technician).get(detail_url(mixed_plan))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Visibility", "Recognition", "Career development", "Sustainability"):
        assert f">{label}</h3>" in html
    visibility = pillar_summary(response, "visibility")
    assert visibility.progress == 75  # (100 + 50) / 2
    assert dict(visibility.rag_counts) == {"red": 0, "amber": 0, "green": 1, "complete": 1}
    assert dict(pillar_summary(response, "recognition").rag_counts)["red"] == 1
    assert dict(pillar_summary(response, "career_development").rag_counts)["amber"] == 1
    assert dict(pillar_summary(response, "sustainability").rag_counts)["red"] == 1
    # A <progress> with a visible text label, never the colour alone.
    assert re.search(
        r'<label for="pillar-visibility-progress">Progress: <span[^>]*>75 %</span></label>\s*'
        r'<progress id="pillar-visibility-progress" max="100" value="75">75 %</progress>',
        html,
    )
    assert '<span class="rag rag-complete" title="Complete: done">Complete</span>' in html


def test_the_table_opens_exception_first(login, personas, mixed_plan):
    """Overdue, then the other Red (blocked), Amber, Green, and complete last."""
    factories.ActionFactory(
        plan=mixed_plan,
        ref="S1.2",
        pillar="sustainability",
        status="in_progress",
        progress=10,
        due_on=TODAY - 30 * DAY,
    )
    client = login(personas.technician)
    response = client.get(detail_url(mixed_plan))
    assert refs(response) == ["S1.2", "S1.1", "R1.1", "C1.1", "V1.2", "V1.1"]
    html = response.content.decode()
    assert "overdue by 30 days" in html
    assert "overdue by 1 day<" in html
    assert "due in 5 days" in html
    assert refs(client.get(detail_url(mixed_plan, sort="attention"))) == refs(response)
    assert html.index('value="attention"') < html.index('value="due"')  # shown as chosen


def test_the_page_opens_in_the_order_the_database_sorts_attention_first_at_every_boundary(
    login, personas, today
):
    """The page as it opens sorts the rows it has read; the sort box's "attention first"
    sorts in the database. Both give one order, at each edge of each rating."""
    plan = factories.ActionPlanFactory(status="published")
    rows = [
        ("A", "complete", 100, TODAY - 9 * DAY),  # complete, however late: last
        ("B", "in_progress", 74, TODAY + 30 * DAY),  # amber: due within 30 days, under 75 %
        ("C", "in_progress", 75, TODAY + 30 * DAY),  # on track: green
        ("D", "in_progress", 0, TODAY + 31 * DAY),  # beyond 30 days: green
        ("E", "in_progress", 0, TODAY),  # due today, not yet overdue: amber
        ("F", "not_started", 0, TODAY - DAY),  # overdue by a day: first
        ("G", "blocked", 50, TODAY + 99 * DAY),  # blocked, not yet due: red
        ("I", "blocked", 0, TODAY - 2 * DAY),  # blocked and overdue: overdue
    ]
    for ref, status, progress, due_on in rows:
        factories.ActionFactory(
            plan=plan, ref=ref, pillar="visibility", status=status, progress=progress, due_on=due_on
        )
    client = login(personas.technician)
    opened = refs(client.get(detail_url(plan)))
    assert opened == ["I", "F", "G", "E", "B", "C", "D", "A"]
    assert refs(client.get(detail_url(plan, sort="attention"))) == opened


def test_the_table_sorts_by_due_date(login, personas, mixed_plan):
    client = login(personas.technician)
    assert refs(client.get(detail_url(mixed_plan, sort="due"))) == [
        "V1.1",
        "S1.1",
        "C1.1",
        "R1.1",
        "V1.2",
    ]
    assert refs(client.get(detail_url(mixed_plan, sort="-due"))) == [
        "V1.2",
        "R1.1",
        "C1.1",
        "S1.1",
        "V1.1",
    ]
    assert refs(client.get(detail_url(mixed_plan, sort="ref"))) == [
        "C1.1",
        "R1.1",
        "S1.1",
        "V1.1",
        "V1.2",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"pillar": "visibility"}, ["V1.2", "V1.1"]),
        ({"status": "blocked"}, ["R1.1"]),
        ({"rag": "red"}, ["S1.1", "R1.1"]),
        ({"rag": "amber"}, ["C1.1"]),
        ({"rag": "green"}, ["V1.2"]),
        ({"rag": "complete"}, ["V1.1"]),
        ({"pillar": "visibility", "rag": "green"}, ["V1.2"]),
    ],
)
def test_the_table_filters_by_pillar_status_and_rag(query, expected, login, personas, mixed_plan):
    assert refs(login(personas.technician).get(detail_url(mixed_plan, **query))) == expected


def test_the_table_filters_by_owner(login, personas, mixed_plan):
    client = login(personas.technician)
    response = client.get(detail_url(mixed_plan, owner=personas.technician.pk))
    assert refs(response) == ["R1.1", "V1.1"]
    # Only people who own an action of this plan are offered.
    owners = set(response.context["filter"].form.fields["owner"].queryset)
    assert owners == {personas.technician, personas.manager}


def test_the_pillar_summary_ignores_the_filter(login, personas, mixed_plan):
    response = login(personas.technician).get(detail_url(mixed_plan, pillar="recognition"))
    assert pillar_summary(response, "visibility").action_count == 2


def test_a_bad_filter_value_shows_an_error_not_a_crash(login, personas, mixed_plan):
    response = login(personas.technician).get(detail_url(mixed_plan, rag="purple"))
    assert response.status_code == 200
    assert response.context["actions"] == []
    assert "Some filters are not valid." in response.content.decode()


def test_the_filter_form_works_without_javascript_and_htmx_gets_the_table_only(
    login, personas, mixed_plan
):
    client = login(personas.technician)
    page = client.get(detail_url(mixed_plan)).content.decode()
    assert re.search(r'<form method="get" action="/action-plans/\d+/"', page)
    assert '<label for="id_rag">RAG</label>' in page
    partial = client.get(
        detail_url(mixed_plan, pillar="visibility"),
        headers={"HX-Request": "true", "HX-Target": "actions-results"},
    )
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="actions-results">')
    assert "<h1>" not in html and "V1.2" in html and "S1.1" not in html
    assert "HX-Request" in partial["Vary"] and "HX-Target" in partial["Vary"]


def _fill(plan, count, owners, start=0):
    pillars = ["visibility", "recognition", "career_development", "sustainability"]
    for index in range(start, start + count):
        action = factories.ActionFactory(
            plan=plan,
            ref=f"X{index}",
            pillar=pillars[index % 4],
            owner=owners[index % len(owners)],
            due_on=STARTS + (index * 7) * DAY,
            status=["not_started", "in_progress", "blocked", "complete"][index % 4],
            progress=100 if index % 4 == 3 else index % 100,
        )
        factories.ActionUpdateFactory(action=action, author=owners[0])
        factories.ActionUpdateFactory(action=action, author=owners[-1], note=f"Latest {index}")


def test_the_plan_page_runs_a_constant_number_of_queries_with_10_and_150_actions(
    login, personas, plan, django_assert_max_num_queries
):
    owners = [factories.UserFactory() for _ in range(5)]
    client = login(personas.steering)
    counts = {}
    for size, start in ((10, 0), (150, 10)):
        _fill(plan, size - start, owners, start)
        for query in ({}, {"owner": owners[0].pk, "rag": "red", "sort": "-due"}):
            with django_assert_max_num_queries(10) as captured:
                response = client.get(detail_url(plan, **query))
            assert response.status_code == 200
            counts[size, bool(query)] = len(captured)
        assert len(refs(client.get(detail_url(plan)))) == size
        assert f"Latest {size - 1}" in client.get(detail_url(plan)).content.decode()
    assert counts[10, False] == counts[150, False]
    assert counts[10, True] == counts[150, True]


@pytest.mark.parametrize("count", [10, 150])
def test_the_list_export_and_print_pages_run_a_constant_number_of_queries(
    count, login, personas, plan, django_assert_max_num_queries
):
    _fill(plan, count, [factories.UserFactory() for _ in range(3)])
    client = login(personas.technician)
    for name in ("actionplan:list", "actionplan:export", "actionplan:print"):
        args = [] if name == "actionplan:list" else [plan.pk]
        with django_assert_max_num_queries(10):
            assert client.get(reverse(name, args=args)).status_code == 200


def test_the_plan_list_hides_drafts_from_technicians(login, personas, plan, draft_plan):
    titles = lambda user: [p.title for p in login(user).get("/action-plans/").context["plans"]]  # noqa: E731
    assert titles(personas.technician) == [plan.title]
    for user in (personas.steering, personas.hr, personas.admin):
        assert set(titles(user)) == {plan.title, draft_plan.title}


# --- posting updates: owner vs non-owner ---------------------------------------------------


def test_the_owner_posts_an_update_on_their_own_action(login, personas, owned_action):
    client = login(personas.technician)
    page = client.get(owned_action.get_absolute_url())
    assert "Post a progress update" in page.content.decode()
    response = client.post(
        update_url(owned_action),
        {"note": "Forty profiles added.", "progress": "65", "status": "in_progress"},
    )
    assert response.status_code == 302
    assert response["Location"] == owned_action.get_absolute_url()
    owned_action.refresh_from_db()
    assert (owned_action.progress, owned_action.status) == (65, "in_progress")
    update = ActionUpdate.objects.get()
    assert (update.author, update.note) == (personas.technician, "Forty profiles added.")


@pytest.mark.parametrize("persona", ["manager", "coordinator", "hr"])
def test_someone_who_does_not_own_the_action_cannot_post(persona, login, personas, owned_action):
    client = login(getattr(personas, persona))
    page = client.get(owned_action.get_absolute_url())
    assert page.status_code == 200
    assert "Post a progress update" not in page.content.decode()
    response = client.post(
        update_url(owned_action), {"note": "Sneaky", "progress": "99", "status": "in_progress"}
    )
    assert response.status_code == 403
    owned_action.refresh_from_db()
    assert owned_action.progress == 40
    assert not ActionUpdate.objects.exists()


def test_the_owner_cannot_post_on_someone_elses_action(login, personas, plan):
    other = factories.ActionFactory(plan=plan, owner=personas.manager, progress=10)
    response = login(personas.technician).post(
        update_url(other), {"note": "Not mine", "progress": "90", "status": "in_progress"}
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.progress == 10


def test_an_update_out_of_range_is_refused_with_its_message(login, personas, owned_action):
    response = login(personas.steering).post(
        update_url(owned_action), {"note": "Too keen", "progress": "101", "status": "in_progress"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["progress"] == [
        "Progress must be a whole number from 0 to 100."
    ]
    owned_action.refresh_from_db()
    assert owned_action.progress == 40


def test_completing_by_update_on_the_page_sets_100(login, personas, owned_action):
    login(personas.steering).post(
        update_url(owned_action), {"note": "Finished", "progress": "70", "status": "complete"}
    )
    owned_action.refresh_from_db()
    assert (owned_action.status, owned_action.progress) == ("complete", 100)


# --- archived plans on the pages -----------------------------------------------------------


def test_an_archived_plan_refuses_edits_and_updates_with_a_message(login, personas, archived_plan):
    action = factories.ActionFactory(
        plan=archived_plan, owner=personas.technician, due_on=datetime.date(2025, 3, 1)
    )
    for user in (personas.steering, personas.technician):
        response = login(user).post(
            update_url(action), {"note": "Late", "progress": "100", "status": "complete"}
        )
        assert response.status_code == 302
        assert messages_of(response) == [
            "This plan is archived: it can no longer be changed, and its actions take no updates."
        ]
    client = login(personas.steering)
    edit = client.post(
        reverse("actionplan:action_edit", args=[archived_plan.pk, action.pk]), {"title": "x"}
    )
    assert edit.status_code == 302 and "archived" in messages_of(edit)[0]
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Post a progress update" not in page and "Edit the action" not in page
    action.refresh_from_db()
    assert (action.progress, action.title) == (50, action.title)
    assert not ActionUpdate.objects.exists()


# --- the steering group's forms ------------------------------------------------------------


def test_the_steering_group_creates_a_plan_and_an_action(login, personas):
    client = login(personas.steering)
    response = client.post(
        reverse("actionplan:create"),
        {
            "title": "Plan 2028–2031",
            "starts_on": "2028-08-01",
            "ends_on": "2031-07-31",
            "status": "draft",
        },
    )
    plan = ActionPlan.objects.get()
    assert response["Location"] == plan.get_absolute_url()
    response = client.post(
        reverse("actionplan:action_create", args=[plan.pk]),
        {
            "pillar": "recognition",
            "ref": "R1.1",
            "title": "Fund registration fees",
            "owner": personas.technician.email.upper(),
            "due_on": "2029-03-31",
            "status": "not_started",
            "progress": "0",
        },
    )
    action = Action.objects.get()
    assert response["Location"] == action.get_absolute_url()
    assert (action.owner, action.history.first().history_user) == (
        personas.technician,
        personas.steering,
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"due_on": "2028-08-01"},
            "due_on",
            "The due date must fall within the plan's period, 1 August 2025 to 31 July 2028.",
        ),
        (
            {"due_on": "2025-07-31"},
            "due_on",
            "The due date must fall within the plan's period, 1 August 2025 to 31 July 2028.",
        ),
        ({"progress": "-1"}, "progress", "Progress must be a whole number from 0 to 100."),
        ({"progress": "101"}, "progress", "Progress must be a whole number from 0 to 100."),
        (
            {"owner": "nobody@example.ac.uk"},
            "owner",
            "No portal user has the email address nobody@example.ac.uk.",
        ),
        ({"ref": "V1.2"}, "ref", "Another action in this plan already has the reference V1.2."),
    ],
)
def test_editing_an_action_refuses_bad_values_with_a_message(
    change, field, message, login, personas, owned_action
):
    factories.ActionFactory(plan=owned_action.plan, ref="V1.2")
    data = {
        "pillar": "visibility",
        "ref": "V1.1",
        "title": owned_action.title,
        "due_on": "2027-03-31",
        "status": "in_progress",
        "progress": "40",
    } | change
    response = login(personas.steering).post(
        reverse("actionplan:action_edit", args=[owned_action.plan_id, owned_action.pk]), data
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    before = owned_action.history.count()
    owned_action.refresh_from_db()
    assert (owned_action.due_on, owned_action.progress, owned_action.ref) == (
        datetime.date(2027, 3, 31),
        40,
        "V1.1",
    )
    assert owned_action.history.count() == before


def test_the_plan_edit_form_refuses_a_backwards_period(login, personas, plan):
    response = login(personas.steering).post(
        reverse("actionplan:edit", args=[plan.pk]),
        {
            "title": plan.title,
            "starts_on": "2025-08-01",
            "ends_on": "2025-08-01",
            "status": "published",
        },
    )
    assert response.context["form"].errors["ends_on"] == ["The plan must end after it starts."]
    plan.refresh_from_db()
    assert plan.ends_on == ENDS


def test_owners_edit_links_are_only_shown_to_the_steering_group(login, personas, owned_action):
    edit = reverse("actionplan:action_edit", args=[owned_action.plan_id, owned_action.pk])
    assert (
        edit not in login(personas.technician).get(owned_action.get_absolute_url()).content.decode()
    )
    assert edit in login(personas.steering).get(owned_action.get_absolute_url()).content.decode()


def test_an_action_whose_owner_has_left_can_still_be_edited(login, personas, owned_action):
    personas.technician.is_active = False
    personas.technician.save()
    edit = reverse("actionplan:action_edit", args=[owned_action.plan_id, owned_action.pk])
    client = login(personas.steering)
    form = client.get(edit).context["form"]
    data = {name: form[name].value() or "" for name in form.fields} | {"lead": "Web team"}
    assert data["owner"] == personas.technician.email
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    owned_action.refresh_from_db()
    assert (owned_action.lead, owned_action.owner) == ("Web team", personas.technician)
    # A new owner must still have an active account.
    other = factories.UserFactory(email="left@example.ac.uk", is_active=False)
    response = client.post(edit, data | {"owner": other.email})
    assert response.context["form"].errors["owner"] == [
        "No portal user has the email address left@example.ac.uk."
    ]


def test_a_link_to_the_action_continued_is_shown_only_to_readers_of_its_plan(
    login, personas, draft_plan
):
    earlier = factories.ActionFactory(plan=draft_plan, ref="V1.1", title="Secret draft work")
    later_plan = factories.ActionPlanFactory(
        title="Later plan", starts_on=STARTS, ends_on=ENDS, status="published"
    )
    later = factories.ActionFactory(plan=later_plan, ref="V1.1", continues=earlier)
    html = login(personas.technician).get(later.get_absolute_url()).content.decode()
    assert draft_plan.title not in html and earlier.get_absolute_url() not in html
    html = login(personas.hr).get(later.get_absolute_url()).content.decode()
    assert f"V1.1 in {draft_plan.title}" in html and earlier.get_absolute_url() in html


def test_a_new_plan_offers_to_import_its_actions_from_a_spreadsheet(login, personas):
    """Institutions have their plans in spreadsheets: create the plan, then import its actions."""
    client = login(personas.steering)
    assert "Import actions from CSV" in client.get(reverse("actionplan:list")).content.decode()
    response = client.post(
        reverse("actionplan:create"),
        {"title": "Plan 2025–2028", "starts_on": "2025-08-01", "ends_on": "2028-07-31"}
        | {"status": "draft"},
        follow=True,
    )
    plan = ActionPlan.objects.get()
    html = response.content.decode()
    assert "Now add its actions, or import them from a CSV file." in html
    assert "This plan has no actions yet." in html
    assert reverse("actionplan:import", args=[plan.pk]) in html
    text = "pillar,ref,action,due\nVisibility,V1.1,Publish technician profiles,31/03/2026\n"
    preview = client.post(
        reverse("actionplan:import", args=[plan.pk]),
        {"file": SimpleUploadedFile("plan.csv", text.encode())},
    )
    client.post(reverse("actionplan:import", args=[plan.pk]), {"token": preview.context["token"]})
    assert list(plan.actions.values_list("ref", "due_on")) == [("V1.1", datetime.date(2026, 3, 31))]
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "This plan has no actions yet." not in html


def test_the_plan_list_shows_the_owner_their_open_actions(
    login, personas, owned_action, draft_plan, archived_plan
):
    mine = owned_action
    factories.ActionFactory(
        plan=mine.plan, ref="V1.9", owner=personas.technician, status="complete", progress=100
    )
    factories.ActionFactory(plan=draft_plan, ref="D1.1", owner=personas.technician)
    factories.ActionFactory(
        plan=archived_plan, ref="A1.1", owner=personas.technician, due_on=datetime.date(2025, 1, 1)
    )
    factories.ActionFactory(plan=mine.plan, ref="V2.1", owner=personas.manager)
    response = login(personas.technician).get(reverse("actionplan:list"))
    assert [action.ref for action in response.context["mine"]] == ["V1.1"]
    assert mine.get_absolute_url() in response.content.decode()
    assert login(personas.coordinator).get(reverse("actionplan:list")).context["mine"] == []


def test_a_bad_filter_value_says_which_filter_and_why(login, personas, mixed_plan):
    response = login(personas.technician).get(detail_url(mixed_plan, rag="purple"))
    assert "RAG: Select a valid choice. purple is not one of the available choices." in (
        response.content.decode()
    )


def test_the_evidence_help_text_follows_the_size_setting(db, settings):
    from actionplan.forms import UpdateForm

    settings.ACTION_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
    form = UpdateForm(action=factories.ActionFactory())
    assert "at most 5 MB." in form.fields["evidence"].help_text


def test_updates_since_shows_the_actions_updated_on_or_after_that_day(login, personas, mixed_plan):
    """What changed since the last meeting."""
    by_ref = {action.ref: action for action in mixed_plan.actions.all()}
    meeting = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
    factories.ActionUpdateFactory(action=by_ref["C1.1"], created=meeting)
    factories.ActionUpdateFactory(
        action=by_ref["R1.1"], created=meeting - datetime.timedelta(minutes=10 * 60)
    )
    client = login(personas.steering)
    assert refs(client.get(detail_url(mixed_plan, updated_since="2026-03-01"))) == ["C1.1"]
    assert refs(client.get(detail_url(mixed_plan, updated_since="2026-02-28"))) == [
        "R1.1",
        "C1.1",
    ]
    assert refs(client.get(detail_url(mixed_plan, updated_since="2026-03-02"))) == []


def test_owners_link_to_profiles_the_reader_may_see(login, personas, mixed_plan):
    tech = personas.technician_profile
    client = login(personas.manager)
    html = client.get(detail_url(mixed_plan)).content.decode()
    assert (
        f'<a href="/technicians/{tech.pk}/">Alex' in html
        or f'href="/technicians/{tech.pk}/"' in html
    )
    tech.visibility = "private"
    tech.save()
    html = client.get(detail_url(mixed_plan)).content.decode()
    assert f'href="/technicians/{tech.pk}/"' not in html


def test_the_csv_keeps_the_dash_of_the_title(login, personas, mixed_plan):
    response = login(personas.technician).get(reverse("actionplan:export", args=[mixed_plan.pk]))
    assert "technician-commitment-action-plan-2025-2028.csv" in response["Content-Disposition"]


def test_an_empty_plan_offers_one_next_step_not_empty_panels(login, personas, plan):
    html = login(personas.steering).get(detail_url(plan)).content.decode()
    assert "This plan has no actions yet" in html
    assert "Progress by pillar" not in html
    assert 'name="sort"' not in html
    reader = login(personas.technician).get(detail_url(plan)).content.decode()
    assert "This plan has no actions yet" in reader
    assert "Progress by pillar" not in reader


def test_start_the_next_plan_is_offered_only_on_a_published_plan(
    login, personas, plan, draft_plan, archived_plan
):
    client = login(personas.steering)
    for shown, target in ((True, plan), (False, draft_plan), (False, archived_plan)):
        html = client.get(detail_url(target)).content.decode()
        assert ("Start the next plan" in html) is shown, target.status
