from django import template

from portal import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, check_name: str, *args) -> bool:
    """`{% can "edit_action_plan" plan as allowed %}`: asks portal.permissions."""
    return permissions.check(check_name, context["request"].user, *args)
