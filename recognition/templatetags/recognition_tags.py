from decimal import Decimal, InvalidOperation

from django import template

from recognition.models import CREDIT_ROLE_LABELS

register = template.Library()


@register.filter
def money(value) -> str:
    """£1,234.00 (empty for nothing)."""
    if value is None or value == "":
        return ""
    try:
        return f"£{Decimal(value).quantize(Decimal('0.01')):,}"
    except (InvalidOperation, ValueError, TypeError):
        return ""


@register.filter
def credit_roles(codes) -> str:
    return ", ".join(CREDIT_ROLE_LABELS.get(code, code) for code in codes or [])
