"""Evidence files: checked by content (not by name), at most 20 MB, stored under a random name,
and served only to readers of the plan, as an attachment that browsers will not sniff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplan.models import ActionUpdate
from portal import evidence
from tests import factories
from tests.actionplan.conftest import (
    EXE_BYTES,
    OLE2_BYTES,
    PDF_BYTES,
    odf_zip,
    office_zip,
)

GOOD_FILES = [
    ("report.pdf", PDF_BYTES, "application/pdf"),
    ("photo.png", factories.image_bytes("PNG"), "image/png"),
    ("photo.jpg", factories.image_bytes("JPEG"), "image/jpeg"),
    ("anim.gif", factories.image_bytes("GIF"), "image/gif"),
    ("poster.webp", factories.image_bytes("WEBP"), "image/webp"),
    (
        "minutes.docx",
        office_zip("word/"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "figures.xlsx",
        office_zip("xl/"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "talk.pptx",
        office_zip("ppt/"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("old.doc", OLE2_BYTES, "application/msword"),
    ("old.xls", OLE2_BYTES, "application/vnd.ms-excel"),
    ("old.ppt", OLE2_BYTES, "application/vnd.ms-powerpoint"),
    (
        "notes.odt",
        odf_zip("application/vnd.oasis.opendocument.text"),
        "application/vnd.oasis.opendocument.text",
    ),
    (
        "sums.ods",
        odf_zip("application/vnd.oasis.opendocument.spreadsheet"),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
]

BAD_FILES = [
    ("a .pdf that is really text", "report.pdf", b"Just some plain text, not a PDF.\n"),
    ("an .exe renamed .pdf", "report.pdf", EXE_BYTES),
    ("an .exe as itself", "setup.exe", EXE_BYTES),
    ("HTML named .png", "photo.png", b"<html><script>alert(1)</script></html>"),
    ("a PNG header with no image", "photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    ("a zip that is no office file", "minutes.docx", office_zip("word/", False)),
    ("an OLE2 file named .pdf", "report.pdf", OLE2_BYTES),
    ("an OLE2 file without a known name", "thing.bin", OLE2_BYTES),
    ("an SVG", "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
    ("an empty file", "empty.pdf", b""),
]


def post_update(client, action, **extra):
    data = {"note": "Evidence attached.", "progress": "60", "status": "in_progress"} | extra
    url = reverse("actionplan:action_update", args=[action.plan_id, action.pk])
    return client.post(url, data)


@pytest.mark.parametrize(("name", "content", "content_type"), GOOD_FILES, ids=lambda v: str(v)[:12])
def test_accepted_evidence_is_checked_by_content(name, content, content_type):
    checked = evidence.check_evidence_file(SimpleUploadedFile(name, content))
    assert checked.kind.content_type == content_type


@pytest.mark.parametrize(
    ("name", "content"), [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES]
)
def test_refused_evidence(name, content, login, personas, owned_action):
    response = post_update(
        login(personas.steering), owned_action, evidence=SimpleUploadedFile(name, content)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["evidence"]
    assert errors and any(
        words in errors[0] for words in ("not a PDF", "empty", "named", "damaged")
    )
    owned_action.refresh_from_db()
    assert owned_action.progress == 40
    assert not ActionUpdate.objects.exists()


def test_a_pdf_that_is_really_text_is_refused_with_a_clear_message():
    with pytest.raises(evidence.ValidationError) as refused:
        evidence.check_evidence_file(SimpleUploadedFile("report.pdf", b"hello, not a pdf"))
    assert refused.value.messages == [
        "This file is not a PDF, an image (PNG, JPEG, GIF or WebP) or an office document "
        "(Word, Excel, PowerPoint or OpenDocument), whatever its name says: its content is of "
        "another type."
    ]


def test_a_png_named_pdf_is_refused_as_a_mismatch():
    with pytest.raises(evidence.ValidationError, match="named .pdf but its content is a PNG"):
        evidence.check_evidence_file(SimpleUploadedFile("a.pdf", factories.image_bytes("PNG")))


def test_a_file_over_the_limit_is_refused(settings, login, personas, owned_action):
    settings.ACTION_EVIDENCE_MAX_BYTES = 1024
    big = PDF_BYTES[:180] + b"%" * 1024  # refused for its size before its content is read
    response = post_update(
        login(personas.steering), owned_action, evidence=SimpleUploadedFile("big.pdf", big)
    )
    assert response.context["form"].errors["evidence"] == [
        "The file is too large (1.2 KB): the limit is 1 KB."
    ]
    assert not ActionUpdate.objects.exists()


def test_the_limit_is_20_mb():
    assert evidence.max_bytes() == 20 * 1024 * 1024
    exactly = PDF_BYTES + b"%" * (20 * 1024 * 1024 - len(PDF_BYTES))
    assert evidence.check_evidence_file(SimpleUploadedFile("ok.pdf", exactly)).kind is evidence.PDF
    with pytest.raises(
        evidence.ValidationError, match=r"too large \(20.1 MB\): the limit is 20 MB"
    ):
        evidence.check_evidence_file(SimpleUploadedFile("big.pdf", exactly + b"%"))


@pytest.mark.parametrize(("name", "content", "content_type"), GOOD_FILES[:6:2] + GOOD_FILES[5:6])
def test_good_evidence_is_stored_under_a_random_name_and_served_safely(
    name, content, content_type, login, personas, owned_action, settings
):
    client = login(personas.technician)  # the action's owner
    response = post_update(client, owned_action, evidence=SimpleUploadedFile(name, content))
    assert response.status_code == 302
    update = ActionUpdate.objects.get()
    stored = update.evidence.name
    assert stored.startswith("evidence/") and name.rsplit(".", 1)[0] not in stored
    assert update.evidence_name == name
    assert (settings.MEDIA_ROOT / stored).read_bytes() == content

    download = login(personas.manager).get(update.get_evidence_url())
    assert download.status_code == 200
    assert download["Content-Type"] == content_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert name in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == content


def test_evidence_of_a_draft_plan_is_hidden_from_those_who_cannot_see_the_plan(
    login, personas, draft_plan
):
    action = factories.ActionFactory(plan=draft_plan)
    update = factories.ActionUpdateFactory(action=action, evidence_name="x.pdf")
    update.evidence.save("evidence.pdf", SimpleUploadedFile("x.pdf", PDF_BYTES))
    assert login(personas.technician).get(update.get_evidence_url()).status_code == 404
    assert login(personas.hr).get(update.get_evidence_url()).status_code == 200
    assert login(None).get(update.get_evidence_url()).status_code == 302


def test_evidence_is_never_linked_from_media_url(login, personas, owned_action):
    update = factories.ActionUpdateFactory(action=owned_action, evidence_name="x.pdf")
    update.evidence.save("evidence.pdf", SimpleUploadedFile("x.pdf", PDF_BYTES))
    page = login(personas.technician).get(owned_action.get_absolute_url())
    html = page.content.decode()
    assert update.get_evidence_url() in html
    assert "/media/" not in html


def test_an_update_without_a_file_has_no_download(login, personas, owned_action):
    update = factories.ActionUpdateFactory(action=owned_action)
    assert login(personas.steering).get(update.get_evidence_url()).status_code == 404


def test_a_hostile_file_name_is_made_safe():
    checked = evidence.check_evidence_file(
        SimpleUploadedFile('../../etc/"passwd\r\n.pdf', PDF_BYTES)
    )
    assert "/" not in checked.original_name and '"' not in checked.original_name
    assert "\n" not in checked.original_name and checked.original_name.endswith(".pdf")
