"""The panel mechanism the fund's calls and the awards' judging rounds share: members declare
a conflict or score each criterion from 1 to 5 with a comment, until scoring closes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from recognition import permissions
from recognition.models import Panel, Review

NOT_MEMBER = "Only the panel's members can score."
OWN_ITEM = "You cannot score your own application or nomination."
SCORING_CLOSED = "Scoring closed on {day}: scores can no longer change."
SCORES_NEEDED = "Please score every criterion from 1 to 5, or declare a conflict."
CONFLICT_REASON = "Please say briefly what the conflict is."


def make_panel(
    *, name: str, criteria: str, scoring_closes_on, coordinator=None, members=()
) -> Panel:
    criteria = (criteria or "").strip() or "Quality of the case"
    panel = Panel(
        name=name, criteria=criteria, scoring_closes_on=scoring_closes_on, coordinator=coordinator
    )
    panel.full_clean()
    panel.save()
    panel.members.set(list(members))
    return panel


def _clean_scores(panel: Panel, scores) -> list[int]:
    criteria = panel.criteria_list
    try:
        values = [int(value) for value in scores or []]
    except (TypeError, ValueError):
        raise ValidationError({"scores": [SCORES_NEEDED]}) from None
    if len(values) != len(criteria) or any(value < 1 or value > 5 for value in values):
        raise ValidationError({"scores": [SCORES_NEEDED]})
    return values


@transaction.atomic
def record_review(
    panel: Panel,
    *,
    by,
    application=None,
    nomination=None,
    conflict: bool = False,
    conflict_reason: str = "",
    scores=(),
    comment: str = "",
    today=None,
) -> Review:
    """Save `by`'s conflict or scores on one application or nomination of `panel` (a second
    call changes the first answer while scoring is open)."""
    today = today or timezone.localdate()
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if not permissions.is_panel_member(by, panel):
        raise PermissionDenied(NOT_MEMBER)
    if panel.scoring_closed(today):
        raise ValidationError(
            SCORING_CLOSED.format(day=panel.scoring_closes_on.strftime("%-d %B %Y")),
            code="closed",
        )
    target = {"application": application} if application is not None else {"nomination": nomination}
    review = Review.objects.filter(reviewer=by, **target).first() or Review(
        panel=panel, reviewer=by, **target
    )
    if conflict:
        review.conflict = True
        review.conflict_reason = (conflict_reason or "").strip()
        if not review.conflict_reason:
            raise ValidationError({"conflict_reason": [CONFLICT_REASON]})
        review.scores = []
        review.comment = ""
    else:
        review.conflict = False
        review.conflict_reason = ""
        review.scores = _clean_scores(panel, scores)
        review.comment = (comment or "").strip()
    review.updated = timezone.now()
    review.save()
    return review
