"""Every change of the skills matrix goes through a function here: a technician's list of
skills, confirming and validating ratings, marking skills to learn, and shadowing requests
with their transitions.

Keyword-only after the object; `by` is the acting user, checked here. A refusal raises
PermissionDenied (wrong person) or ValidationError (wrong state, bad input), with a sentence
meant for the user, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portal import roles
from portal.services import absolute_url, queue_notification
from portal.workflow import transition
from skills import permissions
from skills.models import ShadowingRequest, Skill, TechnicianSkill, UnitSkillNeed
from skills.risk import SkillLoss
from skills.versions import skills_changed
from technicians import permissions as directory_rules
from technicians.models import Department, Technician
from technicians.search import refresh_search_vectors

# --- a technician's own list of skills (on "my profile") -----------------------------------


def _check_skills(skills: Iterable[tuple[Skill, int]]) -> dict[int, int]:
    """{skill id: level}, or a ValidationError for a bad level or a skill listed twice."""
    wanted: dict[int, int] = {}
    for skill, level in skills:
        if int(level) not in TechnicianSkill.Level.values:
            raise ValidationError(
                f"“{skill}”: choose a level from 1 (aware) to 4 (can train others).",
                code="bad_level",
            )
        if skill.pk in wanted:
            raise ValidationError(
                f"You listed “{skill}” more than once: keep one row per skill.",
                code="duplicate_skill",
            )
        wanted[skill.pk] = int(level)
    return wanted


def _replace_skills(technician: Technician, wanted: dict[int, int]) -> None:
    current = {ts.skill_id: ts for ts in TechnicianSkill.objects.filter(technician=technician)}
    TechnicianSkill.objects.filter(technician=technician).exclude(
        skill_id__in=list(wanted)
    ).delete()
    # A level set or changed is a level confirmed (the skills matrix's yearly review).
    today = timezone.localdate()
    for skill_id, level in wanted.items():
        row = current.get(skill_id)
        if row is not None and row.level != level:
            row.level = level
            row.confirmed_on = today
            row.save(update_fields=["level", "confirmed_on"])
    TechnicianSkill.objects.bulk_create(
        TechnicianSkill(technician=technician, skill_id=skill_id, level=level, confirmed_on=today)
        for skill_id, level in wanted.items()
        if skill_id not in current
    )
    skills_changed()  # bulk_create sends no signals


def set_skills(technician: Technician, skills: Iterable[tuple[Skill, int]], *, by) -> None:
    """Replace the technician's list of skills with these (skill, level) pairs: rows left out
    are removed, a level set or changed is a level confirmed today, and the directory's search
    finds the new list at once. The profile's own editor (the technician, or HR) only.
    PermissionDenied or ValidationError (a bad level, a skill listed twice) change nothing."""
    if not directory_rules.can_edit_technician(by, technician):
        raise PermissionDenied("You can only edit your own profile.")
    wanted = _check_skills(skills)
    with transaction.atomic():
        _replace_skills(technician, wanted)
        refresh_search_vectors([technician.pk])  # skills added and removed in bulk


# --- reviews --------------------------------------------------------------------------------


def confirm_skills(technician: Technician, *, by, skill_ids: Iterable[int] | None = None) -> int:
    """The technician confirms that their levels still hold (all of them, or `skill_ids`):
    their ratings are fresh again for SKILLS_REVIEW_MONTHS. Returns how many were confirmed."""
    if not (
        permissions.can_review_own_skills(by) and directory_rules.is_own_profile(by, technician)
    ):
        raise PermissionDenied("You can only confirm your own skills.")
    rows = TechnicianSkill.objects.filter(technician=technician)
    if skill_ids is not None:
        rows = rows.filter(skill_id__in=list(skill_ids))
    confirmed = rows.update(confirmed_on=timezone.localdate())
    skills_changed()  # an update sends no signals
    return confirmed


def validate_skill(technician_skill: TechnicianSkill, *, level: int, by) -> TechnicianSkill:
    """The line manager records the level they agree for a team member's skill (which may
    differ from the self-rating). Nobody validates their own skills."""
    if directory_rules.technician_of(by) == technician_skill.technician:
        raise PermissionDenied("You cannot validate your own skills: your line manager does.")
    if not permissions.can_validate_skill(by, technician_skill):
        raise PermissionDenied("Only the technician's line manager can validate their skills.")
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in TechnicianSkill.Level.values:
        raise ValidationError(
            "Choose a level from 1 (aware) to 4 (can train others).", code="bad_level"
        )
    with transaction.atomic():
        row = TechnicianSkill.objects.select_for_update().get(pk=technician_skill.pk)
        row.validated_level = level
        row.validated_by = by
        row.validated_on = timezone.localdate()
        row.full_clean()
        row.save(update_fields=["validated_level", "validated_by", "validated_on"])
    return row


def set_wants_to_learn(technician: Technician, skill: Skill, *, wants: bool, by):
    """Mark (or unmark) a skill the technician wants to learn. A skill they do not hold yet is
    added at level 1, "aware"; unmarking leaves held levels alone and removes only such a
    placeholder. Returns the TechnicianSkill, or None when the placeholder was removed."""
    if not (
        permissions.can_review_own_skills(by) and directory_rules.is_own_profile(by, technician)
    ):
        raise PermissionDenied("You can only choose the skills you want to learn yourself.")
    with transaction.atomic():
        row = (
            TechnicianSkill.objects.select_for_update()
            .filter(technician=technician, skill=skill)
            .first()
        )
        if row is None:
            if not wants:
                return None
            row = TechnicianSkill(
                technician=technician,
                skill=skill,
                level=TechnicianSkill.Level.AWARE,
                wants_to_learn=True,
                confirmed_on=timezone.localdate(),
            )
            row.full_clean()
            row.save()
            return row
        if (
            not wants
            and row.level == TechnicianSkill.Level.AWARE
            and row.validated_level is None
            and row.wants_to_learn
        ):
            row.delete()
            return None
        row.wants_to_learn = wants
        row.save(update_fields=["wants_to_learn"])
    return row


# --- shadowing ------------------------------------------------------------------------------


def _skill_url(skill_id: int) -> str:
    return absolute_url(reverse("technicians:skill", args=[skill_id]))


def _line_managers(*technicians: Technician) -> list:
    managers = []
    for technician in technicians:
        manager = technician.line_manager
        if manager is not None and manager.is_active and manager not in managers:
            managers.append(manager)
    return managers


def _tell_line_managers(shadowing: ShadowingRequest, kind: str, subject: str, body: str) -> None:
    # People are told at their staff-list address, with or without an account.
    for manager in _line_managers(shadowing.learner, shadowing.teacher):
        if manager in (shadowing.learner, shadowing.teacher):
            continue  # a party who is also the other's manager hears it as a party
        queue_notification(manager, kind, f"shadowing:{shadowing.pk}", subject, body)


SHADOWING_RELATED = (
    "learner__user",
    "learner__line_manager__user",
    "teacher__user",
    "teacher__line_manager__user",
    "skill",
)


def _move(
    shadowing: ShadowingRequest,
    allowed: tuple[str, ...],
    to: str,
    *,
    by,
    action: str,
    stamp: str = "decided_at",
    note: str | None = None,
) -> ShadowingRequest:
    """The kernel's workflow step: lock the request, refuse unless its status is one of
    `allowed` (saying it can no longer be `action`), then move it to `to`, stamping `stamp` now
    and keeping a decision `note`."""
    return transition(
        shadowing,
        to=to,
        allowed_from=allowed,
        actor=by,
        refusal=f"This request is {{status}}: it can no longer be {action}.",
        stamp=stamp,
        changes=None if note is None else {"decision_note": note.strip()},
        full_clean=note is not None,
        validate_constraints=False,
        select_related=SHADOWING_RELATED,
    ).obj


def request_shadowing(teacher: Technician, skill: Skill, *, by, note: str = "") -> ShadowingRequest:
    """The acting technician asks `teacher`, who can train others in `skill`, to let them
    shadow. The teacher and both line managers are told."""
    if not permissions.can_ask_for_shadowing(by, teacher):
        raise PermissionDenied("You can ask colleagues for shadowing from your own profile only.")
    learner = directory_rules.technician_of(by)
    teaches = TechnicianSkill.objects.filter(
        technician=teacher, skill=skill, level=TechnicianSkill.Level.TRAINER
    ).exists()
    if not teaches:
        raise ValidationError(
            f"{teacher.full_name} does not list “{skill}” as a skill they can train others in.",
            code="not_a_trainer",
        )
    shadowing = ShadowingRequest(
        learner=learner, teacher=teacher, skill=skill, note=(note or "").strip()
    )
    shadowing.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            shadowing.save()
            subject = f"{learner.full_name} would like to shadow you: {skill}"
            body = (
                f"{learner.full_name} ({learner.department}) asks to shadow you to learn "
                f"“{skill}”.\n\n{shadowing.note or '(no note)'}\n\n"
                f"Accept or decline it on your shadowing page: "
                f"{absolute_url(reverse('technicians:shadowing'))}"
            )
            queue_notification(
                teacher,
                "skills.shadowing_requested",
                f"shadowing:{shadowing.pk}",
                subject,
                body,
            )
            _tell_line_managers(
                shadowing,
                "skills.shadowing_requested_manager",
                f"Shadowing asked: {learner.full_name} with {teacher.full_name} ({skill})",
                f"{learner.full_name} has asked {teacher.full_name} for shadowing to learn "
                f"“{skill}”. You are told as the line manager of one of them.",
            )
    except IntegrityError:
        raise ValidationError(
            f"You have already asked {teacher.full_name} about “{skill}”.", code="duplicate"
        ) from None
    return shadowing


def accept_shadowing(shadowing: ShadowingRequest, *, by, note: str = "") -> ShadowingRequest:
    """requested → accepted, by the teacher. The learner and both line managers are told."""
    if not permissions.can_decide_shadowing(by, shadowing):
        raise PermissionDenied("Only the colleague who was asked can accept this request.")
    with transaction.atomic():
        shadowing = _move(
            shadowing,
            (ShadowingRequest.Status.REQUESTED,),
            ShadowingRequest.Status.ACCEPTED,
            by=by,
            action="accepted",
            note=note or "",
        )
        teacher, skill = shadowing.teacher, shadowing.skill
        queue_notification(
            shadowing.learner,
            "skills.shadowing_accepted",
            f"shadowing:{shadowing.pk}",
            f"{teacher.full_name} accepted your shadowing request: {skill}",
            f"{teacher.full_name} is happy for you to shadow them to learn “{skill}”. "
            f"Arrange a time together.\n\n{shadowing.decision_note}",
        )
        _tell_line_managers(
            shadowing,
            "skills.shadowing_accepted_manager",
            f"Shadowing agreed: {shadowing.learner.full_name} with {teacher.full_name} ({skill})",
            f"{teacher.full_name} has agreed that {shadowing.learner.full_name} shadows them to "
            f"learn “{skill}”.",
        )
    return shadowing


def decline_shadowing(shadowing: ShadowingRequest, *, by, note: str = "") -> ShadowingRequest:
    """requested → declined, by the teacher. The learner is told."""
    if not permissions.can_decide_shadowing(by, shadowing):
        raise PermissionDenied("Only the colleague who was asked can decline this request.")
    with transaction.atomic():
        shadowing = _move(
            shadowing,
            (ShadowingRequest.Status.REQUESTED,),
            ShadowingRequest.Status.DECLINED,
            by=by,
            action="declined",
            note=note or "",
        )
        queue_notification(
            shadowing.learner,
            "skills.shadowing_declined",
            f"shadowing:{shadowing.pk}",
            f"{shadowing.teacher.full_name} cannot take your shadowing request: {shadowing.skill}",
            f"{shadowing.teacher.full_name} cannot take you shadowing for “{shadowing.skill}” "
            f"now. Others may: {_skill_url(shadowing.skill_id)}\n\n{shadowing.decision_note}",
        )
    return shadowing


def cancel_shadowing(shadowing: ShadowingRequest, *, by) -> ShadowingRequest:
    """requested or accepted → cancelled, by the learner. The teacher is told."""
    if not permissions.can_cancel_shadowing(by, shadowing):
        raise PermissionDenied("Only the technician who asked can cancel this request.")
    with transaction.atomic():
        shadowing = _move(
            shadowing,
            ShadowingRequest.OPEN_STATUSES,
            ShadowingRequest.Status.CANCELLED,
            by=by,
            action="cancelled",
        )
        queue_notification(
            shadowing.teacher,
            "skills.shadowing_cancelled",
            f"shadowing:{shadowing.pk}",
            f"Shadowing cancelled: {shadowing.learner.full_name} ({shadowing.skill})",
            f"{shadowing.learner.full_name} has cancelled their request to shadow you for "
            f"“{shadowing.skill}”.",
        )
    return shadowing


def complete_shadowing(shadowing: ShadowingRequest, *, by) -> ShadowingRequest:
    """accepted → done, by the learner or the teacher. The other one is told."""
    if not permissions.can_complete_shadowing(by, shadowing):
        raise PermissionDenied("Only the learner or the teacher can mark shadowing as done.")
    with transaction.atomic():
        shadowing = _move(
            shadowing,
            (ShadowingRequest.Status.ACCEPTED,),
            ShadowingRequest.Status.DONE,
            by=by,
            action="marked as done",
            stamp="completed_at",
        )
        other = shadowing.teacher if by == shadowing.learner.user else shadowing.learner
        queue_notification(
            other,
            "skills.shadowing_done",
            f"shadowing:{shadowing.pk}",
            f"Shadowing done: {shadowing.learner.full_name} with {shadowing.teacher.full_name}",
            f"The shadowing for “{shadowing.skill}” is recorded as done.",
        )
    return shadowing


# --- leavers (after HR's staff list is applied) ---------------------------------------------


def tell_about_leaver_skill_losses(losses: list[SkillLoss], *, key: str) -> int:
    """Tell each affected department's line managers, and the steering group, which skills the
    department has lost with its leavers. Called by the staff-list import, in its transaction;
    `key` names the import so that it is told once. Returns how many notifications it queued."""
    if not losses:
        return 0
    by_department: dict[int, list[SkillLoss]] = {}
    for loss in losses:
        by_department.setdefault(loss.department_id, []).append(loss)
    managers = (
        Technician.objects.filter(
            department_id__in=list(by_department),
            is_active=True,
            reports__is_active=True,
        )
        .select_related("user")
        .distinct()
    )
    recipients: dict[int, list] = {department_id: [] for department_id in by_department}
    for manager in managers:  # the person, at their staff-list address, account or not
        recipients[manager.department_id].append(manager)
    steering = list(
        get_user_model()
        .objects.filter(groups__name=roles.STEERING_GROUP, is_active=True)
        .distinct()
    )
    queued = 0
    for department_id, department_losses in by_department.items():
        name = department_losses[0].department
        subject = f"Skills {name} has lost with its leavers"
        body = (
            "HR's staff list has just marked technicians as leavers, and with them these "
            f"skills leave {name}:\n\n"
            + "\n".join(f"- {loss.message}" for loss in department_losses)
            + "\n\nThe skills matrix shows where else they are held: "
            + absolute_url(reverse("technicians:skills"))
        )
        # A steering member who manages in the department is one person: told once (the
        # outbox's unique kind, key and addressee).
        for person in [*recipients[department_id], *steering]:
            sent = queue_notification(
                person, "skills.leaver_losses", f"{key}:department:{department_id}", subject, body
            )
            queued += sent is not None
    return queued


# --- what each unit needs (HR and the steering group) ---------------------------------------

NEEDS_REFUSED = "Only HR and the steering group say which skills a unit needs."
MAX_WANTED = 50


def _unit(department: Department | None, faculty: str) -> dict:
    """The need's unit as model fields, or a ValidationError unless exactly one is given and
    the faculty is one the departments name."""
    faculty = " ".join((faculty or "").split())
    if (department is None) == (not faculty):
        raise ValidationError(
            "Choose either a department or a faculty for the need, not both.", code="unit"
        )
    if faculty and not Department.objects.filter(faculty=faculty).exists():
        raise ValidationError(f"There is no faculty called “{faculty}”.", code="faculty")
    if department is not None:
        return {"department": department, "faculty": ""}
    return {"department": None, "faculty": faculty}


def _wanted(skill_name: str, min_holders) -> int:
    try:
        wanted = int(min_holders)
    except (TypeError, ValueError):
        wanted = 0
    if not 1 <= wanted <= MAX_WANTED:
        raise ValidationError(
            f"“{skill_name}”: give the number of holders wanted, from 1 to {MAX_WANTED}.",
            code="min_holders",
        )
    return wanted


def set_skill_need(
    skill: Skill,
    *,
    department: Department | None = None,
    faculty: str = "",
    min_holders: int,
    by,
) -> UnitSkillNeed:
    """Declare (or change) that a department or a faculty needs `skill`, with `min_holders`
    current technicians at practitioner level or above, one of whom can train others. Risk
    is judged only against such needs. HR and the steering group only."""
    if not permissions.can_edit_skill_needs(by):
        raise PermissionDenied(NEEDS_REFUSED)
    unit = _unit(department, faculty)
    wanted = _wanted(skill.name, min_holders)
    with transaction.atomic():
        need = (
            UnitSkillNeed.objects.select_for_update()
            .filter(skill=skill, **unit)
            .order_by("pk")
            .first()
        )
        need = need or UnitSkillNeed(skill=skill, **unit)
        need.min_holders = wanted
        need.updated_by = by
        need.full_clean(validate_unique=False, validate_constraints=False)
        need.save()
    return need


def remove_skill_need(
    skill: Skill, *, department: Department | None = None, faculty: str = "", by
) -> bool:
    """The unit no longer needs `skill`: its risk there is not judged any more. Returns
    whether there was such a need. HR and the steering group only."""
    if not permissions.can_edit_skill_needs(by):
        raise PermissionDenied(NEEDS_REFUSED)
    unit = _unit(department, faculty)
    deleted, _ = UnitSkillNeed.objects.filter(skill=skill, **unit).delete()
    return bool(deleted)


def set_unit_skill_needs(
    *,
    department: Department | None = None,
    faculty: str = "",
    needs: Mapping[int, int | None],
    by,
) -> dict[str, int]:
    """Save a unit's needs in one go (the needs page): {skill id: holders wanted, or None for
    not needed}; skills left out of `needs` keep what they have. Everything or nothing:
    PermissionDenied, or a ValidationError naming the first bad number or unknown skill.
    Returns how many needs were added, changed and removed."""
    if not permissions.can_edit_skill_needs(by):
        raise PermissionDenied(NEEDS_REFUSED)
    unit = _unit(department, faculty)
    skills = Skill.objects.in_bulk(list(needs))
    unknown = set(needs) - set(skills)
    if unknown:
        raise ValidationError("One of these skills no longer exists: reload the page.")
    wanted = {
        skill_id: _wanted(skills[skill_id].name, value)
        for skill_id, value in needs.items()
        if value not in (None, "")
    }
    counts = {"added": 0, "changed": 0, "removed": 0}
    with transaction.atomic():
        current = {
            need.skill_id: need
            # Ordered by key: the default order would join the department (nullable).
            for need in UnitSkillNeed.objects.select_for_update()
            .filter(skill_id__in=list(needs), **unit)
            .order_by("pk")
        }
        gone = [skill_id for skill_id in needs if skill_id not in wanted and skill_id in current]
        if gone:
            UnitSkillNeed.objects.filter(skill_id__in=gone, **unit).delete()
            counts["removed"] = len(gone)
        changed = []
        now = timezone.now()
        for skill_id, value in wanted.items():
            need = current.get(skill_id)
            if need is not None and need.min_holders != value:
                need.min_holders, need.updated_by, need.updated = value, by, now
                changed.append(need)
        UnitSkillNeed.objects.bulk_update(changed, ["min_holders", "updated_by", "updated"])
        counts["changed"] = len(changed)
        added = [
            UnitSkillNeed(skill_id=skill_id, min_holders=value, updated_by=by, **unit)
            for skill_id, value in wanted.items()
            if skill_id not in current
        ]
        UnitSkillNeed.objects.bulk_create(added)
        counts["added"] = len(added)
        skills_changed()  # bulk_update and bulk_create send no signals
    return counts
