"""Read-only queries of the Commitment's pages, panel and reminders."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet

from actionplan.models import Action, ActionPlan, ActionUpdate
from commitment.models import Advice, AnnualReport, Commitment, PillarAssessment, Submission
from portal.prepared import PreparedQuery


def the_commitment() -> Commitment | None:
    """The portal's one Commitment, with its lead and chair. One query."""
    return Commitment.objects.select_related("lead", "chair").first()


def the_commitment_with_submissions() -> Commitment | None:
    """The Commitment with its submissions (`commitment.submissions.all()` reads no more): the
    dashboard panel of the steering group and HR asks at every visit, so compiled once
    (portal.prepared)."""
    found = _THE_COMMITMENT_WITH_SUBMISSIONS.list()
    return found[0] if found else None


_THE_COMMITMENT_WITH_SUBMISSIONS = PreparedQuery(
    lambda: (
        Commitment.objects.select_related("lead", "chair")
        .prefetch_related("submissions")
        .order_by("pk")[:1]
    )
)


def submissions(commitment: Commitment) -> list[Submission]:
    return list(commitment.submissions.select_related("closes_plan", "next_plan").order_by("stage"))


def submission_by_pk(pk: int) -> Submission | None:
    return (
        Submission.objects.select_related("commitment", "closes_plan", "next_plan", "submitted_by")
        .filter(pk=pk)
        .first()
    )


def pillar_texts(submission: Submission) -> dict[str, PillarAssessment]:
    return {row.pillar: row for row in submission.pillars.all()}


def advice_of(submission: Submission) -> list[Advice]:
    return list(
        submission.advice.select_related("action__plan").order_by("pillar", "created", "pk")
    )


def running_plan(today: datetime.date) -> ActionPlan | None:
    """The published plan running today (the latest to start), else the latest published."""
    plans = list(
        ActionPlan.objects.filter(status=ActionPlan.Status.PUBLISHED).order_by("-starts_on", "-pk")[
            :5
        ]
    )
    running = [plan for plan in plans if plan.covers(today)]
    return (running or plans or [None])[0]


def next_plan_of(plan: ActionPlan | None) -> ActionPlan | None:
    if plan is None:
        return None
    return (
        ActionPlan.objects.filter(previous=plan).exclude(status=ActionPlan.Status.ARCHIVED).first()
    )


def plans_for_advice(submission: Submission, today: datetime.date) -> list[ActionPlan]:
    """Where advice can become an action: the current plan and the next one (not archived)."""
    current = running_plan(today)
    found = [plan for plan in (current, next_plan_of(current), submission.next_plan) if plan]
    unique: dict[int, ActionPlan] = {}
    for plan in found:
        if plan.status != ActionPlan.Status.ARCHIVED:
            unique.setdefault(plan.pk, plan)
    return list(unique.values())


def plan_actions_with_evidence(plan: ActionPlan | None) -> list[Action]:
    """A plan's actions with their updates that carry evidence. Two queries."""
    if plan is None:
        return []
    evidence = ActionUpdate.objects.exclude(evidence="", evidence_url="").order_by("created", "pk")
    return list(
        Action.objects.filter(plan=plan)
        .prefetch_related(Prefetch("updates", queryset=evidence, to_attr="evidence_updates"))
        .order_by("pillar", "due_on", "ref", "pk")
    )


def public_actions(plan: ActionPlan | None) -> QuerySet[Action]:
    """What the public page shows of a plan's actions: never notes, owners or descriptions."""
    if plan is None:
        return Action.objects.none()
    return (
        Action.objects.filter(plan=plan)
        .only("pk", "plan_id", "pillar", "ref", "title", "status", "progress", "due_on")
        .order_by("pillar", "due_on", "ref", "pk")
    )


def latest_approved_report() -> AnnualReport | None:
    return (
        AnnualReport.objects.filter(status=AnnualReport.Status.READY, approved_at__isnull=False)
        .exclude(file="")
        .order_by("-year", "-version")
        .first()
    )


def highlights(year: int):
    from commitment.models import ReportHighlight

    return list(ReportHighlight.objects.filter(year=year).order_by("created", "pk"))
