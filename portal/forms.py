"""Showing a service's refusal on the form that asked for the change (kernel: no app)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError

Result = TypeVar("Result")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """The service's errors on the form: by field where the field is on the form, else for
    the form as a whole."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def call_service(
    form: forms.BaseForm, service: Callable[..., Result], *args: Any, **kwargs: Any
) -> Result | None:
    """The service's result, or None when it refused the values: its errors are then shown on
    the form (`add_service_errors`)."""
    try:
        return service(*args, **kwargs)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
