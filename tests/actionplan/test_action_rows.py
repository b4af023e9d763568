"""The action table's rows are written in Python (`{% action_row %}`): each must be the markup
the row template wrote, for every kind of owner, due date, status and latest update."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext

from actionplan import selectors, services
from actionplan.templatetags.actionplan_tags import fill_owners, kept_rows
from tests import factories

# The row as the template wrote it before, with its two includes inlined.
TEMPLATE_ROW = (
    "{% load actionplan_tags people %}"
    '<tr id="action-{{ action.pk }}">'
    '<th scope="row">{{ action.ref }}</th>'
    '<td data-label="Action"><a href="{{ action.get_absolute_url }}">{{ action.title }}</a>'
    '{% if action.lead %}<span class="helptext">Lead: {{ action.lead }}</span>{% endif %}</td>'
    '<td data-label="Pillar">{{ action.get_pillar_display }}</td>'
    '<td data-label="Owner">{% with owner=action.owner %}{% if owner %}'
    "{% with profile=owner.technician %}{% if profile %}"
    '{% person_link profile hidden="A colleague (private profile)" %}'
    "{% else %}{{ owner.get_full_name|default:owner.email }}{% endif %}{% endwith %}"
    '{% else %}<span class="muted">{{ nobody|default:"Nobody yet" }}</span>{% endif %}'
    "{% endwith %}</td>"
    '<td data-label="Due"><time datetime="{{ action.due_on|date:\'Y-m-d\' }}">'
    '{{ action.due_on|date:"j M Y" }}</time>{% with when=action|due_text %}{% if when %}'
    '<span class="due-text{% if "overdue" in when %} is-late{% endif %}">{{ when }}</span>'
    "{% endif %}{% endwith %}</td>"
    '<td data-label="Status">{{ action.get_status_display }}</td>'
    '<td data-label="RAG">{% with rating=action.rag %}<span class="rag rag-{{ rating.value }}" '
    'title="{{ rating.label }}: {{ rating.meaning }}">{{ rating.label }}</span>{% endwith %}</td>'
    '<td class="numeric" data-label="Progress">{{ action.progress }} %</td>'
    '<td data-label="Latest update">{% if action.latest_update_note %}<span class="muted">'
    '{{ action.latest_update_created|date:"j M Y" }}:</span> '
    "{{ action.latest_update_note|truncatechars:120 }}{% else %}"
    '<span class="muted">None yet</span>{% endif %}</td>'
    "</tr>"
)


@pytest.fixture
def actions(plan, personas, today):
    private = factories.TechnicianFactory(
        user=factories.UserFactory(), first_name="Pat", last_name="<Private>", visibility="private"
    )
    no_profile = factories.UserFactory(first_name="Robin", last_name="O'Hara")
    rows = [
        {"owner": personas.technician, "due_on": today - datetime.timedelta(days=3)},
        {"owner": private.user, "due_on": today + datetime.timedelta(days=5), "progress": 10},
        {"owner": no_profile, "lead": "", "status": "blocked"},
        {"owner": None, "status": "complete", "progress": 100, "due_on": today},
        {
            "owner": personas.manager_profile.user,
            "title": 'Fit <script> & "tags"',
            "lead": "Lab & Co",
        },
    ]
    made = [factories.ActionFactory(plan=plan, **row) for row in rows]
    # Posted at 23:30 UTC on a summer day: 00:30 the next day in London, the day shown.
    factories.ActionUpdateFactory(
        action=made[0],
        note="Short <b>note</b> & more at the cafe\u0301",  # NFC, as the filter writes it
        created=datetime.datetime(2025, 7, 14, 23, 30, tzinfo=datetime.UTC),
    )
    factories.ActionUpdateFactory(action=made[1], note="A long note. " * 20)
    return made


@pytest.mark.parametrize("viewer", ["technician", "steering", "hr"])
def test_each_row_is_the_markup_the_row_template_wrote(viewer, plan, personas, actions):
    request = RequestFactory().get("/")
    request.user = getattr(personas, viewer)
    old = Template(TEMPLATE_ROW)
    new = Template("{% load actionplan_tags %}{% action_row action %}")
    rows = list(selectors.plan_actions(plan))
    assert len(rows) == len(actions)
    for action in rows:
        context = {"action": action, "request": request}
        written = new.render(Context(context))
        assert parse_html(written) == parse_html(old.render(Context(context)))
        assert f'id="action-{action.pk}"' in written
        if action.pk == actions[0].pk:
            assert "15 Jul 2025:" in written


def test_a_private_owner_is_not_named_to_a_colleague(plan, personas, actions):
    request = RequestFactory().get("/")
    request.user = personas.technician
    private_row = next(a for a in selectors.plan_actions(plan) if a.pk == actions[1].pk)
    written = Template("{% load actionplan_tags %}{% action_row action %}").render(
        Context({"action": private_row, "request": request})
    )
    assert "A colleague (private profile)" in written
    assert "Private" not in written


# --- the table kept for every reader (actionplan.views._kept_rows) ---------------------------


@pytest.mark.parametrize("viewer", ["technician", "steering", "hr"])
def test_kept_rows_filled_in_for_a_reader_are_the_rows_written_for_them(
    viewer, plan, personas, actions, today
):
    request = RequestFactory().get("/")
    request.user = getattr(personas, viewer)
    rows = selectors.plan_actions_attention_first(plan, today)
    row = Template("{% load actionplan_tags %}{% action_row action %}")
    live = "".join(row.render(Context({"action": a, "request": request})) for a in rows)
    kept = kept_rows(rows, today)
    assert "Private" not in kept and "Robin" not in kept  # no owner is named in what is kept
    owners = {owner.pk: owner for owner in selectors.plan_owners(plan)}
    filled = fill_owners({"request": request}, kept, owners)
    assert parse_html(filled) == parse_html(live)


def test_an_owner_gone_since_the_rows_were_kept_is_nobody(plan, personas, actions, today):
    request = RequestFactory().get("/")
    request.user = personas.steering
    kept = kept_rows(selectors.plan_actions_attention_first(plan, today), today)
    filled = fill_owners({"request": request}, kept, {})
    assert filled.count('<span class="muted">Nobody yet</span>') == len(actions)


def table(client, plan) -> str:
    page = client.get(f"/action-plans/{plan.pk}/").content.decode()
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_each_reader_sees_the_owners_they_may_see_whoever_read_the_plan_first(
    plan, personas, login, actions
):
    private = actions[1].owner.technician
    private.line_manager = personas.manager_profile
    private.save()
    for first, then in (("hr", "technician"), ("technician", "manager")):
        table(login(getattr(personas, first)), plan)
        shown = table(login(getattr(personas, then)), plan)
        named = "&lt;Private&gt;" in shown
        assert named == (then == "manager")  # their own report: named, not linked
        assert ("A colleague (private profile)" in shown) == (then != "manager")


def test_the_kept_table_follows_updates_owners_and_the_day(plan, personas, login, actions, today):
    client = login(personas.steering)
    before = table(client, plan)
    with CaptureQueriesContext(connection) as queries:
        assert table(client, plan) == before
    assert not [q for q in queries.captured_queries if "latest_update_note" in q["sql"]]

    services.post_update(
        personas.technician, actions[0], note="Half way there", progress=50, status="in_progress"
    )
    assert "Half way there" in table(client, plan)

    owner = personas.manager_profile.user
    owner.first_name = "Renamed"
    owner.save()
    personas.manager_profile.first_name = "Renamed"
    personas.manager_profile.save()
    assert "Renamed" in table(client, plan)

    assert "due in 5 days" in table(client, plan)
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=1)):
        assert "due in 4 days" in table(client, plan)
