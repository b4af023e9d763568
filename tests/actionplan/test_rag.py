"""RAG at each boundary: Complete, Red (blocked or past due), Amber (due within 30 days and
under 75 %), Green. "Today" is the date in London."""

import datetime

import pytest
import time_machine

from actionplan import rag
from actionplan.models import Action
from actionplan.rag import Rag
from tests import factories
from tests.actionplan.conftest import TODAY, at_noon

DAY = datetime.timedelta(days=1)


def test_the_thresholds_live_in_one_place():
    assert rag.DUE_SOON_DAYS == 30
    assert rag.ON_TRACK_PROGRESS == 75


BOUNDARIES = [
    # (what, status, progress, due in days from today, expected)
    ("due today, under 75 %", "in_progress", 10, 0, Rag.AMBER),
    ("due today, 75 %", "in_progress", 75, 0, Rag.GREEN),
    ("due yesterday", "in_progress", 90, -1, Rag.RED),
    ("due yesterday, not started", "not_started", 0, -1, Rag.RED),
    ("due in 30 days, 74 %", "in_progress", 74, 30, Rag.AMBER),
    ("due in 30 days, 75 %", "in_progress", 75, 30, Rag.GREEN),
    ("due in 31 days, 0 %", "not_started", 0, 31, Rag.GREEN),
    ("due in 29 days, 74 %", "in_progress", 74, 29, Rag.AMBER),
    ("blocked, due next year", "blocked", 90, 365, Rag.RED),
    ("blocked, due today", "blocked", 100, 0, Rag.RED),
    ("complete, past due", "complete", 100, -200, Rag.COMPLETE),
    ("complete, due soon", "complete", 100, 3, Rag.COMPLETE),
    ("100 % but not marked complete, past due", "in_progress", 100, -1, Rag.RED),
]


@pytest.mark.parametrize(
    ("status", "progress", "days", "expected"),
    [case[1:] for case in BOUNDARIES],
    ids=[case[0] for case in BOUNDARIES],
)
def test_rag_at_its_boundaries(status, progress, days, expected):
    due_on = TODAY + days * DAY
    with time_machine.travel(at_noon(TODAY), tick=False):
        assert rag.rag_for(status, progress, due_on) == expected
    # The same with an explicit day, as the pages pass it.
    assert rag.rag_for(status, progress, due_on, TODAY) == expected


@pytest.mark.django_db
def test_the_database_filter_agrees_with_the_rule_at_every_boundary(plan):
    with time_machine.travel(at_noon(TODAY), tick=False):
        actions = [
            factories.ActionFactory(
                plan=plan,
                ref=f"X{index}",
                status=status,
                progress=progress,
                due_on=TODAY + days * DAY,
            )
            for index, (_, status, progress, days, _expected) in enumerate(BOUNDARIES)
        ]
        for rating in Rag:
            selected = set(Action.objects.filter(plan=plan).filter(rag.rag_q(rating)))
            assert selected == {action for action in actions if action.rag == rating}, rating


@pytest.mark.django_db
def test_the_action_model_reads_today_in_london(plan):
    action = factories.ActionFactory(
        plan=plan, due_on=datetime.date(2026, 6, 10), status="in_progress", progress=90
    )
    # 23:30 UTC on 10 June is already 00:30 on 11 June in London (BST): the action is late.
    with time_machine.travel(datetime.datetime(2026, 6, 10, 23, 30, tzinfo=datetime.UTC)):
        assert action.rag == Rag.RED
    with time_machine.travel(datetime.datetime(2026, 6, 10, 22, 30, tzinfo=datetime.UTC)):
        assert action.rag == Rag.GREEN


def test_every_rating_has_a_meaning_in_words():
    for rating in Rag:
        assert rating.meaning
