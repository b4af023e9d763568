"""The university's calendars: academic and financial years, working days."""

import datetime

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as date_filter
from django.utils.timezone import template_localtime

from portal import periods

D = datetime.date


@pytest.mark.parametrize(
    ("day", "year"),
    [(D(2025, 7, 31), 2024), (D(2025, 8, 1), 2025), (D(2026, 1, 15), 2025), (D(2026, 7, 31), 2025)],
)
def test_the_academic_year_starts_on_1_august(day, year):
    assert periods.academic_year_of(day) == year


def test_academic_year_bounds_and_label():
    assert periods.academic_year_bounds(2025) == (D(2025, 8, 1), D(2026, 7, 31))
    assert periods.academic_year_label(2025) == "2025–26"
    assert periods.academic_year_label(2099) == "2099–00"


@pytest.mark.parametrize(
    ("day", "year"),
    [(D(2026, 3, 31), 2025), (D(2026, 4, 1), 2026), (D(2027, 1, 1), 2026)],
)
def test_the_financial_year_starts_on_1_april(day, year):
    assert periods.financial_year_of(day) == year


def test_financial_year_bounds_and_label():
    assert periods.financial_year_bounds(2026) == (D(2026, 4, 1), D(2027, 3, 31))
    assert periods.financial_year_label(2026) == "2026–27"


def test_england_and_wales_bank_holidays_are_not_working_days():
    assert not periods.is_working_day(D(2026, 12, 25))  # Christmas Day, a Friday
    assert not periods.is_working_day(D(2026, 12, 28))  # Boxing Day's substitute, a Monday
    assert not periods.is_working_day(D(2026, 8, 31))  # summer bank holiday (not Scotland's)
    assert not periods.is_working_day(D(2026, 12, 5))  # a Saturday
    assert periods.is_working_day(D(2026, 12, 29))


def test_adding_working_days_skips_weekends_and_bank_holidays():
    # Two working days before Tuesday 29 December 2026: the 28th and 25th are bank holidays.
    assert periods.add_working_days(D(2026, 12, 29), -2) == D(2026, 12, 23)
    assert periods.add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert periods.add_working_days(D(2026, 12, 2), 0) == D(2026, 12, 2)


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert periods.working_days_between(D(2026, 12, 24), D(2026, 12, 29)) == 1
    assert periods.working_days_between(D(2026, 11, 30), D(2026, 12, 14)) == 10
    assert periods.working_days_between(D(2026, 12, 14), D(2026, 12, 14)) == 0
    assert periods.working_days_between(D(2026, 12, 14), D(2026, 12, 1)) == 0


@pytest.mark.parametrize(
    ("due_on", "phrase"),
    [
        (D(2026, 3, 1), "overdue by 9 days"),
        (D(2026, 3, 9), "overdue by 1 day"),
        (D(2026, 3, 10), "due today"),
        (D(2026, 3, 11), "due in 1 day"),
        (D(2026, 3, 24), "due in 14 days"),
    ],
)
def test_how_late_or_how_soon_in_words(due_on, phrase):
    assert periods.due_phrase(due_on, D(2026, 3, 10)) == phrase


def test_how_soon_in_words():
    assert [periods.in_days(days) for days in (0, 1, 2)] == ["today", "in 1 day", "in 2 days"]


@pytest.mark.parametrize("month", range(1, 13))
def test_a_short_date_is_what_the_date_filter_writes(month):
    for day in (datetime.date(2026, month, 1), datetime.date(1999, month, 28)):
        assert periods.short_date(day) == date_filter(day, "j M Y")


def test_a_short_date_of_a_time_is_the_day_in_the_portals_time_zone():
    # 23:30 UTC on 30 June is already 1 July in London (summer time).
    moment = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert periods.short_date(template_localtime(moment)) == "1 Jul 2026"
    # What a template writes: the engine puts a time in the portal's zone before the filter.
    written = Template('{{ moment|date:"j M Y" }}').render(Context({"moment": moment}))
    assert periods.short_date(template_localtime(moment)) == written


@pytest.mark.parametrize("day", range(1, 8))
def test_a_short_date_and_time_is_what_the_date_filter_writes(day):
    moment = datetime.datetime(2026, 12, day, 9, 5, tzinfo=datetime.UTC)
    written = Template('{{ moment|date:"D j M Y, H:i" }}').render(Context({"moment": moment}))
    assert periods.short_date_time(template_localtime(moment)) == written


@pytest.mark.parametrize(
    ("value", "old", "new"),
    [
        (datetime.date(2026, month, 9), fmt, name)
        for month in (1, 6, 12)
        for fmt, name in (("j M Y", "short_date"), ("j F Y", "long_date"))
    ]
    + [
        (datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC), "j M Y", "short_date"),
        (datetime.datetime(2026, 12, 31, 23, 59, tzinfo=datetime.UTC), "j F Y", "long_date"),
        (None, "j M Y", "short_date"),
        ("", "j F Y", "long_date"),
    ],
)
def test_the_date_filters_write_what_the_date_filter_wrote(value, old, new):
    context = Context({"value": value})
    expected = Template(f'{{{{ value|date:"{old}" }}}}').render(context)
    assert Template(f"{{% load portal_tags %}}{{{{ value|{new} }}}}").render(context) == expected
