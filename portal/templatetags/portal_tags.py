from django import template

from portal import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, check_name: str, *args) -> bool:
    """`{% can "edit_action_plan" plan as allowed %}`: asks the check an app registered under
    that name (portal.registry)."""
    return registry.check(check_name, context["request"].user, *args)
