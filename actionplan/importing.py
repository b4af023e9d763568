"""Import a plan's actions from CSV: the export's own format, so an export imports back.

Two steps, as every import of the portal (portal.imports): `preview_import` reads every row
through the columns below and says what would change; `apply_import` checks the same text
again with the plan locked, refuses if the changes are no longer the ones previewed, and then
writes every row through the public services `create_action` / `update_action` in one
transaction, so every rule of the services applies to an import too: everything or nothing.

Rows are matched to the plan's actions by reference ("ref"): a new reference adds an action,
a known one updates it (upsert), and actions the file does not mention are left alone. The
RAG and "latest update" columns of an export are ignored (RAG is derived; updates are posted,
not imported). Owners are identified by e-mail address.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.functions import Lower

from actionplan import permissions, services
from actionplan.history import Reason
from actionplan.models import Action, ActionPlan, Pillar
from portal.actors import is_command_line
from portal.imports import ImportFileError, RowError
from portal.imports.changes import UpsertPreview, apply_previewed, plain, sentence
from portal.imports.columns import (
    ChoiceColumn,
    Column,
    ColumnSet,
    DateColumn,
    ReferenceColumn,
    TextColumn,
)

KIND = "actions"
STALE = "The plan has changed since your preview: review it again"

EXPORT_COLUMNS = [
    "pillar",
    "ref",
    "action",
    "owner",
    "lead",
    "due",
    "success measure",
    "status",
    "RAG",
    "progress",
    "latest update",
]
_field = Action._meta.get_field


def owners_by_email(emails: set[str]) -> Mapping[str, Any]:
    """Users by lower-case e-mail. An owner who has left (inactive account) still matches: an
    export of a plan whose owner has left must import back. An active account comes first."""
    found = (
        get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .order_by("-is_active", "pk")
    )
    owners: dict[str, Any] = {}
    for user in found:
        owners.setdefault(user.email_lower, user)
    return owners


@dataclass(frozen=True, kw_only=True)
class ProgressColumn(Column):
    """A whole number from 0 to 100, as the services read it (a % sign is fine)."""

    blank: Any = 0

    default_messages: ClassVar[dict[str, str]] = {
        "invalid": "progress must be a whole number from 0 to 100, not “{value}”",
    }

    def convert(self, cell: str) -> int:
        number = services.parse_progress(cell)
        if number is None:
            raise self.error("invalid", value=cell)
        return number

    def describe(self) -> str:
        return "A whole number from 0 to 100; blank means 0. Complete means 100."


ACTION_COLUMNS = ColumnSet(
    columns=(
        ChoiceColumn(
            name="pillar",
            required=True,
            choices=tuple((value, str(label)) for value, label in Pillar.choices),
            messages={
                "invalid": "unknown pillar “{value}” (use Visibility, Recognition, Career "
                "development or Sustainability)"
            },
        ),
        TextColumn(
            name="ref",
            required=True,
            model_field=_field("ref"),
            messages={"too_long": "the ref is longer than {max_length} characters"},
        ),
        TextColumn(
            name="action",
            required=True,
            model_field=_field("title"),
            help="What the action is.",
            messages={"too_long": "the action is longer than {max_length} characters"},
        ),
        ReferenceColumn(
            name="owner",
            optional=True,
            load=owners_by_email,
            help="The email address of the portal user who owns the action; blank for none.",
            messages={"unknown": "unknown owner email “{value}”: no portal user has this address"},
        ),
        TextColumn(
            name="lead",
            optional=True,
            model_field=_field("lead"),
            messages={"too_long": "the lead is longer than {max_length} characters"},
        ),
        DateColumn(
            name="due",
            required=True,
            help="Within the plan's period.",
            messages={
                "invalid": "bad date “{value}” in the due column (use YYYY-MM-DD or DD/MM/YYYY)"
            },
        ),
        TextColumn(
            name="success measure",
            optional=True,
            model_field=_field("success_measure"),
            help="How the plan will know the action worked.",
            messages={"too_long": "the success measure is longer than {max_length} characters"},
        ),
        ChoiceColumn(
            name="status",
            optional=True,
            choices=tuple((value, str(label)) for value, label in Action.Status.choices),
            blank=Action.Status.NOT_STARTED,
            help="Blank means not started.",
            messages={
                "invalid": "unknown status “{value}” (use Not started, In progress, Complete "
                "or Blocked)"
            },
        ),
        ProgressColumn(name="progress", optional=True),
        TextColumn(
            name="description",
            optional=True,
            model_field=_field("description"),
            messages={"too_long": "the description is longer than {max_length} characters"},
        ),
    ),
    ignored=("RAG", "latest update"),
)
# Column -> Action field, for the columns that are imported.
COLUMN_FIELDS = {
    "pillar": "pillar",
    "ref": "ref",
    "action": "title",
    "owner": "owner",
    "lead": "lead",
    "due": "due_on",
    "success measure": "success_measure",
    "status": "status",
    "progress": "progress",
    "description": "description",
}
FIELD_LABELS = {field: column for column, field in COLUMN_FIELDS.items()} | {"due_on": "due date"}


@dataclass
class RowChange:
    line: int
    ref: str
    title: str
    kind: str  # "new", "changed" or "unchanged"
    changed_fields: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict, repr=False)
    # The values the changed fields had when previewed.
    old_values: dict[str, Any] = field(default_factory=dict, repr=False)


class ActionImport(UpsertPreview):
    """An UpsertPreview of RowChange rows, keyed by reference."""

    kind = KIND
    stale_message = STALE

    def fingerprint_data(self) -> dict[str, Any]:
        """What applying writes: each new action's values, each changed one's old and new."""
        return {
            "new": {row.ref.lower(): plain(row.values) for row in self.new},
            "changed": {
                row.ref.lower(): {"old": plain(row.old_values), "new": plain(row.values)}
                for row in self.changed
            },
        }


def _check(plan: ActionPlan, text: str) -> ActionImport:
    """Validate every row of `text` against `plan`; raises ImportFileError for the file."""
    parsed = ACTION_COLUMNS.parse(text)
    columns = ACTION_COLUMNS.bind(parsed)
    existing = {action.ref.lower(): action for action in plan.actions.select_related("owner")}
    result = ActionImport(changes={"new": [], "changed": [], "unchanged": []})
    seen: dict[str, int] = {}
    for row in columns.rows(parsed):
        values = {COLUMN_FIELDS[column]: value for column, value in row.values.items()}
        problems = list(row.problems)
        ref = row.cells.get("ref", "")
        if ref.lower() in seen:
            problems.append(f"duplicate ref “{ref}” (also on line {seen[ref.lower()]})")
        elif ref:
            seen[ref.lower()] = row.line
        if values.get("due_on") is not None:
            # The services' own rule, in the services' own words (the form's too).
            for messages in services.action_value_errors(plan, due_on=values["due_on"]).values():
                problems.extend(messages)
        if problems:
            result.errors.append(RowError(row.line, sentence(problems)))
            continue
        action = existing.get(ref.lower())
        status = values.get("status", action.status if action else Action.Status.NOT_STARTED)
        if status == Action.Status.COMPLETE:
            values["progress"] = services.completed_progress(status, values.get("progress", 0))
        if action is None:
            result.changes["new"].append(
                RowChange(row.line, values["ref"], values["title"], "new", values=values)
            )
            continue
        changed = [
            name
            for name in services.ACTION_FIELDS
            if name != "ref" and name in values and getattr(action, name) != values[name]
        ]
        kind = "changed" if changed else "unchanged"
        result.changes[kind].append(
            RowChange(
                row.line,
                action.ref,
                values["title"],
                kind,
                changed_fields=[FIELD_LABELS[name] for name in changed],
                values={name: values[name] for name in changed},
                old_values={name: getattr(action, name) for name in changed},
            )
        )
    return result


def import_target(plan: ActionPlan) -> str:
    """The ImportRun (and PendingImport) target of an import into `plan`."""
    return str(plan.pk)


def preview_import(plan: ActionPlan, text: str) -> ActionImport:
    """What importing `text` into `plan` would do. Raises ImportFileError if the file as a
    whole is unreadable (no header, a missing column, …)."""
    if plan.is_archived:
        raise ImportFileError(services.ARCHIVED)
    return _check(plan, text)


def apply_import(
    user, plan: ActionPlan, text: str, *, fingerprint: str | None = None, file_name: str = ""
) -> ActionImport:
    """Check `text` again and apply it through the services: every row or none.

    Returns the result; when it has errors (a row the services refuse included, with their
    message) nothing was changed. With `fingerprint` (the preview's), raises StalePreview,
    changing nothing, when the changes are no longer the ones previewed. Records an
    ImportRun. Only the steering group imports (PermissionDenied), and the trusted command
    line (`user` is portal.actors.COMMAND_LINE; the run and the history then name nobody).
    Every change's history says it was imported (Reason.IMPORT).
    """
    if not (is_command_line(user) or permissions.can_edit_action_plans(user)):
        raise PermissionDenied(services.NOT_STEERING_GROUP)
    with transaction.atomic():
        locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
        # Lock the plan's actions too, so an update posted meanwhile is not overwritten.
        by_ref = {action.ref.lower(): action for action in locked.actions.select_for_update().all()}
        result = preview_import(locked, text)

        def write(row: RowChange) -> None:
            if row.kind == "new":
                services.create_action(user, locked, reason=Reason.IMPORT, **row.values)
            else:
                action = by_ref[row.ref.lower()]
                services.update_action(user, action, reason=Reason.IMPORT, **row.values)

        return apply_previewed(
            result,
            write,
            by=user,
            fingerprint=fingerprint,
            file_name=file_name,
            target=import_target(plan),
        )
