"""Every change to technicians' data goes through a function here."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from contextlib import suppress

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone

from portal import roles
from technicians import permissions, photos, staff_import
from technicians.models import Skill, Technician, TechnicianSkill

logger = logging.getLogger(__name__)


@transaction.atomic
def link_user_to_technician(user) -> Technician | None:
    """Link a user to the Technician with the same e-mail (whatever its case), at first login,
    and put a current technician's user in the "Technician" group."""
    linked = Technician.objects.filter(user=user).first()
    if linked is None and user.email:
        linked = (
            Technician.objects.select_for_update()
            .filter(email__iexact=user.email, user__isnull=True)
            .first()
        )
        if linked is not None:
            linked.user = user
            linked.save(update_fields=["user", "updated"])
    if linked is not None and linked.is_active:
        _join_technician_group(user)
    return linked


def _join_technician_group(user) -> None:
    group, _created = Group.objects.get_or_create(name=roles.TECHNICIAN)
    user.groups.add(group)  # does nothing if the user is in it already
    with suppress(AttributeError):
        del user._portal_group_names  # portal.permissions' cache of the user's groups


# --- the technician's own profile ----------------------------------------------------------

# What a technician may change on their own profile; everything else is HR's (staff list).
SELF_EDITABLE_FIELDS = ("bio", "expertise", "equipment", "orcid", "visibility")


def _check_skills(skills: Iterable[tuple[Skill, int]]) -> dict[int, int]:
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
    for skill_id, level in wanted.items():
        row = current.get(skill_id)
        if row is not None and row.level != level:
            row.level = level
            row.save(update_fields=["level"])
    TechnicianSkill.objects.bulk_create(
        TechnicianSkill(technician=technician, skill_id=skill_id, level=level)
        for skill_id, level in wanted.items()
        if skill_id not in current
    )


def _delete_files_on_commit(storage, names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete, robust=True)


def update_profile(
    technician: Technician,
    data: Mapping[str, object],
    skills: Iterable[tuple[Skill, int]] | None = None,
    photo: UploadedFile | photos.ProcessedPhoto | None = None,
    *,
    remove_photo: bool = False,
    by,
) -> Technician:
    """Save what a technician (or HR) changed on a profile: the self-editable fields in
    `data`, the skills with their levels (replacing the old list; None leaves it alone), and
    a new photo (checked and re-encoded here unless already processed) or its removal.

    Checks everything before changing anything: PermissionDenied when `by` may not edit this
    profile, ValidationError for a bad field, level, duplicate skill or unusable photo.
    Replaced or removed photo files are deleted once the change is committed.
    """
    if not permissions.can_edit_technician(by, technician):
        raise PermissionDenied("You can only edit your own profile.")
    not_editable = set(data) - set(SELF_EDITABLE_FIELDS)
    if not_editable:
        raise ValidationError(
            f"These fields are kept by HR: {', '.join(sorted(not_editable))}.", code="hr_field"
        )
    wanted = _check_skills(skills) if skills is not None else None
    processed = (
        photo
        if isinstance(photo, photos.ProcessedPhoto) or photo is None
        else photos.process_photo(photo)
    )
    for name, value in data.items():
        setattr(technician, name, value)
    technician.clean_fields(exclude=[f.name for f in Technician._meta.fields if f.name not in data])

    storage = Technician._meta.get_field("photo").storage
    old_files = [name for name in (technician.photo.name, technician.photo_thumbnail.name) if name]
    new_files: list[str] = []
    fields = [*data, "updated"]
    try:
        with transaction.atomic():
            if processed is not None:
                technician.photo.save(
                    "photo" + processed.extension, processed.full_file(), save=False
                )
                new_files.append(technician.photo.name)
                technician.photo_thumbnail.save(
                    "thumbnail" + processed.extension, processed.thumbnail_file(), save=False
                )
                new_files.append(technician.photo_thumbnail.name)
                fields += ["photo", "photo_thumbnail"]
                _delete_files_on_commit(storage, old_files)
            elif remove_photo and old_files:
                technician.photo = ""
                technician.photo_thumbnail = ""
                fields += ["photo", "photo_thumbnail"]
                _delete_files_on_commit(storage, old_files)
            technician.save(update_fields=fields)
            if wanted is not None:
                _replace_skills(technician, wanted)
    except BaseException:
        for name in new_files:
            storage.delete(name)
        raise
    return technician


# --- bulk paths shared by the staff list and the demo data ---------------------------------


def create_technicians_in_bulk(new: list[Technician]) -> dict[str, int]:
    """Insert new technicians at once, without their line managers (`link_line_managers` sets
    those once everyone exists). Returns each one's staff number -> primary key."""
    Technician.objects.bulk_create(new, batch_size=500)
    if any(technician.pk is None for technician in new):  # a database without RETURNING
        return dict(
            Technician.objects.filter(
                staff_number__in=[technician.staff_number for technician in new]
            ).values_list("staff_number", "pk")
        )
    return {technician.staff_number: technician.pk for technician in new}


def link_line_managers(manager_of: Mapping[str, str]) -> int:
    """Set line managers by staff number: {technician's staff number: manager's staff number,
    or "" for none}. A manager number nobody has means no manager. Only technicians whose
    manager changes are written. Returns how many changed."""
    numbers = set(manager_of) | ({*manager_of.values()} - {""})
    by_number = Technician.objects.only("pk", "staff_number", "line_manager_id").in_bulk(
        list(numbers), field_name="staff_number"
    )
    now = timezone.now()
    changed = []
    for number, manager_number in manager_of.items():
        technician = by_number.get(number)
        manager = by_number.get(manager_number)
        manager_id = manager.pk if manager is not None else None
        if technician is not None and technician.line_manager_id != manager_id:
            technician.line_manager_id = manager_id
            technician.updated = now
            changed.append(technician)
    Technician.objects.bulk_update(changed, ["line_manager", "updated"], batch_size=500)
    return len(changed)


# --- HR's staff list ----------------------------------------------------------------------------

_STAFF_IMPORT_LOCK = 7_204_113  # a PostgreSQL advisory lock: one staff-list import at a time
# What an import writes: the fields its preview compares (FIELD_LABELS), and the timestamp.
_STAFF_IMPORT_FIELDS = [*staff_import.FIELD_LABELS, "updated"]


def apply_staff_import(text: str, *, by=None) -> staff_import.StaffImportResult:
    """Import HR's full staff list (CSV text): everything or nothing.

    Re-checks the text against the directory as it is now (it may have changed since the
    preview) with the technicians locked, and raises StaffImportRefused, changing nothing,
    if any row is invalid. Otherwise creates new staff numbers, updates changed ones,
    reactivates returning leavers and marks active technicians absent from the file as
    leavers (is_active=False; never deleted, their logins are kept).
    Returns a StaffImportResult with the counts.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_STAFF_IMPORT_LOCK])
        # Lock every technician: no profile edit slips in between the check and the writes.
        list(Technician.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
        preview = staff_import.preview_staff_import(text)
        if not preview.is_valid:
            raise staff_import.StaffImportRefused(preview)

        now = timezone.now()
        listed = {row.staff_number: row for row in preview.rows}
        existing = Technician.objects.in_bulk(list(listed), field_name="staff_number")
        wanted_emails = {row.email.lower(): row.staff_number for row in preview.rows}
        # An address moving from one technician to another: free it first (unique e-mails).
        freed = [
            technician
            for number, technician in existing.items()
            if wanted_emails.get(technician.email.lower(), number) != number
        ]
        for technician in freed:
            technician.email = f"moving-{technician.pk}@import.invalid"
        Technician.objects.bulk_update(freed, ["email"], batch_size=500)

        new_rows = [row for row in preview.rows if row.staff_number not in existing]
        Technician.objects.bulk_create(
            [Technician(**row.model_values()) for row in new_rows], batch_size=500
        )
        managers = {row.line_manager_staff_number for row in preview.rows} - {""}
        by_number = Technician.objects.in_bulk(
            list(listed.keys() | managers), field_name="staff_number"
        )
        changed = []
        updated_numbers = {update.staff_number for update in preview.to_update}
        for row in preview.rows:
            technician = by_number[row.staff_number]
            manager = by_number.get(row.line_manager_staff_number)
            is_new = row.staff_number not in existing
            if not is_new and row.staff_number not in updated_numbers:
                continue
            if is_new and manager is None:
                continue
            for name, value in row.model_values().items():
                setattr(technician, name, value)
            technician.line_manager = manager
            technician.updated = now
            changed.append(technician)
        Technician.objects.bulk_update(changed, _STAFF_IMPORT_FIELDS, batch_size=500)

        leavers = [leaver.staff_number for leaver in preview.leavers]
        for start in range(0, len(leavers), 500):
            Technician.objects.filter(
                staff_number__in=leavers[start : start + 500], is_active=True
            ).update(is_active=False, updated=now)
    result = staff_import.StaffImportResult(
        created=len(preview.to_create),
        updated=len(preview.to_update),
        leavers=len(preview.leavers),
        reactivated=len(preview.reactivated),
        unchanged=preview.unchanged,
    )
    logger.info(
        "Staff list imported by %s: %s", getattr(by, "email", None) or "a command", result.summary()
    )
    return result
