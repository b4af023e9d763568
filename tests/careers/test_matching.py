"""The matcher: hard rules (never oneself, never inside one reporting line, never over a
mentor's capacity, never over the round's grade gap, never a removed pair) and optimality
(a hand-made case where taking the best pair first loses, and every small case against
brute force)."""

import itertools
import random

import pytest

from careers.matching import propose_pairs
from careers.models import MentoringPair
from tests import factories
from tests.careers.conftest import apply, make_round


@pytest.fixture
def topics(db):
    return [factories.SkillFactory(name=name, category="Topics") for name in "ABCDE"]


def pairs_of(result):
    return {(pair.mentor.pk, pair.mentee.pk) for pair in result}


@pytest.mark.django_db
def test_the_known_optimum_of_a_hand_made_case(topics):
    a, b, c = topics[:3]
    round = make_round()
    m1 = factories.TechnicianFactory(first_name="Mia")
    m2 = factories.TechnicianFactory(first_name="Max")
    e1 = factories.TechnicianFactory(first_name="Eve")
    e2 = factories.TechnicianFactory(first_name="Eli")
    apply(round, m1, mentor=True, offered=[a, b, c])
    apply(round, m2, mentor=True, offered=[a])
    # Eve scores 20 with Mia and 10 with Max; Eli scores 20 with Mia and nothing with Max.
    # Taking the best first (Eve with Mia) leaves Eli alone: 20 in one pair. The optimum is
    # Eve with Max and Eli with Mia: 30 in two pairs.
    apply(round, e1, mentee=True, sought=[a, b])
    apply(round, e2, mentee=True, sought=[b, c])
    result = propose_pairs(round)
    assert pairs_of(result) == {(m2.pk, e1.pk), (m1.pk, e2.pk)}
    assert sum(pair.score for pair in result) == 30
    eve = next(pair for pair in result if pair.mentee == e1)
    assert eve.reasons == ["offers A, sought (+10)"]


@pytest.mark.django_db
def test_never_inside_one_reporting_line(topics):
    a = topics[0]
    round = make_round()
    boss = factories.TechnicianFactory()
    manager = factories.TechnicianFactory(line_manager=boss)
    report = factories.TechnicianFactory(line_manager=manager)
    outsider = factories.TechnicianFactory()
    # The boss and the manager offer the topic; the report (two levels down) seeks it; the
    # report also offers it to the boss, who is above them.
    apply(round, boss, mentor=True, mentee=True, offered=[a], sought=[a])
    apply(round, manager, mentor=True, offered=[a])
    apply(round, report, mentor=True, mentee=True, offered=[a], sought=[a])
    result = propose_pairs(round)
    for pair in result:
        assert {pair.mentor.pk, pair.mentee.pk} not in (
            {boss.pk, manager.pk},
            {boss.pk, report.pk},
            {manager.pk, report.pk},
        )
    assert result == []
    # Someone outside the line can mentor both of them.
    apply(round, outsider, mentor=True, capacity=2, offered=[a])
    assert pairs_of(propose_pairs(round)) == {(outsider.pk, report.pk), (outsider.pk, boss.pk)}


@pytest.mark.django_db
def test_never_over_a_mentors_capacity_and_never_oneself(topics):
    a = topics[0]
    round = make_round()
    mentor = factories.TechnicianFactory()
    apply(round, mentor, mentor=True, mentee=True, capacity=2, offered=[a], sought=[a])
    mentees = [factories.TechnicianFactory() for _ in range(5)]
    for mentee in mentees:
        apply(round, mentee, mentee=True, sought=[a])
    result = propose_pairs(round)
    assert len(result) == 2
    assert all(pair.mentor == mentor and pair.mentee != mentor for pair in result)


@pytest.mark.django_db
def test_the_grade_gap_limit_and_removed_and_pinned_pairs(topics, personas):
    from careers import services

    a = topics[0]
    round = make_round(max_grade_gap=1)
    senior = factories.TechnicianFactory(grade="8")
    middle = factories.TechnicianFactory(grade="5")
    junior = factories.TechnicianFactory(grade="4")
    apply(round, senior, mentor=True, offered=[a])
    apply(round, middle, mentor=True, offered=[a])
    apply(round, junior, mentee=True, sought=[a])
    assert pairs_of(propose_pairs(round)) == {(middle.pk, junior.pk)}
    pair = MentoringPair.objects.create(round=round, mentor=middle, mentee=junior)
    services.remove_pair(pair, by=personas.coordinator)
    assert propose_pairs(round) == []  # removed, and the senior is too far in grade
    round.max_grade_gap = None
    round.save()
    assert pairs_of(propose_pairs(round)) == {(senior.pk, junior.pk)}


def brute_force(mentors, mentees, score):
    """(pairs, total) of the best assignment: most pairs first, then the highest score."""
    best = (0, 0.0)
    options = [None, *mentors]
    for choice in itertools.product(options, repeat=len(mentees)):
        used = {}
        total, count, ok = 0.0, 0, True
        for mentee, mentor in zip(mentees, choice, strict=True):
            if mentor is None:
                continue
            used[mentor] = used.get(mentor, 0) + 1
            value = score.get((mentor, mentee))
            if value is None or used[mentor] > mentors[mentor]:
                ok = False
                break
            total += value
            count += 1
        if ok:
            best = max(best, (count, total))
    return best


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(6))
def test_small_cases_match_brute_force(topics, seed):
    from careers import matching

    rng = random.Random(seed)
    round = make_round()
    mentors, mentees = {}, []
    for index in range(3):
        person = factories.TechnicianFactory(grade=str(rng.randint(3, 7)))
        capacity = rng.randint(1, 2)
        apply(
            round,
            person,
            mentor=True,
            capacity=capacity,
            offered=rng.sample(topics, rng.randint(1, 3)),
            career_areas=["research"][: index % 2],
        )
        mentors[person.pk] = capacity
    for index in range(4):
        person = factories.TechnicianFactory(grade=str(rng.randint(3, 7)))
        apply(
            round,
            person,
            mentee=True,
            sought=rng.sample(topics, rng.randint(1, 2)),
            career_areas=["research"][: index % 2],
        )
        mentees.append(person.pk)
    applicants = {a.technician.pk: a for a in matching._load(round)}
    chains = {pk: set() for pk in applicants}
    experts = matching._expert_skills(list(mentors), {s.pk for s in topics})
    score = {}
    for mentor in mentors:
        for mentee in mentees:
            value, _ = matching.score_pair(
                applicants[mentor],
                applicants[mentee],
                experts=experts,
                skill_names={},
                chains=chains,
                max_grade_gap=None,
            )
            if value is not None:
                score[(mentor, mentee)] = value
    result = propose_pairs(round)
    assert (len(result), sum(p.score for p in result)) == brute_force(mentors, mentees, score)
