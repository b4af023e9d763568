"""Proofs of registration and CPD evidence: checked by content (never by name), size capped,
stored under random names (models.py) and served only by a view that checks permission.

Accepted: a PDF, or a PNG, JPEG or WebP image that Pillow can open (a scanned certificate
or a letter from the body). At most `max_bytes()` (10 MB unless REGISTRATION_UPLOAD_MAX_BYTES
says otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from portal import evidence
from portal.evidence import FileKind
from portal.uploads import check_pdf, read_capped

UPLOAD_MAX_BYTES = 10 * 1024 * 1024
ALLOWED_DESCRIPTION = "a PDF, or a PNG, JPEG or WebP image"
ACCEPT_ATTRIBUTE = ".pdf,.png,.jpg,.jpeg,.webp"
ACCEPTED_IMAGES = (evidence.PNG, evidence.JPEG, evidence.WEBP)


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile
    original_name: str  # safe for a Content-Disposition header
    content_type: str


def max_bytes() -> int:
    return int(getattr(settings, "REGISTRATION_UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES))


def max_size_text() -> str:
    return f"{max_bytes() / (1024 * 1024):g} MB"


def _too_large(size: int | None) -> str:
    if size is None:
        return f"The file is too large: the limit is {max_size_text()}."
    return f"The file is too large ({size / (1024 * 1024):.1f} MB): the limit is {max_size_text()}."


def _sniff(data: bytes) -> FileKind | None:
    """The kind of these bytes, or None when it is none we accept (a damaged image included)."""
    if data.startswith(b"%PDF-"):
        check_pdf(data)  # it must open: a PDF header in front of HTML is refused, saying so
        return evidence.PDF
    kind = evidence.image_kind(data[:16])
    return kind if kind in ACCEPTED_IMAGES and evidence.image_is_sound(data) else None


def check_upload(upload: Any, *, default_stem: str = "proof") -> CheckedFile:
    """The checked file, ready to save; ValidationError saying what is wrong otherwise."""
    if upload is None:
        raise ValidationError("Please choose a file to upload.", code="required")
    data = read_capped(upload, max_bytes(), too_large=_too_large)
    if not data:
        raise ValidationError("The file is empty.", code="empty")
    kind = _sniff(data)
    if kind is None:
        raise ValidationError(
            f"This file is not {ALLOWED_DESCRIPTION}, whatever its name says.", code="bad_type"
        )
    extension = kind.extensions[0]
    stem = evidence.safe_stem(evidence.upload_name(upload, default_stem), default_stem)
    return CheckedFile(
        content=ContentFile(data, name=f"{default_stem}.{extension}"),
        original_name=f"{stem[:150]}.{extension}",
        content_type=kind.content_type,
    )
