"""Results by unit reach VOICE_MIN_GROUP in every group, and no two figures shown, under any
grouping, differ by a group smaller than the threshold."""

import itertools

import pytest

from tests import factories
from tests.voice.conftest import likert, make_survey
from voice import selectors, services
from voice.models import Invitation
from voice.selectors import OTHER_UNITS

pytestmark = pytest.mark.django_db

# Department sizes by faculty: some large, some small, one faculty wholly small.
LAYOUT = {
    "Faculty of Science": {"Chemistry": 7, "Physics": 3, "Biology": 6},
    "Faculty of Engineering": {"Mechanical": 5, "Civil": 2},
    "Faculty of Arts": {"History": 1, "Music": 2},
}


def answered_survey():
    survey = make_survey(anonymous=True)
    question = likert(survey)
    values = itertools.cycle([1, 2, 3, 4, 5, 4, 3])
    for faculty, departments in LAYOUT.items():
        for name, size in departments.items():
            department = factories.DepartmentFactory(name=name, slug=name.lower(), faculty=faculty)
            for _ in range(size):
                technician = factories.TechnicianFactory(department=department)
                invitation = Invitation.objects.create(
                    survey=survey, technician=technician, department_name=name, faculty=faculty
                )
                services.answer(services.token_for(invitation), {question.pk: next(values)})
    return survey, question


def members(unit: str, by: str, shown_units: set[str]) -> frozenset[str]:
    """The departments a shown group is made of."""
    departments = {name: faculty for faculty, d in LAYOUT.items() for name in d}
    if unit == "ALL":
        return frozenset(departments)
    if unit != OTHER_UNITS:
        if by == "department":
            return frozenset({unit})
        return frozenset(name for name, faculty in departments.items() if faculty == unit)
    named = set()
    for other in shown_units - {OTHER_UNITS}:
        named |= members(other, by, shown_units)
    return frozenset(set(departments) - named)


def size(group: frozenset[str]) -> int:
    sizes = {name: n for d in LAYOUT.values() for name, n in d.items()}
    return sum(sizes[name] for name in group)


@pytest.mark.parametrize("threshold", [3, 5, 8])
def test_every_group_and_every_difference_reaches_the_threshold(settings, threshold):
    settings.VOICE_MIN_GROUP = threshold
    survey, question = answered_survey()
    groups = set()
    for by in ("department", "faculty"):
        rows = selectors.results_by_unit(survey, question, by=by)
        shown = {row["unit"] for row in rows}
        for row in rows:
            assert row["respondents"] >= threshold
            group = members(row["unit"], by, shown)
            assert size(group) == row["respondents"]
            groups.add(group)
        rates = selectors.response_rates(survey, by=by)
        for unit in rates["units"]:
            assert unit["answered"] >= threshold
    if selectors.overall(question) is not None:
        groups.add(members("ALL", "department", set()))
    # Any shown figure minus another (or minus a union of disjoint others) is a group too.
    for first, second in itertools.permutations(groups, 2):
        if second <= first:
            assert size(first - second) in (0,) or size(first - second) >= threshold


def test_the_small_departments_merge_into_other_units(settings):
    settings.VOICE_MIN_GROUP = 5
    survey, question = answered_survey()
    rows = {row["unit"]: row["respondents"] for row in selectors.results_by_unit(survey, question)}
    assert rows == {"Biology": 6, "Chemistry": 7, "Mechanical": 5, OTHER_UNITS: 8}


def test_a_faculty_shows_only_when_all_its_answering_departments_show(settings):
    settings.VOICE_MIN_GROUP = 5
    survey, question = answered_survey()
    rows = {
        row["unit"]: row["respondents"]
        for row in selectors.results_by_unit(survey, question, by="faculty")
    }
    # Science holds Physics (3), hidden by department: showing Science would reveal Physics.
    assert "Faculty of Science" not in rows
    assert all(count >= 5 for count in rows.values())


def test_when_other_units_would_be_too_small_the_smallest_unit_joins_it(settings):
    settings.VOICE_MIN_GROUP = 5
    atoms = selectors.make_atoms({"A": 9, "B": 6, "C": 2})
    assert atoms.shown == {"A": 9}
    assert atoms.other == 8


def test_nothing_is_shown_below_the_threshold_overall(settings):
    settings.VOICE_MIN_GROUP = 50
    survey, question = answered_survey()
    assert selectors.results_by_unit(survey, question) == []
    assert selectors.overall(question) is None
    assert selectors.response_rates(survey)["units"] == []


def test_free_text_shows_only_at_the_threshold_and_shuffled(settings):
    settings.VOICE_MIN_GROUP = 5
    survey = make_survey(anonymous=True)
    from voice.models import Question

    text = Question.objects.create(survey=survey, order=1, kind="text", text="Anything else?")
    department = factories.DepartmentFactory()
    for index in range(4):
        invitation = Invitation.objects.create(
            survey=survey, technician=factories.TechnicianFactory(department=department)
        )
        services.answer(services.token_for(invitation), {text.pk: f"answer {index}"})
    assert selectors.free_text(text) == []
    invitation = Invitation.objects.create(
        survey=survey, technician=factories.TechnicianFactory(department=department)
    )
    services.answer(services.token_for(invitation), {text.pk: "answer 4"})
    shown = selectors.free_text(text, seed=1)
    assert sorted(shown) == [f"answer {index}" for index in range(5)]
    assert shown != sorted(shown) or selectors.free_text(text, seed=2) != sorted(shown)
