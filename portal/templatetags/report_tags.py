from django import template

from portal.reports.builders import number

register = template.Library()


@register.filter
def report_number(value):
    """1,250 and 12.5: the one way the report, the figures page and the panel show numbers."""
    return number(value)


@register.filter
def academic_year(value):
    """2025 -> "2025–26"."""
    from portal.periods import academic_year_label

    return academic_year_label(int(value))
