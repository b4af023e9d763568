from django import template

from portal import periods, registry
from portal.forms import field_html
from portal.periods import format_money
from portal.reversing import url_for

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


@register.filter(expects_localtime=True)
def short_date(value) -> str:
    """`{{ day|short_date }}`: what `{{ day|date:"j M Y" }}` writes ("6 Dec 2026"), at a
    tenth of its cost (portal.periods); "" for no date."""
    return periods.short_date(value) if value else ""


@register.filter(expects_localtime=True)
def long_date(value) -> str:
    """`{{ day|long_date }}`: what `{{ day|date:"j F Y" }}` writes ("6 December 2026")."""
    return periods.long_date(value) if value else ""


@register.simple_tag(takes_context=True)
def panel(context, template_name: str, panel_context: dict) -> str:
    """`{% panel name context %}`: one dashboard panel rendered inside the page's own context,
    so the context processors (the navigation and its permission checks) run once a page, not
    once a panel."""
    with context.push(**panel_context):
        return context.template.engine.get_template(template_name).render(context)


@register.simple_tag
def form_field(field) -> str:
    """`{% form_field form.name %}`: a field with its label, errors and help text
    (portal.forms.field_html)."""
    return field_html(field)


@register.simple_tag
def fixed_url(name: str) -> str:
    """`{% fixed_url 'home' %}`: `{% url %}` for a URL that takes no arguments, reversed once
    per process (and per URLconf and script prefix): the navigation on every page names
    sixteen of them."""
    return url_for(name)
