"""Recognition on the public Commitment page (through `portal.registry.register_public_block`):
award winners who consented (public profiles only) and the impact stories applicants chose to
share from their development fund reports."""

from __future__ import annotations

from typing import Any

from portal.registry import PublicBlock
from recognition import selectors


def public_context(request) -> dict[str, Any] | None:
    stories = selectors.impact_stories()
    winners = selectors.public_winners()
    if not stories and not winners:
        return None
    return {"stories": stories, "winners": winners}


PUBLIC_BLOCK = PublicBlock(
    name="recognition",
    template="recognition/blocks/public.html",
    context=public_context,
    order=40,
)
