"""A person's data, whole, as one zip (UK GDPR subject access), and its removal after the
retention period: the kernel assembles what each app contributes through the registry.

Each app registers, from its `AppConfig.ready()`:
- `register_personal_data(name, collect)`: `collect(technician) -> PersonalData`, the rows it
  holds about the person (tables of JSON-friendly dicts) and the files the person uploaded;
- `register_anonymiser(name, anonymise)`: `anonymise(technician, *, dry_run) -> list[str]`,
  what it removes (or would remove) once the person left long enough ago.

The zip holds `data.json` (every section), one CSV per table under `csv/`, the person's own
uploaded files under `files/`, and `README.txt` saying what is where.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import logging
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from portal import registry
from portal.csv_export import neutralise

logger = logging.getLogger(__name__)


@dataclass
class PersonalData:
    """One app's part of a person's data."""

    # table name -> rows (dicts of JSON-friendly values, the same keys in every row)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # (name inside the zip, the stored file): only files the person uploaded themselves
    files: list[tuple[str, Any]] = field(default_factory=list)
    # What this section is, for README.txt
    description: str = ""


def collect(technician: Any) -> dict[str, PersonalData]:
    """Every app's contribution, by its registered name."""
    return {name: fn(technician) for name, fn in registry.personal_data_collectors().items()}


def _csv(rows: list[dict[str, Any]]) -> str:
    header: list[str] = []
    for row in rows:
        header += [key for key in row if key not in header]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(_plain(row.get(key, ""))) for key in header])
    return out.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return "" if value is None else value


def _safe(part: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in part).strip(".") or "file"


def build_zip(technician: Any, *, now: datetime.datetime | None = None) -> bytes:
    """The zip of everything the portal holds about `technician` (see the module's doc)."""
    now = now or timezone.now()
    sections = collect(technician)
    buffer = io.BytesIO()
    listing: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        document = {
            "person": str(technician),
            "generated": now.isoformat(),
            "institution": settings.PORTAL_INSTITUTION_NAME,
            "sections": {name: part.tables for name, part in sections.items()},
        }
        archive.writestr(
            "data.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        for name, part in sections.items():
            listing.append(f"\n{name}: {part.description}".rstrip(": "))
            for table, rows in part.tables.items():
                path = f"csv/{_safe(name)}-{_safe(table)}.csv"
                archive.writestr(path, _csv(rows) if rows else "")
                listing.append(f"  {path}: {len(rows)} row{'s' if len(rows) != 1 else ''}")
            seen: set[str] = set()
            for inner, stored in part.files:
                path = f"files/{_safe(name)}/{_safe(inner)}"
                if path in seen:  # two files of the same name: number the later ones
                    stem, dot, ext = path.rpartition(".")
                    path = f"{stem}-{len(seen)}.{ext}" if dot else f"{path}-{len(seen)}"
                seen.add(path)
                try:
                    with stored.open("rb") as handle:
                        archive.writestr(path, handle.read())
                except (FileNotFoundError, ValueError, OSError):
                    logger.warning("Personal data zip: a stored file is missing (%s)", inner)
                    continue
                listing.append(f"  {path}")
        archive.writestr("README.txt", _readme(technician, now, listing))
    return buffer.getvalue()


def _readme(technician: Any, now: datetime.datetime, listing: list[str]) -> str:
    local = timezone.localtime(now)
    return (
        f"Everything the Technician Commitment Portal of {settings.PORTAL_INSTITUTION_NAME}\n"
        f"holds about {technician}, as it was on {local:%d %B %Y at %H:%M}.\n\n"
        "data.json   every section below in one file (JSON);\n"
        "csv/        the same rows, one CSV file per table (opens in a spreadsheet);\n"
        "files/      the files you uploaded (evidence, proofs, your photo).\n\n"
        "Sections and files:\n" + "\n".join(listing) + "\n\n"
        "Questions about your data, or to ask for a correction: the data protection officer,\n"
        f"{getattr(settings, 'PORTAL_DPO_EMAIL', '')}. The privacy notice: "
        f"{settings.SITE_URL.rstrip('/')}/privacy/\n"
    )


def anonymise(technician: Any, *, dry_run: bool) -> dict[str, list[str]]:
    """Each app's anonymiser, in registration order: what it changed (or would change)."""
    return {
        name: list(fn(technician, dry_run=dry_run)) for name, fn in registry.anonymisers().items()
    }


def rows(queryset, *fields: str) -> list[dict[str, Any]]:
    """A queryset's rows as plain dicts (for `PersonalData.tables`)."""
    return list(queryset.values(*fields))


def files_of(queryset, field: str, name_field: str = "") -> list[tuple[str, Any]]:
    """(name in the zip, stored file) of each row's non-empty file `field`, named by
    `name_field` (the uploaded file's own name) when given; each name starts with the row's
    id, so two files never clash."""
    found = []
    for row in queryset.exclude(**{field: ""}):
        stored = getattr(row, field)
        name = (getattr(row, name_field, "") if name_field else "") or stored.name.rsplit("/")[-1]
        found.append((f"{row.pk}-{name}", stored))
    return found


def delete_files(queryset, field: str, *, dry_run: bool, clear: tuple[str, ...] = ()) -> int:
    """Delete each row's stored file `field` (once the transaction commits) and empty the
    field, and the text fields `clear` (the file's name, its type); how many files."""
    found = list(queryset.exclude(**{field: ""}))
    if dry_run or not found:
        return len(found)
    from django.db import transaction

    for row in found:
        stored = getattr(row, field)
        storage, name = stored.storage, stored.name
        setattr(row, field, "")
        for other in clear:
            setattr(row, other, "")
        row.save(update_fields=[field, *clear])
        transaction.on_commit(lambda s=storage, n=name: s.delete(n), robust=True)
    return len(found)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
