"""Reading an uploaded file with a size cap: one helper for every upload of the portal
(imports, photos, evidence), so none of them ever reads more than its limit into memory."""

from __future__ import annotations

from collections.abc import Callable
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
