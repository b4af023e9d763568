"""Helpers for action plan templates. The action table's rows, owners and RAG badges are
written here in Python rather than by an `{% include %}` per row: a plan of 40 actions spent
most of its page in the template engine."""

from __future__ import annotations

from functools import cache

from django import template
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from actionplan import rag
from portal.markup import escaped
from portal.periods import due_phrase, short_date
from technicians.templatetags.people import person_link

register = template.Library()


@register.filter
def due_text(action) -> str:
    """How late or how soon an unfinished action is ("overdue by 12 days", "due in 3 days");
    empty for a complete one."""
    if action.status == rag.COMPLETE or action.due_on is None:
        return ""
    return due_phrase(action.due_on, rag.today())


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


@register.simple_tag(takes_context=True)
def action_row(context, action) -> str:
    """One row of a plan's action table (actionplan/_actions_results.html), for an action
    from `selectors.plan_actions` (owner and latest update fetched with it). Every value goes
    through `escaped`, as a template would write it."""
    when = due_text(action)
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
            f"{escaped(truncatechars(action.latest_update_note, 120))}"
        )
    else:
        latest = '<span class="muted">None yet</span>'
    return mark_safe(  # noqa: S308 (every value is escaped)
        f'<tr id="action-{escaped(action.pk)}">'
        f'<th scope="row">{escaped(action.ref)}</th>'
        f'<td data-label="Action"><a href="{escaped(action.get_absolute_url())}">'
        f"{escaped(action.title)}</a>{lead}</td>"
        f'<td data-label="Pillar">{escaped(action.get_pillar_display())}</td>'
        f'<td data-label="Owner">{escaped(action_owner(context, action.owner))}</td>'
        f'<td data-label="Due">{due}</td>'
        f'<td data-label="Status">{escaped(action.get_status_display())}</td>'
        f'<td data-label="RAG">{escaped(rag_badge(action.rag))}</td>'
        f'<td class="numeric" data-label="Progress">{escaped(action.progress)} %</td>'
        f'<td data-label="Latest update">{latest}</td>'
        "</tr>"
    )
