"""Mentoring from application to evaluation: applying while a round is open, the coordinator's
matching, pins, swaps, removals and publishing (both people told at their staff-list e-mail),
meetings with private notes only the pair reads, the six-week reminder (once), evaluations."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from careers import reminders, services
from careers.models import MentoringPair
from tests import factories
from tests.careers.conftest import TODAY, apply, make_round
from tests.conftest import make_user


@pytest.fixture
def topics(db):
    return [factories.SkillFactory(name=name, category="Topics") for name in ("NMR", "HPLC")]


def person(email, **values):
    user = make_user(email, "Technician")
    return factories.TechnicianFactory(user=user, email=email, **values), user


@pytest.mark.django_db
def test_applying_only_oneself_and_only_while_the_round_is_open(topics, personas):
    round = make_round(today=TODAY)
    alex = personas.technician_profile
    with pytest.raises(PermissionDenied):
        services.apply_for_mentoring(
            round,
            alex,
            by=personas.manager,
            as_mentee=True,
            as_mentor=False,
            topics_sought=[topics[0]],
            today=TODAY,
        )
    with pytest.raises(ValidationError):
        services.apply_for_mentoring(
            round, alex, by=personas.technician, as_mentee=True, as_mentor=False, today=TODAY
        )
    application = services.apply_for_mentoring(
        round,
        alex,
        by=personas.technician,
        as_mentee=True,
        as_mentor=False,
        topics_sought=[topics[0]],
        career_areas=["research", "nonsense"],
        preferences_note="A mentor of the same gender.",
        today=TODAY,
    )
    assert application.career_areas == ["research"]
    assert list(application.topics_sought.all()) == [topics[0]]
    with pytest.raises(ValidationError):
        services.apply_for_mentoring(
            round,
            alex,
            by=personas.technician,
            as_mentee=True,
            as_mentor=False,
            topics_sought=[topics[0]],
            today=round.applications_close_on + datetime.timedelta(1),
        )


@pytest.fixture
def matched(topics, personas):
    nmr, hplc = topics
    round = make_round(today=TODAY)
    mira, mira_user = person("mira@example.ac.uk", first_name="Mira")
    max_, max_user = person("max@example.ac.uk", first_name="Max")
    eve, eve_user = person("eve@example.ac.uk", first_name="Eve")
    eli, eli_user = person("eli@example.ac.uk", first_name="Eli")
    apply(round, mira, mentor=True, offered=[nmr, hplc])
    apply(round, max_, mentor=True, offered=[nmr])
    apply(round, eve, mentee=True, sought=[nmr])
    apply(round, eli, mentee=True, sought=[hplc])
    return {
        "round": round,
        "mira": mira,
        "max": max_,
        "eve": eve,
        "eli": eli,
        "eve_user": eve_user,
        "mira_user": mira_user,
        "max_user": max_user,
        "eli_user": eli_user,
    }


@pytest.mark.django_db
def test_the_coordinator_matches_pins_swaps_removes_and_publishes(matched, personas, told):
    round, coordinator = matched["round"], personas.coordinator
    with pytest.raises(PermissionDenied):
        services.run_matching(round, by=personas.hr)
    services.run_matching(round, by=coordinator)
    pairs = {(p.mentor, p.mentee): p for p in round.pairs.all()}
    assert set(pairs) == {(matched["max"], matched["eve"]), (matched["mira"], matched["eli"])}
    # Swapping: Mira takes Eve and Max would take Eli, whom he cannot help (no topic): the
    # swap still stands, the coordinator's call, and both pairs are pinned.
    first, second = pairs.values()
    services.swap_pairs(first, second, by=coordinator)
    swapped = {(p.mentor, p.mentee): p for p in round.pairs.all()}
    assert set(swapped) == {(matched["mira"], matched["eve"]), (matched["max"], matched["eli"])}
    assert all(p.pinned for p in swapped.values())
    # Removing one and running again: the pinned pair stays, the removed one is never proposed.
    removed = swapped[(matched["max"], matched["eli"])]
    services.remove_pair(removed, by=coordinator)
    services.run_matching(round, by=coordinator)
    proposed = set(
        round.pairs.filter(status=MentoringPair.Status.PROPOSED).values_list("mentor", "mentee")
    )
    assert proposed == {(matched["mira"].pk, matched["eve"].pk)}
    assert told() == []
    assert services.publish_round(round, by=coordinator) == 1
    messages = told()
    assert {(m[0], m[1]) for m in messages} == {
        (matched["mira"], "careers.paired"),
        (matched["eve"], "careers.paired"),
    }
    assert all("/careers/mentoring/pairs/" in m[3] for m in messages)
    round.refresh_from_db()
    assert round.published_at is not None
    with pytest.raises(ValidationError):
        services.run_matching(round, by=coordinator)
    assert round.events.filter(kind="published", actor=coordinator).exists()


@pytest.fixture
def pair(matched):
    return active_pair(matched, mentor="mira", mentee="eve")


def active_pair(matched, *, mentor: str, mentee: str) -> MentoringPair:
    return MentoringPair.objects.create(
        round=matched["round"],
        mentor=matched[mentor],
        mentee=matched[mentee],
        status=MentoringPair.Status.ACTIVE,
        starts_on=TODAY,
        ends_on=datetime.date(2026, 9, 10),
    )


@pytest.mark.django_db
def test_only_the_pair_logs_meetings_and_reads_their_notes(matched, pair, personas, login):
    services.log_meeting(pair, by=matched["eve_user"], date=TODAY, note="Talked about NMR time.")
    with pytest.raises(PermissionDenied):
        services.log_meeting(pair, by=personas.coordinator, date=TODAY)
    url = f"/careers/mentoring/pairs/{pair.pk}/"
    for user in (matched["eve_user"], matched["mira_user"]):
        response = login(user).get(url)
        assert response.status_code == 200
        assert "Talked about NMR time." in response.content.decode()
    for user in (matched["max_user"], personas.coordinator, personas.hr, personas.admin):
        assert login(user).get(url).status_code == 404
    # The coordinator's round page shows the pair, never the note.
    page = login(personas.coordinator).get(f"/careers/mentoring/rounds/{pair.round_id}/")
    assert page.status_code == 200
    assert "Talked about NMR time." not in page.content.decode()


@pytest.mark.django_db
def test_no_meeting_for_six_weeks_is_reminded_once(pair, matched, told):
    assert reminders.queue_mentoring_reminders(TODAY + datetime.timedelta(days=41)) == 0
    assert reminders.queue_mentoring_reminders(TODAY + datetime.timedelta(days=42)) == 2
    assert reminders.queue_mentoring_reminders(TODAY + datetime.timedelta(days=43)) == 0
    assert {m[0] for m in told()} == {matched["mira"], matched["eve"]}
    # A meeting starts the six weeks again.
    pair.meetings.create(date=TODAY + datetime.timedelta(days=50))
    assert reminders.queue_mentoring_reminders(TODAY + datetime.timedelta(days=91)) == 0
    assert reminders.queue_mentoring_reminders(TODAY + datetime.timedelta(days=92)) == 2


@pytest.mark.django_db
def test_evaluations_open_at_the_end_and_six_months_later(pair, matched, told):
    eve = matched["eve_user"]
    with pytest.raises(ValidationError):
        services.submit_evaluation(
            pair,
            by=eve,
            stage="end",
            usefulness=5,
            goals_met=4,
            today=pair.ends_on - datetime.timedelta(1),
        )
    services.submit_evaluation(
        pair, by=eve, stage="end", usefulness=5, goals_met=4, today=pair.ends_on
    )
    with pytest.raises(ValidationError):
        services.submit_evaluation(
            pair, by=eve, stage="end", usefulness=5, goals_met=4, today=pair.ends_on
        )
    with pytest.raises(ValidationError):
        services.submit_evaluation(
            pair, by=eve, stage="follow_up", usefulness=4, goals_met=4, today=pair.ends_on
        )
    services.submit_evaluation(
        pair, by=eve, stage="follow_up", usefulness=4, goals_met=3, today=datetime.date(2027, 3, 10)
    )
    assert reminders.queue_mentoring_reminders(pair.ends_on) >= 2
    assert any(m[1] == "careers.evaluation" for m in told())


@pytest.mark.django_db
def test_the_annual_report_section_counts_pairs_meetings_and_evaluations(pair, matched):
    from careers import report

    pair.meetings.create(date=TODAY)
    with time_machine.travel(datetime.datetime(2026, 10, 1, 12, 0), tick=False):
        services.submit_evaluation(
            pair,
            by=matched["eve_user"],
            stage="end",
            usefulness=5,
            goals_met=3,
        )
    figures = report.figures(2025)
    assert figures["pairs"] == 1
    assert figures["meetings"] == 1
    figures = report.figures(2026)
    end = next(row for row in figures["evaluations"] if row[0].startswith("At the end"))
    assert end[1:] == [1, 5.0, 3.0]
    assert report.tables(figures)


@pytest.mark.django_db
def test_mentoring_reminders_honour_each_persons_preference(pair, matched):
    from portal import preferences, registry
    from portal.models import Notification
    from portal.services import set_notification_preferences

    assert {reminders.NO_MEETING, reminders.EVALUATION} <= {
        kind.name for kind in registry.reminder_kinds()
    }
    eve, mira = matched["eve"], matched["mira"]
    set_notification_preferences(
        eve, {reminders.NO_MEETING: preferences.NEVER}, by=matched["eve_user"]
    )
    set_notification_preferences(
        mira, {reminders.NO_MEETING: preferences.DIGEST}, by=matched["mira_user"]
    )
    reminders.queue_mentoring_reminders(TODAY + datetime.timedelta(days=42))
    sent = {n.technician: n for n in Notification.objects.filter(kind=reminders.NO_MEETING)}
    assert sent[eve].status == Notification.Status.SKIPPED
    assert (sent[mira].status, sent[mira].digest) == (Notification.Status.PENDING, True)
    # The evaluation is another kind: Eve still gets it at once.
    reminders.queue_mentoring_reminders(pair.ends_on)
    asked = Notification.objects.get(kind=reminders.EVALUATION, technician=eve)
    assert (asked.status, asked.digest) == (Notification.Status.PENDING, False)


@pytest.mark.django_db
def test_the_dashboard_names_the_next_meeting_from_today_on(pair, matched, login):
    from careers import selectors

    pair.meetings.create(date=TODAY - datetime.timedelta(days=3))
    assert selectors.next_meeting(selectors.my_pairs(matched["eve"], TODAY)) is None
    pair.meetings.create(date=TODAY + datetime.timedelta(days=9))
    pair.meetings.create(date=TODAY)  # today still counts as to come
    soonest = selectors.next_meeting(selectors.my_pairs(matched["eve"], TODAY))
    assert (soonest.date, soonest.pair) == (TODAY, pair)
    [mine] = selectors.my_pairs(matched["mira"], TODAY)
    assert mine.last_met == TODAY + datetime.timedelta(days=9)
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(12)), tick=False):
        page = login(matched["eve_user"]).get("/").content.decode()
    assert "Next meeting: <strong>" in page
    assert f"with {matched['mira'].full_name}." in page
    assert f"Mentored by {matched['mira'].full_name}" in page


@pytest.mark.django_db
def test_whether_someone_is_in_a_pair_is_read_with_the_signed_in_user(
    pair, matched, personas, login, django_assert_num_queries
):
    """The dashboard asks for pairs only when the user's own query found one: everyone else
    (most people) pays no query for the mentoring panel's pairs."""
    from careers import selectors
    from portal import registry
    from technicians.auth_backends import ModelBackend

    for user, in_a_pair in ((matched["eve_user"], True), (matched["max_user"], False)):
        with django_assert_num_queries(1):
            loaded = ModelBackend().get_user(user.pk)
        assert registry.known_fact(loaded, selectors.IN_A_PAIR.name) is in_a_pair
    assert registry.known_fact(personas.hr, selectors.IN_A_PAIR.name) is None  # not read
    # Max is matched later: his next visit shows the pair.
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(12)), tick=False):
        client = login(matched["max_user"])
        assert "Mentored by" not in client.get("/").content.decode()
        active_pair(matched, mentor="max", mentee="eli")
        assert f"Mentoring {matched['eli'].full_name}" in client.get("/").content.decode()
