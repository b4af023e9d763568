"""Training records from CSV: preview with every bad line, apply all or nothing, twice adds
nothing, a stale preview is refused; the README's column table is the import's."""

from __future__ import annotations

import datetime
import re
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.imports.pending import StalePreview
from portal.models import ImportRun
from tests.training.conftest import make_technician
from training import importing
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db

HEADER = "staff number,date,days,hours,category,title,provider,reflection\n"


def csv(*lines: str) -> str:
    return HEADER + "".join(line + "\n" for line in lines)


def test_preview_lists_new_records_and_every_bad_line(personas, alex_number):
    future = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    text = csv(
        "T123,2025-10-01,1,,formal,First aid,St John,",
        "t123,01/11/2025,,3.5,On the job,Shadowing,,Useful",
        "NOPE,2025-10-01,1,,formal,X,,",
        "T123,2025-13-01,1,,formal,X,,",
        "T123,2025-10-02,1,7,formal,X,,",
        "T123,2025-10-02,,,formal,X,,",
        "T123,2025-10-02,1,,lecture,X,,",
        f"T123,{future},1,,formal,X,,",
        "T123,2025-10-01,1,,formal,First aid,St John,",
    )
    preview = importing.preview_import(text)
    assert [row.line for row in preview.new] == [2, 3]
    assert preview.new[1].values["days"] == Decimal("0.50")
    messages = {error.line: error.message for error in preview.errors}
    assert "Unknown staff number “NOPE”" in messages[4]
    assert "Bad date" in messages[5]
    assert "not both" in messages[6]
    assert "give the days or the hours" in messages[7].lower()
    assert "unknown category" in messages[8].lower()
    assert "future" in messages[9]
    assert "same record as on line 2" in messages[10]
    assert not TrainingRecord.objects.exists()


def test_apply_adds_everything_once(personas, alex_number, alex):
    text = csv(
        "T123,2025-10-01,1,,formal,First aid,St John,", "T123,2025-10-08,0.5,,on_the_job,HPLC,,"
    )
    preview = importing.preview_import(text)
    result = importing.apply_import(personas.hr, text, fingerprint=preview.fingerprint)
    assert result.is_valid
    assert TrainingRecord.objects.filter(technician=alex).count() == 2
    assert ImportRun.objects.get(kind=importing.KIND).counts == {"new": 2, "already_recorded": 0}
    again = importing.preview_import(text)
    assert (len(again.new), len(again.already)) == (0, 2)


def test_a_stale_preview_changes_nothing(personas, alex_number, alex):
    text = csv("T123,2025-10-01,1,,formal,First aid,,")
    preview = importing.preview_import(text)
    TrainingRecord.objects.create(
        technician=alex,
        date=datetime.date(2025, 10, 1),
        days=1,
        category="formal",
        title="First aid",
    )
    with pytest.raises(StalePreview):
        importing.apply_import(personas.hr, text, fingerprint=preview.fingerprint)
    assert TrainingRecord.objects.count() == 1


def test_only_hr_and_coordinators_import(personas, alex_number):
    text = csv("T123,2025-10-01,1,,formal,First aid,,")
    for user in (personas.technician, personas.manager, personas.steering):
        with pytest.raises(PermissionDenied):
            importing.apply_import(user, text)
    assert importing.apply_import(personas.coordinator, text).is_valid


def test_leavers_are_refused(personas, department):
    leaver = make_technician(department, login=False, staff_number="L1", is_active=False)
    preview = importing.preview_import(csv("L1,2025-10-01,1,,formal,X,,"))
    assert "has left" in preview.errors[0].message
    assert not leaver.training_records.exists()


def test_a_file_without_days_or_hours(personas):
    from portal.imports import ImportFileError

    with pytest.raises(ImportFileError, match="days or an hours column"):
        importing.preview_import("staff number,date,category,title\nT1,2025-10-01,formal,X\n")


def test_the_page_previews_and_applies(personas, login, alex_number, alex):
    client = login(personas.hr)
    upload = SimpleUploadedFile(
        "records.csv", csv("T123,2025-10-01,1,,formal,First aid,,").encode()
    )
    page = client.post("/training/records/import/", {"action": "upload", "file": upload})
    assert page.status_code == 200
    content = page.content.decode()
    assert "1 new record" in content
    token = re.search(r'name="token" value="(\d+)"', content).group(1)
    done = client.post(
        "/training/records/import/", {"action": "apply", "token": token}, follow=True
    )
    assert "Imported training records: 1 added" in done.content.decode()
    assert alex.training_records.count() == 1


def test_the_readme_documents_the_columns():
    docs = Path(__file__).resolve().parents[2] / "docs"
    for guide in ("guide-training-coordinator.md", "guide-hr.md"):
        text = (docs / guide).read_text()
        match = re.search(
            r"<!-- columns:training-records -->\n(.*?)<!-- /columns:training-records -->",
            text,
            re.S,
        )
        assert match, f"{guide} has no training-records column table"
        assert textwrap.dedent(match.group(1)) == importing.COLUMNS.markdown_table()
