from django import template

from registration import selectors

register = template.Library()


@register.filter
def post_nominals(technician) -> str:
    """`{{ technician|post_nominals }}`: "RSciTech, EngTech" from active registrations
    (prefetched on lists by registration.selectors.with_post_nominals)."""
    if technician is None:
        return ""
    return selectors.post_nominals(technician)
