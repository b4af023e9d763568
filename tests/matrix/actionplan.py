"""Permission matrix of the action plans.

`world.technician` owns one action of the published plan (so the "action owner" persona is
covered); `manager` and `coordinator` are staff without any role on the plan. Drafts are seen
by the steering group, HR and admins only (404 for everyone else); archived plans are read-only:
the steering group is sent back to the page with a message (302), others are refused.
"""

import datetime

from django.core.files.base import ContentFile

from tests.matrix import Row, staff

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _update_with_evidence(action, author):
    from tests.factories import ActionUpdateFactory

    update = ActionUpdateFactory(
        action=action,
        author=author,
        evidence_name="minutes.pdf",
        evidence_content_type="application/pdf",
    )
    update.evidence.save("evidence.pdf", ContentFile(PDF), save=True)
    return update


def setup(world) -> None:
    from tests.factories import ActionFactory, ActionPlanFactory

    period = {"starts_on": datetime.date(2025, 8, 1), "ends_on": datetime.date(2028, 7, 31)}
    world.ap_published = ActionPlanFactory(title="Published plan", status="published", **period)
    world.ap_draft = ActionPlanFactory(title="Draft plan", status="draft", **period)
    world.ap_archived = ActionPlanFactory(title="Archived plan", status="archived", **period)
    world.ap_owned = ActionFactory(plan=world.ap_published, ref="V1.1", owner=world.technician)
    world.ap_not_owned = ActionFactory(plan=world.ap_published, ref="V1.2", owner=world.steering)
    world.ap_draft_action = ActionFactory(plan=world.ap_draft, ref="V1.1", owner=world.technician)
    world.ap_archived_action = ActionFactory(
        plan=world.ap_archived, ref="V1.1", owner=world.technician
    )
    world.ap_evidence = _update_with_evidence(world.ap_owned, world.technician)
    world.ap_draft_evidence = _update_with_evidence(world.ap_draft_action, world.steering)


def _plan(suffix, attr):
    return lambda w: f"/action-plans/{getattr(w, attr).pk}/{suffix}"


def _action(suffix, attr):
    def path(w):
        action = getattr(w, attr)
        return f"/action-plans/{action.plan_id}/actions/{action.pk}/{suffix}"

    return path


def _evidence(attr):
    def path(w):
        update = getattr(w, attr)
        action = update.action
        return f"/action-plans/{action.plan_id}/actions/{action.pk}/updates/{update.pk}/evidence/"

    return path


# Who may do what.
READ = staff(200)
READ_DRAFT = staff(404, steering=200, hr=200, admin=200)
STEER = staff(403, steering=200, admin=200)
STEER_DRAFT = staff(404, steering=200, hr=403, admin=200)
STEER_ARCHIVED = staff(403, steering=302, admin=302)  # refused with a message, back to the page
UPDATE_OWN = staff(403, technician=200, steering=200, admin=200)
UPDATE_OWN_DONE = staff(403, technician=302, steering=302, admin=302)

INVALID_UPDATE = {"note": "", "progress": "150", "status": "in_progress"}
VALID_UPDATE = {
    "note": "Checked by the permission matrix.",
    "progress": "50",
    "status": "in_progress",
}

ROWS = [
    Row("actionplan:list", lambda w: "/action-plans/", READ),
    Row("actionplan:create", lambda w: "/action-plans/new/", STEER),
    Row("actionplan:create", lambda w: "/action-plans/new/", STEER, method="post", note=" invalid"),
    Row("actionplan:detail", _plan("", "ap_published"), READ, note=" published"),
    Row(
        "actionplan:detail",
        lambda w: f"/action-plans/{w.ap_published.pk}/?pillar=visibility&rag=green&sort=-due",
        READ,
        note=" published, filtered",
    ),
    Row("actionplan:detail", _plan("", "ap_draft"), READ_DRAFT, note=" draft"),
    Row("actionplan:detail", _plan("", "ap_archived"), READ, note=" archived"),
    Row("actionplan:edit", _plan("edit/", "ap_published"), STEER, note=" published"),
    Row("actionplan:edit", _plan("edit/", "ap_draft"), STEER_DRAFT, note=" draft"),
    Row("actionplan:edit", _plan("edit/", "ap_archived"), STEER_ARCHIVED, note=" archived"),
    Row(
        "actionplan:edit",
        _plan("edit/", "ap_published"),
        STEER,
        method="post",
        data=lambda w: {"title": ""},
        note=" published, invalid",
    ),
    Row("actionplan:history", _plan("history/", "ap_published"), READ, note=" published"),
    Row("actionplan:history", _plan("history/", "ap_draft"), READ_DRAFT, note=" draft"),
    Row("actionplan:export", _plan("export.csv", "ap_published"), READ, note=" published"),
    Row("actionplan:export", _plan("export.csv", "ap_draft"), READ_DRAFT, note=" draft"),
    Row("actionplan:print", _plan("print/", "ap_published"), READ, note=" published"),
    Row("actionplan:print", _plan("print/", "ap_draft"), READ_DRAFT, note=" draft"),
    Row("actionplan:import", _plan("import/", "ap_published"), STEER, note=" published"),
    Row("actionplan:import", _plan("import/", "ap_draft"), STEER_DRAFT, note=" draft"),
    Row("actionplan:import", _plan("import/", "ap_archived"), STEER_ARCHIVED, note=" archived"),
    Row(
        "actionplan:import",
        _plan("import/", "ap_published"),
        STEER,
        method="post",
        note=" published, no file",
    ),
    Row("actionplan:next", _plan("next/", "ap_published"), STEER, note=" published"),
    Row("actionplan:next", _plan("next/", "ap_draft"), STEER_DRAFT, note=" draft"),
    Row("actionplan:next", _plan("next/", "ap_archived"), STEER, note=" archived"),
    Row(
        "actionplan:next",
        _plan("next/", "ap_published"),
        STEER,
        method="post",
        data=lambda w: {"title": ""},
        note=" published, invalid",
    ),
    Row("actionplan:action_create", _plan("actions/new/", "ap_published"), STEER, note=" pub"),
    Row("actionplan:action_create", _plan("actions/new/", "ap_draft"), STEER_DRAFT, note=" draft"),
    Row(
        "actionplan:action_create",
        _plan("actions/new/", "ap_archived"),
        STEER_ARCHIVED,
        note=" archived",
    ),
    Row(
        "actionplan:action_create",
        _plan("actions/new/", "ap_published"),
        STEER,
        method="post",
        note=" published, invalid",
    ),
    Row("actionplan:action_detail", _action("", "ap_owned"), READ, note=" published"),
    Row("actionplan:action_detail", _action("", "ap_draft_action"), READ_DRAFT, note=" draft"),
    Row("actionplan:action_detail", _action("", "ap_archived_action"), READ, note=" archived"),
    Row("actionplan:action_edit", _action("edit/", "ap_owned"), STEER, note=" owner's action"),
    Row("actionplan:action_edit", _action("edit/", "ap_draft_action"), STEER_DRAFT, note=" draft"),
    Row(
        "actionplan:action_edit",
        _action("edit/", "ap_archived_action"),
        STEER_ARCHIVED,
        note=" archived",
    ),
    Row(
        "actionplan:action_edit",
        _action("edit/", "ap_owned"),
        STEER,
        method="post",
        note=" invalid",
    ),
    Row("actionplan:action_update", _action("update/", "ap_owned"), UPDATE_OWN, note=" own"),
    Row("actionplan:action_update", _action("update/", "ap_not_owned"), STEER, note=" not own"),
    Row(
        "actionplan:action_update",
        _action("update/", "ap_draft_action"),
        STEER_DRAFT,
        note=" draft (owner cannot see drafts)",
    ),
    Row(
        "actionplan:action_update",
        _action("update/", "ap_archived_action"),
        UPDATE_OWN_DONE,
        note=" archived",
    ),
    Row(
        "actionplan:action_update",
        _action("update/", "ap_owned"),
        UPDATE_OWN,
        method="post",
        data=lambda w: INVALID_UPDATE,
        note=" own, invalid",
    ),
    Row(
        "actionplan:action_update",
        _action("update/", "ap_owned"),
        UPDATE_OWN_DONE,
        method="post",
        data=lambda w: VALID_UPDATE,
        note=" own, valid",
    ),
    Row(
        "actionplan:action_update",
        _action("update/", "ap_not_owned"),
        staff(403, steering=302, admin=302),
        method="post",
        data=lambda w: VALID_UPDATE,
        note=" not own, valid",
    ),
    Row("actionplan:evidence", _evidence("ap_evidence"), READ, note=" published"),
    Row("actionplan:evidence", _evidence("ap_draft_evidence"), READ_DRAFT, note=" draft"),
]
