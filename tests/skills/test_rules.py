"""The risk rules of technicians.skills on small known data sets, at every threshold, and the
stale-rating time rules at their boundaries."""

import datetime

import pytest

from skills import risk as rules
from technicians.models import Technician
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(db):
    return factories.DepartmentFactory(name="Physics", slug="physics", faculty="Faculty of Science")


@pytest.fixture
def skill(db):
    return factories.SkillFactory(name="Cryogenics", category="Physical")


def holders(unit, skill, *levels, **extra):
    for level in levels:
        technician = factories.TechnicianFactory(department=unit, **extra)
        factories.TechnicianSkillFactory(technician=technician, skill=skill, level=level)


def unit_risk(unit, skill, **kwargs):
    return rules.risk(skill, Technician.objects.filter(department=unit), **kwargs)


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ((), "none"),
        ((1,), "none"),  # aware only: nobody at practitioner level
        ((1, 1, 1), "none"),
        ((2,), "single_point"),
        ((4,), "single_point"),  # one trainer is still one person
        ((4, 1, 1), "single_point"),
        ((2, 2), "thin"),  # two practitioners, nobody can train others
        ((3, 3, 3), "thin"),
        ((2, 4), "covered"),  # SKILLS_MIN_HOLDERS (2) with one trainer
        ((4, 4), "covered"),
        ((2, 3, 4), "covered"),
    ],
)
def test_risk_at_the_default_threshold(unit, skill, levels, expected):
    holders(unit, skill, *levels)
    assert unit_risk(unit, skill) == expected


@pytest.mark.parametrize(
    ("levels", "expected"),
    [((2, 4), "thin"), ((2, 2, 4), "covered"), ((4, 4), "thin"), ((4, 4, 4), "covered")],
)
def test_risk_follows_the_min_holders_setting(settings, unit, skill, levels, expected):
    settings.SKILLS_MIN_HOLDERS = 3
    holders(unit, skill, *levels)
    assert unit_risk(unit, skill) == expected


def test_leavers_are_not_counted(unit, skill):
    holders(unit, skill, 4, 2)
    assert unit_risk(unit, skill) == "covered"
    holders(unit, skill, 4, is_active=False)
    Technician.objects.filter(department=unit, technician_skills__level=2).update(is_active=False)
    assert unit_risk(unit, skill) == "single_point"


def test_other_units_and_other_skills_do_not_count(unit, skill):
    other_unit = factories.DepartmentFactory(slug="chem", name="Chemistry")
    other_skill = factories.SkillFactory(name="NMR")
    holders(unit, skill, 4)
    holders(other_unit, skill, 4, 4)
    holders(unit, other_skill, 4, 4)
    assert unit_risk(unit, skill) == "single_point"


def test_risk_can_count_validated_levels(unit, skill):
    for level, validated in [(4, 4), (3, 1), (2, None)]:
        technician = factories.TechnicianFactory(department=unit)
        factories.TechnicianSkillFactory(
            technician=technician, skill=skill, level=level, validated_level=validated
        )
    assert unit_risk(unit, skill) == "covered"
    assert unit_risk(unit, skill, validated=True) == "single_point"


def test_untaught_when_nobody_can_train_others(unit, skill):
    holders(unit, skill, 3, 3)
    faculty = Technician.objects.filter(department__faculty="Faculty of Science")
    assert rules.untaught(skill, faculty)
    holders(unit, skill, 4)
    assert not rules.untaught(skill, faculty)


@pytest.mark.parametrize(
    ("holders_", "trainers", "expected"),
    [
        (0, 0, "none"),
        (1, 0, "single_point"),
        (1, 1, "single_point"),
        (2, 0, "thin"),
        (2, 1, "covered"),
        (5, 0, "thin"),
    ],
)
def test_risk_from_counts(holders_, trainers, expected):
    assert rules.risk_from_counts(holders_, trainers) == expected


D = datetime.date


@pytest.mark.parametrize(
    ("confirmed_on", "today", "stale"),
    [
        (None, D(2026, 12, 1), True),
        (D(2025, 12, 1), D(2026, 12, 1), False),  # exactly 12 months: still fresh
        (D(2025, 11, 30), D(2026, 12, 1), True),  # over 12 months
        (D(2026, 12, 1), D(2026, 12, 1), False),
        (D(2024, 2, 29), D(2025, 2, 28), False),  # leap day: 12 months later is 28 February
        (D(2024, 2, 29), D(2025, 3, 1), True),
    ],
)
def test_stale_boundaries(confirmed_on, today, stale):
    assert rules.is_stale(confirmed_on, today) is stale


def test_review_due_on_is_the_first_stale_day():
    confirmed = D(2025, 3, 31)
    due = rules.review_due_on(confirmed)
    assert due == D(2026, 4, 1)
    assert not rules.is_stale(confirmed, due - datetime.timedelta(days=1))
    assert rules.is_stale(confirmed, due)
    assert rules.review_due_on(None) is None


def test_review_months_setting(settings):
    settings.SKILLS_REVIEW_MONTHS = 6
    assert rules.is_stale(D(2026, 1, 1), D(2026, 7, 2))
    assert not rules.is_stale(D(2026, 1, 1), D(2026, 7, 1))


def test_months_before_clamps_to_the_end_of_the_month():
    assert rules.months_before(D(2026, 3, 31), 1) == D(2026, 2, 28)
    assert rules.months_before(D(2026, 1, 15), 13) == D(2024, 12, 15)


def test_unit_shows_people_from_three(settings):
    assert not rules.unit_shows_people(2)
    assert rules.unit_shows_people(3)
