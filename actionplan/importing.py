"""Import a plan's actions from CSV: the export's own format, so an export imports back.

Two steps, as every import of the portal (portal/imports.py): `preview_import` checks every
row and says what would change; `apply_import` checks the same text again and then changes
everything or nothing. Rows are matched to the plan's actions by reference ("ref"): a new
reference adds an action, a known one updates it (upsert), and actions the file does not
mention are left alone. The RAG and "latest update" columns of an export are ignored (RAG is
derived; updates are posted, not imported). Owners are identified by e-mail address.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Lower

from actionplan import services
from actionplan.models import Action, ActionPlan, Pillar
from portal.imports import ImportFileError, Preview, RowError, parse_csv

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
REQUIRED_COLUMNS = ["pillar", "ref", "action", "due"]
OPTIONAL_COLUMNS = [
    "owner",
    "lead",
    "success measure",
    "status",
    "progress",
    "description",
    "rag",
    "latest update",
]
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
FIELD_LABELS = {
    "pillar": "pillar",
    "title": "action",
    "owner": "owner",
    "lead": "lead",
    "due_on": "due date",
    "success_measure": "success measure",
    "status": "status",
    "progress": "progress",
    "description": "description",
}
MAX_LENGTHS = {"ref": 20, "action": 300, "lead": 200, "success measure": 2000, "description": 5000}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def _key(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())


PILLARS = {_key(value): value for value in Pillar.values} | {
    _key(label): value for value, label in Pillar.choices
}
STATUSES = {_key(value): value for value in Action.Status.values} | {
    _key(label): value for value, label in Action.Status.choices
}


@dataclass
class RowChange:
    line: int
    ref: str
    title: str
    kind: str  # "new", "changed" or "unchanged"
    changed_fields: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict, repr=False)


class ActionImport(Preview):
    """A Preview whose `changes` holds RowChange lists under "new", "changed", "unchanged"."""

    @property
    def new(self) -> list[RowChange]:
        return self.changes.get("new", [])

    @property
    def changed(self) -> list[RowChange]:
        return self.changes.get("changed", [])

    @property
    def unchanged(self) -> list[RowChange]:
        return self.changes.get("unchanged", [])

    @property
    def apply_count(self) -> int:
        """How many actions applying the import adds or changes."""
        return len(self.new) + len(self.changed)


def _parse_date(text: str) -> datetime.date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def _row_values(
    plan: ActionPlan, cells: dict[str, str], has_column: set[str], owners: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The action's values from one row, and what is wrong with them."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    for column in REQUIRED_COLUMNS:
        if not cells.get(column, ""):
            problems.append(f"the {column} column is empty")
    for column, limit in MAX_LENGTHS.items():
        if len(cells.get(column, "")) > limit:
            problems.append(f"the {column} is longer than {limit} characters")
    pillar = cells.get("pillar", "")
    if pillar:
        values["pillar"] = PILLARS.get(_key(pillar))
        if values["pillar"] is None:
            problems.append(
                f"unknown pillar “{pillar}” (use Visibility, Recognition, Career development "
                "or Sustainability)"
            )
    values["ref"] = cells.get("ref", "")
    values["title"] = cells.get("action", "")
    for column in ("lead", "success measure", "description"):
        if column in has_column:
            values[COLUMN_FIELDS[column]] = cells.get(column, "")
    if "owner" in has_column:
        email = cells.get("owner", "")
        values["owner"] = owners.get(email.lower()) if email else None
        if email and values["owner"] is None:
            problems.append(f"unknown owner e-mail “{email}”: no portal user has this address")
    due = cells.get("due", "")
    if due:
        values["due_on"] = _parse_date(due)
        if values["due_on"] is None:
            problems.append(f"bad date “{due}” in the due column (use YYYY-MM-DD)")
        elif not plan.covers(values["due_on"]):
            problems.append(
                f"due date {values['due_on'].isoformat()} is outside the plan's period "
                f"({plan.starts_on.isoformat()} to {plan.ends_on.isoformat()})"
            )
    status = cells.get("status", "")
    if "status" in has_column:
        values["status"] = STATUSES.get(_key(status)) if status else Action.Status.NOT_STARTED
        if values["status"] is None:
            problems.append(
                f"unknown status “{status}” (use Not started, In progress, Complete or Blocked)"
            )
    if "progress" in has_column:
        progress = cells.get("progress", "")
        values["progress"] = services.parse_progress(progress) if progress else 0
        if values["progress"] is None:
            problems.append(f"progress must be a whole number from 0 to 100, not “{progress}”")
    return values, problems


def _check(plan: ActionPlan, text: str) -> ActionImport:
    """Validate every row of `text` against `plan`; raises ImportFileError for the file."""
    parsed = parse_csv(text, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    has_column = set(parsed.columns)
    emails = {cells.get("owner", "").lower() for _, cells in parsed.rows} - {""}
    owners = {}
    if emails:
        # An owner who has left (inactive account) still matches: an export of a plan whose
        # owner has left must import back. An active account with the address comes first.
        found = (
            get_user_model()
            .objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails)
            .order_by("-is_active", "pk")
        )
        for user in found:
            owners.setdefault(user.email_lower, user)
    existing = {action.ref.lower(): action for action in plan.actions.select_related("owner")}
    result = ActionImport(changes={"new": [], "changed": [], "unchanged": []})
    seen: dict[str, int] = {}
    overlong = set(parsed.overlong_lines)
    for line, cells in parsed.rows:
        values, problems = _row_values(plan, cells, has_column, owners)
        if line in overlong:
            problems.append(
                "the row has more cells than the header has columns: is a comma in a value "
                "missing its quotes?"
            )
        ref_key = values["ref"].lower()
        if ref_key and ref_key in seen:
            problems.append(f"duplicate ref “{values['ref']}” (also on line {seen[ref_key]})")
        elif ref_key:
            seen[ref_key] = line
        if problems:
            message = "; ".join(problems)
            ending = "" if message.endswith((".", "?")) else "."
            result.errors.append(RowError(line, message[:1].upper() + message[1:] + ending))
            continue
        if values.get("status") == Action.Status.COMPLETE:
            values["progress"] = 100  # completing an action means 100 % (see services)
        action = existing.get(ref_key)
        if action is None:
            result.changes["new"].append(
                RowChange(line, values["ref"], values["title"], "new", values=values)
            )
            continue
        if values.get("status", action.status) == Action.Status.COMPLETE:
            values["progress"] = 100
        changed = [
            name
            for name in services.ACTION_FIELDS
            if name != "ref" and name in values and getattr(action, name) != values[name]
        ]
        kind = "changed" if changed else "unchanged"
        result.changes[kind].append(
            RowChange(
                line,
                action.ref,
                values["title"],
                kind,
                changed_fields=[FIELD_LABELS[name] for name in changed],
                values={name: values[name] for name in changed},
            )
        )
    return result


def preview_import(plan: ActionPlan, text: str) -> ActionImport:
    """What importing `text` into `plan` would do. Raises ImportFileError if the file as a
    whole is unreadable (no header, a missing column, …)."""
    if plan.is_archived:
        raise ImportFileError(services.ARCHIVED)
    return _check(plan, text)


def apply_import(user, plan: ActionPlan, text: str) -> ActionImport:
    """Check `text` again and apply it: every row or none. Returns the result; when it has
    errors nothing was changed. `user` None means the command line (no permission check)."""
    if user is not None:
        services._require_steering_group(user)
    with transaction.atomic():
        locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
        # Lock the plan's actions too, so an update posted meanwhile is not overwritten.
        list(locked.actions.select_for_update().values_list("pk", flat=True))
        result = preview_import(locked, text)
        if not result.is_valid:
            return result
        by_ref = {action.ref.lower(): action for action in locked.actions.all()}
        for row in result.new:
            values = {"progress": 0, "status": Action.Status.NOT_STARTED} | row.values
            action = Action(plan=locked, **values)
            services._as_history_of(action, user, reason="import").save()
        for row in result.changed:
            action = by_ref[row.ref.lower()]
            for name, value in row.values.items():
                setattr(action, name, value)
            services._as_history_of(action, user, reason="import").save()
    return result
