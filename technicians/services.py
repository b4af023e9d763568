"""Every change to technicians' data goes through a function here."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal import roles
from technicians import permissions, photos, search, versions
from technicians.models import StaffListMapping, Technician, photo_upload_to

logger = logging.getLogger(__name__)


def _signed_up_with(user) -> str:
    """The address this account signed up (or signed in by single sign-on) with, confirmed:
    its one verified e-mail address, which is also the user's own. "" for an account with
    more than one address or none confirmed: an address added later (an account could once
    add a colleague's) never links anyone to a profile."""
    from allauth.account.models import EmailAddress

    addresses = list(EmailAddress.objects.filter(user=user).values_list("email", "verified")[:2])
    if len(addresses) != 1:
        return ""
    [(email, verified)] = addresses
    return email if verified and email.lower() == (user.email or "").lower() else ""


@transaction.atomic
def link_user_to_technician(user) -> Technician | None:
    """Link a user to the Technician with the same e-mail (whatever its case), at first login,
    and put a current technician's user in the "Technician" group. Only the account that
    signed up (or signed in by single sign-on) with the technician's address is linked."""
    linked = Technician.objects.filter(user=user).first()
    if linked is None and _signed_up_with(user):
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


def _unshared(names: list[str], technician: Technician) -> list[str]:
    """The photo files no other profile uses (the demo's portraits are shared)."""
    if not names:
        return []
    others = Technician.objects.exclude(pk=technician.pk).filter(
        Q(photo__in=names) | Q(photo_thumbnail__in=names)
    )
    used = {name for pair in others.values_list("photo", "photo_thumbnail") for name in pair}
    return [name for name in names if name not in used]


def _delete_files_on_commit(storage, names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete, robust=True)


def update_profile(
    technician: Technician,
    data: Mapping[str, object],
    photo: UploadedFile | photos.ProcessedPhoto | None = None,
    *,
    remove_photo: bool = False,
    also: Iterable[Callable[[Technician], object]] = (),
    by,
) -> Technician:
    """Save what a technician (or HR) changed on a profile: the self-editable fields in
    `data`, and a new photo (checked and re-encoded here unless already processed) or its
    removal. `also`: the other apps' parts of the profile form (their skills:
    portal.registry.ProfileFormPart), each called with the technician in the same
    transaction, after the profile is saved; one that raises undoes everything.

    Checks everything before changing anything: PermissionDenied when `by` may not edit this
    profile, ValidationError for a bad field or unusable photo (or whatever a part refuses).
    Replaced or removed photo files are deleted once the change is committed.
    """
    if not permissions.can_edit_technician(by, technician):
        raise PermissionDenied("You can only edit your own profile.")
    not_editable = set(data) - set(SELF_EDITABLE_FIELDS)
    if not_editable:
        raise ValidationError(
            f"These fields are kept by HR: {', '.join(sorted(not_editable))}.", code="hr_field"
        )
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
                _delete_files_on_commit(storage, _unshared(old_files, technician))
            elif remove_photo and old_files:
                technician.photo = ""
                technician.photo_thumbnail = ""
                fields += ["photo", "photo_thumbnail"]
                _delete_files_on_commit(storage, _unshared(old_files, technician))
            technician.save(update_fields=fields)
            for save_part in also:
                save_part(technician)
    except BaseException:
        for name in new_files:
            storage.delete(name)
        raise
    return technician


# --- bulk paths shared by the staff list and the demo data ---------------------------------


def create_technicians_in_bulk(
    new: list[Technician], *, refresh_search: bool = True
) -> dict[str, int]:
    """Insert new technicians at once, without their line managers (`link_line_managers` sets
    those once everyone exists). Returns each one's staff number -> primary key.
    `refresh_search=False`: the caller refreshes the search vectors itself."""
    Technician.objects.bulk_create(new, batch_size=500)
    if new:
        versions.people_changed()  # bulk_create sends no signals
    if any(technician.pk is None for technician in new):  # a database without RETURNING
        pk_of = dict(
            Technician.objects.filter(
                staff_number__in=[technician.staff_number for technician in new]
            ).values_list("staff_number", "pk")
        )
    else:
        pk_of = {technician.staff_number: technician.pk for technician in new}
    if refresh_search:
        search.refresh_search_vectors(pk_of.values())
    return pk_of


def link_line_managers(manager_of: Mapping[str, str]) -> int:
    """Set line managers by staff number: {technician's staff number: manager's staff number,
    or "" for none}. A manager number nobody has means no manager. Only technicians whose
    manager changes are written. Returns how many changed."""
    numbers = set(manager_of) | ({*manager_of.values()} - {""})
    by_number = Technician.objects.only("pk", "staff_number", "line_manager_id").in_bulk(
        list(numbers), field_name="staff_number"
    )
    now = timezone.now()
    # One UPDATE per manager: much faster than bulk_update's CASE over every row (12,500
    # technicians have about a tenth as many managers).
    team_of: dict[int | None, list[int]] = {}
    for number, manager_number in manager_of.items():
        technician = by_number.get(number)
        manager = by_number.get(manager_number)
        manager_id = manager.pk if manager is not None else None
        if technician is not None and technician.line_manager_id != manager_id:
            team_of.setdefault(manager_id, []).append(technician.pk)
    for manager_id, team in team_of.items():
        for start in range(0, len(team), 1000):
            Technician.objects.filter(pk__in=team[start : start + 1000]).update(
                line_manager_id=manager_id, updated=now
            )
    if team_of:
        versions.profiles_changed()  # written in bulk (no signals)
    return sum(len(team) for team in team_of.values())


def store_photos_in_bulk(photos_by_pk: Mapping[int, photos.ProcessedPhoto]) -> int:
    """Give these technicians these photos at once (the demo data's portraits). Each distinct
    photo, already checked and re-encoded by `photos.process_photo`, is stored once under
    random names, as an upload is, and the technicians given the same photo share its files
    (`update_profile` deletes a replaced file only when no other profile uses it). Only
    technicians without a photo get one, so nothing is replaced. Returns how many got one."""
    storage = Technician._meta.get_field("photo").storage
    targets = list(
        Technician.objects.filter(pk__in=list(photos_by_pk), photo="").values_list("pk", flat=True)
    )
    stored: dict[int, tuple[str, str]] = {}  # id(photo) -> (full name, thumbnail name)
    written: list[str] = []
    try:
        for pk in targets:
            processed = photos_by_pk[pk]
            if id(processed) not in stored:
                full = storage.save(
                    photo_upload_to(None, "photo" + processed.extension), processed.full_file()
                )
                written.append(full)
                thumbnail = storage.save(
                    photo_upload_to(None, "thumbnail" + processed.extension),
                    processed.thumbnail_file(),
                )
                written.append(thumbnail)
                stored[id(processed)] = (full, thumbnail)
        by_files: dict[tuple[str, str], list[int]] = {}
        for pk in targets:
            by_files.setdefault(stored[id(photos_by_pk[pk])], []).append(pk)
        for (full, thumbnail), pks in by_files.items():
            for start in range(0, len(pks), 500):
                Technician.objects.filter(pk__in=pks[start : start + 500]).update(
                    photo=full, photo_thumbnail=thumbnail
                )
        if targets:
            versions.profiles_changed()  # written in bulk (no signals)
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return len(targets)


# --- HR's staff list ----------------------------------------------------------------------------


MAPPING_NOT_HR = "Only HR can change how the staff list is read."


@transaction.atomic
def save_staff_list_mapping(
    *,
    by,
    columns: Mapping[str, str],
    role_family_default: str = "",
    technician_column: str = "",
    technician_values: Iterable[str] = (),
) -> StaffListMapping:
    """Save how the HR system's export names the staff list's columns, and who in it counts
    as a technician (technicians.staff_list.mapping): used for every later file.

    `columns`: staff list column -> the export's column name ("" for none). Refuses, changing
    nothing, with a ValidationError by field: a column that must be in the export left out,
    one export column chosen twice, no role family for someone new when the export has none,
    a rule column without values or values without a column."""
    from technicians.staff_list.mapping import MAPPED_COLUMNS, MUST_MAP, name_key

    if not permissions.can_manage_staff_list(by):
        raise PermissionDenied(MAPPING_NOT_HR)
    names = {
        name: " ".join(str(columns.get(name) or "").lower().split()) for name in MAPPED_COLUMNS
    }
    values = [" ".join(str(value).split()) for value in technician_values]
    values = list(dict.fromkeys(value for value in values if value))
    rule_column = " ".join(technician_column.lower().split())
    errors: dict[str, list[str]] = {}
    for name in MUST_MAP:
        if not names[name]:
            errors[name] = ["Choose the export's column that holds this: it is needed."]
    chosen: dict[str, str] = {}
    for name, column in names.items():
        if not column:
            continue
        if name_key(column) in chosen:
            errors.setdefault(name, []).append(
                f"“{column}” is already chosen for {chosen[name_key(column)].replace('_', ' ')}."
            )
        else:
            chosen[name_key(column)] = name
    if not names["role_family"] and not role_family_default:
        errors["role_family_default"] = [
            "The export has no role family column: choose the role family of someone new."
        ]
    if rule_column and not values:
        errors["technician_values"] = ["List the values that mean a technician, one a line."]
    if values and not rule_column:
        errors["technician_column"] = ["Choose the column these values are in."]
    if errors:
        raise ValidationError(errors)
    mapping = StaffListMapping.objects.select_for_update().order_by("pk").first()
    mapping = mapping or StaffListMapping()
    mapping.columns = names
    mapping.role_family_default = role_family_default
    mapping.technician_column = rule_column
    mapping.technician_values = values
    mapping.updated_by = by if getattr(by, "is_authenticated", False) else None
    mapping.full_clean()
    mapping.save()
    logger.info("Staff list mapping saved by %s", getattr(by, "email", ""))
    return mapping


# --- leavers ----------------------------------------------------------------------------------

NOT_HR = "Only HR can mark someone as a leaver."


def mark_leaver(technician: Technician, *, by, left_on=None) -> Technician:
    """HR marks a technician as a leaver on `left_on` (today by default): inactive, never
    deleted; the retention period counts from that day. Refused for a leaver already."""
    if by is not None and not permissions.can_manage_staff_list(by):
        raise PermissionDenied(NOT_HR)
    with transaction.atomic():
        locked = Technician.objects.select_for_update().get(pk=technician.pk)
        if not locked.is_active:
            raise ValidationError(f"{locked.full_name} has already left.", code="already_left")
        locked.is_active = False
        locked.left_on = left_on or timezone.localdate()
        locked.save(update_fields=["is_active", "left_on", "updated"])
    technician.is_active, technician.left_on = locked.is_active, locked.left_on
    return locked
