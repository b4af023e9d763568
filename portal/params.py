"""Years, dates and numbers taken from a URL: one parser for every view (kernel).

A value a person (or a crawler) typed into the address bar is never trusted: `year=10000` or
`year=99999999999` must not reach `datetime.date` or the database. Each helper returns the
value, the default when the parameter is missing or empty, and otherwise either raises
`BadParameter` (a 400 page, through the `bad_request` handler, saying which parameter is
wrong) or falls back to the default, as the caller chooses with `fallback=True`.

    year = params.year(request, "year", minimum=current - 10, maximum=current, default=current)
    day = params.date(request, "start", default=None)
    page = params.integer(request, "page", minimum=1, maximum=10_000, default=1, fallback=True)

Path converters that take numbers (`<int:year>`) go through `year_in_range` too.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import BadRequest, ValidationError

# Dates the portal deals with: no person's training or CPD is older or newer than this.
FIRST_YEAR = 1900
LAST_YEAR = 2200
# Longest digit string looked at: int() of a million digits is slow (and refused by Python).
MAX_DIGITS = 12


class BadParameter(BadRequest):
    """A URL parameter out of range or unreadable: the view answers 400 Bad Request."""


_MISSING = object()


def _raw(source: Any, name: str) -> str | None:
    """The parameter's text (GET by default), stripped; None when missing or empty."""
    data = getattr(source, "GET", source)
    value = data.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _refuse(name: str, value: str, what: str) -> BadParameter:
    shown = value if len(value) <= 20 else value[:20] + "…"
    return BadParameter(f"The address's “{name}” ({shown}) is not {what}.")


def parse_integer(value: str | int, *, minimum: int, maximum: int) -> int | None:
    """The whole number in `value` when it lies in [minimum, maximum], else None."""
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        digits = text[1:] if text[:1] in "+-" else text
        if not digits.isascii() or not digits.isdigit() or len(digits) > MAX_DIGITS:
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None


def integer(
    source: Any,
    name: str,
    *,
    minimum: int,
    maximum: int,
    default: Any = None,
    fallback: bool = False,
) -> Any:
    """A whole number from `source` (a request, or its GET/POST), within [minimum, maximum]."""
    raw = _raw(source, name)
    if raw is None:
        return default
    number = parse_integer(raw, minimum=minimum, maximum=maximum)
    if number is None:
        if fallback:
            return default
        raise _refuse(name, raw, f"a whole number from {minimum} to {maximum}")
    return number


def year(
    source: Any,
    name: str = "year",
    *,
    minimum: int = FIRST_YEAR,
    maximum: int = LAST_YEAR,
    default: Any = None,
    fallback: bool = False,
) -> Any:
    """A year (an academic or financial year's first year) within [minimum, maximum]."""
    raw = _raw(source, name)
    if raw is None:
        return default
    number = parse_integer(raw, minimum=minimum, maximum=maximum)
    if number is None:
        if fallback:
            return default
        raise _refuse(name, raw, f"a year from {minimum} to {maximum}")
    return number


def year_in_range(value: int, *, minimum: int, maximum: int) -> int:
    """A year taken from the path (`<int:year>`): BadParameter when out of range."""
    if parse_integer(value, minimum=minimum, maximum=maximum) is None:
        raise _refuse("year", str(value), f"a year from {minimum} to {maximum}")
    return value


def parse_date(value: str) -> datetime.date | None:
    """A date written YYYY-MM-DD or DD/MM/YYYY, between FIRST_YEAR and LAST_YEAR; else None."""
    text = str(value).strip()
    if len(text) != 10:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
        return day if FIRST_YEAR <= day.year <= LAST_YEAR else None
    return None


def date(
    source: Any,
    name: str,
    *,
    minimum: datetime.date | None = None,
    maximum: datetime.date | None = None,
    default: Any = None,
    fallback: bool = False,
) -> Any:
    """A date (YYYY-MM-DD or DD/MM/YYYY) within [minimum, maximum] when they are given."""
    raw = _raw(source, name)
    if raw is None:
        return default
    day = parse_date(raw)
    if day is not None and (
        (minimum is not None and day < minimum) or (maximum is not None and day > maximum)
    ):
        day = None
    if day is None:
        if fallback:
            return default
        raise _refuse(name, raw, "a date the portal can use (YYYY-MM-DD)")
    return day


class DateParamField(forms.DateField):
    """A date taken from a URL by a filter form (GET): read by `parse_date`, so only dates
    from FIRST_YEAR to LAST_YEAR, written YYYY-MM-DD or DD/MM/YYYY, are valid."""

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        day = parse_date(str(value))
        if day is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day
