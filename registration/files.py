"""Proofs of registration and CPD evidence: checked by content (never by name), size capped,
stored under random names (models.py) and served only by a view that checks permission.

Accepted: a PDF, or a PNG, JPEG or WebP image that Pillow can open (a scanned certificate
or a letter from the body). At most `max_bytes()` (10 MB unless REGISTRATION_UPLOAD_MAX_BYTES
says otherwise).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename

from portal.files import serve_private_file
from portal.uploads import check_pdf, read_capped

UPLOAD_MAX_BYTES = 10 * 1024 * 1024
ALLOWED_DESCRIPTION = "a PDF, or a PNG, JPEG or WebP image"
ACCEPT_ATTRIBUTE = ".pdf,.png,.jpg,.jpeg,.webp"


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


def _image_is_sound(data: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:  # Pillow raises many kinds of error for broken or hostile images
        return False
    return True


def _sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of these bytes, or None when they are none we accept."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        check_pdf(data)  # it must open: a PDF header in front of HTML is refused, saying so
        return "application/pdf", "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = ("image/png", "png")
    elif head.startswith(b"\xff\xd8\xff"):
        kind = ("image/jpeg", "jpg")
    elif head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        kind = ("image/webp", "webp")
    else:
        return None
    return kind if _image_is_sound(data) else None


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
    content_type, extension = kind
    name = PurePosixPath(str(getattr(upload, "name", "") or default_stem).replace("\\", "/")).name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    try:
        stem = get_valid_filename(stem).strip("._") or default_stem
    except SuspiciousFileOperation:
        stem = default_stem
    original = f"{stem[:150]}.{extension}"
    return CheckedFile(
        content=ContentFile(data, name=f"{default_stem}.{extension}"),
        original_name=original,
        content_type=content_type,
    )


def private_file_response(field_file, *, filename: str, content_type: str):
    """A stored proof or evidence file as a download, through the portal's one private-file
    answer (never inline, never cached)."""
    return serve_private_file(field_file, content_type=content_type, filename=filename)
