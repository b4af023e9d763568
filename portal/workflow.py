"""The one workflow step every app uses: lock the row, refuse a wrong state in a sentence, move
it, and record a typed event naming the actor, all in one transaction.

    from portal.workflow import transition

    moved = transition(
        application,                     # the row (or its model and `pk=`)
        to="submitted",
        allowed_from=("draft",),
        actor=by,
        refusal="Only a draft can be submitted; this application is {status}.",
        record=lambda step: FundingEvent.objects.create(
            application=step.obj, from_status=step.from_state, to_status=step.to_state,
            actor=step.actor, created=step.at,
        ),
    )
    moved.obj      # the locked row, saved in its new state
    moved.event    # what `record` returned (here the FundingEvent)

The caller checks who may act before calling (a PermissionDenied changes nothing); a check
that needs the locked row goes in `precheck` (run before the state is judged, so the wrong
person is refused as such whatever the state). Further refusals that depend on the locked
row (the session has started, the budget is spent) go in `check`, run after the state check.
Every refusal raises inside the transaction, so nothing is written. A caller that must lock
other rows first (a session before its bookings) locks them in its own `transaction.atomic()`
and calls `transition` inside it.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

WRONG_STATE = "wrong_state"


@dataclass(frozen=True)
class Transition:
    """One move of one row: what it was, what it became, who moved it and when.

    `actor` is the acting user, or None when nobody signed in acted (the command line, a
    task); `event` is what the app's recorder returned (None without one)."""

    obj: models.Model
    from_state: str
    to_state: str
    actor: Any
    at: datetime.datetime
    note: str = ""
    event: Any = None


def actor_of(by) -> Any:
    """The user to name on an event: `by` when it is a signed-in user, else None."""
    return by if getattr(by, "is_authenticated", False) else None


def lock(
    model_or_obj: type[models.Model] | models.Model,
    pk: Any = None,
    *,
    select_related: Iterable[str] = (),
) -> models.Model:
    """The row, read again under a row lock (SELECT … FOR UPDATE of its own table only)."""
    if isinstance(model_or_obj, models.Model):
        model, pk = type(model_or_obj), model_or_obj.pk if pk is None else pk
    else:
        model = model_or_obj
    if pk is None:
        raise ValueError("transition() needs a saved row or a primary key.")
    queryset = model._default_manager.select_for_update(of=("self",))
    related = tuple(select_related)
    if related:
        queryset = queryset.select_related(*related)
    return queryset.get(pk=pk)


def state_label(obj: models.Model, field: str) -> str:
    """The state as a sentence says it: its choice label in lower case ("submitted")."""
    display = getattr(obj, f"get_{field}_display", None)
    return str(display() if display else getattr(obj, field)).lower()


def refuse_unless(
    obj: models.Model,
    allowed_from: Iterable[str],
    refusal: str | Callable[[models.Model], str],
    *,
    field: str = "status",
    code: str = WRONG_STATE,
) -> None:
    """A ValidationError with the refusal sentence (its `{status}` filled in) unless the row's
    state is one of `allowed_from`."""
    if getattr(obj, field) in tuple(allowed_from):
        return
    message = refusal(obj) if callable(refusal) else refusal.format(status=state_label(obj, field))
    raise ValidationError(message, code=code)


def _auto_now_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name for field in model._meta.concrete_fields if getattr(field, "auto_now", False)
    ]


def transition(
    model_or_obj: type[models.Model] | models.Model,
    pk: Any = None,
    *,
    to: str | Callable[[models.Model], str],
    allowed_from: Iterable[str],
    actor,
    refusal: str | Callable[[models.Model], str],
    record: Callable[[Transition], Any] | None = None,
    note: str = "",
    field: str = "status",
    changes: Mapping[str, Any] | Callable[[models.Model], Mapping[str, Any]] | None = None,
    stamp: str | None = None,
    precheck: Callable[[models.Model], None] | None = None,
    check: Callable[[models.Model], None] | None = None,
    select_related: Iterable[str] = (),
    full_clean: bool | Iterable[str] = False,
    validate_constraints: bool = True,
    also_save: Iterable[str] = (),
    code: str = WRONG_STATE,
) -> Transition:
    """Lock the row, refuse unless its `field` is in `allowed_from`, move it to `to`, record.

    - `to`: the new state, or a function of the locked row that chooses it (a seat or the
      waiting list).
    - `refusal`: the sentence for a wrong state; `{status}` is the state's label.
    - `record(step)`: writes the app's typed event (a FundingEvent, …) and returns it; it
      receives the Transition with `actor` (None for the command line) and `at`.
    - `changes`: other fields set with the move (a dict, or a function of the locked row
      returning one, run after every check); `stamp`: a field set to the time of the move.
    - `precheck(row)` / `check(row)`: refusals that need the locked row, judged before / after
      the state (who may act on this row; whether the session has started, the budget allows).
    - `full_clean`: validate the row before saving (True, or the fields to exclude).
    - `also_save`: fields changed on the row by `changes` without being in its dict (a file
      stored by the caller).
    Returns the Transition, whose `obj` is the locked row as saved.
    """
    with transaction.atomic():
        obj = lock(model_or_obj, pk, select_related=select_related)
        if precheck is not None:
            precheck(obj)
        refuse_unless(obj, allowed_from, refusal, field=field, code=code)
        if check is not None:
            check(obj)
        from_state = getattr(obj, field)
        to_state = to(obj) if callable(to) else to
        values = dict(changes(obj) if callable(changes) else (changes or {}))
        now = timezone.now()
        for name, value in values.items():
            setattr(obj, name, value)
        setattr(obj, field, to_state)
        if stamp:
            setattr(obj, stamp, now)
        if full_clean is not False:
            exclude = None if full_clean is True else list(full_clean)
            obj.full_clean(exclude=exclude, validate_constraints=validate_constraints)
        update_fields = dict.fromkeys(
            [field, *values, *([stamp] if stamp else []), *also_save, *_auto_now_fields(type(obj))]
        )
        obj.save(update_fields=list(update_fields))
        step = Transition(
            obj=obj,
            from_state=from_state,
            to_state=to_state,
            actor=actor_of(actor),
            at=now,
            note=note,
        )
        if record is not None:
            step = dataclasses.replace(step, event=record(step))
    logger.info(
        "%s %s: %s -> %s by %s",
        obj._meta.label,
        obj.pk,
        from_state,
        to_state,
        getattr(step.actor, "pk", "nobody"),
    )
    return step
