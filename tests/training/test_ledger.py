"""The ledger of training days: the academic year, the 7/2/1 split pro rata by FTE, on track."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine

from tests.training.conftest import at, make_technician
from training import selectors
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db


def record(technician, day, days="1", category="on_the_job"):
    return TrainingRecord.objects.create(
        technician=technician, date=day, days=Decimal(days), category=category, title="Training"
    )


def test_the_split_with_fte_0_6(settings):
    settings.TRAINING_TARGET_DAYS = 10
    settings.TRAINING_TARGET_SPLIT = {"on_the_job": 7, "conference_workshop": 2, "formal": 1}
    assert selectors.target_split(Decimal("0.6")) == {
        "on_the_job": Decimal("4.20"),
        "conference_workshop": Decimal("1.20"),
        "formal": Decimal("0.60"),
    }
    assert selectors.target_total(Decimal("0.6")) == Decimal("6.00")


def test_my_training_uses_my_fte(personas, alex):
    alex.fte = Decimal("0.60")
    alex.save()
    mine = selectors.my_training(alex, datetime.date(2026, 3, 1))
    assert mine.this_year.target == Decimal("6.00")
    assert [row["target"] for row in mine.this_year.rows] == [
        Decimal("4.20"),
        Decimal("1.20"),
        Decimal("0.60"),
    ]


def test_the_academic_year_boundary(personas, alex):
    record(alex, datetime.date(2026, 7, 31), "2")
    record(alex, datetime.date(2026, 8, 1), "3")
    on_31_july = selectors.my_training(alex, datetime.date(2026, 7, 31))
    assert on_31_july.this_year.year == 2025
    assert on_31_july.this_year.total == Decimal("2")
    on_1_august = selectors.my_training(alex, datetime.date(2026, 8, 1))
    assert on_1_august.this_year.year == 2026
    assert on_1_august.this_year.total == Decimal("3")
    assert on_1_august.last_year.total == Decimal("2")


def test_on_track_is_the_share_of_the_year_gone(alex):
    # Half way through 2025–26 (365 days; 31 January is day 184): 10 × 184/365 = 5.04 days.
    day = datetime.date(2026, 1, 31)
    assert selectors.expected_by_now(Decimal("1"), day) == Decimal("5.04")
    assert selectors.is_on_track(Decimal("5.04"), Decimal("1"), day)
    assert not selectors.is_on_track(Decimal("5.03"), Decimal("1"), day)
    # Part-time: 0.6 FTE expects 3.02.
    assert selectors.is_on_track(Decimal("3.03"), Decimal("0.6"), day)
    # 1 August: one day of the year gone.
    assert selectors.expected_by_now(Decimal("1"), datetime.date(2025, 8, 1)) == Decimal("0.03")


def test_the_team_table_puts_those_behind_first(personas, alex, morgan):
    ahead = make_technician(alex.department, line_manager=morgan, last_name="Ahead")
    record(ahead, datetime.date(2025, 9, 1), "9")
    record(alex, datetime.date(2025, 9, 1), "1", category="formal")
    with time_machine.travel(at(datetime.date(2026, 1, 31)), tick=False):
        team = selectors.team_table(morgan)
    assert [member.pk for member in team] == [alex.pk, ahead.pk]
    assert team[0].days_formal == Decimal("1")
    assert not team[0].on_track and team[1].on_track
    assert team[0].behind_by == Decimal("4.04")


def test_the_dashboards_team_is_the_team_tables_and_the_team_is_read_once(
    personas, login, alex, morgan
):
    """The line manager's dashboard shows `team_table`'s days, targets and order; its training
    panel and its team panel share one read of the team."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from technicians.selectors import team_of

    ahead = make_technician(alex.department, line_manager=morgan, last_name="Ahead")
    make_technician(alex.department, line_manager=morgan, last_name="Gone", is_active=False)
    record(ahead, datetime.date(2025, 9, 1), "9")
    record(alex, datetime.date(2025, 9, 1), "1", category="formal")
    with time_machine.travel(at(datetime.date(2026, 1, 31)), tick=False):
        table = selectors.team_table(morgan)
        glance = selectors.team_at_a_glance(morgan)
        order_of_names = [member.pk for member in team_of(morgan)]
        assert [member.pk for member in glance] == [member.pk for member in table]
        for seen, full in zip(glance, table, strict=True):
            for name in ("days_total", "days_formal", "target", "on_track", "behind_by"):
                assert getattr(seen, name) == getattr(full, name), name
        assert order_of_names == [ahead.pk, alex.pk]  # the shared list keeps its own order
        with CaptureQueriesContext(connection) as queries:
            page = login(personas.manager).get("/").content.decode()
    assert "1 of 2 behind their training target" in page
    reads_of_the_team = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "technicians_technician"."id"')
        and '"technicians_technician"."line_manager_id" =' in query["sql"]
    ]
    assert len(reads_of_the_team) == 1


def test_hr_totals_by_department_and_faculty(personas, alex, morgan, department):
    from tests import factories

    physics = factories.DepartmentFactory(name="Physics", slug="physics", faculty="Science")
    far = make_technician(physics, login=False)
    record(alex, datetime.date(2025, 9, 1), "8")
    record(far, datetime.date(2025, 9, 1), "1")
    record(far, datetime.date(2024, 9, 1), "5")  # last year: not counted
    totals = selectors.hr_totals(datetime.date(2026, 1, 31))
    by_name = {unit.name: unit for unit in totals.departments}
    assert by_name["Chemistry"].technicians == 2  # Alex and Morgan
    assert by_name["Chemistry"].days == Decimal("8")
    assert by_name["Chemistry"].on_track == 1
    assert by_name["Chemistry"].on_track_percent == 50
    assert by_name["Physics"].days == Decimal("1")
    assert totals.all.technicians == 3
    assert totals.departments[0].name == "Physics"  # lowest share on track first


def test_the_team_table_holds_the_current_reports_and_their_days_only(personas, alex, morgan):
    left = make_technician(alex.department, line_manager=morgan, last_name="Left", is_active=False)
    elsewhere = make_technician(alex.department, last_name="Elsewhere")
    for person in (left, elsewhere, alex):
        record(person, datetime.date(2025, 9, 1), "2")
    record(alex, datetime.date(2025, 7, 31), "5")  # the academic year before
    with time_machine.travel(at(datetime.date(2026, 1, 31)), tick=False):
        team = selectors.team_table(morgan)
        others = selectors.team_table(elsewhere)
    assert [member.pk for member in team] == [alex.pk]
    assert team[0].days_total == Decimal("2") and team[0].no_shows == 0
    assert others == []
