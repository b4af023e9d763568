"""Evidence files: what may be uploaded, checked by content (magic bytes), not by name.

Accepted: PDF; images (PNG, JPEG, GIF, WebP — opened with Pillow too); office documents
(Word, Excel and PowerPoint, both the zip-based .docx/.xlsx/.pptx, recognised by their
[Content_Types].xml and word/ xl/ ppt/ parts, and the older OLE2 .doc/.xls/.ppt); and
OpenDocument text, spreadsheet and presentation files. At most `max_bytes()` bytes (20 MB
unless the ACTION_EVIDENCE_MAX_BYTES setting says otherwise).
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.utils.text import get_valid_filename

from portal.uploads import read_capped

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
SNIFF_BYTES = 8


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extensions: tuple[str, ...]  # the first is used when storing the file


PDF = FileKind("a PDF document", "application/pdf", ("pdf",))
PNG = FileKind("a PNG image", "image/png", ("png",))
JPEG = FileKind("a JPEG image", "image/jpeg", ("jpg", "jpeg"))
GIF = FileKind("a GIF image", "image/gif", ("gif",))
WEBP = FileKind("a WebP image", "image/webp", ("webp",))
DOCX = FileKind(
    "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
XLSX = FileKind(
    "an Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("xlsx",),
)
PPTX = FileKind(
    "a PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ("pptx",),
)
DOC = FileKind("a Word 97–2003 document", "application/msword", ("doc",))
XLS = FileKind("an Excel 97–2003 workbook", "application/vnd.ms-excel", ("xls",))
PPT = FileKind("a PowerPoint 97–2003 presentation", "application/vnd.ms-powerpoint", ("ppt",))
ODT = FileKind("an OpenDocument text", "application/vnd.oasis.opendocument.text", ("odt",))
ODS = FileKind(
    "an OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", ("ods",)
)
ODP = FileKind(
    "an OpenDocument presentation", "application/vnd.oasis.opendocument.presentation", ("odp",)
)

KINDS = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, DOC, XLS, PPT, ODT, ODS, ODP)
KIND_BY_EXTENSION = {ext: kind for kind in KINDS for ext in kind.extensions}
ALLOWED_DESCRIPTION = (
    "a PDF, an image (PNG, JPEG, GIF or WebP) or an office document "
    "(Word, Excel, PowerPoint or OpenDocument)"
)
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in KIND_BY_EXTENSION)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
ODF_MIMETYPES = {kind.content_type: kind for kind in (ODT, ODS, ODP)}


@dataclass(frozen=True)
class CheckedEvidence:
    kind: FileKind
    original_name: str  # safe for a Content-Disposition header
    storage_name: str  # what the file is saved as (a random name is added by upload_to)


def max_bytes() -> int:
    return int(getattr(settings, "ACTION_EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES))


def max_size_text() -> str:
    """The upload limit in words, e.g. "20 MB"."""
    return _size(max_bytes())


def _size(size: int, round_up: bool = False) -> str:
    """20 MB, 20.1 MB, 1.5 KB: rounded up when saying how big a refused file is."""
    unit, name = (1024 * 1024, "MB") if size >= 1024 * 1024 else (1024, "KB")
    tenths = size * 10 / unit
    tenths = math.ceil(tenths) if round_up else round(tenths)
    return f"{tenths / 10:g} {name}"


def _sniff_zip(data: bytes) -> FileKind | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        if "mimetype" in names:
            with archive.open("mimetype") as entry:  # read a few bytes: never inflate a bomb
                mimetype = entry.read(100).decode("ascii", "replace").strip()
            if mimetype in ODF_MIMETYPES:
                return ODF_MIMETYPES[mimetype]
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    found = {
        kind for prefix, kind in OOXML_PARTS.items() if any(n.startswith(prefix) for n in names)
    }
    return found.pop() if len(found) == 1 else None


def _image_is_sound(data: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:  # Pillow raises many kinds of error for broken or hostile images
        return False
    return True


def sniff(data: bytes, extension: str) -> FileKind | None:
    """The kind of file these bytes are, or None when it is none of the accepted kinds."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return PDF
    image = None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        image = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        image = JPEG
    elif head.startswith((b"GIF87a", b"GIF89a")):
        image = GIF
    elif head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        image = WEBP
    if image is not None:
        return image if _image_is_sound(data) else None
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(data)
    if head.startswith(OLE2_MAGIC):
        # The OLE2 container is the same for .doc, .xls and .ppt: the name says which.
        return {"doc": DOC, "xls": XLS, "ppt": PPT}.get(extension)
    return None


def _safe_stem(stem: str) -> str:
    try:
        return get_valid_filename(stem).strip("._") or "evidence"
    except SuspiciousFileOperation:
        return "evidence"


def check_evidence_file(upload: Any) -> CheckedEvidence:
    """Check an uploaded evidence file; raise ValidationError saying what is wrong with it."""
    limit = max_bytes()

    def too_large(size: int | None) -> str:
        if size is None:
            return f"The file is too large: the limit is {_size(limit)}."
        return f"The file is too large ({_size(size, round_up=True)}): the limit is {_size(limit)}."

    data = read_capped(upload, limit, too_large=too_large)
    if not data:
        raise ValidationError("The file is empty.", code="empty")
    name = PurePosixPath(str(getattr(upload, "name", "") or "evidence").replace("\\", "/")).name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = sniff(data, extension)
    if kind is None:
        raise ValidationError(
            f"This file is not {ALLOWED_DESCRIPTION}, whatever its name says: "
            "its content is of another type.",
            code="bad_type",
        )
    named_as = KIND_BY_EXTENSION.get(extension)
    if named_as is not None and named_as != kind:
        raise ValidationError(
            f"This file is named .{extension} but its content is {kind.label}: "
            "please check you chose the right file.",
            code="name_mismatch",
        )
    stem = name.rsplit(".", 1)[0] if "." in name else name
    safe_stem = _safe_stem(stem)
    original = f"{safe_stem[:150]}.{extension if named_as else kind.extensions[0]}"
    return CheckedEvidence(
        kind=kind, original_name=original, storage_name=f"evidence.{kind.extensions[0]}"
    )
