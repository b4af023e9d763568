"""Every change to action plans goes through a function here: the views, the import and its
management command all call these (the Django admin, for administrators, saves models directly).

The acting user comes first; `portal.actors.COMMAND_LINE` is the trusted operator of a
management command (`import_actions`), who may do what the steering group may.

Refusals:
- the wrong role raises PermissionDenied with a message saying who may do it;
- an archived plan, or bad values, raise ValidationError (a dict by field where a field is
  at fault), and nothing is changed.

Completing an action always sets its progress to 100 % (a rule, not a refusal): choosing the
status "Complete" with less progress, in a form, an update or an import, records 100 %.
(The database does not refuse other pairs: data loaded around the services still loads.)
"""

from __future__ import annotations

import calendar
import datetime
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.dateformat import format as format_date
from simple_history.utils import bulk_create_with_history

from actionplan import permissions
from actionplan.history import Reason, format_reason
from actionplan.models import Action, ActionPlan, ActionUpdate, Pillar
from actionplan.versions import plans_changed
from portal import evidence as evidence_files
from portal.actors import is_command_line

NOT_STEERING_GROUP = "Only members of the steering group can change action plans."
NOT_UPDATER = "Only the steering group and the action's owner can post progress updates."
ARCHIVED = "This plan is archived: it can no longer be changed, and its actions take no updates."
PROGRESS_RANGE = "Progress must be a whole number from 0 to 100."
PERIOD_ORDER = "The plan must end after it starts."
PERIOD_YEARS = (
    f"Plans run between the years {ActionPlan.EARLIEST_YEAR} and {ActionPlan.LATEST_YEAR}: "
    "check the year."
)
PERIOD_TOO_LONG = f"A plan lasts at most {ActionPlan.MAX_YEARS} years."
NO_NEXT_PERIOD = (
    f"This plan ends too late for a next plan of the same length: plans run until "
    f"{ActionPlan.LATEST_YEAR} at the latest."
)
NOTE_REQUIRED = "Please write a note saying what has happened."
NEXT_PLAN_EXISTS = "The next plan has already been started: “{title}”."
NEW_PLAN_STATUS = "A new plan starts as a draft or published: it can be archived later."
# The statuses a plan may be created with (never archived: an archived plan takes no actions).
NEW_PLAN_STATUSES = (ActionPlan.Status.DRAFT, ActionPlan.Status.PUBLISHED)

ACTION_FIELDS = (
    "pillar",
    "ref",
    "title",
    "description",
    "owner",
    "lead",
    "due_on",
    "success_measure",
    "status",
    "progress",
)
PLAN_FIELDS = ("title", "description", "starts_on", "ends_on", "status")


# --- checks shared by the forms, the import and the services ------------------------------


def readable_date(day: datetime.date) -> str:
    return format_date(day, "j F Y")


def due_outside_period(plan: ActionPlan) -> str:
    return (
        "The due date must fall within the plan's period, "
        f"{readable_date(plan.starts_on)} to {readable_date(plan.ends_on)}."
    )


def parse_progress(value: Any) -> int | None:
    """The progress as an int, or None when it is not a whole number from 0 to 100."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().removesuffix("%").strip()
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    if isinstance(value, float) and value != number:
        return None
    return number if 0 <= number <= 100 else None


def action_value_errors(plan: ActionPlan, *, due_on: datetime.date | None) -> dict[str, list]:
    """What is wrong with an action's due date in this plan (empty: nothing)."""
    errors: dict[str, list[str]] = {}
    if due_on is not None and not plan.covers(due_on):
        errors["due_on"] = [due_outside_period(plan)]
    return errors


def completed_progress(status: str, progress: int) -> int:
    """Completing an action sets its progress to 100."""
    return 100 if status == Action.Status.COMPLETE else progress


def _require_steering_group(user) -> None:
    """The steering group may change plans; so may the trusted command line (a management
    command passes portal.actors.COMMAND_LINE), recorded as nobody in the history."""
    if not (is_command_line(user) or permissions.can_edit_action_plans(user)):
        raise PermissionDenied(NOT_STEERING_GROUP)


def _refuse_if_archived(plan: ActionPlan) -> None:
    if plan.is_archived:
        raise ValidationError(ARCHIVED, code="archived")


def _as_history_of(instance, user, reason: str | None = None):
    """Record `user` (and why) in the history row this save writes, in or out of a request."""
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user
    instance._change_reason = reason
    return instance


def _refuse_unknown_fields(service: str, given: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"{service}() cannot set {sorted(unknown)}")


def _save_changes(
    instance, fields: tuple[str, ...], values: dict[str, Any], user, reason: str | None = None
) -> None:
    """Set the fields whose value differs and save, recording `user` (and why); no change, no
    save (and no history row)."""
    changed = [name for name in fields if getattr(instance, name) != values[name]]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        _as_history_of(instance, user, reason=reason).save()


def plan_period_errors(
    starts_on: datetime.date | None, ends_on: datetime.date | None
) -> dict[str, list[str]]:
    """What is wrong with a plan period, by field: it ends after it starts, both dates fall
    within the years plans may cover, and it lasts at most ActionPlan.MAX_YEARS."""
    errors: dict[str, list[str]] = {}
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day is not None and not ActionPlan.EARLIEST_YEAR <= day.year <= ActionPlan.LATEST_YEAR:
            errors[name] = [PERIOD_YEARS]
    if errors or starts_on is None or ends_on is None:
        return errors
    if ends_on <= starts_on:
        errors["ends_on"] = [PERIOD_ORDER]
    elif ends_on >= _add_months(starts_on, 12 * ActionPlan.MAX_YEARS):
        errors["ends_on"] = [PERIOD_TOO_LONG]
    return errors


def _check_plan_values(values: dict[str, Any], plan: ActionPlan | None) -> None:
    errors: dict[str, list[str]] = {}
    if not str(values.get("title", "")).strip():
        errors["title"] = ["Please give the plan a title."]
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on is None:
        errors["starts_on"] = ["Please give the date the plan starts."]
    if ends_on is None:
        errors["ends_on"] = ["Please give the date the plan ends."]
    for name, messages in plan_period_errors(starts_on, ends_on).items():
        errors.setdefault(name, []).extend(messages)
    if values.get("status") not in ActionPlan.Status.values:
        errors["status"] = ["Unknown status."]
    if plan is not None and plan.pk and starts_on and ends_on and not errors:
        outside = list(
            plan.actions.exclude(due_on__range=(starts_on, ends_on))
            .order_by("ref")
            .values_list("ref", flat=True)[:10]
        )
        if outside:
            errors.setdefault("starts_on", []).append(
                "Some actions would fall outside the new period (due dates of "
                + ", ".join(outside)
                + "): change their due dates first."
            )
    if errors:
        raise ValidationError(errors)


# --- plans ---------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    user,
    *,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
    status: str = ActionPlan.Status.DRAFT,
) -> ActionPlan:
    _require_steering_group(user)
    values = {
        "title": title.strip(),
        "description": description,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "status": status,
    }
    _check_plan_values(values, None)
    if status not in NEW_PLAN_STATUSES:
        raise ValidationError({"status": [NEW_PLAN_STATUS]})
    plan = ActionPlan(**values)
    _as_history_of(plan, user).save()
    return plan


@transaction.atomic
def update_plan(user, plan: ActionPlan, **changes: Any) -> ActionPlan:
    """Change a plan's title, description, period or status (draft → published → archived)."""
    _require_steering_group(user)
    _refuse_unknown_fields("update_plan", changes, PLAN_FIELDS)
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    _refuse_if_archived(locked)
    values = {name: getattr(locked, name) for name in PLAN_FIELDS} | changes
    if isinstance(values["title"], str):
        values["title"] = values["title"].strip()
    _check_plan_values(values, locked)
    _save_changes(locked, PLAN_FIELDS, values, user)
    return locked


# --- actions -------------------------------------------------------------------------------


def _lock_action(action: Action) -> Action:
    """The action, re-read with its plan's row locked and then its own (always in this order).

    Locking the plan makes a change wait for a concurrent archive or change of period, and
    then see it: no update lands on a plan archived meanwhile, no due date outside a period
    shortened meanwhile."""
    plan = ActionPlan.objects.select_for_update().get(pk=action.plan_id)
    locked = Action.objects.select_for_update().get(pk=action.pk)
    locked.plan = plan
    return locked


def _clean_action_values(plan: ActionPlan, values: dict[str, Any], action: Action | None) -> dict:
    """Check and normalise an action's values; raise ValidationError by field."""
    errors: dict[str, list[str]] = {}
    for name in ("ref", "title", "lead", "description", "success_measure"):
        values[name] = (values.get(name) or "").strip()
    if values["pillar"] not in Pillar.values:
        errors["pillar"] = ["Choose one of the four pillars."]
    if not values["ref"]:
        errors["ref"] = ["Please give the action a reference, e.g. V1.2."]
    elif len(values["ref"]) > 20:
        errors["ref"] = ["The reference is at most 20 characters long."]
    elif (
        Action.objects.filter(plan=plan, ref__iexact=values["ref"])
        .exclude(pk=action.pk if action else None)
        .exists()
    ):
        errors["ref"] = [f"Another action in this plan already has the reference {values['ref']}."]
    if not values["title"]:
        errors["title"] = ["Please say what the action is."]
    if values["status"] not in Action.Status.values:
        errors["status"] = ["Unknown status."]
    if values.get("due_on") is None:
        errors["due_on"] = ["Please give a due date."]
    owner = values.get("owner")
    if owner is not None and not isinstance(owner, get_user_model()):
        errors["owner"] = ["The owner must be a portal user."]
    for name, messages in action_value_errors(plan, due_on=values.get("due_on")).items():
        errors.setdefault(name, []).extend(messages)
    if parse_progress(values.get("progress")) is None:
        errors["progress"] = [PROGRESS_RANGE]
    if errors:
        raise ValidationError(errors)
    values["progress"] = completed_progress(values["status"], parse_progress(values["progress"]))
    return values


def _reason_text(reason: Reason | None) -> str | None:
    return format_reason(reason) if reason is not None else None


@transaction.atomic
def create_action(user, plan: ActionPlan, *, reason: Reason | None = None, **fields: Any) -> Action:
    """Add an action to a plan. `reason` (such as Reason.IMPORT) is kept in its history."""
    _require_steering_group(user)
    _refuse_unknown_fields("create_action", fields, ACTION_FIELDS)
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    _refuse_if_archived(locked)
    values = {
        "description": "",
        "owner": None,
        "lead": "",
        "success_measure": "",
        "status": Action.Status.NOT_STARTED,
        "progress": 0,
    } | fields
    values = _clean_action_values(locked, values, None)
    action = Action(plan=locked, **values)
    _as_history_of(action, user, reason=_reason_text(reason)).save()
    return action


@transaction.atomic
def update_action(user, action: Action, *, reason: Reason | None = None, **changes: Any) -> Action:
    """Edit an action. Saves (and records history, with `reason` when given) only when
    something actually changed."""
    _require_steering_group(user)
    _refuse_unknown_fields("update_action", changes, ACTION_FIELDS)
    locked = _lock_action(action)
    _refuse_if_archived(locked.plan)
    values = {name: getattr(locked, name) for name in ACTION_FIELDS} | changes
    values = _clean_action_values(locked.plan, values, locked)
    _save_changes(locked, ACTION_FIELDS, values, user, reason=_reason_text(reason))
    return locked


# --- progress updates ----------------------------------------------------------------------

_http_url = URLValidator(schemes=["http", "https"])


@transaction.atomic
def post_update(
    user,
    action: Action,
    *,
    note: str,
    progress: Any,
    status: str,
    evidence: Any = None,
    evidence_url: str = "",
) -> ActionUpdate:
    """Report progress on an action: records the update and sets the action's progress and
    status, atomically, with the action's row locked so two updates cannot interleave."""
    locked = _lock_action(action)
    if not permissions.is_action_updater(user, locked):
        raise PermissionDenied(NOT_UPDATER)
    _refuse_if_archived(locked.plan)
    errors: dict[str, list[str]] = {}
    note = (note or "").strip()
    if not note:
        errors["note"] = [NOTE_REQUIRED]
    number = parse_progress(progress)
    if number is None:
        errors["progress"] = [PROGRESS_RANGE]
    if status not in Action.Status.values:
        errors["status"] = ["Unknown status."]
    evidence_url = (evidence_url or "").strip()
    if evidence_url:
        try:
            _http_url(evidence_url)
        except ValidationError:
            errors["evidence_url"] = ["Please give a web address starting with https://."]
    checked = None
    if evidence:
        try:
            checked = evidence_files.check_evidence_file(evidence)
        except ValidationError as error:
            errors["evidence"] = error.messages
    if errors:
        raise ValidationError(errors)
    number = completed_progress(status, number)
    update = ActionUpdate(
        action=locked,
        author=user,
        note=note,
        progress=number,
        status=status,
        evidence_url=evidence_url,
    )
    if checked is not None:
        update.evidence_name = checked.original_name
        update.evidence_content_type = checked.kind.content_type
        update.evidence.save(checked.storage_name, evidence, save=False)
    try:
        update.save()
        if (locked.progress, locked.status) != (number, status):
            locked.progress, locked.status = number, status
            reason = format_reason(Reason.PROGRESS_UPDATE, update.pk)
            _as_history_of(locked, user, reason=reason).save()
        _tell_owner_of_update(locked, update)
    except Exception:
        if update.evidence:  # do not leave an orphan file behind a failed update
            update.evidence.storage.delete(update.evidence.name)
        raise
    return update


UPDATE_BY_OTHER = "action_update_by_other"


def _tell_owner_of_update(action: Action, update: ActionUpdate) -> None:
    """The owner hears, through the outbox, of an update someone else posted on their action
    (in the update's transaction: no update without its notification, none sent twice)."""
    owner = action.owner
    if owner is None or owner.pk == update.author_id or not owner.is_active:
        return
    from actionplan.reminders import action_link  # the reminders' own link and wording
    from portal.services import queue_notification

    author = update.author.get_full_name() or update.author.email if update.author else ""
    subject = f"Update on your action {action.ref}"
    body = (
        f"{author or 'A member of the steering group'} posted a progress update on an action "
        f"you own.\n\n"
        f"{action.ref} {action.title}\n"
        f"Plan: {action.plan.title}\n"
        f"Progress: {update.progress} % ({update.get_status_display().lower()})\n\n"
        f"{update.note}\n\n"
        f"See the action and its updates:\n{action_link(action)}\n"
    )
    queue_notification(owner, UPDATE_BY_OTHER, f"action-update:{update.pk}", subject, body)


# --- the next plan -------------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _whole_months(starts_on: datetime.date, ends_on: datetime.date) -> int | None:
    """The plan's length in whole months (1 Aug 2025 – 31 Jul 2028: 36), or None."""
    after = ends_on + datetime.timedelta(days=1)
    if after.day != starts_on.day:
        return None
    return (after.year - starts_on.year) * 12 + after.month - starts_on.month


def next_period(plan: ActionPlan) -> tuple[datetime.date, datetime.date] | tuple[None, None]:
    """The period after `plan`: from the day after it ends, for the same length; (None, None)
    when that period would not be a valid plan's (beyond ActionPlan.LATEST_YEAR, or a plan
    saved before the period rules with dates near the end of the calendar)."""
    try:
        starts_on = plan.ends_on + datetime.timedelta(days=1)
        months = _whole_months(plan.starts_on, plan.ends_on)
        if months:
            ends_on = _add_months(starts_on, months) - datetime.timedelta(days=1)
        else:
            ends_on = starts_on + (plan.ends_on - plan.starts_on)
    except (OverflowError, ValueError):  # past 31 December 9999
        return None, None
    if plan_period_errors(starts_on, ends_on):
        return None, None
    return starts_on, ends_on


def _shift_due_date(plan: ActionPlan, day: datetime.date, new_start, new_end) -> datetime.date:
    """Move a due date into the next period by the plan's length, within its bounds."""
    months = _whole_months(plan.starts_on, plan.ends_on)
    moved = _add_months(day, months) if months else day + (new_start - plan.starts_on)
    return min(max(moved, new_start), new_end)


def suggest_next_title(plan: ActionPlan) -> str:
    starts_on, ends_on = next_period(plan)
    if starts_on is None or ends_on is None:
        return plan.title  # there is no next period (start_next_plan says why)
    years = {
        str(plan.starts_on.year): str(starts_on.year),
        str(plan.ends_on.year): str(ends_on.year),
    }
    pattern = re.compile(r"\b(" + "|".join(re.escape(year) for year in years) + r")\b")
    if pattern.search(plan.title):
        return pattern.sub(lambda match: years[match.group(1)], plan.title)
    return f"{plan.title} {starts_on.year}–{ends_on.year}"


@transaction.atomic
def start_next_plan(user, plan: ActionPlan, *, title: str | None = None) -> ActionPlan:
    """A draft plan for the next period, with every unfinished action of `plan` copied in and
    linked to the action it continues. Progress and status carry over; due dates move on by
    the plan's length."""
    _require_steering_group(user)
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    existing = ActionPlan.objects.filter(previous=locked).first()
    if existing is not None:
        raise ValidationError(NEXT_PLAN_EXISTS.format(title=existing.title), code="exists")
    starts_on, ends_on = next_period(locked)
    if starts_on is None or ends_on is None:
        raise ValidationError(NO_NEXT_PERIOD, code="no_next_period")
    title = (title or "").strip() or suggest_next_title(locked)
    new_plan = ActionPlan(
        title=title,
        description=locked.description,
        starts_on=starts_on,
        ends_on=ends_on,
        status=ActionPlan.Status.DRAFT,
        previous=locked,
    )
    _as_history_of(new_plan, user, reason=format_reason(Reason.NEXT_PLAN, locked.pk)).save()
    copies = [
        Action(
            plan=new_plan,
            pillar=action.pillar,
            ref=action.ref,
            title=action.title,
            description=action.description,
            owner_id=action.owner_id,
            lead=action.lead,
            due_on=_shift_due_date(locked, action.due_on, starts_on, ends_on),
            success_measure=action.success_measure,
            status=action.status,
            progress=action.progress,
            continues=action,
        )
        for action in locked.actions.exclude(status=Action.Status.COMPLETE).order_by("ref")
    ]
    if copies:
        bulk_create_with_history(
            copies,
            Action,
            default_user=user if getattr(user, "is_authenticated", False) else None,
            default_change_reason=format_reason(Reason.CARRIED_OVER, locked.pk),
        )
        plans_changed()  # written in bulk (no signals)
    return new_plan
