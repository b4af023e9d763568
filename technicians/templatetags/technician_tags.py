"""Small helpers for directory templates: photo addresses, initials avatars, and why a
search result matched."""

import re
from pathlib import PurePath

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join

from portal import registry

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
