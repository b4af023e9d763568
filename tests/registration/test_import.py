"""HR's import of registrations: preview with every bad row by line, then all or nothing, and
a stale preview refused."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.imports.pending import StalePreview
from portal.models import ImportRun
from registration import importing
from registration.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = "staff number,register,body,membership number,registered on,renewal due,status\n"


@pytest.fixture
def staff(registers, department):
    return [
        factories.TechnicianFactory(staff_number=f"S{n:03d}", department=department)
        for n in range(1, 4)
    ]


def test_a_good_file_previews_then_applies(personas, staff):
    text = HEADER + (
        "S001,RSciTech,IST,IST001,2025-05-01,2026-05-01,active\n"
        "s002,EngTech,IET,,,,\n"
        "S003,CSci,Royal Society of Chemistry,RSC9,01/02/2024,01/02/2027,Lapsed\n"
    )
    preview = importing.preview_import(text)
    assert preview.is_valid and len(preview.new) == 3
    result = importing.apply_import(personas.hr, text, fingerprint=preview.fingerprint)
    assert result.is_valid
    assert Registration.objects.count() == 3
    lapsed = Registration.objects.get(technician__staff_number="S003")
    assert lapsed.status == "lapsed" and lapsed.registered_on == datetime.date(2024, 2, 1)
    assert Registration.objects.get(technician__staff_number="S002").status == "active"
    assert ImportRun.objects.get(kind="registrations").counts == {
        "new": 3,
        "changed": 0,
        "unchanged": 0,
    }
    # The same file again: nothing to change.
    again = importing.preview_import(text)
    assert len(again.unchanged) == 3 and not again.apply_count


def test_every_bad_row_is_reported_by_line_and_nothing_is_imported(personas, staff):
    text = HEADER + (
        "S001,RSciTech,IST,,,,\n"
        "S999,RSci,IST,,,,\n"
        "S002,XYZ,IST,,,,\n"
        "S002,RSciTech,Geological Society,,,,\n"
        "S003,RSci,IST,,2026-01-01,2025-01-01,\n"
        "S001,RSciTech,IST,,,,\n"
        "S003,CSci,IST,,not a date,,maybe\n"
    )
    preview = importing.preview_import(text)
    messages = {error.line: error.message.lower() for error in preview.errors}
    assert "unknown staff number “s999”" in messages[3]
    assert "unknown register “xyz”" in messages[4]
    assert "does not award rscitech" in messages[5]
    assert "renewal date must come after" in messages[6]
    assert "also on line 2" in messages[7]
    assert "bad date" in messages[8] and "unknown status" in messages[8]
    result = importing.apply_import(personas.hr, text)
    assert not result.is_valid
    assert not Registration.objects.exists()


def test_a_stale_preview_is_refused(personas, staff, registers, ist):
    text = HEADER + "S001,RSciTech,IST,IST001,,,active\n"
    preview = importing.preview_import(text)
    Registration.objects.create(
        technician=staff[0], register=registers["RSciTech"], body=ist, membership_number="OTHER"
    )
    with pytest.raises(StalePreview):
        importing.apply_import(personas.hr, text, fingerprint=preview.fingerprint)
    assert Registration.objects.get().membership_number == "OTHER"


def test_only_hr_imports(personas, staff):
    with pytest.raises(PermissionDenied):
        importing.apply_import(personas.manager, HEADER)


def test_the_import_page_previews_and_applies(personas, login, staff):
    client = login(personas.hr)
    upload = SimpleUploadedFile(
        "registrations.csv", (HEADER + "S001,RSciTech,IST,IST001,,,\n").encode(), "text/csv"
    )
    response = client.post("/registration/import/", {"action": "upload", "file": upload})
    assert response.status_code == 200
    assert "1 new registration" in response.content.decode()
    token = response.context["token"]
    assert not Registration.objects.exists()
    response = client.post("/registration/import/", {"action": "apply", "token": token})
    assert response.status_code == 302
    assert Registration.objects.get().membership_number == "IST001"


def test_the_readme_table_is_the_generated_one():
    import re
    import textwrap

    from django.conf import settings

    readme = (settings.BASE_DIR / "docs" / "guide-hr.md").read_text(encoding="utf-8")
    match = re.search(
        r"<!-- columns:registrations -->\n(.*?)^ *<!-- /columns:registrations -->",
        readme,
        re.DOTALL | re.MULTILINE,
    )
    assert match
    assert textwrap.dedent(match.group(1)) == importing.COLUMNS.markdown_table()


def test_the_command_dry_runs_and_applies(personas, staff, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "registrations.csv"
    path.write_text(HEADER + "S001,RSciTech,IST,IST001,,,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_registrations", str(path), "--dry-run", stdout=out)
    assert "Would import: 1 new" in out.getvalue()
    assert not Registration.objects.exists()
    with pytest.raises(CommandError, match="--as"):
        call_command("import_registrations", str(path), stdout=io.StringIO())
    call_command("import_registrations", str(path), "--as", personas.hr.email, stdout=out)
    assert Registration.objects.get().membership_number == "IST001"
