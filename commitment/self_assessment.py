"""The self-assessment of one submission, as a plain dict: the workspace page, the PDF and
the Word document all read it, and submitting stores it (`Submission.snapshot`) so that what
was sent never changes afterwards.

For each pillar: the reflection on the plan the submission closes (its actions with their
final status, RAG, progress and evidence links, and the steering group's reflection), the
evidence of progress (the pillar's headline figures with the year-on-year change and what
each measures, from `commitment.kpis`), the technician voice (free text, and what the voice
app registers through `commitment.hooks`), and the next steps (the new plan's actions). Then
the checklist of the Commitment's minimum, ticked from the data where the portal can tell.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as format_date

from actionplan.models import PILLAR_AIMS, Action, ActionPlan
from actionplan.rag import rag_for
from commitment import hooks, kpis, selectors
from commitment.models import Submission
from portal.periods import academic_year_label, academic_year_of


def long_date(day: datetime.date | None) -> str:
    return format_date(day, "j F Y") if day else ""


def _evidence_links(action: Action) -> list[str]:
    base = settings.SITE_URL.rstrip("/")
    links = []
    for update in getattr(action, "evidence_updates", []):
        if update.evidence_url:
            links.append(update.evidence_url)
        if update.evidence:
            links.append(base + update.get_evidence_url())
    return links


def _action_row(action: Action, on: datetime.date, *, evidence: bool) -> dict[str, Any]:
    rating = rag_for(action.status, action.progress, action.due_on, on)
    row = {
        "ref": action.ref,
        "title": action.title,
        "status": action.status,
        "status_label": action.get_status_display(),
        "rag": rating.value,
        "rag_label": rating.label,
        "progress": action.progress,
        "due_on": long_date(action.due_on),
    }
    if evidence:
        row["evidence"] = _evidence_links(action)
    return row


def checklist(submission: Submission, pillars: list[dict[str, Any]], today) -> list[dict]:
    commitment = submission.commitment
    plan = selectors.running_plan(today)
    voice = any(pillar["voice"] or pillar["voice_evidence"] for pillar in pillars)
    return [
        {
            "item": "A public Commitment page is live",
            "met": bool(commitment.contact_email),
            "how": "The portal publishes /commitment/ once the Commitment has a contact address.",
        },
        {
            "item": "The action plan is published",
            "met": plan is not None and plan.status == ActionPlan.Status.PUBLISHED,
            "how": f"Published plan: {plan.title}." if plan else "No plan is published.",
        },
        {
            "item": "A named contact",
            "met": bool(commitment.lead_id and commitment.contact_email),
            "how": "The Commitment names a lead and a public contact address.",
        },
        {
            "item": "Evidence of the technician voice",
            "met": voice,
            "how": "At least one pillar holds technician-voice evidence.",
        },
    ]


def build(submission: Submission, *, today: datetime.date | None = None) -> dict[str, Any]:
    """The self-assessment as it stands now (see the module's docstring)."""
    today = today or timezone.localdate()
    year = academic_year_of(today)
    texts = selectors.pillar_texts(submission)
    closing = selectors.plan_actions_with_evidence(submission.closes_plan)
    upcoming = (
        selectors.plan_actions_with_evidence(submission.next_plan) if submission.next_plan else []
    )
    figures = kpis.by_pillar(kpis.for_year(year))
    pillars = []
    for pillar, label in kpis.PILLARS:
        text = texts.get(pillar)
        pillars.append(
            {
                "pillar": pillar,
                "label": label,
                "aim": str(PILLAR_AIMS.get(pillar, "")),
                "previous_actions": [
                    _action_row(action, today, evidence=True)
                    for action in closing
                    if action.pillar == pillar
                ],
                "reflection": text.reflection if text else "",
                "figures": [figure.as_dict() for figure in figures[pillar]],
                "voice": text.voice if text else "",
                "voice_evidence": hooks.voice_paragraphs(submission, pillar),
                "other_sections": hooks.other_sections(submission, pillar),
                "next_steps": [
                    _action_row(action, today, evidence=False)
                    for action in upcoming
                    if action.pillar == pillar
                ],
            }
        )
    commitment = submission.commitment
    return {
        "institution": settings.PORTAL_INSTITUTION_NAME,
        "stage": submission.stage,
        "due_on": long_date(submission.due_on),
        "extended": submission.extended,
        "year": year,
        "year_label": academic_year_label(year),
        "previous_year_label": academic_year_label(year - 1),
        "made_on": long_date(today),
        "signed_on": long_date(commitment.signed_on),
        "announced_on": long_date(commitment.announced_on),
        "champion": commitment.champion,
        "contact_email": commitment.contact_email,
        "lead": (commitment.lead.get_full_name() or commitment.lead.email)
        if commitment.lead
        else "",
        "closes_plan": submission.closes_plan.title if submission.closes_plan else "",
        "next_plan": submission.next_plan.title if submission.next_plan else "",
        "pillars": pillars,
        "checklist": checklist(submission, pillars, today),
    }


def document(submission: Submission) -> dict[str, Any]:
    """What the pages and exports show: the frozen copy once submitted, else the live one."""
    if submission.is_frozen and submission.snapshot:
        return submission.snapshot
    return build(submission)
