"""Evidence files are opened and checked, not only sniffed by their first bytes: office
documents hold the parts a real one has, unpack to at most 100 MB, carry no programs and no
macros; a PDF must open in pypdf; an image must pass Pillow's verify."""

import io
import os
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplan.models import ActionUpdate
from portal import evidence
from tests.actionplan.conftest import OLE2_BYTES, PDF_BYTES, odf_zip, office_zip

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode.\r\n"


def docx(*extra: tuple[str, bytes], content_types: str = CONTENT_TYPES, leave_out=()) -> bytes:
    parts = {
        "[Content_Types].xml": content_types.encode(),
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": b"<w:document/>",
        **dict(extra),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name not in leave_out:
                archive.writestr(name, data)
    return buffer.getvalue()


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand from already-deflated members: (name, deflated, crc, size)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, deflated, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(deflated),
                size,
                len(encoded),
                0,
            )  # fmt: skip
            + encoded
            + deflated
        )
        central.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(deflated),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )  # fmt: skip
            + encoded
        )
    directory = central.getvalue()
    start = out.tell()
    out.write(directory)
    out.write(
        struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), start, 0
        )  # fmt: skip
    )
    return out.getvalue()


def deflated(data: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


@pytest.fixture(scope="module")
def docx_inflating_to_1_gib() -> bytes:
    """A 1 MB .docx whose document.xml inflates to 1 GiB of zeros (a real deflate stream: the
    same fully flushed 16 MiB block 64 times)."""
    block = bytes(16 * 1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    one_block = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = one_block * 64 + compressor.flush()
    crc_of_1_gib_of_zeros = 0x5B64C2B0
    data = raw_zip(
        [
            ("[Content_Types].xml", *deflated(CONTENT_TYPES.encode())),
            ("_rels/.rels", *deflated(b"<Relationships/>")),
            ("word/document.xml", stream, crc_of_1_gib_of_zeros, 1024**3),
        ]
    )
    assert len(data) < 2 * 1024 * 1024
    return data


def refusal(name: str, data: bytes) -> evidence.ValidationError:
    with pytest.raises(evidence.ValidationError) as refused:
        evidence.check_evidence_file(SimpleUploadedFile(name, data))
    return refused.value


# --- the three files of the report --------------------------------------------------------


def test_a_docx_that_inflates_to_1_gib_is_refused(docx_inflating_to_1_gib):
    error = refusal("minutes.docx", docx_inflating_to_1_gib)
    assert error.code == "unpacks_too_large"
    assert error.messages == [
        "This file is a Word document that would take 1 GB once unpacked: the limit is "
        "100 MB. Upload a smaller copy, or a PDF."
    ]


def test_a_docx_shaped_zip_that_holds_an_exe_is_refused():
    error = refusal("minutes.docx", docx(("word/media/setup.exe", EXE)))
    assert error.code == "program_inside"
    assert error.messages == [
        "This file is a Word document with a program inside (“word/media/setup.exe”): "
        "documents that carry programs are not accepted as evidence."
    ]


def test_a_pdf_header_followed_by_html_is_refused():
    error = refusal("report.pdf", b"%PDF-1.7\n<html><script>alert(document.cookie)</script>\n")
    assert error.code == "bad_pdf"
    assert error.messages == [
        "This file starts like a PDF but is not one that can be opened: it may be damaged, "
        "or another kind of file. Save it again as a PDF and upload that."
    ]


# --- office and OpenDocument files ----------------------------------------------------------


def test_a_program_under_an_innocent_name_is_found_by_its_content():
    assert refusal("m.docx", docx(("word/media/image1.png", EXE))).code == "program_inside"
    elf = b"\x7fELF\x02\x01\x01" + b"\x00" * 50
    assert refusal("m.docx", docx(("word/media/image2.emf", elf))).code == "program_inside"


def test_a_program_wrapped_in_an_embedded_object_is_found():
    package = OLE2_BYTES + b"\x00" * 100 + EXE  # an OLE "package" object holding an .exe
    error = refusal("m.docx", docx(("word/embeddings/oleObject1.bin", package)))
    assert error.code == "program_inside"


def test_documents_that_unpack_too_densely_are_refused():
    # 5 MB of zeros deflate to a few KB: far beyond the ratio a real document has.
    error = refusal("m.docx", docx(("word/media/blank.bmp", bytes(5 * 1024 * 1024))))
    assert error.code == "unpacks_too_large"
    assert "unpacks to more than 200 times its packed size" in error.messages[0]


@pytest.mark.parametrize(
    "macro_document",
    [
        docx(("word/vbaProject.bin", OLE2_BYTES)),
        docx(
            content_types=CONTENT_TYPES.replace(
                "wordprocessingml.document.main+xml", "ms-word.document.macroEnabled.main+xml"
            )
        ),
    ],
    ids=["a VBA project", "declared macro-enabled"],
)
def test_macro_enabled_documents_are_refused(macro_document):
    error = refusal("minutes.docx", macro_document)
    assert error.code == "macros"
    assert "with macros" in error.messages[0]


@pytest.mark.parametrize("extension", ["docm", "xlsm", "pptm"])
def test_macro_enabled_file_types_are_refused_by_name_too(extension):
    error = refusal(f"figures.{extension}", office_zip("word/"))
    assert error.code == "macros"
    assert f"A .{extension} file is a macro-enabled document" in error.messages[0]


def test_an_opendocument_with_basic_macros_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
        archive.writestr("Basic/Standard/Module1.xml", "<script:module/>")
    assert refusal("notes.odt", buffer.getvalue()).code == "macros"


def test_an_old_office_file_with_a_vba_project_is_refused():
    with_macros = OLE2_BYTES + "_VBA_PROJECT".encode("utf-16-le") + b"\x00" * 32
    assert refusal("old.doc", with_macros).code == "macros"
    assert evidence.check_evidence_file(SimpleUploadedFile("old.doc", OLE2_BYTES)).kind is (
        evidence.DOC
    )


def test_a_document_without_the_parts_every_document_has_is_refused():
    error = refusal(
        "m.docx", docx(("word/styles.xml", b"<w:styles/>"), leave_out={"word/document.xml"})
    )
    assert error.code == "incomplete_document"
    assert error.messages == [
        "This file is a Word document without the parts every such document has "
        "(word/document.xml): it may be damaged. Open it, save it again and upload the copy."
    ]
    no_manifest = io.BytesIO()
    with zipfile.ZipFile(no_manifest, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    error = refusal("notes.odt", no_manifest.getvalue())
    assert "META-INF/manifest.xml" in error.messages[0]


def test_a_password_protected_package_is_refused():
    data = bytearray(docx())
    # Set the "encrypted" flag of every member, in the local and central headers.
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + flag_at] |= 0x1
            start += 4
    assert refusal("m.docx", bytes(data)).code == "encrypted"


def test_real_documents_are_still_accepted():
    assert evidence.check_evidence_file(SimpleUploadedFile("m.docx", docx())).kind is evidence.DOCX
    for prefix, kind in (("xl/", evidence.XLSX), ("ppt/", evidence.PPTX)):
        checked = evidence.check_evidence_file(SimpleUploadedFile("f", office_zip(prefix)))
        assert checked.kind is kind
    odt = odf_zip("application/vnd.oasis.opendocument.text")
    assert evidence.check_evidence_file(SimpleUploadedFile("n.odt", odt)).kind is evidence.ODT
    # A picture inside a document hardly compresses: no ratio trouble.
    photo = docx(("word/media/image1.jpeg", b"\xff\xd8\xff\xe0" + os.urandom(2 * 1024 * 1024)))
    assert evidence.check_evidence_file(SimpleUploadedFile("p.docx", photo)).kind is evidence.DOCX


# --- PDF and images ---------------------------------------------------------------------------


def test_a_real_pdf_is_accepted_and_a_damaged_one_refused():
    assert evidence.check_evidence_file(SimpleUploadedFile("r.pdf", PDF_BYTES)).kind is evidence.PDF
    assert refusal("r.pdf", PDF_BYTES[: len(PDF_BYTES) // 3]).code == "bad_pdf"


def test_a_password_protected_pdf_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF_BYTES)))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    error = refusal("r.pdf", buffer.getvalue())
    assert error.code == "encrypted"
    assert "protected by a password" in error.messages[0]


def test_an_image_that_fails_pillows_verify_is_refused_with_a_clear_message():
    error = refusal("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert error.code == "damaged_image"
    assert error.messages == [
        "This file starts like a PNG image but is damaged or incomplete. Open it, save it "
        "again and upload the copy."
    ]


# --- through the page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_refused_document_is_explained_on_the_page_and_nothing_is_saved(
    login, personas, owned_action
):
    url = reverse("actionplan:action_update", args=[owned_action.plan_id, owned_action.pk])
    response = login(personas.steering).post(
        url,
        {
            "note": "Minutes attached.",
            "progress": "60",
            "status": "in_progress",
            "evidence": SimpleUploadedFile("minutes.docx", docx(("word/media/setup.exe", EXE))),
        },
    )
    assert response.status_code == 200
    assert "with a program inside" in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_proofs_of_registration_must_open_as_pdfs_too():
    from registration import files

    fake = b"%PDF-1.7\n<html><script>alert(document.cookie)</script>\n"
    with pytest.raises(evidence.ValidationError) as refused:
        files.check_upload(SimpleUploadedFile("certificate.pdf", fake))
    assert refused.value.code == "bad_pdf"
    checked = files.check_upload(SimpleUploadedFile("certificate.pdf", PDF_BYTES))
    assert checked.content_type == "application/pdf"
