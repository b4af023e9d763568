"""Reading an uploaded file with a size cap: one helper for every upload of the portal
(imports, photos, evidence), so none of them ever reads more than its limit into memory; and
the check every uploaded PDF passes (`check_pdf`)."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError


class FileTooLarge(ValidationError):
    """The upload is over its limit; the message says so, for the person uploading."""


def read_capped(
    upload: Any,
    max_bytes: int,
    *,
    too_large: Callable[[int | None], str],
) -> bytes:
    """The bytes of `upload` (an uploaded or opened file, bytes or str), at most `max_bytes`.

    A file whose declared size is over the limit is refused without reading it; otherwise at
    most `max_bytes + 1` bytes are read, so a file that lies about its size is refused too.
    `too_large(size)` words the refusal: `size` is the declared size, or None when it is only
    known to be over the limit. The file is left rewound, for whoever reads it next.
    """
    if isinstance(upload, str):
        upload = upload.encode("utf-8")
    if isinstance(upload, bytes | bytearray):
        if len(upload) > max_bytes:
            raise FileTooLarge(too_large(len(upload)), code="too_large")
        return bytes(upload)
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise FileTooLarge(too_large(size), code="too_large")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(data) > max_bytes:
        raise FileTooLarge(too_large(None), code="too_large")
    return data


def check_pdf(data: bytes) -> None:
    """Raise ValidationError unless these bytes are a PDF that pypdf opens, with at least one
    page and no password: a PDF header in front of something else (HTML, a program) is no
    PDF, whatever its first bytes say."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise FileNotDecryptedError
        pages = len(reader.pages)
    except FileNotDecryptedError:
        raise ValidationError(
            "This PDF is protected by a password: save a copy without one and upload that.",
            code="encrypted",
        ) from None
    except Exception:  # pypdf raises many kinds of error for broken or hostile files
        pages = 0
    if pages < 1:
        raise ValidationError(
            "This file starts like a PDF but is not one that can be opened: it may be damaged, "
            "or another kind of file. Save it again as a PDF and upload that.",
            code="bad_pdf",
        )


def random_upload_name(folder: str, filename: str) -> str:
    """Where an upload is stored: never under the uploaded name, but a random one in `folder`
    keeping only the (checked) type's suffix, at most 8 characters ("bin" when none)."""
    suffix = PurePosixPath(filename).suffix.lower().lstrip(".") or "bin"
    return f"{folder}/{uuid.uuid4().hex}.{suffix[:8]}"
