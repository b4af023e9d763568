"""Fixtures of the action plan tests: a published 2025–2028 plan and helpers to build files."""

import datetime
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories

LONDON = ZoneInfo("Europe/London")
STARTS = datetime.date(2025, 8, 1)
ENDS = datetime.date(2028, 7, 31)
# "Today" in most tests: a Tuesday in the middle of the plan.
TODAY = datetime.date(2026, 3, 10)


def at_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=LONDON)


@pytest.fixture
def today():
    """Freeze the clock at noon in London on TODAY."""
    with time_machine.travel(at_noon(TODAY), tick=False):
        yield TODAY


@pytest.fixture
def plan(db):
    return factories.ActionPlanFactory(
        title="Technician Commitment Action Plan 2025–2028",
        starts_on=STARTS,
        ends_on=ENDS,
        status="published",
    )


@pytest.fixture
def draft_plan(db):
    return factories.ActionPlanFactory(
        title="Draft plan 2025–2028", starts_on=STARTS, ends_on=ENDS, status="draft"
    )


@pytest.fixture
def archived_plan(db):
    return factories.ActionPlanFactory(
        title="Action Plan 2022–2025",
        starts_on=datetime.date(2022, 8, 1),
        ends_on=datetime.date(2025, 7, 31),
        status="archived",
    )


@pytest.fixture
def owned_action(plan, personas):
    """An action of the published plan owned by the technician persona."""
    return factories.ActionFactory(
        plan=plan,
        ref="V1.1",
        title="Publish technician profiles on the website",
        pillar="visibility",
        owner=personas.technician,
        due_on=datetime.date(2027, 3, 31),
        status="in_progress",
        progress=40,
    )


# --- evidence files ------------------------------------------------------------------------


def one_page_pdf() -> bytes:
    """A real PDF (pypdf opens it): evidence PDFs are parsed, not only sniffed."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = one_page_pdf()


def office_zip(part_prefix: str, with_content_types: bool = True) -> bytes:
    """A minimal Office Open XML package: [Content_Types].xml and a word/ xl/ or ppt/ part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if with_content_types:
            archive.writestr(
                "[Content_Types].xml",
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                'package/2006/content-types"></Types>',
            )
        archive.writestr("_rels/.rels", "<Relationships/>")
        main = {"word/": "document.xml", "xl/": "workbook.xml", "ppt/": "presentation.xml"}
        archive.writestr(part_prefix + main[part_prefix], "<root/>")
    return buffer.getvalue()


def odf_zip(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


OLE2_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
