"""Every state change of mentoring goes through the kernel's one workflow step
(portal.workflow.transition): the row is locked, a wrong state is refused in a sentence that
changes nothing, the move is made and a typed MentoringEvent names the actor and the states.

Rounds move draft → published; pairs move proposed → removed → proposed, and proposed → active
when the round is published. Applications carry no state of their own: they change only while
the round's window is open (tests/careers/test_mentoring.py)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

import portal.workflow
from careers import services
from careers.models import MentoringEvent, MentoringPair, MentoringRound
from tests import factories
from tests.careers.conftest import apply, make_round

Status = MentoringPair.Status


@pytest.fixture
def round_of_three(db, personas):
    """One round: Mira mentors (capacity 1), Eve and Eli are mentees, all seeking NMR."""
    nmr = factories.SkillFactory(name="NMR", category="Topics")
    round = make_round()
    mira = factories.TechnicianFactory(first_name="Mira", email="mira@example.ac.uk")
    eve = factories.TechnicianFactory(first_name="Eve", email="eve@example.ac.uk")
    eli = factories.TechnicianFactory(first_name="Eli", email="eli@example.ac.uk")
    apply(round, mira, mentor=True, offered=[nmr])
    apply(round, eve, mentee=True, sought=[nmr])
    apply(round, eli, mentee=True, sought=[nmr])
    pair = MentoringPair.objects.create(round=round, mentor=mira, mentee=eve)
    return round, pair, personas.coordinator


@pytest.fixture
def steps(monkeypatch):
    """Every call of the kernel's step from careers.services, as (model, from, to)."""
    seen = []
    real = portal.workflow.transition

    def spy(*args, **kwargs):
        step = real(*args, **kwargs)
        seen.append((type(step.obj).__name__, step.from_state, step.to_state))
        return step

    monkeypatch.setattr(services, "transition", spy)
    return seen


def events(round, kind):
    return list(
        MentoringEvent.objects.filter(round=round, kind=kind).values_list(
            "pair_id", "from_status", "to_status", "actor_id"
        )
    )


@pytest.mark.django_db
def test_removing_a_proposed_pair_is_a_recorded_move(round_of_three, steps):
    round, pair, coordinator = round_of_three
    removed = services.remove_pair(pair, by=coordinator)
    assert (removed.status, removed.pinned) == (Status.REMOVED, False)
    assert steps == [("MentoringPair", "proposed", "removed")]
    assert events(round, "removed") == [(pair.pk, "proposed", "removed", coordinator.pk)]


@pytest.mark.django_db
def test_removing_twice_is_refused_in_a_sentence_and_changes_nothing(round_of_three):
    round, pair, coordinator = round_of_three
    services.remove_pair(pair, by=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.remove_pair(pair, by=coordinator)
    assert refused.value.messages == [
        "This pair is removed by the coordinator: it can no longer be removed."
    ]
    assert refused.value.error_list[0].code == portal.workflow.WRONG_STATE
    assert len(events(round, "removed")) == 1


@pytest.mark.django_db
def test_only_a_coordinator_moves_a_pair(round_of_three, personas):
    round, pair, _ = round_of_three
    for step in (services.remove_pair, services.restore_pair):
        with pytest.raises(PermissionDenied):
            step(pair, by=personas.hr)
    pair.refresh_from_db()
    assert pair.status == Status.PROPOSED
    assert not MentoringEvent.objects.filter(round=round).exists()


@pytest.mark.django_db
def test_restoring_a_removed_pair_is_a_recorded_move(round_of_three, steps):
    round, pair, coordinator = round_of_three
    services.remove_pair(pair, by=coordinator)
    restored = services.restore_pair(pair, by=coordinator)
    assert restored.status == Status.PROPOSED
    assert steps[-1] == ("MentoringPair", "removed", "proposed")
    assert events(round, "restored") == [(pair.pk, "removed", "proposed", coordinator.pk)]


@pytest.mark.django_db
def test_restoring_a_proposed_pair_is_refused(round_of_three):
    round, pair, coordinator = round_of_three
    with pytest.raises(
        ValidationError, match="This pair is proposed: it can no longer be restored"
    ):
        services.restore_pair(pair, by=coordinator)
    assert not events(round, "restored")


@pytest.mark.django_db
def test_restoring_is_refused_when_the_mentor_is_full_or_the_mentee_taken(round_of_three):
    round, pair, coordinator = round_of_three
    services.remove_pair(pair, by=coordinator)
    eli = round.applications.get(technician__first_name="Eli").technician
    # Mira (capacity 1) now mentors Eli: restoring Mira → Eve would put her over capacity.
    MentoringPair.objects.create(round=round, mentor=pair.mentor, mentee=eli)
    with pytest.raises(ValidationError, match="takes at most 1 mentee"):
        services.restore_pair(pair, by=coordinator)
    pair.refresh_from_db()
    assert pair.status == Status.REMOVED
    assert not events(round, "restored")


@pytest.mark.django_db
def test_pinning_is_refused_for_a_removed_pair(round_of_three):
    round, pair, coordinator = round_of_three
    services.pin_pair(pair, by=coordinator)
    assert events(round, "pinned") == [(pair.pk, "", "", coordinator.pk)]
    services.remove_pair(pair, by=coordinator)
    with pytest.raises(ValidationError, match="it can no longer be pinned"):
        services.pin_pair(pair, by=coordinator)
    pair.refresh_from_db()
    assert not pair.pinned


@pytest.mark.django_db
def test_publishing_moves_the_round_and_each_pair_through_the_kernel_step(
    round_of_three, steps, told
):
    round, pair, coordinator = round_of_three
    assert services.publish_round(round, by=coordinator) == 1
    assert steps == [
        ("MentoringRound", "draft", "published"),
        ("MentoringPair", "proposed", "active"),
    ]
    round.refresh_from_db()
    pair.refresh_from_db()
    assert round.status == MentoringRound.Status.PUBLISHED
    assert (round.published_by, round.published_at is not None) == (coordinator, True)
    assert pair.status == Status.ACTIVE and pair.starts_on and pair.ends_on
    assert sorted(events(round, "published"), key=str) == sorted(
        [
            (None, "draft", "published", coordinator.pk),
            (pair.pk, "proposed", "active", coordinator.pk),
        ],
        key=str,
    )
    assert MentoringEvent.objects.get(pair=None, kind="published").note == "1 pair published"


@pytest.mark.django_db
def test_publishing_twice_is_refused_and_a_published_round_no_longer_changes(round_of_three, told):
    round, pair, coordinator = round_of_three
    services.publish_round(round, by=coordinator)
    with pytest.raises(ValidationError, match="This round is already published"):
        services.publish_round(round, by=coordinator)
    for change in (
        lambda: services.run_matching(round, by=coordinator),
        lambda: services.pin_pair(pair, by=coordinator),
        lambda: services.remove_pair(pair, by=coordinator),
    ):
        with pytest.raises(ValidationError, match="This round is published"):
            change()
    pair.refresh_from_db()
    assert pair.status == Status.ACTIVE
    assert MentoringEvent.objects.filter(round=round).count() == 2  # the round and the pair


@pytest.mark.django_db
def test_publishing_without_pairs_is_refused_and_the_round_stays_a_draft(round_of_three, told):
    round, pair, coordinator = round_of_three
    services.remove_pair(pair, by=coordinator)
    with pytest.raises(ValidationError, match="no proposed pairs to publish"):
        services.publish_round(round, by=coordinator)
    round.refresh_from_db()
    assert (round.status, round.published_at) == (MentoringRound.Status.DRAFT, None)
    assert not events(round, "published")
    assert told() == []


@pytest.mark.django_db
def test_swapping_is_refused_unless_both_pairs_are_proposed(round_of_three):
    round, pair, coordinator = round_of_three
    mira = pair.mentor
    eli = round.applications.get(technician__first_name="Eli").technician
    other = MentoringPair.objects.create(round=round, mentor=mira, mentee=eli)
    services.remove_pair(other, by=coordinator)
    with pytest.raises(ValidationError, match="it can no longer be swapped"):
        services.swap_pairs(pair, other, by=coordinator)
    assert set(round.pairs.values_list("mentee__first_name", "status")) == {
        ("Eve", Status.PROPOSED),
        ("Eli", Status.REMOVED),
    }


@pytest.fixture
def two_pairs(round_of_three):
    """Mira mentoring Eve and Max mentoring Eli, both proposed."""
    round, mira_eve, coordinator = round_of_three
    nmr = factories.SkillFactory(name="NMR", category="Topics")
    max_ = factories.TechnicianFactory(first_name="Max", email="max@example.ac.uk")
    apply(round, max_, mentor=True, offered=[nmr])
    eli = round.applications.get(technician__first_name="Eli").technician
    max_eli = MentoringPair.objects.create(round=round, mentor=max_, mentee=eli)
    return round, mira_eve, max_eli, coordinator


@pytest.mark.django_db
def test_a_swap_changes_both_pairs_in_place_and_keeps_their_history(two_pairs):
    round, mira_eve, max_eli, coordinator = two_pairs
    services.pin_pair(mira_eve, by=coordinator)
    services.pin_pair(mira_eve, by=coordinator, pinned=False)
    services.swap_pairs(mira_eve, max_eli, by=coordinator)
    pairs = {p.pk: p for p in round.pairs.select_related("mentor", "mentee")}
    assert set(pairs) == {mira_eve.pk, max_eli.pk}
    assert (pairs[mira_eve.pk].mentor.first_name, pairs[mira_eve.pk].mentee.first_name) == (
        "Mira",
        "Eli",
    )
    assert (pairs[max_eli.pk].mentor.first_name, pairs[max_eli.pk].mentee.first_name) == (
        "Max",
        "Eve",
    )
    assert all(p.pinned and p.status == Status.PROPOSED for p in pairs.values())
    # The pin and unpin before the swap are still on Mira's pair, with the swap after them.
    kinds = list(
        MentoringEvent.objects.filter(pair=mira_eve).order_by("pk").values_list("kind", "note")
    )
    assert [kind for kind, _note in kinds] == [
        MentoringEvent.Kind.PINNED,
        MentoringEvent.Kind.UNPINNED,
        MentoringEvent.Kind.SWAPPED,
    ]
    assert "Eve" in kinds[-1][1]
    assert sorted(events(round, MentoringEvent.Kind.SWAPPED)) == sorted(
        (pk, "", "", coordinator.pk) for pk in pairs
    )


@pytest.mark.django_db
def test_a_swap_into_a_removed_pair_is_refused_and_changes_nothing(two_pairs):
    round, mira_eve, max_eli, coordinator = two_pairs
    eli = max_eli.mentee
    MentoringPair.objects.create(round=round, mentor=mira_eve.mentor, mentee=eli, status="removed")
    with pytest.raises(ValidationError, match="restore it instead"):
        services.swap_pairs(mira_eve, max_eli, by=coordinator)
    assert set(round.pairs.values_list("mentor__first_name", "mentee__first_name", "status")) == {
        ("Mira", "Eve", Status.PROPOSED),
        ("Max", "Eli", Status.PROPOSED),
        ("Mira", "Eli", Status.REMOVED),
    }
    assert events(round, MentoringEvent.Kind.SWAPPED) == []
