"""`{% person_link technician %}`: a person's name, linked to their profile, only where the
viewer may see that person (technicians.permissions.can_see_person): the one rule for every
page that names a colleague (line managers on profiles, team lists, action owners, skill
holders)."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.safestring import mark_safe

from portal.markup import escaped
from technicians import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def person_link(context, technician, hidden: str = "") -> str:
    """The name linked to the profile when the viewer may see the profile; the plain name
    where they only know the person (their own line manager or report, on a private profile);
    otherwise `hidden` (nothing by default) — never the name. Use `… as name` to test it."""
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    if technician is None:
        return hidden
    if permissions.can_view_technician(user, technician):
        url, name = escaped(technician.get_absolute_url()), escaped(technician.full_name)
        return mark_safe(f'<a href="{url}">{name}</a>')  # noqa: S308 (both escaped)
    if permissions.can_see_person(user, technician):
        return mark_safe(escaped(technician.full_name))  # noqa: S308 (escaped)
    return hidden
