"""Small helpers for directory templates: photo addresses, initials avatars, why a search
result matched, and a person's card."""

import re
from pathlib import PurePath

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from portal import registry
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
    return f"{reverse('technicians:photo', args=[technician.pk, size])}?v={version}"


@register.filter
def initials(technician) -> str:
    first = (technician.first_name or "").strip()[:1]
    last = (technician.last_name or "").strip()[:1]
    return f"{first}{last}".upper() or "?"


_WORD = re.compile(r"\w+")
_SEGMENT = re.compile(r"[^\n;,.]+")
MAX_REASONS = 3


def _highlight(text: str, words: list[str]) -> str:
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    parts, last = [], 0
    for found in pattern.finditer(text):
        parts.append(escape(text[last : found.start()]))
        parts.append(format_html("<mark>{}</mark>", found.group(0)))
        last = found.end()
    parts.append(escape(text[last:]))
    return format_html_join("", "{}", ((part,) for part in parts))


@register.simple_tag
def match_reasons(technician, query: str) -> list[str]:
    """Why `technician` matched the search `query`: what other apps' search fields say
    (their matching skills with the level: "Confocal microscopy, expert") and the matching
    part of their expertise or equipment, the searched words highlighted. The other apps'
    parts come from the prefetches the search adds."""
    words = [word.lower() for word in _WORD.findall(query or "") if len(word) > 1][:10]
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


@register.filter
def page_range(paginator, number: int):
    """Numbered pages around the current one, with an ellipsis where pages are left out."""
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)


@register.simple_tag(takes_context=True)
def technician_card(context, technician, hide_department: bool = False) -> str:
    """`{% technician_card technician %}`: a person's card in the directory, Meet our
    technicians and a department page. Written here rather than by a template included per
    card: a page of 24 cards builds in a fraction of the time. The name is linked only where
    the viewer may see the profile (`person_link`)."""
    thumb = photo_url(technician, "thumb")
    picture = (
        format_html('<img src="{}" alt="" width="64" height="64" loading="lazy">', thumb)
        if thumb
        else format_html('<span class="avatar" aria-hidden="true">{}</span>', initials(technician))
    )
    letters = post_nominals(technician)
    heading = format_html(
        "<h3>{}{}</h3>",
        person_link(context, technician),
        format_html(' <span class="post-nominals">{}</span>', letters) if letters else "",
    )
    lines = [format_html('<p class="card-line">{}</p>', technician.job_title)]
    if not hide_department:
        department = technician.department.name if technician.department_id else ""
        lines.append(format_html('<p class="card-line muted">{}</p>', department))
    request = context.get("request")
    query = request.GET.get("q", "") if request is not None else ""
    reasons = match_reasons(technician, query) if query else []
    if reasons:
        lines.append(
            format_html(
                '<p class="card-line match-reasons"><span class="visually-hidden">Matches: '
                "</span>{}</p>",
                format_html_join(" · ", "{}", ((reason,) for reason in reasons)),
            )
        )
    badges = []
    if technician.is_apprentice:
        badges.append(format_html('<span class="badge">{}</span>', "Apprentice"))
    if not technician.is_active:
        badges.append(format_html('<span class="badge badge-warning">{}</span>', "Has left"))
    if badges:
        lines.append(format_html('<p class="card-line">{}</p>', mark_safe(" ".join(badges))))  # noqa: S308
    return format_html(
        '<article class="tech-card">{}<div>{}{}</div></article>',
        picture,
        heading,
        mark_safe("".join(lines)),  # noqa: S308 (each line is escaped above)
    )
