from __future__ import annotations

from django import template

from actionplan import rag
from portal.periods import due_phrase

register = template.Library()


@register.filter
def due_text(action) -> str:
    """How late or how soon an unfinished action is ("overdue by 12 days", "due in 3 days");
    empty for a complete one."""
    if action.status == rag.COMPLETE or action.due_on is None:
        return ""
    return due_phrase(action.due_on, rag.today())
