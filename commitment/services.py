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
from portal.workflow import Transition, actor_of, lock, refuse_unless, transition


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


Status = Submission.Status
OPEN = (Status.PLANNED, Status.DRAFTING)


def _recorder(kind: str, note=None):
    """The submission's timeline: one typed SubmissionEvent per step, naming the actor (none
    for the command line). `note`, when given, is a function of the step."""

    def record(step: Transition) -> SubmissionEvent:
        return SubmissionEvent.objects.create(
            submission=step.obj,
            kind=kind,
            actor=step.actor,
            note=note(step) if note else step.note,
        )

    return record


def _frozen(row: Submission) -> str:
    return FROZEN.format(stage=row.stage)


def _lock(submission: Submission) -> Submission:
    return lock(submission, select_related=("commitment",))


def _refuse_frozen(submission: Submission) -> None:
    refuse_unless(submission, OPEN, _frozen)


def _move(submission: Submission, *, by, to: str, allowed_from, refusal, kind: str, **step):
    """One step of the submission workflow through the kernel's (portal.workflow): lock the
    row, refuse a state not in `allowed_from` with `refusal`, move it, record the event."""
    return transition(
        submission,
        to=to,
        allowed_from=allowed_from,
        actor=by,
        refusal=refusal,
        record=step.pop("record", None) or _recorder(kind),
        select_related=("commitment",),
        **step,
    ).obj


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


def start_drafting(submission: Submission, *, by, closes_plan=None, next_plan=None) -> Submission:
    """planned → drafting: the workspace opens on the plan it closes and the new plan
    (by default the plan running today and the plan that follows it)."""
    _require_manager(by)

    def plans(row: Submission) -> dict:
        closes = closes_plan or selectors.running_plan(timezone.localdate())
        return {"closes_plan": closes, "next_plan": next_plan or selectors.next_plan_of(closes)}

    return _move(
        submission,
        by=by,
        to=Status.DRAFTING,
        allowed_from=(Status.PLANNED,),
        refusal=lambda row: (
            f"Stage {row.stage} is {row.get_status_display().lower()}, not planned: "
            "its drafting has already started."
        ),
        kind=SubmissionEvent.Kind.STARTED,
        changes=plans,
    )


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


def _not_extended(row: Submission) -> None:
    if row.extended:
        raise ValidationError(
            f"Stage {row.stage} has already been extended once: only one extension a stage."
        )


@transaction.atomic
def extend_submission(submission: Submission, *, by) -> Submission:
    """The stage's one extension: it moves to the next window. A step of the workflow that
    keeps the stage's state (planned or drafting) and records where the due date came from."""
    _require_manager(by)
    before: dict[str, datetime.date] = {}

    def moved_window(row: Submission) -> dict:
        before["due_on"] = row.due_on
        return {"due_on": cycle.window_after(row.due_on), "extended": True}

    locked = _move(
        submission,
        by=by,
        to=lambda row: row.status,
        allowed_from=OPEN,
        refusal=_frozen,
        kind=SubmissionEvent.Kind.EXTENDED,
        check=_not_extended,
        changes=moved_window,
        record=_recorder(
            SubmissionEvent.Kind.EXTENDED, note=lambda step: f"from {before['due_on'].isoformat()}"
        ),
    )
    # Later stages not started yet follow the moved window.
    Submission.objects.filter(
        commitment=locked.commitment, stage__gt=locked.stage, status=Status.PLANNED
    ).delete()
    return locked


@transaction.atomic
def submit_submission(submission: Submission, *, by) -> Submission:
    """drafting → submitted: the self-assessment as it stands is frozen (stored) and sent;
    the next stage's row is planned from the cycle."""
    from commitment import self_assessment

    _require_manager(by)
    today = timezone.localdate()
    locked = _move(
        submission,
        by=by,
        to=Status.SUBMITTED,
        allowed_from=(Status.DRAFTING,),
        refusal=lambda row: (
            _frozen(row)
            if row.is_frozen
            else f"Start drafting stage {row.stage} before submitting it."
        ),
        kind=SubmissionEvent.Kind.SUBMITTED,
        changes=lambda row: {
            "snapshot": self_assessment.build(row, today=today),
            "submitted_on": today,
            "submitted_by": actor_of(by),
        },
    )
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


def mark_reviewed(submission: Submission, *, by) -> Submission:
    """submitted → reviewed: the feedback report has been received and recorded."""
    _require_manager(by)
    return _move(
        submission,
        by=by,
        to=Status.REVIEWED,
        allowed_from=(Status.SUBMITTED,),
        refusal=lambda row: (
            f"Only a submitted stage can be marked reviewed; stage {row.stage} is "
            f"{row.get_status_display().lower()}."
        ),
        kind=SubmissionEvent.Kind.REVIEWED,
    )


@transaction.atomic
def advice_to_action(advice: Advice, *, by, plan, ref: str, due_on: datetime.date, title: str = ""):
    """The advice becomes an action of the current or next plan, in one step, linked both
    ways (the advice names the action; the action page is reached from the submission)."""
    from actionplan import services as actionplan_services

    _require_manager(by)
    locked = lock(advice, select_related=("submission",))
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


def _not_approved(report: AnnualReport) -> None:
    if report.approved_at:
        raise ValidationError("This version has already been approved.")


@transaction.atomic
def approve_annual_report(report: AnnualReport, *, by) -> AnnualReport:
    """ready → queued: the steering chair approves a ready version; it is made again saying so
    (no longer a draft), and it can be linked from the public Commitment page."""
    if not permissions.can_approve_annual_report(by):
        raise PermissionDenied("Only the steering chair named on the Commitment approves reports.")
    locked = transition(
        report,
        to=AnnualReport.Status.QUEUED,  # made again, saying it is approved
        allowed_from=(AnnualReport.Status.READY,),
        actor=by,
        refusal="Only a report that is ready can be approved.",
        precheck=_not_approved,
        changes=lambda row: {"approved_by": by, "approved_at": timezone.now()},
    ).obj
    work.enqueue(locked.pk)
    return locked
