"""Small helpers for directory templates: photo addresses, initials avatars, why a search
result matched, and a person's card."""

import re
from functools import lru_cache
from pathlib import PurePath

from django import template
from django.utils.safestring import mark_safe

from portal import registry
from portal.markup import escaped
from portal.reversing import url_for
from technicians.search import reason_words
from technicians.templatetags.people import person_link

register = template.Library()


@register.filter
def post_nominals(technician) -> str:
    """`{{ technician|post_nominals }}`: the letters after the name that other apps give
    (professional registers: portal.registry.post_nominals), "" for none."""
    return registry.post_nominals(technician)


@register.simple_tag
def photo_url(technician, size: str = "thumb") -> str:
    """The permission-checked photo address, versioned by the stored (random) file name so a
    new photo is never hidden behind a cached old one. Empty when there is no photo."""
    field = technician.photo_thumbnail if size == "thumb" else technician.photo
    if not field:
        return ""
    version = PurePath(field.name).stem[:12]
    return f"{url_for('technicians:photo', technician.pk, size)}?v={version}"


@register.filter
def initials(technician) -> str:
    first = (technician.first_name or "").strip()[:1]
    last = (technician.last_name or "").strip()[:1]
    return f"{first}{last}".upper() or "?"


_SEGMENT = re.compile(r"[^\n;,.]+")
MAX_REASONS = 3


def _highlight(text: str, words: list[str]) -> str:
    parts, last = [], 0
    for found in _words_pattern(tuple(words)).finditer(text):
        parts.append(escaped(text[last : found.start()]))
        parts.append(f"<mark>{escaped(found.group(0))}</mark>")
        last = found.end()
    parts.append(escaped(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped)


@lru_cache(maxsize=256)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


@register.simple_tag
def match_reasons(technician, query: str) -> list[str]:
    """Why `technician` matched the search `query`: what other apps' search fields say
    (their matching skills with the level: "Confocal microscopy, expert") and the matching
    part of their expertise or equipment, the searched words highlighted. The other apps'
    parts come from the prefetches the search adds."""
    words = reason_words(query)
    if not words:
        return []
    reasons = []
    for extra in registry.search_fields():
        reasons.extend(extra.reasons(technician, words, lambda text: _highlight(text, words)))
    for text in (technician.expertise or "", technician.equipment or ""):
        for segment in _SEGMENT.findall(text):
            segment = segment.strip()
            if segment and any(word in segment.lower() for word in words):
                reasons.append(_highlight(segment[:120], words))
    return reasons[:MAX_REASONS]


@register.simple_tag
def search_field(field, oob: bool = False) -> str:
    """`{% search_field field %}`: a field of the directory's search form and of the profile
    and staff-list forms: the label, the help text, the errors and the widget, the box named
    `field-<name>` (htmx swaps the sort box out of band: `oob=True`). Written here rather
    than by a template included per field."""
    errors = field.errors
    help_text = (
        f'<span class="helptext" id="{escaped(field.auto_id)}_helptext">'
        f"{escaped(field.help_text)}</span>"
        if field.help_text
        else ""
    )
    swap = ' hx-swap-oob="true"' if oob else ""
    return mark_safe(  # noqa: S308 (every value escaped)
        f'<div class="field{" field-error" if errors else ""}" id="field-{escaped(field.name)}"'
        f"{swap}>\n"
        f'  <label for="{escaped(field.id_for_label)}">{escaped(field.label)}</label>\n'
        f"  {help_text}\n"
        f"  {escaped(errors)}\n"
        f"  {escaped(field)}\n"
        "</div>\n"
    )


@register.filter
def page_range(paginator, number: int):
    """Numbered pages around the current one, with an ellipsis where pages are left out."""
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)


@register.simple_tag(takes_context=True)
def technician_card(context, technician, hide_department: bool = False) -> str:
    """`{% technician_card technician %}`: a person's card in the directory, Meet our
    technicians and a department page. Written here rather than by a template included per
    card: a page of 24 cards builds in a fraction of the time. The name is linked only where
    the viewer may see the profile (`person_link`). Every value is escaped (`escaped`)."""
    thumb = photo_url(technician, "thumb")
    if thumb:
        picture = f'<img src="{escaped(thumb)}" alt="" width="64" height="64" loading="lazy">'
    else:
        picture = f'<span class="avatar" aria-hidden="true">{escaped(initials(technician))}</span>'
    letters = post_nominals(technician)
    suffix = f' <span class="post-nominals">{escaped(letters)}</span>' if letters else ""
    lines = [
        f"<h3>{person_link(context, technician)}{suffix}</h3>",
        f'<p class="card-line">{escaped(technician.job_title)}</p>',
    ]
    if not hide_department:
        department = technician.department.name if technician.department_id else ""
        lines.append(f'<p class="card-line muted">{escaped(department)}</p>')
    request = context.get("request")
    query = request.GET.get("q", "") if request is not None else ""
    reasons = match_reasons(technician, query) if query else []
    if reasons:
        lines.append(
            '<p class="card-line match-reasons"><span class="visually-hidden">Matches: </span>'
            f"{' · '.join(escaped(reason) for reason in reasons)}</p>"
        )
    badges = []
    if technician.is_apprentice:
        badges.append('<span class="badge">Apprentice</span>')
    if not technician.is_active:
        badges.append('<span class="badge badge-warning">Has left</span>')
    if badges:
        lines.append(f'<p class="card-line">{" ".join(badges)}</p>')
    return mark_safe(  # noqa: S308 (every value escaped above)
        f'<article class="tech-card">{picture}<div>{"".join(lines)}</div></article>'
    )
