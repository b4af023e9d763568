"""HR imports the staff list: upload, preview, apply (or cancel), on the page and by command.

Every bad file or row is reported with its line and reason, and then nothing has changed.
"""

import csv
import io
import os
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from portal.imports import ImportFileError, RowError
from portal.imports.pending import StalePreview
from portal.models import ImportRun, PendingImport
from technicians import staff_list
from technicians.models import Department, Technician
from technicians.staff_list import (
    COLUMNS,
    StaffImportRefused,
    preview_staff_import,
)
from tests import factories

BASE_DIR = Path(__file__).resolve().parents[2]
URL = "/technicians/import/"
pytestmark = pytest.mark.django_db


# --- helpers --------------------------------------------------------------------------------------


def row(**values) -> dict:
    """A valid row for a new technician in Chemistry, with these values instead."""
    cells = {
        "staff_number": "S1001",
        "first_name": "Jordan",
        "last_name": "Reece",
        "email": "jordan.reece@example.ac.uk",
        "job_title": "Laboratory Technician",
        "role_family": "laboratory",
        "grade": "5",
        "department": "Chemistry",
        "line_manager_staff_number": "",
        "started_on": "2021-09-01",
        "is_apprentice": "no",
    }
    cells.update(values)
    return cells


def csv_text(*rows: dict, columns=COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for cells in rows:
        writer.writerow(cells)
    return buffer.getvalue()


def upload(client, content, name="staff.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        URL, {"action": "upload", "file": SimpleUploadedFile(name, data, content_type="text/csv")}
    )


def snapshot():
    """Every technician's data, to show that nothing changed."""
    return list(
        Technician.objects.order_by("pk").values_list(
            "pk",
            "staff_number",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "role_family",
            "grade",
            "department_id",
            "line_manager_id",
            "started_on",
            "is_apprentice",
            "is_active",
            "user_id",
            "updated",
        )
    )


def token_of(response) -> str:
    return response.context["token"]


def typed(response) -> dict:
    """The number of leavers, as HR types it in to confirm a file making many leavers."""
    return {"confirm_leavers": str(len(response.context["preview"].leavers))}


@pytest.fixture
def chemistry(department):
    return department


@pytest.fixture
def physics(db):
    return factories.DepartmentFactory(
        name="Physics and Astronomy", slug="physics-astronomy", faculty="Faculty of Science"
    )


@pytest.fixture
def staff(chemistry, physics):
    """Three technicians already in the directory: a manager, a report, and a leaver."""
    manager = factories.TechnicianFactory(
        staff_number="S0001",
        first_name="Morag",
        last_name="Stewart",
        email="morag.stewart@example.ac.uk",
        job_title="Laboratory Manager",
        department=chemistry,
        grade="7",
        started_on=date(2005, 1, 10),
    )
    report = factories.TechnicianFactory(
        staff_number="S0002",
        first_name="Dev",
        last_name="Patel",
        email="dev.patel@example.ac.uk",
        job_title="Laboratory Technician",
        department=chemistry,
        grade="5",
        line_manager=manager,
        started_on=date(2019, 6, 3),
    )
    leaver = factories.TechnicianFactory(
        staff_number="S0003",
        first_name="Ellen",
        last_name="Ward",
        email="ellen.ward@example.ac.uk",
        job_title="Workshop Technician",
        role_family=Technician.RoleFamily.ENGINEERING,
        department=physics,
        grade="4",
        is_active=False,
        started_on=None,
    )
    return {"manager": manager, "report": report, "leaver": leaver}


def as_rows(*technicians, **overrides_by_number) -> list[dict]:
    """Rows that describe these technicians exactly as they are (so: unchanged)."""
    rows = []
    for technician in technicians:
        cells = row(
            staff_number=technician.staff_number,
            first_name=technician.first_name,
            last_name=technician.last_name,
            email=technician.email,
            job_title=technician.job_title,
            role_family=technician.role_family,
            grade=technician.grade,
            department=technician.department.name,
            line_manager_staff_number=(
                technician.line_manager.staff_number if technician.line_manager else ""
            ),
            started_on=technician.started_on.isoformat() if technician.started_on else "",
            is_apprentice="yes" if technician.is_apprentice else "no",
        )
        cells.update(overrides_by_number.get(technician.staff_number, {}))
        rows.append(cells)
    return rows


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the page -------------------------------------------------------------------------------------


def test_the_page_has_a_labelled_file_input_and_documents_the_columns(hr):
    response = hr.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_file">' in page
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    for column in COLUMNS:
        assert f"<code>{column}</code>" in page
    assert page.count("<h1") == 1


def test_hr_previews_then_applies_a_staff_list(hr, staff, chemistry, physics):
    manager, report = staff["manager"], staff["report"]
    text = csv_text(
        *as_rows(manager, report, **{"S0002": {"job_title": "Senior Laboratory Technician"}}),
        row(staff_number="S1001", line_manager_staff_number="S0001"),
        row(
            staff_number="S1002",
            first_name="Aoife",
            last_name="Byrne",
            email="aoife.byrne@example.ac.uk",
            department="physics-astronomy",
            role_family="Engineering and workshop",
            line_manager_staff_number="S1001",
            started_on="03/04/2023",
            is_apprentice="Yes",
        ),
    )
    leaving = factories.TechnicianFactory(
        staff_number="S0009", first_name="Gone", last_name="Soon", department=chemistry
    )
    before = snapshot()

    preview = upload(hr, text)

    page = preview.content.decode()
    assert preview.status_code == 200
    assert snapshot() == before  # a preview changes nothing
    assert "To create (2)" in page and "Jordan Reece" in page and "Aoife Byrne" in page
    assert "To update (1)" in page
    assert "Job title: Laboratory Technician → Senior Laboratory Technician" in page
    # Gone Soon, and the personas' two technicians, are not in the file.
    assert "To mark as leavers (3)" in page and "Gone Soon" in page
    assert "1 technician in the file is unchanged" in page
    assert 'name="action" value="apply"' in page and 'name="action" value="cancel"' in page

    applied = hr.post(
        URL, {"action": "apply", "token": token_of(preview), **typed(preview)}, follow=True
    )

    assert "Staff list imported: 2 created, 1 updated, 3 marked as leavers" in (
        " ".join(messages_of(applied))
    )
    new = Technician.objects.get(staff_number="S1001")
    assert (new.first_name, new.last_name, new.email) == (
        "Jordan",
        "Reece",
        "jordan.reece@example.ac.uk",
    )
    assert new.line_manager == manager and new.department == chemistry and new.is_active
    apprentice = Technician.objects.get(staff_number="S1002")
    assert apprentice.line_manager == new
    assert apprentice.department == physics
    assert apprentice.role_family == Technician.RoleFamily.ENGINEERING
    assert apprentice.started_on == date(2023, 4, 3)
    assert apprentice.is_apprentice is True
    report.refresh_from_db()
    assert report.job_title == "Senior Laboratory Technician"
    leaving.refresh_from_db()
    assert leaving.is_active is False  # a leaver is kept, inactive
    manager.refresh_from_db()
    assert manager.is_active


def test_applying_twice_with_the_same_token_is_refused_the_second_time(hr, staff):
    preview = upload(hr, csv_text(row()))
    token = token_of(preview)
    hr.post(URL, {"action": "apply", "token": token, **typed(preview)})
    before = snapshot()

    again = hr.post(URL, {"action": "apply", "token": token, **typed(preview)}, follow=True)

    assert "no longer waiting to be applied" in " ".join(messages_of(again))
    assert snapshot() == before
    assert Technician.objects.filter(staff_number="S1001").count() == 1


def test_cancel_changes_nothing_and_forgets_the_file(hr, staff):
    before = snapshot()
    preview = upload(hr, csv_text(row()))
    token = token_of(preview)

    cancelled = hr.post(URL, {"action": "cancel", "token": token}, follow=True)

    assert "Import cancelled: nothing was changed." in messages_of(cancelled)
    assert snapshot() == before
    stale = hr.post(URL, {"action": "apply", "token": token}, follow=True)
    assert "no longer waiting to be applied" in " ".join(messages_of(stale))
    assert snapshot() == before


def test_an_unknown_token_gives_a_clear_message_and_changes_nothing(hr, staff):
    before = snapshot()
    response = hr.post(URL, {"action": "apply", "token": "made-up"})
    assert response.status_code == 302 and response["Location"] == URL
    followed = hr.get(URL)
    assert "Nothing was changed: upload the file again." in " ".join(messages_of(followed))
    assert snapshot() == before


def test_another_users_token_is_stale_for_me(client, login, personas, staff):
    hr_client = login(personas.hr)
    token = token_of(upload(hr_client, csv_text(row())))
    before = snapshot()
    other = login(personas.admin)  # a different session

    response = other.post(URL, {"action": "apply", "token": token}, follow=True)

    assert "no longer waiting to be applied" in " ".join(messages_of(response))
    assert snapshot() == before


def test_the_apply_checks_the_file_again_and_refuses_if_it_became_invalid(hr, staff, chemistry):
    preview = upload(hr, csv_text(row(email="taken.later@example.ac.uk")))
    assert preview.context["preview"].is_valid
    # Meanwhile someone else gets that address.
    factories.TechnicianFactory(
        staff_number="S0777", email="taken.later@example.ac.uk", department=chemistry
    )
    before = snapshot()

    response = hr.post(URL, {"action": "apply", "token": token_of(preview)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "nothing was imported" in " ".join(messages_of(response))
    assert "taken.later@example.ac.uk" in page and "staff number S0777" in page
    assert snapshot() == before
    assert not Technician.objects.filter(staff_number="S1001").exists()
    # And the refused file cannot be applied afterwards.
    assert 'name="action" value="apply"' not in page


def test_the_apply_refuses_when_a_department_was_deleted_since_the_preview(hr, physics):
    text = csv_text(row(department="physics-astronomy"))
    preview = preview_staff_import(text)
    assert preview.is_valid
    physics.delete()
    before = snapshot()

    with pytest.raises(StaffImportRefused) as refused:
        staff_list.apply_staff_import(text)

    assert refused.value.preview.errors == [
        RowError(
            2,
            'unknown department "physics-astronomy": departments must exist in the portal '
            "before the import",
        )
    ]
    assert snapshot() == before


# --- bad files and bad rows -----------------------------------------------------------------------

# (what is wrong, file content, the message expected on the page)
BAD_ROWS = [
    (
        "bad e-mail",
        csv_text(row(email="jordan.reece.example.ac.uk")),
        'Line 2: invalid email address "jordan.reece.example.ac.uk"',
    ),
    (
        "unknown department",
        csv_text(row(), row(staff_number="S1002", email="b@example.ac.uk", department="Alchemy")),
        'Line 3: unknown department "Alchemy"',
    ),
    (
        "unknown role family",
        csv_text(row(role_family="wizardry")),
        'Line 2: unknown role family "wizardry"',
    ),
    (
        "duplicate staff number in the file",
        csv_text(row(), row(email="other@example.ac.uk")),
        'Line 3: duplicate staff number "S1001": also on line 2',
    ),
    (
        "duplicate e-mail in the file",
        csv_text(row(), row(staff_number="S1002", email="Jordan.Reece@example.ac.uk")),
        'Line 3: duplicate email "Jordan.Reece@example.ac.uk": also on line 2',
    ),
    (
        "e-mail of another technician in the directory",
        csv_text(row(email="dev.patel@example.ac.uk")),
        'Line 2: duplicate email "dev.patel@example.ac.uk": it belongs to another technician',
    ),
    (
        "impossible ISO date",
        csv_text(row(started_on="2024-02-30")),
        'Line 2: invalid started_on date "2024-02-30": use YYYY-MM-DD or DD/MM/YYYY',
    ),
    (
        "impossible UK date",
        csv_text(row(started_on="31/04/2024")),
        'Line 2: invalid started_on date "31/04/2024"',
    ),
    (
        "date in words",
        csv_text(row(started_on="1st May 2024")),
        'Line 2: invalid started_on date "1st May 2024"',
    ),
    (
        "missing required values",
        csv_text(row(first_name="", email="  ")),
        "Line 2: missing required value: first_name, email",
    ),
    (
        "unknown line manager",
        csv_text(row(line_manager_staff_number="S9999")),
        'Line 2: unknown line manager "S9999": not in the file and not in the directory',
    ),
    (
        "own line manager",
        csv_text(row(line_manager_staff_number="S1001")),
        "Line 2: a technician cannot be their own line manager",
    ),
    (
        "bad yes/no",
        csv_text(row(is_apprentice="sometimes")),
        'Line 2: invalid is_apprentice value "sometimes": use yes or no',
    ),
    (
        "bad staff number",
        csv_text(row(staff_number="S 1001")),
        'Line 2: invalid staff number "S 1001"',
    ),
    (
        "too long",
        csv_text(row(grade="G" * 21)),
        "Line 2: grade is too long (at most 20 characters)",
    ),
    (
        "unquoted comma",
        csv_text(row()) + "S1002,Sam,Lee,sam@example.ac.uk,Technician, Senior,laboratory,5,"
        "Chemistry,,2020-01-01,no\n",
        "Line 3: the row has more cells than the header has columns",
    ),
]


@pytest.mark.parametrize(("problem", "content", "message"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_a_bad_row_is_reported_with_its_line_and_nothing_changes(
    hr, staff, problem, content, message
):
    before = snapshot()

    response = upload(hr, content)

    page = response.content.decode()
    assert response.status_code == 200
    errors = [str(error) for error in response.context["preview"].errors]
    assert any(error.startswith(message) for error in errors), errors
    assert "nothing can be imported" in page
    assert 'name="action" value="apply"' not in page  # no way to apply an invalid file
    assert snapshot() == before
    # The service refuses the same text too.
    with pytest.raises(StaffImportRefused):
        staff_list.apply_staff_import(content)
    assert snapshot() == before


def test_every_bad_row_is_listed_not_just_the_first(staff):
    text = csv_text(
        row(email="nope"),
        row(staff_number="S1002", email="ok@example.ac.uk", department="Alchemy"),
        row(staff_number="S1003", email="ok2@example.ac.uk", role_family="x", started_on="x"),
    )
    preview = preview_staff_import(text)
    assert [error.line for error in preview.errors] == [2, 3, 4, 4]


def test_the_same_address_may_move_from_one_technician_to_another_in_one_file(staff):
    manager, report = staff["manager"], staff["report"]
    text = csv_text(
        *as_rows(
            manager,
            report,
            **{
                "S0001": {"email": "dev.patel@example.ac.uk"},
                "S0002": {"email": "morag.stewart@example.ac.uk"},
            },
        )
    )
    result = staff_list.apply_staff_import(text)
    assert result.updated == 2
    manager.refresh_from_db()
    report.refresh_from_db()
    assert manager.email == "dev.patel@example.ac.uk"
    assert report.email == "morag.stewart@example.ac.uk"


# (what is wrong, bytes, message shown on the form)
BAD_FILES = [
    ("not UTF-8", "staff_number,first_name\nS1,Siân\n".encode("latin-1"), "not UTF-8"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
    ("NUL bytes", b"staff_number\x00,first_name\n", "not a CSV text file"),
    ("empty", b"", "The file is empty."),
    ("only blank lines", b"\n\n  \n", "The file is empty."),
    ("header only", csv_text().encode(), "The file has a header but no rows."),
    (
        "missing columns",
        csv_text(row(), columns=[c for c in COLUMNS if c not in ("email", "department")]).encode(),
        "Missing columns: email, department.",
    ),
    ("not a CSV at all", b"Dear HR,\nplease find attached\n", "Missing columns: "),
    ("column named twice", b"email," + csv_text(row()).encode(), "Column named twice: email."),
]


@pytest.mark.parametrize(
    ("problem", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
def test_a_bad_file_is_refused_with_its_reason_and_nothing_changes(
    hr, staff, problem, content, message
):
    before = snapshot()

    response = upload(hr, content)

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        response.context["form"].errors["file"][0].startswith(message)
        or message in (response.context["form"].errors["file"][0])
    )
    assert 'class="errorlist"' in page and 'aria-invalid="true"' in page
    assert snapshot() == before
    assert "token" not in response.context


def test_a_file_over_5_mb_is_refused(hr, staff):
    before = snapshot()
    big = csv_text(row()).encode() + b"#" * (5 * 1024 * 1024)
    response = upload(hr, big)
    assert "The file is too large: the limit is 5 MB." in response.context["form"].errors["file"]
    assert snapshot() == before


def test_posting_without_a_file_asks_for_one(hr):
    response = hr.post(URL, {"action": "upload"})
    assert response.context["form"].errors["file"] == ["Choose the staff list CSV file to upload."]


# --- the rules ------------------------------------------------------------------------------------


def test_a_leaver_is_marked_inactive_never_deleted_and_keeps_their_login(staff, personas):
    report = staff["report"]
    user = factories.UserFactory(email=report.email, username=report.email)
    report.user = user
    report.save()
    text = csv_text(*as_rows(staff["manager"]))

    result = staff_list.apply_staff_import(text)

    assert (result.created, result.updated, result.leavers) == (0, 0, 3)
    report.refresh_from_db()
    assert report.is_active is False
    assert report.user == user and user.is_active  # the login is kept
    # The personas' technicians were not in the file either.
    assert not Technician.objects.get(pk=personas.technician_profile.pk).is_active
    assert Technician.objects.count() == 5


def test_a_leaver_in_a_later_file_is_reactivated(staff):
    leaver = staff["leaver"]
    text = csv_text(*as_rows(staff["manager"], staff["report"], leaver))

    preview = preview_staff_import(text)
    [update] = [u for u in preview.to_update if u.staff_number == "S0003"]
    assert [str(change) for change in update.changes] == ["Active: no → yes"]

    result = staff_list.apply_staff_import(text)

    assert result.reactivated == 1
    assert "1 reactivated" in result.summary()
    leaver.refresh_from_db()
    assert leaver.is_active is True


def test_an_is_active_column_keeps_a_listed_leaver_inactive(staff):
    columns = (*COLUMNS, "is_active")
    rows = as_rows(staff["manager"], staff["report"], staff["leaver"])
    rows[2]["is_active"] = "no"
    text = csv_text(*rows, columns=columns)
    active_before = set(Technician.objects.filter(is_active=True).values_list("pk", flat=True))

    staff_list.apply_staff_import(text)

    assert not Technician.objects.get(staff_number="S0003").is_active
    assert Technician.objects.get(staff_number="S0002").is_active
    assert {staff["manager"].pk, staff["report"].pk} <= active_before


def test_an_update_lists_each_changed_field_old_to_new(staff, physics):
    report = staff["report"]
    text = csv_text(
        *as_rows(
            staff["manager"],
            report,
            **{
                "S0002": {
                    "last_name": "Patel-Jones",
                    "grade": "6",
                    "department": "PHYSICS AND ASTRONOMY",
                    "role_family": "RESEARCH",
                    "line_manager_staff_number": "",
                    "started_on": "",
                    "is_apprentice": "1",
                }
            },
        )
    )
    preview = preview_staff_import(text)
    [update] = preview.to_update
    assert [str(change) for change in update.changes] == [
        "Last name: Patel → Patel-Jones",
        "Grade: 5 → 6",
        "Role family: Laboratory → Research facility",
        "Department: Chemistry → Physics and Astronomy",
        "Line manager: Morag Stewart (S0001) → (blank)",
        "Started on: 2019-06-03 → (blank)",
        "Apprentice: no → yes",
    ]
    staff_list.apply_staff_import(text)
    report.refresh_from_db()
    assert report.last_name == "Patel-Jones" and report.department == physics
    assert report.line_manager is None and report.started_on is None and report.is_apprentice


def test_a_line_manager_may_come_later_in_the_file_or_from_the_directory(staff):
    text = csv_text(
        *as_rows(staff["manager"], staff["report"]),
        row(staff_number="S1001", line_manager_staff_number="S1002"),
        row(
            staff_number="S1002",
            email="lead@example.ac.uk",
            line_manager_staff_number="S0003",  # in the directory (a leaver), not in the file
        ),
    )
    preview = preview_staff_import(text)
    assert preview.is_valid, preview.errors
    assert any("S0003" in warning and "leaver" in warning for warning in preview.warnings)
    staff_list.apply_staff_import(text)
    assert Technician.objects.get(staff_number="S1001").line_manager.staff_number == "S1002"


def test_an_unchanged_file_changes_nothing(staff):
    text = csv_text(*as_rows(staff["manager"], staff["report"]))
    staff_list.apply_staff_import(text)  # the personas' technicians leave
    before = snapshot()

    preview = preview_staff_import(text)
    result = staff_list.apply_staff_import(text)

    assert not preview.has_changes and preview.unchanged == 2
    assert (result.created, result.updated, result.leavers) == (0, 0, 0)
    assert snapshot() == before


def test_blank_lines_and_multi_line_cells_keep_line_numbers_right(staff):
    text = (
        ",".join(COLUMNS)
        + "\n\n"
        + 'S1001,Jordan,Reece,jordan@example.ac.uk,"Technician,\nworkshop",laboratory,5,'
        "Chemistry,,2021-09-01,no\n"
        + "S1002,Sam,Lee,not-an-email,Technician,laboratory,5,Chemistry,,,\n"
    )
    preview = preview_staff_import(text)
    assert [str(error) for error in preview.errors] == [
        'Line 5: invalid email address "not-an-email"'
    ]


def test_values_are_trimmed_and_exported_formula_guards_removed(chemistry):
    text = csv_text(row(first_name="  Jordan ", job_title="'=Head of Lab", grade="'-1"))
    staff_list.apply_staff_import(text)
    technician = Technician.objects.get(staff_number="S1001")
    assert technician.first_name == "Jordan"
    assert technician.job_title == "=Head of Lab"
    assert technician.grade == "-1"


def test_a_file_that_would_make_most_staff_leavers_is_flagged(staff):
    factories.TechnicianFactory.create_batch(8, department=staff["manager"].department)
    preview = preview_staff_import(csv_text(row()))
    assert preview.warnings[0].startswith("This file would mark 10 of the 10 active")


def test_file_level_problems_raise_import_file_error(staff):
    with pytest.raises(ImportFileError, match="Missing column: email"):
        preview_staff_import(csv_text(row(), columns=[c for c in COLUMNS if c != "email"]))


# --- the command ----------------------------------------------------------------------------------


@pytest.fixture
def write(tmp_path):
    def _write(content, name="staff.csv"):
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return str(path)

    return _write


def test_the_command_dry_run_prints_the_preview_and_changes_nothing(staff, write, capsys):
    path = write(csv_text(*as_rows(staff["manager"]), row()))
    before = snapshot()

    call_command("import_technicians", path, "--dry-run", verbosity=2)

    out = capsys.readouterr().out
    assert "2 rows read: 1 to create, 0 to update, 1 to mark as leaver, 1 unchanged." in out
    assert "Line 3: create S1001 Jordan Reece" in out
    assert "Dry run: nothing was changed." in out
    assert snapshot() == before


def test_the_command_applies_the_file(staff, write, capsys):
    path = write(csv_text(*as_rows(staff["manager"], staff["report"]), row()))

    call_command("import_technicians", path)

    out = capsys.readouterr().out
    assert "Staff list imported: 1 created, 0 updated, 0 marked as leavers, 2 unchanged." in out
    assert Technician.objects.filter(staff_number="S1001", is_active=True).exists()


def test_the_command_fails_on_a_bad_file_with_line_numbers_and_changes_nothing(
    staff, write, capsys
):
    path = write(csv_text(row(), row(staff_number="S1002", email="x", department="Alchemy")))
    before = snapshot()

    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_technicians", path)

    err = capsys.readouterr().err
    assert 'Line 3: invalid email address "x"' in err
    assert 'Line 3: unknown department "Alchemy"' in err
    assert snapshot() == before
    # --dry-run fails the same way.
    with pytest.raises(CommandError):
        call_command("import_technicians", path, "--dry-run")


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\xff\xfe\x00bad", "not UTF-8"), (b"", "The file is empty."), (None, "Cannot read")],
)
def test_the_command_refuses_unreadable_files(staff, write, content, message):
    path = write(content) if content is not None else "/nonexistent/staff.csv"
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        call_command("import_technicians", path)
    assert snapshot() == before


def test_the_command_exits_non_zero_on_a_bad_file(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("name,e-mail\nJordan,jordan@example.ac.uk\n")
    completed = subprocess.run(
        [sys.executable, "manage.py", "import_technicians", str(path), "--dry-run"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        timeout=60,
    )
    assert completed.returncode != 0
    assert "Missing columns: staff_number" in completed.stderr


# --- concurrency (PostgreSQL) ---------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_file_at_once_create_each_technician_once():
    Department.objects.create(name="Chemistry", slug="chemistry", faculty="Faculty of Science")
    text = csv_text(
        *(row(staff_number=f"S{n:04d}", email=f"person{n}@example.ac.uk") for n in range(1, 201))
    )
    results, failures = [], []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(staff_list.apply_staff_import(text))
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures
    assert sorted(result.created for result in results) == [0, 200]
    assert Technician.objects.count() == 200


# --- the sample file of the README ----------------------------------------------------------------


def test_the_sample_staff_list_imports_cleanly_into_the_demo_departments():
    call_command("seed_demo", technicians=0, stdout=io.StringIO())
    text = (BASE_DIR / "docs" / "sample-staff-list.csv").read_text(encoding="utf-8")

    preview = preview_staff_import(text)

    assert preview.is_valid, preview.errors
    assert len(preview.to_create) == 10
    result = staff_list.apply_staff_import(text)
    assert result.created == 10
    apprentice = Technician.objects.get(staff_number="HR40004")
    assert apprentice.is_apprentice and apprentice.line_manager.staff_number == "HR40002"
    assert apprentice.started_on == date(2025, 9, 4)


# --- apply exactly what was previewed -------------------------------------------------------------

STALE = "The directory has changed since your preview: review it again"


def test_a_stale_preview_is_refused_and_nothing_changes(hr, staff, chemistry):
    text = csv_text(*as_rows(staff["manager"], staff["report"]), row())
    preview = upload(hr, text)
    token = token_of(preview)
    # Meanwhile a technician is added: applying now would mark them a leaver, unseen.
    factories.TechnicianFactory(staff_number="S0500", department=chemistry)
    before = snapshot()

    response = hr.post(URL, {"action": "apply", "token": token})

    assert STALE in messages_of(response)
    assert snapshot() == before
    assert not ImportRun.objects.exists()
    assert not PendingImport.objects.filter(pk=token).exists()
    # The new preview is shown, to be reviewed again: it lists the new leaver.
    page = response.content.decode()
    assert response.status_code == 200 and "S0500" in page
    fresh = token_of(response)
    assert fresh and fresh != token
    applied = hr.post(URL, {"action": "apply", "token": fresh, **typed(response)}, follow=True)
    assert "Staff list imported: 1 created" in " ".join(messages_of(applied))
    assert not Technician.objects.get(staff_number="S0500").is_active


def test_two_hr_users_previewing_at_once_cannot_apply_what_they_did_not_see(personas, staff):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(personas.hr, backend="technicians.auth_backends.ModelBackend")
    second.force_login(personas.admin, backend="technicians.auth_backends.ModelBackend")
    mine = token_of(upload(first, csv_text(*as_rows(staff["manager"], staff["report"]))))
    theirs = csv_text(*as_rows(staff["manager"], staff["report"]), row())
    their_preview = upload(second, theirs)
    second.post(URL, {"action": "apply", "token": token_of(their_preview), **typed(their_preview)})
    before = snapshot()

    response = first.post(URL, {"action": "apply", "token": mine})

    assert STALE in messages_of(response)
    assert snapshot() == before  # Jordan Reece, created meanwhile, is not made a leaver


def test_the_service_refuses_a_fingerprint_that_no_longer_matches(staff, chemistry):
    text = csv_text(*as_rows(staff["manager"], staff["report"]))
    fingerprint = preview_staff_import(text).fingerprint
    assert preview_staff_import(text).fingerprint == fingerprint  # the same changes
    factories.TechnicianFactory(staff_number="S0600", department=chemistry)
    before = snapshot()
    with pytest.raises(StalePreview, match=f"^{STALE}$"):
        staff_list.apply_staff_import(text, fingerprint=fingerprint)
    assert snapshot() == before


def test_an_expired_preview_is_refused_and_deleted(hr, staff):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = token_of(upload(hr, csv_text(row())))
    before = snapshot()
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        response = hr.post(URL, {"action": "apply", "token": token}, follow=True)
    assert "This preview has expired" in " ".join(messages_of(response))
    assert not PendingImport.objects.filter(pk=token).exists()
    assert snapshot() == before


def test_a_preview_applies_until_its_hour_is_up(hr, staff):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        preview = upload(hr, csv_text(row()))
    with time_machine.travel(start + timedelta(minutes=59, seconds=59), tick=False):
        hr.post(URL, {"action": "apply", "token": token_of(preview), **typed(preview)})
    assert Technician.objects.filter(staff_number="S1001").exists()


def test_the_file_waits_in_a_pending_import_not_in_the_session(hr, staff, settings):
    token = token_of(upload(hr, csv_text(row()), name="march staff.csv"))
    pending = PendingImport.objects.get(pk=token)
    assert pending.kind == "staff-list" and pending.file_name == "march staff.csv"
    assert Path(pending.file.path).is_relative_to(Path(settings.MEDIA_ROOT) / "private")
    assert "portal_pending_imports" not in hr.session


def test_an_applied_import_is_recorded(hr, personas, staff):
    preview = upload(hr, csv_text(*as_rows(staff["manager"]), row()), name="june.csv")
    hr.post(URL, {"action": "apply", "token": token_of(preview), **typed(preview)})
    run = ImportRun.objects.get()
    assert (run.kind, run.by, run.file_name) == ("staff-list", personas.hr, "june.csv")
    assert run.counts == {
        "created": 1,
        "updated": 0,
        "leavers": 3,
        "reactivated": 0,
        "unchanged": 1,
    }


# --- the caps -------------------------------------------------------------------------------------


def test_a_file_with_201_columns_is_refused_with_a_message(hr, staff):
    before = snapshot()
    extra = [f"extra_{n}" for n in range(201 - len(COLUMNS))]
    response = upload(hr, csv_text(row(), columns=(*COLUMNS, *extra)))
    assert response.context["form"].errors["file"] == [
        "The file has 201 columns: an import takes at most 200. Check that it is the right "
        "file, saved as CSV."
    ]
    assert snapshot() == before


def test_an_80000_cell_header_is_refused_at_once(hr, staff):
    header = ",".join([*COLUMNS, *(f"c{n}" for n in range(80_000 - len(COLUMNS)))])
    started = time.perf_counter()
    response = upload(hr, header + "\n" + ",".join(row().values()) + "\n")
    assert time.perf_counter() - started < 2
    assert (
        response.context["form"]
        .errors["file"][0]
        .startswith("The file has 80,000 columns: an import takes at most 200.")
    )
    with pytest.raises(ImportFileError, match="80,000 columns"):
        preview_staff_import(header + "\n")


# --- fte ------------------------------------------------------------------------------------------


def test_an_fte_column_sets_full_time_equivalents(staff):
    manager, report = staff["manager"], staff["report"]
    rows = as_rows(manager, report)
    rows[0]["fte"], rows[1]["fte"] = "0.6", ""
    text = csv_text(*rows, row(fte="0.5"), columns=(*COLUMNS, "fte"))

    preview = preview_staff_import(text)

    [update] = preview.to_update
    assert [str(change) for change in update.changes] == ["FTE: 1.00 → 0.60"]
    staff_list.apply_staff_import(text)
    manager.refresh_from_db()
    report.refresh_from_db()
    assert manager.fte == Decimal("0.60") and report.fte == Decimal("1.00")  # blank: kept
    assert Technician.objects.get(staff_number="S1001").fte == Decimal("0.50")


def test_without_an_fte_column_nobodys_fte_changes(staff):
    Technician.objects.filter(pk=staff["manager"].pk).update(fte=Decimal("0.4"))
    staff_list.apply_staff_import(csv_text(*as_rows(staff["manager"], staff["report"])))
    assert Technician.objects.get(pk=staff["manager"].pk).fte == Decimal("0.40")


def test_a_bad_fte_is_reported_with_its_line(staff):
    preview = preview_staff_import(csv_text(row(fte="1.5"), columns=(*COLUMNS, "fte")))
    assert [str(error) for error in preview.errors] == [
        'Line 2: invalid fte "1.5": use a number from 0.01 to 1.00, such as 0.6'
    ]


def test_the_command_records_its_import(staff, write):
    call_command("import_technicians", write(csv_text(row()), name="hr.csv"), stdout=io.StringIO())
    run = ImportRun.objects.get()
    assert (run.kind, run.by, run.file_name, run.counts["created"]) == (
        "staff-list",
        None,
        "hr.csv",
        1,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_previews_applied_at_once_one_applies_and_the_other_is_refused():
    chemistry = Department.objects.create(
        name="Chemistry", slug="chemistry", faculty="Faculty of Science"
    )
    Technician.objects.create(
        staff_number="S0001",
        first_name="Morag",
        last_name="Stewart",
        email="morag@example.ac.uk",
        job_title="Manager",
        role_family="laboratory",
        department=chemistry,
    )
    kept = row(staff_number="S0001", first_name="Morag", last_name="Stewart")
    kept.update(email="morag@example.ac.uk", job_title="Manager", grade="", started_on="")
    files = [
        csv_text(kept, row(staff_number="S1001")),
        csv_text(kept, row(staff_number="S2002", email="other@example.ac.uk")),
    ]
    fingerprints = [preview_staff_import(text).fingerprint for text in files]
    outcomes, failures = [], []
    barrier = threading.Barrier(2)

    def run(text, fingerprint):
        try:
            barrier.wait()
            staff_list.apply_staff_import(text, fingerprint=fingerprint)
            outcomes.append("applied")
        except StalePreview as stale:
            outcomes.append(str(stale))
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=pair) for pair in zip(files, fingerprints, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures
    assert sorted(outcomes) == sorted(["applied", STALE])
    assert Technician.objects.filter(is_active=True).count() == 2  # one file's, whole
    assert ImportRun.objects.count() == 1
