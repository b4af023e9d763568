"""Read-only queries the action plan pages share. Each runs a fixed number of queries, however
many actions a plan has: pillar progress and RAG counts are computed in Python from one query,
and each action's latest update comes from a subquery, never a query per row."""

from __future__ import annotations

import datetime
import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateformat import format as format_date

from actionplan import history, permissions, rag
from actionplan.models import PILLAR_AIMS, Action, ActionPlan, ActionUpdate, Pillar
from portal.periods import due_phrase
from portal.prepared import PreparedLookup, PreparedQuery, with_known


def display_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email or user.get_username()


def visible_plans(user) -> list[ActionPlan]:
    """The plans `user` may see, with their number of actions and overall progress."""
    if not permissions.is_staff_member(user):
        return []
    return _viewers_queries(permissions.visible_action_plans_filter(user)).plans.list()


def open_actions_owned_by(user) -> list[Action]:
    """The unfinished actions `user` owns in plans they may see that still take updates."""
    if not permissions.is_staff_member(user):
        return []
    queries = _viewers_queries(permissions.visible_action_plans_filter(user))
    return queries.open_actions_owned.list(owner=user.pk)


@dataclass(frozen=True)
class _ViewersQueries:
    plans: PreparedQuery
    open_actions_owned: PreparedQuery
    actions_owned: PreparedQuery
    updates_posted: PreparedQuery
    latest_published: PreparedQuery


@functools.cache
def _viewers_queries(visible: Q) -> _ViewersQueries:
    """The plans list's, the owner's panel's and the steering group's current plan's queries,
    compiled once per set of plans a viewer may see (portal.prepared): every visit of the list
    and of those dashboards asks them."""
    plans = ActionPlan.objects.filter(visible)
    return _ViewersQueries(
        plans=PreparedQuery(
            lambda: plans.annotate(
                action_count=Count("actions"),
                complete_count=Count("actions", filter=Q(actions__status=Action.Status.COMPLETE)),
                average_progress=Avg("actions__progress"),
            ).order_by("-starts_on", "-pk")
        ),
        open_actions_owned=PreparedQuery(
            lambda owner: _owned(owner, plans).exclude(status=Action.Status.COMPLETE)
        ),
        actions_owned=PreparedQuery(lambda owner: _owned(owner, plans)),
        updates_posted=PreparedQuery(
            lambda author: (
                ActionUpdate.objects.filter(author_id=author, action__plan__in=plans)
                .select_related("action__plan")
                .order_by("-created", "-pk")[:5]
            )
        ),
        latest_published=PreparedQuery(
            lambda: plans.filter(status=ActionPlan.Status.PUBLISHED).order_by("-starts_on", "-pk")[
                :5
            ]
        ),
    )


def _owned(owner: int, plans: QuerySet[ActionPlan]) -> QuerySet[Action]:
    """The actions `owner` owns in `plans` that are not archived, by due date."""
    return (
        Action.objects.filter(owner_id=owner, plan__in=plans)
        .exclude(plan__status=ActionPlan.Status.ARCHIVED)
        .select_related("plan")
        .order_by("due_on", "ref", "pk")
    )


def with_latest_update(queryset: QuerySet[Action]) -> QuerySet[Action]:
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created", "-pk")
    return queryset.annotate(
        latest_update_note=Subquery(latest.values("note")[:1]),
        latest_update_created=Subquery(latest.values("created")[:1]),
    )


def plan_actions(plan: ActionPlan | int) -> QuerySet[Action]:
    """The plan's actions, sorted by due date, with owner and latest update in the same query."""
    return with_latest_update(
        Action.objects.filter(plan=plan)
        .select_related("owner__technician")  # owners link to profiles the reader may see
        .order_by("due_on", "ref", "pk")
    )


# Compiled once (portal.prepared): the plan page opens on them, unfiltered, on every visit.
_PLAN_ACTIONS = PreparedQuery(plan_actions)
_PLAN_ACTION_FIGURES = PreparedQuery(
    lambda plan: Action.objects.filter(plan=plan).values_list(
        "pillar", "status", "progress", "due_on"
    )
)


def plan_actions_attention_first(plan: ActionPlan, today: datetime.date) -> list[Action]:
    """`plan_actions` in the order the plan page opens on (`forms.attention_first`): sorted
    here, as the rows are read anyway, keeping the database's order within each rank."""
    actions = with_known(_PLAN_ACTIONS.list(plan=plan.pk), plan=plan)
    return sorted(
        actions,
        key=lambda action: rag.attention_rank(action.status, action.progress, action.due_on, today),
    )


@dataclass
class PillarSummary:
    pillar: str
    label: str
    aim: str
    action_count: int = 0
    progress: int = 0  # the mean progress of the pillar's actions, in per cent
    rag_counts: list[tuple[rag.Rag, int]] = field(default_factory=list)

    @property
    def complete_count(self) -> int:
        return dict(self.rag_counts).get(rag.Rag.COMPLETE, 0)


@dataclass
class PlanOverview:
    pillars: list[PillarSummary]
    action_count: int
    progress: int
    rag_counts: list[tuple[rag.Rag, int]]


def _ordered_counts(counter: Counter) -> list[tuple[rag.Rag, int]]:
    return [(rating, counter.get(rating, 0)) for rating in rag.Rag]


def plan_overview(plan: ActionPlan, today: datetime.date | None = None) -> PlanOverview:
    """Progress and RAG counts for each pillar and the whole plan, from one query."""
    today = today or rag.today()
    rows = _PLAN_ACTION_FIGURES.list(plan=plan.pk)
    progress: dict[str, list[int]] = {pillar: [] for pillar in Pillar.values}
    counts: dict[str, Counter] = {pillar: Counter() for pillar in Pillar.values}
    for pillar, status, value, due_on in rows:
        progress.setdefault(pillar, []).append(value)
        counts.setdefault(pillar, Counter())[rag.rag_for(status, value, due_on, today)] += 1
    pillars = [
        PillarSummary(
            pillar=pillar,
            label=label,
            aim=PILLAR_AIMS[pillar],
            action_count=len(progress[pillar]),
            progress=_mean(progress[pillar]),
            rag_counts=_ordered_counts(counts[pillar]),
        )
        for pillar, label in Pillar.choices
    ]
    everything = [value for values in progress.values() for value in values]
    return PlanOverview(
        pillars=pillars,
        action_count=len(everything),
        progress=_mean(everything),
        rag_counts=_ordered_counts(sum(counts.values(), Counter())),
    )


def _mean(values: list[int]) -> int:
    return round(sum(values) / len(values)) if values else 0


def owners_in_plan(plan: ActionPlan | int):
    return (
        get_user_model()
        .objects.filter(owned_actions__plan=plan)
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


# Compiled once (portal.prepared): the plan page names its owners on every visit.
_PLAN_OWNERS = PreparedQuery(lambda plan: owners_in_plan(plan).select_related("technician"))


def plan_owners(plan: ActionPlan) -> list:
    """The accounts owning the plan's actions, each with their profile, by name."""
    return _PLAN_OWNERS.list(plan=plan.pk)


# --- one plan, action or update, as the pages need it ------------------------------------


def accounts_by_pk(pks: Iterable[int]) -> dict[int, Any]:
    """The accounts of `pks` with their profiles, by key: the people kept markup names
    (actionplan_tags.fill_owners). The steering group's panel asks on every visit for the
    same few: compiled once for each number of accounts (portal.prepared)."""
    pks = sorted(set(pks))
    if not pks:
        return {}
    if len(pks) > _MOST_ACCOUNTS_PREPARED:  # more than a panel names: not kept
        return {account.pk: account for account in _accounts(len(pks), **_named(pks))}
    prepared = _ACCOUNTS_BY_COUNT.get(len(pks))
    if prepared is None:
        build = functools.partial(_accounts, len(pks))
        prepared = _ACCOUNTS_BY_COUNT.setdefault(len(pks), PreparedQuery(build))
    accounts = prepared.list(**_named(pks))
    return {account.pk: account for account in accounts}


_ACCOUNTS_BY_COUNT: dict[int, PreparedQuery] = {}
_MOST_ACCOUNTS_PREPARED = 40


def _named(pks: list[int]) -> dict[str, int]:
    return {f"pk{index}": pk for index, pk in enumerate(pks)}


def _accounts(count: int, **pks: int) -> QuerySet:
    keys = [pks[f"pk{index}"] for index in range(count)]
    return get_user_model().objects.filter(pk__in=keys).select_related("technician")


def plan_by_pk(pk: int) -> ActionPlan:
    """The plan (404 when there is none); whether the user may see it is the view's check."""
    plan = _PLAN_BY_PK.get(pk)
    if plan is None:
        raise Http404("No action plan matches the given query.")
    return plan


# Compiled once (portal.prepared): every plan page and every action's page opens with it.
_PLAN_BY_PK = PreparedLookup(lambda pk: ActionPlan.objects.filter(pk=pk))


def action_in_plan(plan_pk: int, pk: int) -> Action:
    """The action of that plan, with what its pages show (404 when there is none)."""
    return get_object_or_404(
        Action.objects.select_related("plan", "owner__technician", "continues__plan"),
        pk=pk,
        plan_id=plan_pk,
    )


def update_in_action(plan_pk: int, action_pk: int, pk: int) -> ActionUpdate:
    """The progress update of that action of that plan (404 when there is none)."""
    return get_object_or_404(
        ActionUpdate.objects.select_related("action__plan"),
        pk=pk,
        action_id=action_pk,
        action__plan_id=plan_pk,
    )


def next_plan_of(plan: ActionPlan) -> ActionPlan | None:
    """The plan started as the one after `plan`, if any."""
    return ActionPlan.objects.filter(previous=plan).first()


def unfinished_action_count(plan: ActionPlan) -> int:
    """How many of the plan's actions are not complete (those the next plan carries over)."""
    return plan.actions.exclude(status=Action.Status.COMPLETE).count()


def linked_actions(action: Action, user) -> tuple[Action | None, list[Action]]:
    """The action this one continues and those that continue it, each only where `user` may
    see its plan (a draft's actions are not linked for readers who cannot open it)."""
    continues = action.continues
    if continues is not None and not permissions.can_view_action_plan(user, continues.plan):
        continues = None
    continued_by = [
        later
        for later in action.continued_by.select_related("plan")
        if permissions.can_view_action_plan(user, later.plan)
    ]
    return continues, continued_by


def plan_sections(
    plan: ActionPlan, today: datetime.date
) -> tuple[PlanOverview, list[tuple[PillarSummary, list[Action]]]]:
    """The plan's overview, and each pillar's summary with its actions in plan order (the
    printable plan)."""
    by_pillar: dict[str, list[Action]] = {pillar: [] for pillar in Pillar.values}
    for action in sorted(plan_actions(plan), key=plan_order):
        by_pillar.setdefault(action.pillar, []).append(action)
    overview = plan_overview(plan, today)
    return overview, [(summary, by_pillar[summary.pillar]) for summary in overview.pillars]


# --- history -------------------------------------------------------------------------------


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class TimelineEntry:
    when: datetime.datetime
    who: Any
    kind: str  # "created", "changed" or "update"
    changes: list[Change] = field(default_factory=list)
    update: ActionUpdate | None = None
    note: str = ""

    @property
    def who_name(self) -> str:
        return display_name(self.who) or "The system"

    @property
    def reason(self) -> str:
        """Why the change was made, in words (empty when it was an ordinary edit)."""
        return history.describe(self.note)


HIDDEN_HISTORY_FIELDS = ["created", "updated"]


def _value_text(model, name: str, value: Any, users: dict, actions: dict) -> str:
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if name == "owner":
        return display_name(users.get(value)) or f"user #{value}"
    if name == "continues":
        action = actions.get(value)
        return f"{action.ref} in {action.plan.title}" if action else f"action #{value}"
    if name == "previous":
        return f"plan #{value}"
    if name == "progress":
        return f"{value} %"
    if isinstance(value, datetime.date):
        return format_date(value, "j F Y")
    return str(value)


def _history_entries(history_qs, model) -> list[TimelineEntry]:
    """Who changed what, when: each history row compared with the one before it."""
    records = list(history_qs.select_related("history_user").order_by("history_date", "pk"))
    deltas = []
    user_ids, action_ids = set(), set()
    previous = None
    for record in records:
        delta = None
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=HIDDEN_HISTORY_FIELDS)
            for change in delta.changes:
                if change.field == "owner":
                    user_ids |= {change.old, change.new}
                if change.field == "continues":
                    action_ids |= {change.old, change.new}
        deltas.append((record, delta))
        previous = record
    users = get_user_model().objects.in_bulk([pk for pk in user_ids if pk])
    actions = Action.objects.select_related("plan").in_bulk([pk for pk in action_ids if pk])
    entries = []
    for record, delta in deltas:
        if record.history_type == "+":
            entries.append(
                TimelineEntry(
                    when=record.history_date,
                    who=record.history_user,
                    kind="created",
                    note=record.history_change_reason or "",
                )
            )
        elif record.history_type == "-":
            entries.append(
                TimelineEntry(when=record.history_date, who=record.history_user, kind="deleted")
            )
        elif delta is not None and delta.changes:
            entries.append(
                TimelineEntry(
                    when=record.history_date,
                    who=record.history_user,
                    kind="changed",
                    changes=[
                        Change(
                            field=str(model._meta.get_field(c.field).verbose_name).capitalize(),
                            old=_value_text(model, c.field, c.old, users, actions),
                            new=_value_text(model, c.field, c.new, users, actions),
                        )
                        for c in delta.changes
                    ],
                    note=record.history_change_reason or "",
                )
            )
    return entries


def action_timeline(action: Action) -> list[TimelineEntry]:
    """Every change to the action and every progress update on it, newest first. A change
    made by posting an update is shown with that update."""
    entries = _history_entries(action.history.all(), Action)
    updates = list(action.updates.select_related("author").order_by("-created", "-pk"))
    by_pk = {update.pk: update for update in updates}
    changes_of_update: dict[int, list[Change]] = {}
    timeline = []
    for entry in entries:
        reason = history.parse_reason(entry.note)
        update = (
            by_pk.get(reason.ref)
            if reason is not None and reason.reason is history.Reason.PROGRESS_UPDATE
            else None
        )
        if entry.kind == "changed" and update is not None:
            changes_of_update[update.pk] = entry.changes
        else:
            timeline.append(entry)
    for update in updates:
        update.action = action  # no query per update for its evidence link
        timeline.append(
            TimelineEntry(
                when=update.created,
                who=update.author,
                kind="update",
                update=update,
                changes=changes_of_update.get(update.pk, []),
            )
        )
    timeline.sort(key=lambda entry: entry.when, reverse=True)
    return timeline


def plan_timeline(plan: ActionPlan) -> list[TimelineEntry]:
    entries = _history_entries(plan.history.all(), ActionPlan)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def export_rows(plan: ActionPlan) -> list[list[Any]]:
    """The rows of the plan's CSV export, in the order of `importing.EXPORT_COLUMNS`."""
    rows = []
    for action in sorted(plan_actions(plan), key=plan_order):
        rows.append(
            [
                action.get_pillar_display(),
                action.ref,
                action.title,
                action.owner.email if action.owner else "",
                action.lead,
                action.due_on.isoformat(),
                action.success_measure,
                action.get_status_display(),
                action.rag.label,
                action.progress,
                _latest_update_text(action),
            ]
        )
    return rows


def _latest_update_text(action: Action) -> str:
    if not action.latest_update_note:
        return ""
    when = timezone.localdate(action.latest_update_created)
    return f"{when.isoformat()}: {action.latest_update_note}"


_PILLAR_ORDER = {pillar: index for index, pillar in enumerate(Pillar.values)}


def ref_key(ref: str) -> tuple:
    """Natural order of references: V1.2 before V1.10."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.lower())
        for part in re.split(r"(\d+)", ref)
        if part
    )


def plan_order(action: Action) -> tuple:
    """Pillar by pillar, in the Commitment's order, then by reference."""
    return (_PILLAR_ORDER.get(action.pillar, 99), ref_key(action.ref), action.pk)


# --- dashboard panels ------------------------------------------------------------------------

# The owner panel lists actions due within this many days (and every overdue one).
DASHBOARD_DUE_WITHIN_DAYS = 30
DASHBOARD_LIST_LENGTH = 10


@dataclass
class OwnerDashboard:
    overdue: list[Action]
    due_soon: list[Action]
    open_count: int
    recent_updates: list[ActionUpdate]


def owner_dashboard(user, today: datetime.date | None = None) -> OwnerDashboard:
    """The actions `user` owns that are overdue or due within 30 days (most late first), and
    the updates they posted last. Two queries, one of them the panel's test's
    (`owns_open_actions`)."""
    today = today or rag.today()
    mine = [action for action in _actions_owned(user) if action.status != Action.Status.COMPLETE]
    soon = today + datetime.timedelta(days=DASHBOARD_DUE_WITHIN_DAYS)
    for action in mine:
        action.due_text = due_phrase(action.due_on, today)
    updates = (
        _viewers_queries(permissions.visible_action_plans_filter(user)).updates_posted.list(
            author=user.pk
        )
        if permissions.is_staff_member(user)
        else []
    )
    return OwnerDashboard(
        overdue=[action for action in mine if action.due_on < today],
        due_soon=[action for action in mine if today <= action.due_on <= soon],
        open_count=len(mine),
        recent_updates=updates,
    )


def current_plan(user, today: datetime.date | None = None) -> ActionPlan | None:
    """The published plan running today (the latest to start, if several), else the latest
    published plan. One query."""
    today = today or rag.today()
    if not permissions.is_staff_member(user):
        return None
    plans = _viewers_queries(permissions.visible_action_plans_filter(user)).latest_published.list()
    running = [plan for plan in plans if plan.covers(today)]
    return (running or plans or [None])[0]


@dataclass
class SteeringDashboard:
    plan: ActionPlan | None
    overview: PlanOverview | None = None
    overdue: list[Action] = field(default_factory=list)
    overdue_count: int = 0
    recent_updates: list[ActionUpdate] = field(default_factory=list)


# The steering group's panel, on their dashboards at every visit: compiled once
# (portal.prepared).
_OVERDUE = PreparedQuery(
    lambda plan, today: (
        Action.objects.filter(plan_id=plan, due_on__lt=today)
        .exclude(status=Action.Status.COMPLETE)
        .select_related("owner__technician", "plan")
        .order_by("due_on", "ref", "pk")
    )
)
_LATEST_UPDATES = PreparedQuery(
    lambda plan: (
        ActionUpdate.objects.filter(action__plan_id=plan)
        .select_related("action__plan", "author__technician")
        .order_by("-created", "-pk")[:DASHBOARD_LIST_LENGTH]
    )
)


def steering_dashboard(user, today: datetime.date | None = None) -> SteeringDashboard:
    """The current plan's RAG counts by pillar, its overdue actions with their owners (most
    late first), and its last 10 progress updates. Four queries."""
    today = today or rag.today()
    plan = current_plan(user, today)
    if plan is None:
        return SteeringDashboard(plan=None)
    overdue = _OVERDUE.list(plan=plan.pk, today=today)
    for action in overdue:
        action.due_text = due_phrase(action.due_on, today)
    updates = _LATEST_UPDATES.list(plan=plan.pk)
    return SteeringDashboard(
        plan=plan,
        overview=plan_overview(plan, today),
        overdue=overdue[:DASHBOARD_LIST_LENGTH],
        overdue_count=len(overdue),
        recent_updates=updates,
    )


def owns_open_actions(user) -> bool:
    """Whether the owner panel applies: `user` owns an action of a plan not archived (a
    finished one too: the panel shows their last updates). One query (none for visitors),
    whose actions the panel then shows."""
    return bool(_actions_owned(user))


def _actions_owned(user) -> list[Action]:
    """Every action `user` owns in plans they may see that are not archived, finished ones
    too: read once a request for the owner panel's test and its content, and kept on the
    user object, which lives for one request."""
    if not hasattr(user, "_actionplan_owned"):
        user._actionplan_owned = (
            _viewers_queries(permissions.visible_action_plans_filter(user)).actions_owned.list(
                owner=user.pk
            )
            if permissions.is_staff_member(user)
            else []
        )
    return user._actionplan_owned
