"""Evidence files (action updates, training records): what may be uploaded, checked by
content, never by name. Kernel: apps call `check_evidence_file`; the signature, image and
file-name helpers below serve every upload of a document (proofs of registration too).

Accepted, at most `max_bytes()` bytes (20 MB unless the ACTION_EVIDENCE_MAX_BYTES setting says
otherwise):
- PDF documents that pypdf can open (at least one page, not password-protected);
- images (PNG, JPEG, GIF, WebP) that Pillow verifies;
- Word, Excel and PowerPoint documents: the zip-based .docx/.xlsx/.pptx and OpenDocument
  text, spreadsheet and presentation files are opened and checked (`_check_package`): they
  hold the parts a real document has, unpack to at most 100 MB within a compression-ratio
  limit, contain no programs and no macros (macro-enabled .docm/.xlsm/.pptm are refused);
  the older OLE2 .doc/.xls/.ppt are recognised by their container and refused with macros
  or embedded objects.
Archives inside a document (an embedded workbook, a zip in a slide) are opened and checked the
same way, MAX_NESTING (3) levels deep; deeper ones are refused, and everything unpacked at
every level counts towards PORTAL_EVIDENCE_MAX_EXPANDED_BYTES (200 MB). Programs and embedded
OLE objects are refused at any depth, naming the file inside (“a.zip › b.exe”).
Every refusal says what is wrong, for the person uploading.
"""

from __future__ import annotations

import io
import math
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.utils.text import get_valid_filename

from portal.uploads import check_pdf, read_capped

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

MACRO_EXTENSIONS = ("docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppsm", "ppam")

# Limits on what a zip-based document may unpack to: a small upload must not inflate to
# gigabytes in whoever opens it (or in the checks below).
PACKAGE_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
PACKAGE_MAX_MEMBERS = 5_000
PACKAGE_MAX_RATIO = 200  # unpacked / packed size of a member over PACKAGE_RATIO_FROM bytes
PACKAGE_RATIO_FROM = 1024 * 1024
# The parts every real document of each kind has.
REQUIRED_PARTS = {
    "docx": ("[Content_Types].xml", "_rels/.rels", "word/document.xml"),
    "xlsx": ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"),
    "pptx": ("[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml"),
    "odt": ("mimetype", "content.xml", "META-INF/manifest.xml"),
    "ods": ("mimetype", "content.xml", "META-INF/manifest.xml"),
    "odp": ("mimetype", "content.xml", "META-INF/manifest.xml"),
}
PROGRAM_EXTENSIONS = (
    ".exe", ".dll", ".com", ".scr", ".msi", ".msp", ".bat", ".cmd", ".pif", ".cpl", ".hta",
    ".vbs", ".vbe", ".js", ".jse", ".wsf", ".wsh", ".ps1", ".psm1", ".jar", ".sh", ".elf",
    ".so", ".dylib", ".app", ".lnk", ".reg", ".apk",
)  # fmt: skip
PROGRAM_MAGIC = (
    b"MZ",  # Windows programs and libraries
    b"\x7fELF",  # Linux
    b"\xca\xfe\xba\xbe", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf",  # macOS (Mach-O)
    b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",
    b"#!",  # scripts
)  # fmt: skip
# Inside an embedded object (an OLE "package" can wrap any file): a Windows program's stub.
WINDOWS_PROGRAM_STUB = b"This program cannot be run in DOS mode"
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
# Archives inside a document (an embedded workbook, a zip attached to a slide) are opened and
# checked too, this many levels deep at most, and everything unpacked at every level counts
# towards one limit (PORTAL_EVIDENCE_MAX_EXPANDED_BYTES).
MAX_NESTING = 3
EXPANDED_MAX_BYTES = 200 * 1024 * 1024
# A Word/Excel/PowerPoint 97–2003 file holding objects embedded from other programs.
OLE2_OBJECT_POOL_MARK = "ObjectPool".encode("utf-16-le")
ODF_MACRO_FOLDERS = ("Basic/", "Scripts/")
OLE2_VBA_MARK = "_VBA_PROJECT".encode("utf-16-le")

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
    """20 MB, 20.1 MB, 1.5 KB, 1 GB: rounded up when saying how big a refused file is."""
    if size >= 1024**3:
        unit, name = 1024**3, "GB"
    elif size >= 1024 * 1024:
        unit, name = 1024 * 1024, "MB"
    else:
        unit, name = 1024, "KB"
    tenths = size * 10 / unit
    tenths = math.ceil(tenths) if round_up else round(tenths)
    return f"{tenths / 10:g} {name}"


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _package_kind(archive: zipfile.ZipFile, names: list[str]) -> FileKind | None:
    """Which document a zip is, from its own parts: an OpenDocument's mimetype member or an
    Office package's [Content_Types].xml with word/, xl/ or ppt/ parts."""
    if "mimetype" in names:
        with archive.open("mimetype") as entry:  # a few bytes: never inflate a bomb
            mimetype = entry.read(100).decode("ascii", "replace").strip()
        if mimetype in ODF_MIMETYPES:
            return ODF_MIMETYPES[mimetype]
    if "[Content_Types].xml" not in names:
        return None
    found = {
        kind for prefix, kind in OOXML_PARTS.items() if any(n.startswith(prefix) for n in names)
    }
    return found.pop() if len(found) == 1 else None


def max_expanded_bytes() -> int:
    """What an evidence file may unpack to in all, nested archives included (200 MB unless
    the PORTAL_EVIDENCE_MAX_EXPANDED_BYTES setting says otherwise)."""
    return int(getattr(settings, "PORTAL_EVIDENCE_MAX_EXPANDED_BYTES", EXPANDED_MAX_BYTES))


@dataclass
class _Budget:
    """The bytes still allowed to be unpacked, over every level of nesting."""

    left: int
    limit: int


def _inside(prefix: str, name: str) -> str:
    """The path of a member for the person uploading: “word/embeddings/a.zip › bad.exe”."""
    path = f"{prefix} › {name}" if prefix else name
    return path if len(path) <= 160 else "…" + path[-159:]


def _macro_parts(names: list[str]) -> list[str]:
    return [
        name
        for name in names
        if name.lower().rsplit("/", 1)[-1] in MACRO_PARTS
        or name.lower().startswith(("basic/", "scripts/"))
    ]


def _declares_macros(archive: zipfile.ZipFile, names: list[str]) -> bool:
    """An Office package declares a macro-enabled document in its content types."""
    if "[Content_Types].xml" not in names:
        return False
    with archive.open("[Content_Types].xml") as entry:
        return b"macroenabled" in entry.read(1024 * 1024).lower()


def _check_members(
    archive: zipfile.ZipFile, *, what: str, prefix: str, depth: int, budget: _Budget
) -> None:
    """Look at every member of `archive` (the document itself at depth 0, or an archive found
    inside it): refuse programs, embedded OLE objects, macros, password protection, and
    archives nested deeper than MAX_NESTING or unpacking to more than the budget in all.
    Nested archives are opened and checked the same way."""
    infos = archive.infolist()
    if len(infos) > PACKAGE_MAX_MEMBERS:
        raise _refuse(
            f"{what} with an archive inside (“{prefix}”) that holds more than "
            f"{PACKAGE_MAX_MEMBERS:,} files: it is not accepted as evidence.",
            "too_many_parts",
        )
    if any(info.flag_bits & 0x1 for info in infos):
        where = f" (“{prefix}”)" if prefix else ""
        raise _refuse(
            f"{what} protected by a password{where}: save a copy without one and upload that.",
            "encrypted",
        )
    budget.left -= sum(info.file_size for info in infos)
    if budget.left < 0:
        raise _refuse(
            f"{what} that would take more than {_size(budget.limit)} once unpacked with "
            "everything it holds (archives inside it included). Upload a smaller copy, or a "
            "PDF.",
            "unpacks_too_large",
        )
    for info in infos:
        if info.file_size > PACKAGE_RATIO_FROM and info.file_size > PACKAGE_MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise _refuse(
                f"{what} with a part (“{_inside(prefix, info.filename)}”) that unpacks to more "
                f"than {PACKAGE_MAX_RATIO} times its packed size, as no real document does. "
                "Save it again, or as a PDF, and upload that.",
                "unpacks_too_large",
            )
    names = [info.filename for info in infos]
    if depth > 0 and (_macro_parts(names) or _declares_macros(archive, names)):
        raise _refuse(
            f"{what} with macros inside (“{prefix}”), which evidence may not carry. Save it "
            "without what it embeds, or as a PDF, and upload that.",
            "macros",
        )
    for info in infos:
        if info.is_dir():
            continue
        lowered = info.filename.lower()
        base = lowered.rsplit("/", 1)[-1]
        inside = _inside(prefix, info.filename)
        with archive.open(info) as entry:
            head = entry.read(8)
            nested = head.startswith(ZIP_MAGIC)
            ole = head.startswith(OLE2_MAGIC)
            # Embedded objects and nested archives are read whole (their sizes are counted
            # in the budget above); other parts only by their first bytes.
            body = head + entry.read() if ("embeddings/" in lowered or nested or ole) else head
        if (
            lowered.endswith(PROGRAM_EXTENSIONS)
            or head.startswith(PROGRAM_MAGIC)
            or WINDOWS_PROGRAM_STUB in body
        ):
            raise _refuse(
                f"{what} with a program inside (“{inside}”): documents that carry programs "
                "are not accepted as evidence.",
                "program_inside",
            )
        if base in MACRO_PARTS:
            continue  # a document's own macro project: refused as macros by the caller
        if ole or (base.startswith("oleobject") and base.endswith(".bin")):
            raise _refuse(
                f"{what} with an embedded object inside (“{inside}”): objects embedded from "
                "other programs can carry anything, so they are not accepted as evidence. "
                "Paste the content as a picture or a table, or save as PDF, and upload that.",
                "embedded_object",
            )
        if nested:
            if depth >= MAX_NESTING:
                raise _refuse(
                    f"{what} with archives nested more than {MAX_NESTING} deep (“{inside}”): "
                    "no real document is built like that, so it is not accepted as evidence.",
                    "nested_too_deep",
                )
            try:
                inner = zipfile.ZipFile(io.BytesIO(body))
            except (zipfile.BadZipFile, ValueError, EOFError):
                raise _refuse(
                    f"{what} with a damaged archive inside (“{inside}”). Save it again, or as a "
                    "PDF, and upload that.",
                    "damaged_archive",
                ) from None
            with inner:
                _check_members(inner, what=what, prefix=inside, depth=depth + 1, budget=budget)


def _check_package(archive: zipfile.ZipFile, kind: FileKind) -> None:
    """Refuse a document that is not what a real one of its kind is (see the module's doc)."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    what = f"This file is {kind.label}"
    missing = [part for part in REQUIRED_PARTS[kind.extensions[0]] if part not in names]
    if missing:
        raise _refuse(
            f"{what} without the parts every such document has ({', '.join(missing)}): it may "
            "be damaged. Open it, save it again and upload the copy.",
            "incomplete_document",
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise _refuse(
            f"{what} protected by a password: save a copy without one and upload that.",
            "encrypted",
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > PACKAGE_MAX_UNPACKED_BYTES:
        raise _refuse(
            f"{what} that would take {_size(unpacked)} once unpacked: the limit is "
            f"{_size(PACKAGE_MAX_UNPACKED_BYTES)}. Upload a smaller copy, or a PDF.",
            "unpacks_too_large",
        )
    if any(
        info.file_size > PACKAGE_RATIO_FROM
        and info.file_size > PACKAGE_MAX_RATIO * max(info.compress_size, 1)
        for info in infos
    ):
        raise _refuse(
            f"{what} with a part that unpacks to more than {PACKAGE_MAX_RATIO} times its "
            "packed size, as no real document does. Save it again, or as a PDF, and upload that.",
            "unpacks_too_large",
        )
    if _macro_parts(sorted(names)) or _declares_macros(archive, sorted(names)):
        raise _refuse(
            f"{what} with macros, which evidence may not carry. Save it as a document without "
            "macros (.docx, .xlsx, .pptx or OpenDocument), or as a PDF, and upload that.",
            "macros",
        )
    limit = max_expanded_bytes()
    _check_members(archive, what=what, prefix="", depth=0, budget=_Budget(limit, limit))


def _sniff_zip(data: bytes) -> FileKind | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if len(infos) > PACKAGE_MAX_MEMBERS:
            raise _refuse(
                f"This file holds more than {PACKAGE_MAX_MEMBERS:,} parts: no document that "
                "large is accepted as evidence.",
                "too_many_parts",
            )
        kind = _package_kind(archive, [info.filename for info in infos])
        if kind is not None:
            _check_package(archive, kind)
    except (
        zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, EOFError, zlib.error,
        NotImplementedError,
    ):  # fmt: skip
        return None  # not a zip Python can read: no document of ours
    return kind


def image_is_sound(data: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:  # Pillow raises many kinds of error for broken or hostile images
        return False
    return True


def image_kind(head: bytes) -> FileKind | None:
    """PNG, JPEG, GIF or WebP, by the file's first bytes; None for anything else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    return None


def sniff(data: bytes, extension: str) -> FileKind | None:
    """The kind of file these bytes are, or None when it is none of the accepted kinds.
    Raises ValidationError, saying what is wrong, for a file of an accepted kind that fails
    its checks (a damaged image, a PDF that does not open, a document with macros…)."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        check_pdf(data)
        return PDF
    image = image_kind(head)
    if image is not None:
        if not image_is_sound(data):
            raise _refuse(
                f"This file starts like {image.label} but is damaged or incomplete. Open it, "
                "save it again and upload the copy.",
                "damaged_image",
            )
        return image
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(data)
    if head.startswith(OLE2_MAGIC):
        # The OLE2 container is the same for .doc, .xls and .ppt: the name says which.
        kind = {"doc": DOC, "xls": XLS, "ppt": PPT}.get(extension)
        if kind is not None and OLE2_VBA_MARK in data:
            raise _refuse(
                f"This file is {kind.label} with macros, which evidence may not carry. Save "
                "it as a document without macros, or as a PDF, and upload that.",
                "macros",
            )
        if kind is not None and OLE2_OBJECT_POOL_MARK in data:
            raise _refuse(
                f"This file is {kind.label} with objects embedded from other programs, which "
                "can carry anything, so it is not accepted as evidence. Save it as a PDF, or "
                "as a .docx, .xlsx or .pptx without them, and upload that.",
                "embedded_object",
            )
        return kind
    return None


def upload_name(upload: Any, default: str) -> str:
    """The uploaded file's own name, without any folder (Windows' too)."""
    return PurePosixPath(str(getattr(upload, "name", "") or default).replace("\\", "/")).name


def safe_stem(name: str, default: str) -> str:
    """The name without its extension, safe for a Content-Disposition header."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    try:
        return get_valid_filename(stem).strip("._") or default
    except SuspiciousFileOperation:
        return default


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
    name = upload_name(upload, "evidence")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in MACRO_EXTENSIONS:
        raise ValidationError(
            f"A .{extension} file is a macro-enabled document, which evidence may not be. Save "
            "it without macros (.docx, .xlsx or .pptx), or as a PDF, and upload that.",
            code="macros",
        )
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
    stem = safe_stem(name, "evidence")
    original = f"{stem[:150]}.{extension if named_as else kind.extensions[0]}"
    return CheckedEvidence(
        kind=kind, original_name=original, storage_name=f"evidence.{kind.extensions[0]}"
    )
