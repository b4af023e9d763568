"""Small helpers for directory templates: photo addresses and initials avatars."""

from pathlib import PurePath

from django import template
from django.urls import reverse

register = template.Library()


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
