"""The action plan app's part of a person's data (portal.personal_data): the actions they own
and the progress updates they wrote, with the evidence they uploaded. Retention keeps that
evidence (the plan's history must keep it) but removes the person's name from it: the
uploaded file's own name gives way to a neutral one; the author's account becomes "Former
technician" (the technicians app)."""

from __future__ import annotations

from actionplan.models import Action, ActionUpdate
from actionplan.versions import plans_changed
from portal.personal_data import PersonalData, files_of, plural, rows


def collect(technician) -> PersonalData:
    if not technician.user_id:
        return PersonalData(description="the actions you own and your progress updates")
    updates = ActionUpdate.objects.filter(author_id=technician.user_id).order_by("created", "pk")
    return PersonalData(
        description="the actions you own and your progress updates",
        tables={
            "actions_owned": rows(
                Action.objects.filter(owner_id=technician.user_id).order_by("plan_id", "ref"),
                "plan__title",
                "ref",
                "pillar",
                "title",
                "due_on",
                "status",
                "progress",
            ),
            "updates": rows(
                updates,
                "action__plan__title",
                "action__ref",
                "note",
                "progress",
                "status",
                "evidence_name",
                "evidence_url",
                "created",
            ),
        },
        files=files_of(updates, "evidence", "evidence_name"),
    )


def anonymise(technician, *, dry_run: bool) -> list[str]:
    if not technician.user_id:
        return []
    named = list(
        ActionUpdate.objects.filter(author_id=technician.user_id)
        .exclude(evidence="")
        .only("pk", "evidence", "evidence_name")
    )
    if not dry_run:
        for update in named:
            extension = (
                update.evidence.name.rsplit(".", 1)[-1] if "." in update.evidence.name else ""
            )
            update.evidence_name = f"evidence-{update.pk}.{extension}".rstrip(".")
        ActionUpdate.objects.bulk_update(named, ["evidence_name"])
        plans_changed()  # written in bulk (no signals)
    if not named:
        return []
    return [f"{plural(len(named), 'evidence file')} kept for the plan, without the name"]
