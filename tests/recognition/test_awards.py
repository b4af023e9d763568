"""The awards scheme: no self-nomination, one award a person a year, late nominations roll over
to the next round, newcomer and team rules, testimonies through a signed link."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models import Notification
from recognition import services
from recognition.models import AwardCategory, Nomination
from recognition.services import awards
from tests.factories import TechnicianFactory
from tests.recognition.conftest import frozen

pytestmark = pytest.mark.django_db


@pytest.fixture
def research(db):
    return AwardCategory.objects.create(name="Research")


def _nominate(by, nominee, category, **extra):
    return services.nominate(
        category=category, nominee=nominee, by=by, statement="Goes far beyond the role.", **extra
    )


def test_a_self_nomination_is_refused(personas, research):
    with pytest.raises(ValidationError) as refused:
        _nominate(personas.technician, personas.technician_profile, research)
    assert "cannot nominate yourself" in " ".join(refused.value.messages)
    assert not Nomination.objects.exists()


def test_anyone_signed_in_nominates_someone_else(personas, research):
    nomination = _nominate(personas.hr, personas.technician_profile, research)
    assert nomination.nominated_by == personas.hr
    with pytest.raises(PermissionDenied):
        _nominate(None, personas.technician_profile, research)


def _judge(nomination, hr, day):
    with frozen(day):
        return services.award_nomination(nomination, by=hr)


def test_a_second_award_in_the_same_year_is_refused(personas, research):
    teaching = AwardCategory.objects.create(name="Teaching")
    alex = personas.technician_profile
    with frozen(datetime.date(2026, 2, 1)):
        first = _nominate(personas.manager, alex, research)
        second = _nominate(personas.steering, alex, teaching)
    assert (first.round_year, first.round_number) == (2026, 1)
    _judge(first, personas.hr, datetime.date(2026, 4, 10))
    # At the award: refused under the lock, in a sentence.
    with pytest.raises(ValidationError, match="already received an award in 2026"):
        _judge(second, personas.hr, datetime.date(2026, 4, 10))
    # And a new nomination for the same year is refused at once.
    with frozen(datetime.date(2026, 5, 1)), pytest.raises(ValidationError, match="one award"):
        _nominate(personas.steering, alex, teaching)
    # The next year is a new year.
    with frozen(datetime.date(2027, 1, 10)):
        assert _nominate(personas.steering, alex, teaching).round_year == 2027


@pytest.mark.parametrize(
    "day, expected",
    [
        (datetime.date(2026, 3, 31), (2026, 1)),  # on the cut-off: this round
        (datetime.date(2026, 4, 1), (2026, 2)),  # a day late: the next round
        (datetime.date(2026, 9, 30), (2026, 2)),
        (datetime.date(2026, 10, 1), (2027, 1)),  # after the last round: next year's first
    ],
)
def test_a_late_nomination_rolls_over_to_the_next_round(personas, research, day, expected):
    with frozen(day):
        nomination = _nominate(personas.manager, personas.technician_profile, research)
    assert (nomination.round_year, nomination.round_number) == expected


def test_the_round_cut_offs_come_from_the_settings(settings):
    settings.RECOGNITION_ROUND_CUTOFFS = ["06-30", "12-31"]
    assert awards.round_for(datetime.date(2026, 7, 1)) == (2026, 2)
    assert awards.round_for(datetime.date(2026, 6, 30)) == (2026, 1)


def test_judging_waits_for_the_cut_off(personas, research):
    with frozen(datetime.date(2026, 3, 1)):
        nomination = _nominate(personas.manager, personas.technician_profile, research)
    with pytest.raises(ValidationError, match="after the round's cut-off"):
        _judge(nomination, personas.hr, datetime.date(2026, 3, 31))
    won = _judge(nomination, personas.hr, datetime.date(2026, 4, 1))
    assert won.status == Nomination.Status.WINNER
    told = Notification.objects.get(kind="award_won")
    assert told.technician == personas.technician_profile


def test_the_newcomer_limit_counts_from_started_on(personas):
    newcomer = AwardCategory.objects.create(name="Newcomer", newcomer_years=3)
    alex = personas.technician_profile
    alex.started_on = datetime.date(2023, 3, 2)
    alex.save()
    with frozen(datetime.date(2026, 3, 2)), pytest.raises(ValidationError, match="under 3 years"):
        _nominate(personas.manager, alex, newcomer)
    with frozen(datetime.date(2026, 3, 1)):
        assert _nominate(personas.manager, alex, newcomer).pk


def test_a_team_award_names_its_members_and_nobody_nominates_their_own_team(personas):
    team = AwardCategory.objects.create(name="Team", is_team=True)
    colleague = TechnicianFactory(department=personas.technician_profile.department)
    with pytest.raises(ValidationError, match="names the team"):
        _nominate(personas.hr, colleague, team)
    with pytest.raises(ValidationError, match="cannot nominate yourself"):
        _nominate(personas.technician, colleague, team, team=[personas.technician_profile])
    nomination = _nominate(personas.hr, colleague, team, team=[personas.technician_profile])
    assert list(nomination.team.all()) == [personas.technician_profile]


def test_testimonies_come_through_a_signed_link_at_most_two(personas, research, client):
    nomination = _nominate(personas.manager, personas.technician_profile, research)
    supporters = [TechnicianFactory() for _ in range(3)]
    with pytest.raises(PermissionDenied):
        services.request_testimony(nomination, by=personas.hr, supporter=supporters[0])
    first = services.request_testimony(nomination, by=personas.manager, supporter=supporters[0])
    services.request_testimony(nomination, by=personas.manager, supporter=supporters[1])
    with pytest.raises(ValidationError, match="at most two"):
        services.request_testimony(nomination, by=personas.manager, supporter=supporters[2])
    mail = Notification.objects.get(kind="award_testimony_request", technician=supporters[0])
    token = awards.testimony_token(first)
    assert f"/recognition/testimony/{token}/" in mail.body
    # The supporter writes it without signing in.
    page = client.get(f"/recognition/testimony/{token}/")
    assert page.status_code == 200
    response = client.post(f"/recognition/testimony/{token}/", {"text": "Brilliant colleague."})
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.text == "Brilliant colleague." and first.submitted_at
    # A forged link shows nothing.
    assert client.get(f"/recognition/testimony/{token}x/").status_code == 404


def test_winners_consent_before_the_profile_shows_the_award(personas, research, login):
    with frozen(datetime.date(2026, 3, 1)):
        nomination = _nominate(personas.manager, personas.technician_profile, research)
    _judge(nomination, personas.hr, datetime.date(2026, 4, 2))
    profile = f"/technicians/{personas.technician_profile.pk}/"
    assert b"Research" not in login(personas.steering).get(profile).content
    with pytest.raises(PermissionDenied):
        services.set_award_consent(nomination, by=personas.manager, consent=True)
    services.set_award_consent(nomination, by=personas.technician, consent=True)
    page = login(personas.steering).get(profile)
    assert (
        b"Recognition and research outputs" in page.content and b"Research (2026)" in page.content
    )


def test_rounds_are_judged_with_the_panel_mechanism(personas, research):
    with frozen(datetime.date(2026, 3, 1)):
        nomination = _nominate(personas.manager, personas.technician_profile, research)
        judging_round = services.set_up_round(
            by=personas.hr,
            year=2026,
            number=1,
            criteria="Impact\nReach",
            scoring_closes_on=datetime.date(2026, 4, 15),
            members=[personas.steering, personas.coordinator],
        )
        assert judging_round.cutoff_on == datetime.date(2026, 3, 31)
        services.review_nomination(nomination, by=personas.steering, scores=[5, 4], comment="Yes")
        services.review_nomination(
            nomination, by=personas.coordinator, conflict=True, conflict_reason="Friend"
        )
        with pytest.raises(PermissionDenied):
            services.review_nomination(nomination, by=personas.manager, scores=[1, 1])
    from recognition import selectors

    ranked = selectors.round_nominations(judging_round)
    assert (ranked[0].mean, ranked[0].conflicts) == (4.5, 1)
