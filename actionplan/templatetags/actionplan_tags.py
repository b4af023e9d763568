"""Helpers for action plan templates. The action table's rows, owners and RAG badges are
written here in Python rather than by an `{% include %}` per row: a plan of 40 actions spent
most of its page in the template engine."""

from __future__ import annotations

import datetime
import re
from functools import cache
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from actionplan import rag
from actionplan.models import Action, Pillar
from portal.markup import clipped, escaped
from portal.periods import due_phrase, short_date
from technicians.templatetags.people import person_link

register = template.Library()

# The labels of an action's pillar and status, read once (what `get_…_display` finds by
# walking the field's choices, for every row).
PILLAR_LABELS = dict(Pillar.choices)
STATUS_LABELS = dict(Action.Status.choices)


@register.filter
def due_text(action) -> str:
    """How late or how soon an unfinished action is ("overdue by 12 days", "due in 3 days");
    empty for a complete one."""
    return _due_words(action, rag.today())


def _due_words(action, today: datetime.date) -> str:
    if action.status == rag.COMPLETE or action.due_on is None:
        return ""
    return due_phrase(action.due_on, today)


@register.simple_tag
@cache
def rag_badge(rating: rag.Rag) -> str:
    """`{% rag_badge action.rag %}`: the coloured RAG label, its meaning in the title (the
    same for every action of a rating: written once per process)."""
    return format_html(
        '<span class="rag rag-{}" title="{}: {}">{}</span>',
        rating.value,
        rating.label,
        rating.meaning,
        rating.label,
    )


@register.simple_tag(takes_context=True)
def action_owner(context, owner, nobody: str = "Nobody yet") -> str:
    """`{% action_owner action.owner %}`: an action's owner (a user). A technician is named
    only where the reader may see them (technicians.permissions.can_see_person), linked to
    the profile where they may open it; an account with no profile by its name or e-mail."""
    if owner is None:
        return format_html('<span class="muted">{}</span>', nobody)
    profile = getattr(owner, "technician", None)
    if profile is not None:
        return person_link(context, profile, hidden="A colleague (private profile)")
    return format_html("{}", owner.get_full_name() or owner.email)


def _today(context) -> datetime.date:
    """Today, worked out once a page rather than twice a row (the RAG and the due text)."""
    render_context = context.render_context
    if "actionplan_today" not in render_context:
        render_context["actionplan_today"] = rag.today()
    return render_context["actionplan_today"]


@register.simple_tag(takes_context=True)
def action_row(context, action) -> str:
    """One row of a plan's action table (actionplan/_actions_results.html), for an action
    from `selectors.plan_actions` (owner and latest update fetched with it). Every value goes
    through `escaped`, as a template would write it."""
    return row_html(action, _today(context), escaped(action_owner(context, action.owner)))


# Where kept markup (`kept_rows`, the steering group's panel) names an action's owner or an
# update's author: filled in for each reader (`fill_owners`), with what to say if the account
# is gone since ("nobody": one of `_NOBODY`). Every value in kept markup is escaped, so no
# text written by a person can make an HTML comment: only this module writes one.
_OWNER_MARK = "<!--owner:{}:{}-->"
_OWNER_MARKS = re.compile(r"<!--owner:(\d+):(\d)-->")
_NOBODY = ("Nobody yet", "a former user")


def kept_rows(actions, today: datetime.date) -> str:
    """The rows of `actions` for every reader: what `action_row` writes, with a mark where
    each owner goes, since whether a reader may see an owner's name is theirs alone."""
    return "".join(row_html(action, today, owner_mark(action.owner_id)) for action in actions)


@register.simple_tag
def owner_mark(user_pk: int | None, nobody: str = _NOBODY[0]) -> str:
    """`{% owner_mark update.author_id nobody="a former user" %}`: in markup kept for every
    reader, where `action_owner` would name the account (`fill_owners` names it per reader)."""
    if user_pk is None:
        return mark_safe(escaped(action_owner({}, None, nobody)))  # noqa: S308 (escaped)
    return mark_safe(_OWNER_MARK.format(int(user_pk), _NOBODY.index(nobody)))  # noqa: S308 (digits)


def marked_owners(kept: str) -> set[int]:
    """The accounts whose marks `kept` holds, which `fill_owners` needs."""
    return {int(pk) for pk, _ in _OWNER_MARKS.findall(kept)}


def fill_owners(context, kept: str, owners: dict[int, Any]) -> str:
    """Kept markup for this reader: each mark becomes the account as `action_owner` shows it
    to the reader (one gone since: the mark's "nobody")."""
    shown: dict[tuple[int, int], str] = {}

    def owner(found: re.Match) -> str:
        pk, nobody = int(found.group(1)), int(found.group(2))
        if (pk, nobody) not in shown:
            shown[pk, nobody] = escaped(action_owner(context, owners.get(pk), _NOBODY[nobody]))
        return shown[pk, nobody]

    return mark_safe(_OWNER_MARKS.sub(owner, kept))  # noqa: S308 (every value escaped)


def row_html(action, today: datetime.date, owner: str) -> str:
    """The row of `action`, its owner already written (`owner`)."""
    when = _due_words(action, today)
    due = (
        f'<time datetime="{escaped(action.due_on.isoformat())}">'
        f"{escaped(short_date(action.due_on))}</time>"
    )
    if when:
        late = " is-late" if "overdue" in when else ""
        due += f'<span class="due-text{late}">{escaped(when)}</span>'
    lead = f'<span class="helptext">Lead: {escaped(action.lead)}</span>' if action.lead else ""
    if action.latest_update_note:
        # As a template's date filter does: in the portal's time zone, not UTC.
        posted = short_date(template_localtime(action.latest_update_created))
        latest = (
            f'<span class="muted">{escaped(posted)}:</span> '
            f"{escaped(clipped(action.latest_update_note, 120))}"
        )
    else:
        latest = '<span class="muted">None yet</span>'
    rating = rag.rag_for(action.status, action.progress, action.due_on, today)
    return mark_safe(  # noqa: S308 (every value is escaped)
        f'<tr id="action-{escaped(action.pk)}">'
        f'<th scope="row">{escaped(action.ref)}</th>'
        f'<td data-label="Action"><a href="{escaped(action.get_absolute_url())}">'
        f"{escaped(action.title)}</a>{lead}</td>"
        f'<td data-label="Pillar">{escaped(PILLAR_LABELS.get(action.pillar, action.pillar))}</td>'
        f'<td data-label="Owner">{owner}</td>'
        f'<td data-label="Due">{due}</td>'
        f'<td data-label="Status">{escaped(STATUS_LABELS.get(action.status, action.status))}</td>'
        f'<td data-label="RAG">{escaped(rag_badge(rating))}</td>'
        f'<td class="numeric" data-label="Progress">{escaped(action.progress)} %</td>'
        f'<td data-label="Latest update">{latest}</td>'
        "</tr>"
    )


@register.simple_tag
def my_action_items(actions, late: bool = False) -> str:
    """`{% my_action_items mine.overdue late=True %}`: the owner panel's list items
    (actionplan/panels/my_actions.html), each action linked with its clipped title and when
    it is due. Written here rather than by the template's loop: the panel is on the dashboard
    of everyone who owns an action, and its loops were a tenth of a dashboard's work."""
    opening = '<li class="is-late">' if late else "<li>"
    return mark_safe(  # noqa: S308 (every value escaped)
        "".join(
            f'{opening}<a href="{escaped(action.get_absolute_url())}">{escaped(action.ref)} '
            f"{escaped(clipped(action.title, 80))}</a> "
            f'<span class="due-text">{escaped(action.due_text)}</span></li>'
            for action in actions
        )
    )


@register.simple_tag
def my_update_items(updates) -> str:
    """`{% my_update_items mine.recent_updates %}`: the owner panel's last updates, each
    with its day (in the portal's time zone), action, progress and clipped note."""
    items = []
    for update in updates:
        created = template_localtime(update.created)
        items.append(
            f'<li><time datetime="{escaped(created.isoformat())}">{escaped(short_date(created))}'
            f'</time>: <a href="{escaped(update.action.get_absolute_url())}">'
            f"{escaped(update.action.ref)}</a>, {escaped(update.progress)} % — "
            f"{escaped(clipped(update.note, 80))}</li>"
        )
    return mark_safe("".join(items))  # noqa: S308 (every value escaped)
