"""The university's calendars: the academic year, the financial year and working days.

The academic year runs 1 August – 31 July and is named by its first year (2025 means
1 August 2025 – 31 July 2026). The UK financial year runs 1 April – 31 March, named the same
way. Working days are Monday to Friday, except England and Wales bank holidays.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from django.utils.formats import date_format
from django.utils.translation import get_language


def academic_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 8 else day.year - 1


def academic_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of academic year `year`."""
    return datetime.date(year, 8, 1), datetime.date(year + 1, 7, 31)


def academic_year_label(year: int) -> str:
    return f"{year}–{(year + 1) % 100:02d}"


def financial_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def financial_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of financial year `year`."""
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


def financial_year_label(year: int) -> str:
    return f"{year}–{(year + 1) % 100:02d}"


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: datetime.date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The date `count` working days after `day` (before it when `count` is negative)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


# --- how late or how soon, in words (lists, panels and reminders say it the same way) -------


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def in_days(days: int) -> str:
    """ "today", "in 1 day", "in 3 days": how soon something `days` ahead is."""
    return "today" if days == 0 else f"in {_days(days)}"


def due_phrase(due_on: datetime.date, today: datetime.date) -> str:
    """How late or how soon: "overdue by 12 days", "due today", "due in 3 days"."""
    days = (due_on - today).days
    if days < 0:
        return f"overdue by {_days(-days)}"
    return f"due {in_days(days)}"


def short_date(day: datetime.date) -> str:
    """What a template's `{{ day|date:"j M Y" }}` writes ("6 Dec 2026"), for a date (a
    datetime: in the portal's time zone first, `template_localtime`). Long tables write it once
    a row or more: Django's date formatting costs about ten times this."""
    return f"{day.day} {_month_abbreviations(get_language())[day.month - 1]} {day.year}"


def long_date(day: datetime.date) -> str:
    """What `{{ day|date:"j F Y" }}` writes ("6 December 2026")."""
    return f"{day.day} {_month_names(get_language())[day.month - 1]} {day.year}"


def short_date_time(moment: datetime.datetime) -> str:
    """What `{{ moment|date:"D j M Y, H:i" }}` writes ("Sun 6 Dec 2026, 14:30"), for a time
    already in the portal's time zone (`template_localtime`)."""
    weekday = _weekday_abbreviations(get_language())[moment.weekday()]
    return f"{weekday} {short_date(moment)}, {moment:%H:%M}"


@lru_cache(maxsize=8)
def _month_abbreviations(language: str | None) -> tuple[str, ...]:
    return tuple(date_format(datetime.date(2000, month, 1), "M") for month in range(1, 13))


@lru_cache(maxsize=8)
def _month_names(language: str | None) -> tuple[str, ...]:
    return tuple(date_format(datetime.date(2000, month, 1), "F") for month in range(1, 13))


@lru_cache(maxsize=8)
def _weekday_abbreviations(language: str | None) -> tuple[str, ...]:
    # 3 January 2000 was a Monday: weekday() 0.
    return tuple(date_format(datetime.date(2000, 1, 3 + day), "D") for day in range(7))


def format_money(value) -> str:
    """£6,000.00: pounds with thousands separators and pence, for pages, PDFs and e-mails
    ("" for None)."""
    if value is None or value == "":
        return ""
    from decimal import Decimal, InvalidOperation

    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
