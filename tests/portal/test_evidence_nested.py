"""Evidence checks look inside archives nested in a document (issue 20, hole 1): programs and
embedded OLE objects are refused at any depth, naming the file inside; archives are opened to
MAX_NESTING levels; everything unpacked at every level counts towards
PORTAL_EVIDENCE_MAX_EXPANDED_BYTES."""

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal import evidence
from tests.actionplan.conftest import OLE2_BYTES
from tests.actionplan.test_evidence_content import EXE, docx, raw_zip


def a_zip(*members: tuple[str, bytes], stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def workbook(*extra: tuple[str, bytes]) -> bytes:
    """A small .xlsx, as Word embeds a chart's data."""
    return a_zip(
        ("[Content_Types].xml", b"<Types/>"),
        ("_rels/.rels", b"<Relationships/>"),
        ("xl/workbook.xml", b"<workbook/>"),
        *extra,
    )


def refusal(name: str, data: bytes) -> evidence.ValidationError:
    with pytest.raises(evidence.ValidationError) as refused:
        evidence.check_evidence_file(SimpleUploadedFile(name, data))
    return refused.value


def accepted(name: str, data: bytes) -> evidence.CheckedEvidence:
    return evidence.check_evidence_file(SimpleUploadedFile(name, data))


def test_a_docx_holding_a_zip_with_a_program_inside_is_refused_naming_it():
    inner = a_zip(("readme.txt", b"hello"), ("payload.exe", EXE))
    error = refusal("minutes.docx", docx(("word/embeddings/inner.zip", inner)))
    assert error.code == "program_inside"
    assert "“word/embeddings/inner.zip › payload.exe”" in error.messages[0]


def test_a_program_under_an_innocent_name_inside_a_nested_zip_is_found_by_its_content():
    inner = a_zip(("photo.png", EXE))
    error = refusal("minutes.docx", docx(("word/media/attachment.bin", inner)))
    assert error.code == "program_inside"
    assert "word/media/attachment.bin › photo.png" in error.messages[0]


def test_an_embedded_ole_object_is_refused():
    error = refusal("minutes.docx", docx(("word/embeddings/oleObject1.bin", OLE2_BYTES)))
    assert error.code == "embedded_object"
    assert "“word/embeddings/oleObject1.bin”" in error.messages[0]


def test_an_ole_object_under_another_name_or_deeper_is_refused():
    inner = a_zip(("notes/data.dat", OLE2_BYTES))
    error = refusal("minutes.docx", docx(("word/embeddings/inner.zip", inner)))
    assert error.code == "embedded_object"
    assert "word/embeddings/inner.zip › notes/data.dat" in error.messages[0]


def test_a_program_three_archives_deep_is_found():
    level3 = a_zip(("run.sh", b"#!/bin/sh\nrm -rf ~\n"))
    level2 = a_zip(("c.zip", level3))
    level1 = a_zip(("b.zip", level2))
    error = refusal("minutes.docx", docx(("word/embeddings/a.zip", level1)))
    assert error.code == "program_inside"
    assert "word/embeddings/a.zip › b.zip › c.zip › run.sh" in error.messages[0]


def test_archives_nested_deeper_than_the_limit_are_refused():
    assert evidence.MAX_NESTING == 3
    nested = a_zip(("notes.txt", b"fine"))
    for level in range(evidence.MAX_NESTING):
        nested = a_zip((f"level{level}.zip", nested))
    error = refusal("minutes.docx", docx(("word/embeddings/a.zip", nested)))
    assert error.code == "nested_too_deep"


def test_harmless_archives_within_the_limit_are_accepted():
    nested = a_zip(("notes.txt", b"fine"))
    for level in range(evidence.MAX_NESTING - 1):
        nested = a_zip((f"level{level}.zip", nested))
    assert accepted("minutes.docx", docx(("word/embeddings/a.zip", nested))).kind == evidence.DOCX


def test_a_document_with_an_embedded_workbook_is_accepted():
    data = docx(("word/embeddings/Microsoft_Excel_Worksheet.xlsx", workbook()))
    assert accepted("results.docx", data).kind == evidence.DOCX


def test_an_embedded_macro_enabled_workbook_is_refused():
    inner = workbook(("xl/vbaProject.bin", OLE2_BYTES))
    error = refusal("results.docx", docx(("word/embeddings/Worksheet.xlsm", inner)))
    assert error.code == "macros"
    assert "word/embeddings/Worksheet.xlsm" in error.messages[0]


def zip_bomb_of(size: int) -> bytes:
    """A small zip whose one member inflates to `size` bytes of zeros (16 MiB blocks)."""
    block = bytes(16 * 1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    one_block = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    blocks = size // len(block)
    stream = one_block * blocks + compressor.flush()
    crc = 0
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    return raw_zip([("zeros.bin", stream, crc, blocks * len(block))])


def test_a_nested_zip_bomb_is_opened_and_refused():
    bomb = zip_bomb_of(256 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    error = refusal("minutes.docx", docx(("word/embeddings/inner.zip", bomb)))
    assert error.code == "unpacks_too_large"
    assert "200 MB" in error.messages[0]


def test_the_expanded_limit_counts_every_level_and_is_a_setting(settings):
    noise = bytes(range(256)) * 4096  # 1 MiB that deflates poorly: no ratio refusal
    inner = a_zip(("a.bin", noise), ("b.bin", noise[::-1]))
    data = docx(("word/embeddings/inner.zip", inner))
    assert accepted("minutes.docx", data)
    settings.PORTAL_EVIDENCE_MAX_EXPANDED_BYTES = 2 * 1024 * 1024
    error = refusal("minutes.docx", data)
    assert error.code == "unpacks_too_large"
    assert "2 MB" in error.messages[0]


def test_a_damaged_archive_inside_is_refused():
    error = refusal("minutes.docx", docx(("word/embeddings/inner.zip", b"PK\x03\x04broken")))
    assert error.code == "damaged_archive"


def test_an_old_word_document_with_embedded_objects_is_refused():
    data = OLE2_BYTES + "ObjectPool".encode("utf-16-le") + b"\x00" * 64
    error = refusal("minutes.doc", data)
    assert error.code == "embedded_object"


def test_the_default_expanded_limit_is_200_mb():
    from django.conf import settings

    assert settings.PORTAL_EVIDENCE_MAX_EXPANDED_BYTES == 200 * 1024 * 1024
    assert evidence.max_expanded_bytes() == 200 * 1024 * 1024
