from django import template

from portal import registry
from portal.periods import format_money

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, check_name: str, *args) -> bool:
    """`{% can "edit_action_plan" plan as allowed %}`: asks the check an app registered under
    that name (portal.registry)."""
    return registry.check(check_name, context["request"].user, *args)


@register.filter
def money(value) -> str:
    """An amount in pounds as the portal writes money everywhere: £6,000.00 ("" for None)."""
    return format_money(value)
