"""What the recognition services share: links, HR's addresses, required text, money."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from portal import roles

CENTS = Decimal("0.01")


def link(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def money(value) -> str:
    """£1,234.00"""
    return f"£{Decimal(value or 0).quantize(CENTS):,}"


def hr_users() -> list:
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.HR)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def required(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    return value


def actor(by):
    return by if getattr(by, "is_authenticated", False) else None


def copy_back(target, source) -> None:
    """The caller's object reflects what was saved."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
