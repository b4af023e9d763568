"""Read-only queries the recognition pages share (a constant number of queries each)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from portal import versions
from portal.permissions import is_hr
from portal.prepared import PreparedQuery
from portal.registry import UserFact, known_fact
from recognition import permissions
from recognition.models import (
    AwardCategory,
    Contribution,
    FundApplication,
    FundCall,
    JudgingRound,
    Nomination,
    Panel,
    Review,
)
from recognition.versions import FUND_CALLS
from technicians.permissions import technician_of

S = FundApplication.Status


# --- calls and applications ------------------------------------------------------------------


def calls_for_index(today=None):
    today = today or timezone.localdate()
    calls = FundCall.objects.select_related("panel").order_by("-closes_on", "-pk")
    return {
        "open": [call for call in calls if call.is_open(today)],
        "other": [call for call in calls if not call.is_open(today)],
    }


def open_calls(limit: int = 3) -> list[FundCall]:
    """The first `limit` calls open today, soonest to close first: the same for everyone, so
    read once a day and kept under the calls' version (portal.versions)."""
    today = timezone.localdate()
    return versions.cached(
        f"recognition:open-calls:{today.isoformat()}:{limit}",
        depends_on=[FUND_CALLS],
        compute=lambda: list(
            FundCall.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by(
                "closes_on", "pk"
            )[:limit]
        ),
    )


def call_for_page(pk: int) -> FundCall | None:
    return FundCall.objects.select_related("panel__coordinator").filter(pk=pk).first()


def applications_of(technician) -> list[FundApplication]:
    if technician is None:
        return []
    return list(
        FundApplication.objects.filter(applicant=technician)
        .select_related("call")
        .order_by("-created", "-pk")
    )


def applications_made_by_me_for_others(user) -> list[FundApplication]:
    me = technician_of(user)
    if me is None:
        return []
    return list(
        FundApplication.objects.filter(applicant__line_manager=me)
        .select_related("call", "applicant")
        .order_by("-created", "-pk")
    )


def application_for_page(pk: int) -> FundApplication | None:
    return (
        FundApplication.objects.select_related(
            "call__panel__coordinator", "applicant__line_manager", "applicant__department"
        )
        .filter(pk=pk)
        .first()
    )


def timeline(application):
    return list(application.events.select_related("actor").order_by("created", "pk"))


def receipts(application):
    return list(application.receipts.order_by("pk"))


def review_of(user, *, application=None, nomination=None) -> Review | None:
    if not getattr(user, "is_authenticated", False):
        return None
    target = {"application": application} if application is not None else {"nomination": nomination}
    return Review.objects.filter(reviewer=user, **target).first()


def reviews_visible_to(user, reviews, own_review, *, panel) -> list[Review]:
    """Others' reviews `user` may read: none for a member who declared a conflict (nor for the
    applicant); all for the coordinator and HR."""
    if is_hr(user) or permissions.is_coordinator(user, panel):
        return list(reviews)
    if (
        permissions.is_panel_member(user, panel)
        and own_review is not None
        and not own_review.conflict
    ):
        return list(reviews)
    return []


def reviews_of_application(application) -> list[Review]:
    return list(application.reviews.select_related("reviewer").order_by("pk"))


def reviews_of_nomination(nomination) -> list[Review]:
    return list(nomination.reviews.select_related("reviewer").order_by("pk"))


@dataclass
class Ranked:
    item: Any
    mean: float | None
    spread: float | None  # population standard deviation of the members' means
    lowest: float | None
    highest: float | None
    scored: int
    conflicts: int
    reviews: list = field(default_factory=list)


def rank(items, reviews_by_item: dict[int, list[Review]]) -> list[Ranked]:
    """Items best first by the mean of the members' mean scores (unscored last)."""
    ranked = []
    for item in items:
        reviews = reviews_by_item.get(item.pk, [])
        means = [review.mean for review in reviews if review.mean is not None]
        ranked.append(
            Ranked(
                item=item,
                mean=round(statistics.fmean(means), 2) if means else None,
                spread=round(statistics.pstdev(means), 2) if means else None,
                lowest=round(min(means), 2) if means else None,
                highest=round(max(means), 2) if means else None,
                scored=len(means),
                conflicts=sum(1 for review in reviews if review.conflict),
                reviews=reviews,
            )
        )
    ranked.sort(key=lambda r: (r.mean is None, -(r.mean or 0), r.item.pk))
    return ranked


def call_ranking(call: FundCall) -> list[Ranked]:
    applications = list(
        FundApplication.objects.filter(call=call)
        .exclude(status=S.DRAFT)
        .select_related("applicant")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer").order_by("pk"))
        )
    )
    return rank(applications, {a.pk: list(a.reviews.all()) for a in applications})


def call_figures(call: FundCall) -> dict[str, Any]:
    counts = FundApplication.objects.filter(call=call).aggregate(
        submitted=Count("pk", filter=~Q(status=S.DRAFT)),
        awarded=Count("pk", filter=Q(status__in=FundApplication.FUNDED)),
        total=Sum("amount_awarded", filter=Q(status__in=FundApplication.FUNDED)),
    )
    awarded = counts["total"] or 0
    return {
        "submitted": counts["submitted"],
        "awarded_count": counts["awarded"],
        "awarded": awarded,
        "remaining": call.pot - awarded,
    }


def to_score(user) -> list[FundApplication]:
    """Submitted applications waiting for this panel member's score."""
    if not getattr(user, "is_authenticated", False):
        return []
    return _TO_SCORE.list(user=user.pk, today=timezone.localdate())


# On the dashboard of every panel member at every visit: compiled once (portal.prepared).
_TO_SCORE = PreparedQuery(
    lambda user, today: (
        FundApplication.objects.filter(
            status=S.SUBMITTED,
            call__panel__members=user,
            call__panel__scoring_closes_on__gte=today,
        )
        .exclude(reviews__reviewer=user)
        .exclude(applicant__user=user)
        .select_related("call", "applicant")
        .order_by("call__closes_on", "pk")
    )
)


def overdue_reports(today=None) -> list[FundApplication]:
    return _OVERDUE_REPORTS.list(today=today or timezone.localdate())


def claims_to_pay() -> list[FundApplication]:
    return _CLAIMS_TO_PAY.list()


# HR's dashboard panel asks both at every visit: compiled once (portal.prepared).
_OVERDUE_REPORTS = PreparedQuery(
    lambda today: (
        FundApplication.objects.filter(
            status__in=FundApplication.REPORT_DUE, report_due_on__lt=today
        )
        .select_related("call", "applicant")
        .order_by("report_due_on", "pk")
    )
)
_CLAIMS_TO_PAY = PreparedQuery(
    lambda: (
        FundApplication.objects.filter(status=S.CLAIMED)
        .select_related("call", "applicant")
        .order_by("pk")
    )
)


def impact_stories(limit: int = 6) -> list[FundApplication]:
    """Reports their authors shared, newest first: the public page and the annual report."""
    return list(
        FundApplication.objects.filter(status=S.REPORTED, report_shareable=True)
        .select_related("applicant__department", "call")
        .order_by("-reported_on", "-pk")[:limit]
    )


# --- awards ----------------------------------------------------------------------------------


def categories():
    return list(AwardCategory.objects.filter(active=True).order_by("name"))


def nominations_made_by(user) -> list[Nomination]:
    return list(
        Nomination.objects.filter(nominated_by=user)
        .select_related("category", "nominee")
        .order_by("-created", "-pk")
    )


def my_awards(technician) -> list[Nomination]:
    if technician is None:
        return []
    return list(
        Nomination.objects.filter(status=Nomination.Status.WINNER)
        .filter(Q(nominee=technician) | Q(team=technician))
        .select_related("category")
        .distinct()
        .order_by("-round_year", "-round_number")
    )


def nomination_for_page(pk: int) -> Nomination | None:
    return (
        Nomination.objects.select_related("category", "nominee", "nominated_by")
        .filter(pk=pk)
        .first()
    )


def rounds():
    return list(JudgingRound.objects.select_related("panel").order_by("-year", "-number"))


def round_nominations(judging_round: JudgingRound) -> list[Ranked]:
    nominations = list(
        Nomination.objects.filter(round_year=judging_round.year, round_number=judging_round.number)
        .select_related("category", "nominee")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer").order_by("pk"))
        )
    )
    return rank(nominations, {n.pk: list(n.reviews.all()) for n in nominations})


def public_winners(limit: int = 12) -> list[Nomination]:
    """Winners who consented, with public profiles only."""
    return list(
        Nomination.objects.filter(
            status=Nomination.Status.WINNER,
            consent_to_publish=True,
            nominee__is_active=True,
            nominee__visibility="public",
        )
        .select_related("category", "nominee")
        .order_by("-round_year", "-round_number", "pk")[:limit]
    )


def profile_awards(technician) -> list[Nomination]:
    return list(
        Nomination.objects.filter(
            status=Nomination.Status.WINNER, consent_to_publish=True, nominee=technician
        )
        .select_related("category")
        .order_by("-round_year", "-round_number")
    )


# --- outputs ---------------------------------------------------------------------------------


def contributions_of(technician, *, confirmed: bool | None = True) -> list[Contribution]:
    rows = Contribution.objects.filter(technician=technician).select_related("output")
    if confirmed is not None:
        rows = rows.filter(confirmed=confirmed)
    return list(rows.order_by("-output__year", "output__title", "pk"))


def ref_rows():
    """Every confirmed contribution of a technician: the REF export."""
    return (
        Contribution.objects.filter(confirmed=True)
        .select_related("output", "technician__department")
        .order_by("output__year", "output__title", "technician__last_name", "pk")
    )


def _panels_of(user: Any):
    """The scoring panels `user` (a key, or a reference to one) sits on."""
    return Panel.objects.filter(members__id=user).order_by()


# Asked on every dashboard of staff: read with the signed-in user (registry.UserFact), and
# otherwise by a query compiled once (portal.prepared).
SITS_ON_A_PANEL = UserFact(
    name="recognition.sits_on_a_panel", exists=lambda: Exists(_panels_of(OuterRef("pk")))
)
_PANELS_OF = PreparedQuery(lambda user: _panels_of(user).values_list("pk")[:1])


def sits_on_a_panel(user) -> bool:
    """Whether `user` is a member of any scoring panel (as the request began, where the
    sign-in backend read it with the user)."""
    known = known_fact(user, SITS_ON_A_PANEL.name)
    return known if known is not None else bool(_PANELS_OF.list(user=user.pk))
