"""The action table's rows are written in Python (`{% action_row %}`): each must be the markup
the row template wrote, for every kind of owner, due date, status and latest update."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.test.html import parse_html

from actionplan import selectors
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
