"""Panels: members score each criterion 1–5 or declare a conflict; a conflicted member sees no
one else's scores or comments on that application; the ranking shows mean and spread; the
applicant never sees individual scores."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from recognition import selectors, services
from tests.recognition.conftest import S, close

pytestmark = pytest.mark.django_db


def test_scores_are_1_to_5_for_every_criterion(make_application, members):
    application = make_application(S.SUBMITTED)
    for bad in ([4], [0, 3], [6, 3], ["x", 2]):
        with pytest.raises(ValidationError, match="every criterion from 1 to 5"):
            services.review_fund_application(application, by=members[0], scores=bad)
    review = services.review_fund_application(application, by=members[0], scores=[5, 3])
    assert review.mean == 4


def test_only_members_score_and_never_their_own(make_application, members, personas):
    application = make_application(S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.review_fund_application(application, by=personas.steering, scores=[3, 3])


def test_scoring_closes(make_application, members, call, clock):
    application = make_application(S.SUBMITTED)
    close(call, clock, days_after=15)  # scoring closed 14 days after the call
    with pytest.raises(ValidationError, match="Scoring closed"):
        services.review_fund_application(application, by=members[0], scores=[3, 3])


def test_a_conflict_needs_a_reason_and_clears_any_score(make_application, members):
    application = make_application(S.SUBMITTED)
    services.review_fund_application(application, by=members[0], scores=[3, 3], comment="ok")
    with pytest.raises(ValidationError, match="what the conflict is"):
        services.review_fund_application(application, by=members[0], conflict=True)
    review = services.review_fund_application(
        application, by=members[0], conflict=True, conflict_reason="Same team"
    )
    assert review.conflict and review.scores == [] and review.comment == ""


def test_a_conflicted_member_sees_no_others_scores_or_comments(
    make_application, members, login, personas
):
    application = make_application(S.SUBMITTED)
    services.review_fund_application(
        application, by=members[0], scores=[5, 4], comment="Outstanding plan, fund it"
    )
    services.review_fund_application(
        application, by=members[1], conflict=True, conflict_reason="I supervise them"
    )
    page = login(members[1]).get(application.get_absolute_url())
    assert page.status_code == 200
    assert b"Outstanding plan, fund it" not in page.content
    assert page.context["others"] == []
    # A member without a conflict sees the others'; so do HR and the coordinator.
    services.review_fund_application(application, by=members[2], scores=[2, 2], comment="Meh")
    page = login(members[2]).get(application.get_absolute_url())
    assert b"Outstanding plan, fund it" in page.content
    page = login(personas.hr).get(application.get_absolute_url())
    assert b"Outstanding plan, fund it" in page.content
    # The applicant and their manager never see individual scores or comments.
    for user in (personas.technician, personas.manager):
        page = login(user).get(application.get_absolute_url())
        assert page.status_code == 200
        assert b"Outstanding plan, fund it" not in page.content
        assert b"Meh" not in page.content


def test_the_ranking_has_mean_and_spread(make_application, members, personas, call, clock):
    weak = make_application(S.SUBMITTED, activity="Weak")
    strong = make_application(S.SUBMITTED, activity="Strong")
    unscored = make_application(S.SUBMITTED, activity="Unscored")
    services.review_fund_application(strong, by=members[0], scores=[5, 5])
    services.review_fund_application(strong, by=members[1], scores=[3, 3])
    services.review_fund_application(weak, by=members[0], scores=[2, 2])
    services.review_fund_application(weak, by=members[1], conflict=True, conflict_reason="x")
    ranking = selectors.call_ranking(call)
    assert [row.item for row in ranking] == [strong, weak, unscored]
    assert (ranking[0].mean, ranking[0].spread, ranking[0].lowest, ranking[0].highest) == (
        4.0,
        1.0,
        3.0,
        5.0,
    )
    assert (ranking[1].mean, ranking[1].spread, ranking[1].conflicts) == (2.0, 0.0, 1)
    assert ranking[2].mean is None
    close(call, clock)
    page = _call_page(personas.hr, call)
    assert b"Strong" in page.content and "4.0" in page.content.decode()
    services.award_fund_application(strong, by=personas.hr, amount=Decimal("500"))


def _call_page(user, call):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="technicians.auth_backends.ModelBackend")
    return client.get(call.get_absolute_url())


def test_a_members_queue_holds_what_waits_for_their_score_until_scoring_closes(
    make_application, members, call, clock
):
    application = make_application(S.SUBMITTED)
    make_application(S.DRAFT)  # not submitted: nobody scores it yet
    assert selectors.to_score(members[0]) == [application]
    assert selectors.to_score(members[1]) == [application]
    services.review_fund_application(application, by=members[0], scores=[4, 4])
    assert selectors.to_score(members[0]) == []  # scored
    assert selectors.to_score(members[1]) == [application]
    close(call, clock, days_after=14)  # the last day of scoring
    assert selectors.to_score(members[1]) == [application]
    close(call, clock, days_after=15)
    assert selectors.to_score(members[1]) == []


def test_a_member_never_finds_their_own_application_in_their_queue(
    make_application, members, call, personas
):
    call.panel.members.add(personas.technician)
    own = make_application(S.SUBMITTED)  # the technician's
    assert selectors.to_score(personas.technician) == []
    assert selectors.to_score(members[0]) == [own]
