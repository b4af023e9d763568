"""The owner panel's lists are written in Python (`{% my_action_items %}`,
`{% my_update_items %}`): each must be the markup the panel's loops wrote."""

import datetime

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.test.utils import override_settings

from actionplan.models import Action, ActionUpdate
from actionplan.selectors import OwnerDashboard

# The lists as the panel's template wrote them before.
TEMPLATE_LISTS = """{% load portal_tags %}
  <ul class="attention-list">
    {% for action in mine.overdue %}
    <li class="is-late"><a href="{{ action.get_absolute_url }}">{{ action.ref }} {{ action.title|clip:80 }}</a> <span class="due-text">{{ action.due_text }}</span></li>
    {% endfor %}
    {% for action in mine.due_soon %}
    <li><a href="{{ action.get_absolute_url }}">{{ action.ref }} {{ action.title|clip:80 }}</a> <span class="due-text">{{ action.due_text }}</span></li>
    {% endfor %}
  </ul>
  <ul class="plain-list">
    {% for update in mine.recent_updates %}
    <li><time datetime="{{ update.created|date:'c' }}">{{ update.created|short_date }}</time>: <a href="{{ update.action.get_absolute_url }}">{{ update.action.ref }}</a>, {{ update.progress }} % — {{ update.note|clip:80 }}</li>
    {% endfor %}
  </ul>
"""  # noqa: E501
TAG_LISTS = """{% load actionplan_tags %}
  <ul class="attention-list">{% my_action_items mine.overdue late=True %}{% my_action_items mine.due_soon %}</ul>
  <ul class="plain-list">{% my_update_items mine.recent_updates %}</ul>
"""  # noqa: E501

TITLES = [
    "Publish the technician careers map",
    'Fund <b>"CPD"</b> & the R&D bursary for apprentices' + " at every site" * 8,
    "Café réunion: l'été des techniciens",
    "x" * 80,
    "y" * 81,
]
UTC = datetime.UTC


def dashboard() -> OwnerDashboard:
    actions = []
    for number, title in enumerate(TITLES, start=1):
        action = Action(pk=100 + number, plan_id=7, ref=f"V{number}<", title=title)
        action.due_text = f"overdue by {number} days" if number % 2 else "due in 3 days & more"
        actions.append(action)
    moments = [  # either side of the clocks going back in London, and a summer evening
        datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        datetime.datetime(2026, 7, 1, 23, 15, 5, tzinfo=UTC),
    ]
    notes = ["Done <em>mostly</em> & checked", "", "n" * 200]
    updates = [
        ActionUpdate(pk=n, action=actions[n], created=moment, progress=(0, 55, 100)[n], note=note)
        for n, (moment, note) in enumerate(zip(moments, notes, strict=True))
    ]
    return OwnerDashboard(
        overdue=actions[::2], due_soon=actions[1::2], open_count=5, recent_updates=updates
    )


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_the_lists_are_the_markup_the_template_wrote(language):
    context = {"mine": dashboard()}
    with override_settings(LANGUAGE_CODE=language):
        written = Template(TAG_LISTS).render(Context(context))
        expected = Template(TEMPLATE_LISTS).render(Context(context))
    assert parse_html(written) == parse_html(expected)
    assert "&lt;b&gt;&quot;CPD&quot;&lt;/b&gt; &amp;" in written  # escaped, not markup
    assert 'datetime="2026-10-25T01:30:00+01:00"' in written
    assert 'datetime="2026-10-25T01:30:00+00:00"' in written  # the hour repeated


def test_empty_lists_write_nothing():
    empty = OwnerDashboard(overdue=[], due_soon=[], open_count=0, recent_updates=[])
    written = Template(TAG_LISTS).render(Context({"mine": empty}))
    assert parse_html(written) == parse_html(
        '<ul class="attention-list"></ul><ul class="plain-list"></ul>'
    )
