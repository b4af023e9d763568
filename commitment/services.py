"""Changes owned by the commitment app: the Commitment, its submissions and peer review, and
the annual progress report (request, highlights, approval)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from commitment import cycle, permissions, selectors
from commitment.models import (
    FIRST_REPORT_YEAR,
    PILLARS,
    Advice,
    AnnualReport,
    Commitment,
    PillarAssessment,
    ReportHighlight,
    Submission,
    SubmissionEvent,
)
from commitment.reports import work
from portal.actors import is_command_line
from portal.periods import academic_year_label, academic_year_of


def request_annual_report(year: int, *, by) -> AnnualReport:
    """Queue a new version of the annual report of academic year `year` (2025 means 2025–26).

    HR only. Returns at once: the `reports` worker renders it, and tells `by` through the
    outbox when it is ready. A broker that is down does not fail the request; the sweep of
    `commitment.reports.work` queues the report when the broker is back.
    """
    if not permissions.can_request_annual_report(by):
        raise PermissionDenied("Only HR can request the annual report.")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError("Choose an academic year.") from None
    current = academic_year_of(timezone.localdate())
    if year > current:
        raise ValidationError(
            f"The {academic_year_label(year)} academic year has not started yet: "
            "choose this year or an earlier one."
        )
    if year < FIRST_REPORT_YEAR:
        raise ValidationError(
            f"Reports start with the {academic_year_label(FIRST_REPORT_YEAR)} year."
        )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                latest = AnnualReport.objects.filter(year=year).order_by("-version").first()
                report = AnnualReport(
                    year=year, version=(latest.version + 1) if latest else 1, requested_by=by
                )
                report.full_clean()
                report.save()
                work.enqueue(report.pk)
                return report
        except IntegrityError:  # two requests for the same year at once: take the next number
            continue
    raise ValidationError("Too many requests for this year at once: please try again.")


# --- the Commitment and its submissions --------------------------------------------------

NOT_MANAGER = "Only the steering group and HR can change the Commitment and its submissions."
FROZEN = "Stage {stage} has been submitted: the submitted self-assessment can no longer change."
PILLAR_KEYS = tuple(pillar for pillar, _ in PILLARS)


def _require_manager(by) -> None:
    """The steering group and HR; also the trusted command line (the demo seeder)."""
    if is_command_line(by):
        return
    if not permissions.can_manage_commitment(by):
        raise PermissionDenied(NOT_MANAGER)


def _record(submission: Submission, kind: str, by, note: str = "") -> None:
    SubmissionEvent.objects.create(
        submission=submission, kind=kind, actor=by if getattr(by, "pk", None) else None, note=note
    )


def _lock(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().select_related("commitment").get(pk=submission.pk)


def _refuse_frozen(submission: Submission) -> None:
    if submission.is_frozen:
        raise ValidationError(FROZEN.format(stage=submission.stage))


def ensure_next_submission(commitment: Commitment, *, today: datetime.date | None = None):
    """The next stage's submission row (planned), created from the cycle when missing."""
    today = today or timezone.localdate()
    stage, due_on = cycle.next_due(commitment, today=today)
    submission, _ = Submission.objects.get_or_create(
        commitment=commitment, stage=stage, defaults={"due_on": due_on}
    )
    return submission


@transaction.atomic
def save_commitment(
    *,
    by,
    signed_on: datetime.date,
    announced_on: datetime.date,
    lead=None,
    champion: str = "",
    contact_email: str = "",
    chair=None,
) -> Commitment:
    """Create or edit the portal's one Commitment (steering group and HR)."""
    _require_manager(by)
    if signed_on and announced_on and announced_on < signed_on:
        raise ValidationError({"announced_on": "The announcement cannot come before the signing."})
    commitment = Commitment.objects.select_for_update().first() or Commitment()
    had_dates = (commitment.pk, commitment.announced_on)
    commitment.signed_on = signed_on
    commitment.announced_on = announced_on
    commitment.lead = lead
    commitment.champion = (champion or "").strip()
    commitment.contact_email = (contact_email or "").strip()
    commitment.chair = chair
    commitment.full_clean()
    commitment.save()
    if had_dates[0] and had_dates[1] != announced_on:
        # A corrected announcement moves the stages nobody has started on yet.
        commitment.submissions.filter(status=Submission.Status.PLANNED, extended=False).delete()
    ensure_next_submission(commitment)
    return commitment


@transaction.atomic
def start_drafting(submission: Submission, *, by, closes_plan=None, next_plan=None) -> Submission:
    """planned → drafting: the workspace opens on the plan it closes and the new plan
    (by default the plan running today and the plan that follows it)."""
    _require_manager(by)
    locked = _lock(submission)
    if locked.status != Submission.Status.PLANNED:
        raise ValidationError(
            f"Stage {locked.stage} is {locked.get_status_display().lower()}, not planned: "
            "its drafting has already started."
        )
    today = timezone.localdate()
    locked.closes_plan = closes_plan or selectors.running_plan(today)
    locked.next_plan = next_plan or selectors.next_plan_of(locked.closes_plan)
    locked.status = Submission.Status.DRAFTING
    locked.save(update_fields=["closes_plan", "next_plan", "status"])
    _record(locked, SubmissionEvent.Kind.STARTED, by)
    return locked


@transaction.atomic
def choose_plans(submission: Submission, *, by, closes_plan, next_plan) -> Submission:
    """Which plan the self-assessment reflects on, and which it sets out."""
    _require_manager(by)
    locked = _lock(submission)
    _refuse_frozen(locked)
    if closes_plan and next_plan and closes_plan.pk == next_plan.pk:
        raise ValidationError("The new plan must be another plan than the one it closes.")
    locked.closes_plan, locked.next_plan = closes_plan, next_plan
    locked.save(update_fields=["closes_plan", "next_plan"])
    return locked


@transaction.atomic
def save_pillar(
    submission: Submission, *, by, pillar: str, reflection: str = "", voice: str = ""
) -> PillarAssessment:
    """The steering group's reflection and technician voice for one pillar (while drafting)."""
    _require_manager(by)
    locked = _lock(submission)
    _refuse_frozen(locked)
    if locked.status == Submission.Status.PLANNED:
        raise ValidationError(f"Start drafting stage {locked.stage} first.")
    if pillar not in PILLAR_KEYS:
        raise ValidationError("Choose one of the four pillars.")
    row, _ = PillarAssessment.objects.get_or_create(submission=locked, pillar=pillar)
    row.reflection = (reflection or "").strip()
    row.voice = (voice or "").strip()
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def extend_submission(submission: Submission, *, by) -> Submission:
    """The stage's one extension: it moves to the next window."""
    _require_manager(by)
    locked = _lock(submission)
    _refuse_frozen(locked)
    if locked.extended:
        raise ValidationError(
            f"Stage {locked.stage} has already been extended once: only one extension a stage."
        )
    before = locked.due_on
    locked.due_on = cycle.window_after(locked.due_on)
    locked.extended = True
    locked.save(update_fields=["due_on", "extended"])
    # Later stages not started yet follow the moved window.
    Submission.objects.filter(
        commitment=locked.commitment, stage__gt=locked.stage, status=Submission.Status.PLANNED
    ).delete()
    _record(locked, SubmissionEvent.Kind.EXTENDED, by, note=f"from {before.isoformat()}")
    return locked


@transaction.atomic
def submit_submission(submission: Submission, *, by) -> Submission:
    """drafting → submitted: the self-assessment as it stands is frozen (stored) and sent;
    the next stage's row is planned from the cycle."""
    from commitment import self_assessment

    _require_manager(by)
    locked = _lock(submission)
    if locked.status != Submission.Status.DRAFTING:
        if locked.is_frozen:
            raise ValidationError(FROZEN.format(stage=locked.stage))
        raise ValidationError(f"Start drafting stage {locked.stage} before submitting it.")
    today = timezone.localdate()
    locked.snapshot = self_assessment.build(locked, today=today)
    locked.status = Submission.Status.SUBMITTED
    locked.submitted_on = today
    locked.submitted_by = by if getattr(by, "pk", None) else None
    locked.save(update_fields=["snapshot", "status", "submitted_on", "submitted_by"])
    _record(locked, SubmissionEvent.Kind.SUBMITTED, by)
    ensure_next_submission(locked.commitment, today=today)
    return locked


def _require_reviewable(submission: Submission) -> None:
    if not submission.is_frozen:
        raise ValidationError(
            f"Stage {submission.stage} has not been submitted yet: peer review comes after."
        )


@transaction.atomic
def record_strengths(submission: Submission, *, by, pillar: str, strengths: str):
    """The peer reviewers' strengths for a pillar (kept beside the frozen submission)."""
    _require_manager(by)
    locked = _lock(submission)
    _require_reviewable(locked)
    if pillar not in PILLAR_KEYS:
        raise ValidationError("Choose one of the four pillars.")
    row, _ = PillarAssessment.objects.get_or_create(submission=locked, pillar=pillar)
    row.strengths = (strengths or "").strip()
    row.save(update_fields=["strengths"])
    return row


@transaction.atomic
def add_advice(submission: Submission, *, by, pillar: str, text: str) -> Advice:
    """One piece of the reviewers' advice on a pillar."""
    _require_manager(by)
    locked = _lock(submission)
    _require_reviewable(locked)
    if pillar not in PILLAR_KEYS:
        raise ValidationError({"pillar": "Choose one of the four pillars."})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the advice."})
    return Advice.objects.create(
        submission=locked,
        pillar=pillar,
        text=text,
        recorded_by=by if getattr(by, "pk", None) else None,
    )


@transaction.atomic
def mark_reviewed(submission: Submission, *, by) -> Submission:
    """submitted → reviewed: the feedback report has been received and recorded."""
    _require_manager(by)
    locked = _lock(submission)
    if locked.status != Submission.Status.SUBMITTED:
        raise ValidationError(
            f"Only a submitted stage can be marked reviewed; stage {locked.stage} is "
            f"{locked.get_status_display().lower()}."
        )
    locked.status = Submission.Status.REVIEWED
    locked.save(update_fields=["status"])
    _record(locked, SubmissionEvent.Kind.REVIEWED, by)
    return locked


@transaction.atomic
def advice_to_action(advice: Advice, *, by, plan, ref: str, due_on: datetime.date, title: str = ""):
    """The advice becomes an action of the current or next plan, in one step, linked both
    ways (the advice names the action; the action page is reached from the submission)."""
    from actionplan import services as actionplan_services

    _require_manager(by)
    locked = Advice.objects.select_for_update().select_related("submission").get(pk=advice.pk)
    if locked.action_id:
        raise ValidationError("This advice has already become an action.")
    allowed = {p.pk for p in selectors.plans_for_advice(locked.submission, timezone.localdate())}
    if plan is None or plan.pk not in allowed:
        raise ValidationError({"plan": "Choose the current plan or the next one."})
    title = (title or "").strip() or locked.text.splitlines()[0][:300]
    action = actionplan_services.create_action(
        by,
        plan,
        pillar=locked.pillar,
        ref=ref,
        title=title,
        description=f"From peer-review advice on the stage {locked.submission.stage} "
        f"submission: {locked.text}"[:5000],
        due_on=due_on,
    )
    locked.action = action
    locked.save(update_fields=["action"])
    return action


# --- the annual report: highlights and approval -------------------------------------------


def add_highlight(*, by, year: int, title: str, body: str) -> ReportHighlight:
    """A highlight (a case study, an award) for the year's report (steering group, HR)."""
    _require_manager(by)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Give the highlight a title."
    if not (body or "").strip():
        errors["body"] = "Write the highlight."
    if errors:
        raise ValidationError(errors)
    highlight = ReportHighlight(
        year=int(year),
        title=title.strip(),
        body=body.strip(),
        written_by=by if getattr(by, "pk", None) else None,
    )
    highlight.full_clean()
    highlight.save()
    return highlight


def delete_highlight(highlight: ReportHighlight, *, by) -> None:
    _require_manager(by)
    highlight.delete()


@transaction.atomic
def approve_annual_report(report: AnnualReport, *, by) -> AnnualReport:
    """The steering chair approves a ready version: it is made again saying so (no longer a
    draft), and it can be linked from the public Commitment page."""
    if not permissions.can_approve_annual_report(by):
        raise PermissionDenied("Only the steering chair named on the Commitment approves reports.")
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if locked.approved_at:
        raise ValidationError("This version has already been approved.")
    if locked.status != AnnualReport.Status.READY:
        raise ValidationError("Only a report that is ready can be approved.")
    locked.approved_by = by
    locked.approved_at = timezone.now()
    locked.status = AnnualReport.Status.QUEUED  # made again, saying it is approved
    locked.save(update_fields=["approved_by", "approved_at", "status"])
    work.enqueue(locked.pk)
    return locked
