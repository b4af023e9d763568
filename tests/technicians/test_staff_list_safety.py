"""A safe staff-list import: mass leavers confirmed by typing their number, part of the list
marking nobody a leaver, the HR system's own export mapped once and remembered, the rule of who
counts as a technician, the import history and the sample file."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from portal.models import ImportRun, PendingImport
from technicians import services, staff_list
from technicians.models import StaffListMapping, Technician
from technicians.staff_list import LeaversNotConfirmed, NeedsMapping, preview_staff_import
from technicians.staff_list.mapping import suggest
from tests import factories
from tests.technicians.test_staff_import import (
    URL,
    csv_text,
    messages_of,
    row,
    snapshot,
    token_of,
    upload,
)

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def rows_of(*technicians) -> list[dict]:
    return [
        row(
            staff_number=t.staff_number,
            first_name=t.first_name,
            last_name=t.last_name,
            email=t.email,
            job_title=t.job_title,
            role_family=t.role_family,
            grade=t.grade,
            department=t.department.name,
            line_manager_staff_number=t.line_manager.staff_number if t.line_manager else "",
            started_on=t.started_on.isoformat() if t.started_on else "",
            is_apprentice="no",
        )
        for t in technicians
    ]


def active_count() -> int:
    return Technician.objects.filter(is_active=True).count()


# --- typed confirmation of mass leavers -----------------------------------------------------------


def test_many_leavers_are_refused_without_their_number_typed_in_and_applied_with_it(hr, ten):
    preview = upload(hr, csv_text(*rows_of(*ten[:2])))  # 8 of 10 would leave
    page = preview.content.decode()
    # The preview opens with the counts and the warning, before the lists.
    counts_at = page.index("What this file would do")
    assert counts_at < page.index("This file would mark 8 of the 10 active technicians")
    assert page.index("Please check") < page.index("To mark as leavers (8)")
    assert "<strong>8</strong> to mark as leavers, of 10 active technicians" in page
    assert 'name="confirm_leavers"' in page and "type the number of leavers (8)" in page
    token = token_of(preview)
    before = snapshot()

    for typed in (None, "", "7", "eight", "80"):
        data = {"action": "apply", "token": token}
        if typed is not None:
            data["confirm_leavers"] = typed
        refused = hr.post(URL, data)
        assert refused.status_code == 200
        assert "type 8 in the box to confirm. Nothing was changed." in refused.content.decode()
        assert 'aria-invalid="true"' in refused.content.decode()
        assert snapshot() == before
        assert PendingImport.objects.filter(pk=token).exists()  # the preview still waits
        assert not ImportRun.objects.exists()

    applied = hr.post(
        URL, {"action": "apply", "token": token, "confirm_leavers": " 8 "}, follow=True
    )

    assert "8 marked as leavers" in " ".join(messages_of(applied))
    assert active_count() == 2


def test_a_few_leavers_need_no_typed_number(hr, ten):
    preview = upload(hr, csv_text(*rows_of(*ten[:8])))  # 2 of 10: exactly a fifth
    assert 'name="confirm_leavers"' not in preview.content.decode()
    hr.post(URL, {"action": "apply", "token": token_of(preview)})
    assert active_count() == 8


def test_the_service_asks_a_person_for_the_number_and_trusts_the_command_line(
    personas, ten, tmp_path
):
    text = csv_text(*rows_of(*ten[:1]))
    with pytest.raises(LeaversNotConfirmed, match="type 9 in the box"):
        staff_list.apply_staff_import(text, by=personas.hr)
    assert active_count() == 10
    staff_list.apply_staff_import(text, by=personas.hr, confirmed_leavers="9")
    assert active_count() == 1

    path = tmp_path / "all.csv"
    path.write_text(csv_text(*rows_of(*ten)))
    call_command("import_technicians", str(path), stdout=io.StringIO())
    assert active_count() == 10
    path.write_text(csv_text(*rows_of(*ten[:1])))
    out = io.StringIO()
    call_command("import_technicians", str(path), stdout=out)
    assert "Warning: This file would mark 9 of the 10" in out.getvalue()
    assert active_count() == 1


def test_long_lists_show_the_first_50_then_all(hr, ten):
    new = [
        row(staff_number=f"N{n:04d}", email=f"new{n}@example.ac.uk", last_name=f"New{n:04d}")
        for n in range(60)
    ]
    page = upload(hr, csv_text(*rows_of(*ten), *new)).content.decode()
    assert "To create (60)" in page
    shown, rest = page.split("Show all 60", 1)
    assert "New0049" in shown and "New0050" not in shown
    assert "New0050" in rest and "New0059" in rest
    assert "<details" in shown[-300:]


# --- part of the staff list ---------------------------------------------------------------------


def test_part_of_the_staff_list_adds_and_updates_and_makes_nobody_a_leaver(hr, ten):
    text = csv_text(*rows_of(ten[2]), row())
    response = hr.post(
        URL,
        {
            "action": "upload",
            "partial": "1",
            "file": io.BytesIO(text.encode()),
        },
    )
    preview = response.context["preview"]
    assert preview.partial and preview.leavers == [] and len(preview.to_create) == 1
    page = response.content.decode()
    assert "Part of the staff list" in page and 'name="confirm_leavers"' not in page
    assert 'name="partial" value="1"' in page

    applied = hr.post(
        URL, {"action": "apply", "token": token_of(response), "partial": "1"}, follow=True
    )

    assert "nobody was made a leaver" in " ".join(messages_of(applied))
    assert active_count() == 11
    run = ImportRun.objects.get()
    assert run.counts["leavers"] == 0 and run.counts["created"] == 1


def test_a_partial_preview_is_applied_only_as_partial(hr, ten):
    text = csv_text(*rows_of(ten[2]))
    response = hr.post(URL, {"action": "upload", "partial": "1", "file": io.BytesIO(text.encode())})
    before = snapshot()
    # The same token without the promise is not a preview waiting: nobody leaves.
    refused = hr.post(URL, {"action": "apply", "token": token_of(response)}, follow=True)
    assert "no longer waiting to be applied" in " ".join(messages_of(refused))
    assert snapshot() == before


def test_the_command_takes_part_of_the_staff_list(ten, tmp_path):
    path = tmp_path / "part.csv"
    path.write_text(csv_text(row()))
    out = io.StringIO()
    call_command("import_technicians", str(path), "--partial", stdout=out)
    assert "1 created, 0 updated, 0 marked as leavers" in out.getvalue()
    assert active_count() == 11


def test_the_readmes_demo_instructions_never_make_the_demo_logins_leavers():
    call_command("seed_demo", technicians=40, stdout=io.StringIO())
    active_before = active_count()
    readme = (BASE_DIR / "docs" / "guide-hr.md").read_text(encoding="utf-8")
    commands = re.findall(
        r"manage\.py import_technicians docs/sample-staff-list\.csv[^\n`]*", readme
    )
    assert commands and all("--partial" in command for command in commands)

    call_command(
        "import_technicians",
        str(BASE_DIR / "docs" / "sample-staff-list.csv"),
        "--partial",
        stdout=io.StringIO(),
    )

    assert active_count() == active_before + 10
    assert not Technician.objects.filter(is_active=False, user__isnull=False).exists()


# --- the HR system's own export -------------------------------------------------------------------

ITRENT_HEADER = [
    "Employee Number",
    "Forename",
    "Surname",
    "Work Email",
    "Job Title",
    "Job Family",
    "Grade",
    "Department",
    "Manager Employee Number",
    "Start Date",
]


def hr_export(*rows: list[str]) -> str:
    buffer = io.StringIO()
    import csv

    writer = csv.writer(buffer)
    writer.writerow(ITRENT_HEADER)
    writer.writerows(rows)
    return buffer.getvalue()


def itrent_row(number, first, last, family="Technical", manager="", grade="5") -> list[str]:
    email = f"{first.lower()}.{last.lower()}@example.ac.uk"
    title = "Lab Technician" if family == "Technical" else "Lecturer"
    return [number, first, last, email, title, family, grade, "Chemistry", manager, "01/09/2021"]


ITRENT_COLUMNS = {
    "staff_number": "employee number",
    "first_name": "forename",
    "last_name": "surname",
    "email": "work email",
    "job_title": "job title",
    "role_family": "",
    "grade": "grade",
    "department": "department",
    "line_manager_staff_number": "manager employee number",
    "started_on": "start date",
    "is_apprentice": "",
}


FIRST_EXPORT = hr_export(
    itrent_row("E100", "Rhian", "Evans"),
    itrent_row("E101", "Tom", "Baker", manager="E100"),
    itrent_row("E900", "Prof", "Lecturer", family="Academic"),
    itrent_row("E901", "Pat", "Admin", family="Professional Services"),
    itrent_row("E902", "Sam", "Reader", family="Academic"),
)


def mapping_post(response, **extra) -> dict:
    """The mapping step's form as the portal filled it in, with these changes."""
    form = response.context["mapping_form"]
    data = {"action": "map", "token": response.context["token"]}
    for field in form:
        value = form.initial.get(field.name, field.field.initial)
        data[field.name] = value if value is not None else ""
    data.update(extra)
    return data


def test_common_names_of_hr_systems_are_recognised():
    empty = StaffListMapping()
    header = [name.lower() for name in ITRENT_HEADER]
    assert suggest(header, empty) == {
        "staff_number": "employee number",
        "first_name": "forename",
        "last_name": "surname",
        "email": "work email",
        "job_title": "job title",
        "role_family": "",
        "grade": "grade",
        "department": "department",
        "line_manager_staff_number": "manager employee number",
        "started_on": "start date",
        "is_apprentice": "",
        "is_active": "",
        "fte": "",
    }
    sap = [
        "personnel number",
        "first name",
        "last name",
        "e-mail address",
        "position",
        "cost centre",
    ]
    assert suggest(sap, empty) | {} == suggest(sap, empty)
    chosen = suggest(sap, empty)
    assert (chosen["staff_number"], chosen["first_name"], chosen["email"]) == (
        "personnel number",
        "first name",
        "e-mail address",
    )
    assert (chosen["job_title"], chosen["department"]) == ("position", "cost centre")


def test_an_hr_export_is_mapped_once_then_recognised_and_the_rule_ignores_other_staff(hr, personas):
    before = snapshot()
    first = upload(hr, FIRST_EXPORT, name="itrent-march.csv")

    # The mapping step, with the common names chosen already; nothing has changed.
    assert first.status_code == 200
    assert [t.name for t in first.templates][0] == "technicians/staff_import_mapping.html"
    page = first.content.decode()
    assert "Map the columns" in page
    assert '<option value="employee number" selected>' in page
    assert snapshot() == before
    # A role family is needed for someone new when the export has none.
    incomplete = hr.post(URL, mapping_post(first))
    assert "choose the role family of someone new" in incomplete.content.decode()
    assert not StaffListMapping.objects.exists()

    preview = hr.post(
        URL,
        mapping_post(
            first,
            role_family_default="laboratory",
            technician_column="job family",
            technician_values="technical\n",
        ),
    )

    mapping = StaffListMapping.objects.get()
    assert mapping.columns["staff_number"] == "employee number"
    assert mapping.technician_column == "job family" and mapping.technician_values == ["technical"]
    assert mapping.updated_by == personas.hr
    result = preview.context["preview"]
    assert [c.staff_number for c in result.to_create] == ["E100", "E101"]
    assert result.ignored == 3
    assert dict(result.ignored_by_value) == {"Academic": 2, "Professional Services": 1}
    page = preview.content.decode()
    assert "<strong>3</strong> rows ignored" in page and "Professional Services" in page
    # The personas' technicians are not in the export: leavers, confirmed by number.
    assert len(result.leavers) == 2
    hr.post(URL, {"action": "apply", "token": token_of(preview), "confirm_leavers": "2"})
    rhian = Technician.objects.get(staff_number="E100")
    assert (rhian.email, rhian.role_family, rhian.grade) == (
        "rhian.evans@example.ac.uk",
        Technician.RoleFamily.LABORATORY,
        "5",
    )
    assert Technician.objects.get(staff_number="E101").line_manager == rhian
    assert not Technician.objects.filter(staff_number__in=["E900", "E901", "E902"]).exists()
    assert ImportRun.objects.get().counts["ignored"] == 3

    # The next file goes straight to its preview, read with the saved mapping.
    rhian.role_family = Technician.RoleFamily.DIGITAL  # HR's own change: the export has none
    rhian.save()
    second = upload(
        hr,
        hr_export(
            itrent_row("E100", "Rhian", "Evans", grade="6"),
            itrent_row("E101", "Tom", "Baker", manager="E100"),
            itrent_row("E903", "New", "Academic", family="Academic"),
        ),
    )
    assert [t.name for t in second.templates][0] == "technicians/staff_import_preview.html"
    again = second.context["preview"]
    assert [(u.staff_number, [c.field for c in u.changes]) for u in again.to_update] == [
        ("E100", ["grade"])  # the role family HR set is kept
    ]
    assert again.ignored == 1 and again.leavers == []


def test_rows_outside_the_rule_are_ignored_and_nobody_becomes_a_leaver_because_of_them(
    personas, department
):
    services.save_staff_list_mapping(
        by=personas.hr,
        columns=ITRENT_COLUMNS,
        role_family_default="laboratory",
        technician_column="Job Family",
        technician_values=["Technical"],
    )
    moved = factories.TechnicianFactory(staff_number="E500", department=department)
    stays = factories.TechnicianFactory(staff_number="E501", department=department)
    text = hr_export(
        itrent_row(stays.staff_number, "Stays", "Here"),
        # In the file, but outside the rule (HR changed their job family): left as they are.
        itrent_row(moved.staff_number, "Moved", "Across", family="Academic"),
        itrent_row(personas.manager_profile.staff_number, "Morgan", "Manager", family=""),
        itrent_row(personas.technician_profile.staff_number, "Alex", "Tech", family="Research"),
        # Rows outside the rule are not checked: a bad e-mail there is no error.
        ["E999", "Bad", "Row", "not-an-email", "Lecturer", "Academic", "9", "Nowhere", "", "x"],
    )

    preview = preview_staff_import(text)

    assert preview.is_valid, preview.errors
    assert preview.leavers == []
    assert preview.ignored == 4 and preview.ignored_in_directory == 3
    assert any("left as they are, not made leavers" in w for w in preview.warnings)
    result = staff_list.apply_staff_import(text)
    assert result.leavers == 0 and result.ignored == 4
    assert active_count() == 4
    moved.refresh_from_db()
    assert moved.is_active and moved.first_name != "Moved"


def test_a_mapped_file_without_the_rule_column_asks_for_the_mapping_again(personas):
    StaffListMapping.objects.create(
        columns=ITRENT_COLUMNS,
        role_family_default="laboratory",
        technician_column="staff category",
        technician_values=["technical"],
    )
    with pytest.raises(NeedsMapping, match="no column “staff category”"):
        preview_staff_import(FIRST_EXPORT)


def test_the_portals_own_format_needs_no_mapping_and_no_rule(personas, department):
    StaffListMapping.objects.create(technician_column="job family", technician_values=["x"])
    preview = preview_staff_import(csv_text(row()))
    assert preview.is_valid and len(preview.to_create) == 1 and preview.ignored == 0


def test_hr_edits_the_mapping_and_the_rule_on_the_staff_list_page(hr):
    page = hr.get(URL).content.decode()
    assert "Edit the column mapping and who counts as a technician" in page
    data = {
        "action": "save_mapping",
        "staff_number": "Employee Number",
        "first_name": "Forename",
        "last_name": "Surname",
        "email": "Work Email",
        "job_title": "Job Title",
        "role_family": "",
        "grade": "Grade",
        "department": "Department",
        "line_manager_staff_number": "",
        "started_on": "",
        "is_apprentice": "",
        "role_family_default": "engineering",
        "technician_column": "Job Family",
        "technician_values": "Technical\nTechnical Services\n",
    }

    saved = hr.post(URL, data, follow=True)

    assert "The column mapping is saved" in " ".join(messages_of(saved))
    mapping = StaffListMapping.objects.get()
    assert mapping.columns["email"] == "work email" and mapping.columns["started_on"] == ""
    assert mapping.technician_values == ["Technical", "Technical Services"]
    assert "Only rows whose <strong>job family</strong> is Technical, Technical Services" in (
        saved.content.decode()
    )

    refused = hr.post(URL, data | {"staff_number": "", "technician_values": ""})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "it is needed" in page and "List the values that mean a technician" in page
    assert StaffListMapping.objects.get().columns["staff_number"] == "employee number"


def test_only_hr_saves_the_mapping(personas):
    from django.core.exceptions import PermissionDenied

    for user in (personas.technician, personas.steering, None):
        with pytest.raises(PermissionDenied):
            services.save_staff_list_mapping(by=user, columns={})
    assert not StaffListMapping.objects.exists()


# --- history and the sample -----------------------------------------------------------------------


def test_the_staff_list_page_shows_the_import_history(hr, personas, ten, tmp_path):
    preview = upload(hr, csv_text(*rows_of(*ten), row()), name="april.csv")
    hr.post(URL, {"action": "apply", "token": token_of(preview)})
    path = tmp_path / "may.csv"
    path.write_text(csv_text(*rows_of(*ten)))
    call_command("import_technicians", str(path), "--partial", stdout=io.StringIO())

    page = hr.get(URL).content.decode()

    history = page[page.index('id="history-heading"') :]
    assert history.index("may.csv") < history.index("april.csv")  # newest first
    assert "The command line" in history and personas.hr.email in history
    assert "1 created, 0 updated, 0 made leavers, 0 reactivated, 10 unchanged" in history
    assert "Last import:" in page


def test_hr_downloads_a_sample_csv(hr):
    response = hr.get("/technicians/import/sample.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode().startswith("staff_number,first_name,last_name,email")
    assert 'href="/technicians/import/sample.csv"' in hr.get(URL).content.decode()


def test_the_mapping_step_of_another_users_file_is_refused(client, personas):
    first = Client()
    first.force_login(personas.hr, backend="technicians.auth_backends.ModelBackend")
    step = upload(first, FIRST_EXPORT)
    other = Client()
    other.force_login(personas.admin, backend="technicians.auth_backends.ModelBackend")
    response = other.post(URL, mapping_post(step, role_family_default="laboratory"), follow=True)
    assert "no longer waiting" in " ".join(messages_of(response))
    assert not StaffListMapping.objects.exists()


# --- for HR: profiles and the directory -----------------------------------------------------------


def test_hr_sees_the_staff_number_start_date_and_status_on_a_profile(login, personas, department):
    import datetime

    leaver = factories.TechnicianFactory(
        staff_number="HR7",
        department=department,
        started_on=datetime.date(2019, 9, 2),
        is_active=False,
    )
    page = login(personas.hr).get(f"/technicians/{leaver.pk}/").content.decode()
    assert "<dt>Staff number</dt><dd>HR7</dd>" in page
    assert "2 September 2019" in page and "Leaver (inactive)" in page
    own = personas.technician_profile
    other = login(personas.technician).get(f"/technicians/{own.pk}/").content.decode()
    assert "<dt>Staff number</dt>" not in other


def test_hrs_directory_filters_by_status_including_leavers(login, personas, department):
    factories.TechnicianFactory(last_name="Gone", department=department, is_active=False)
    hr = login(personas.hr)
    leavers = hr.get("/technicians/", {"status": "leavers"})
    names = [t.last_name for t in leavers.context["page_obj"]]
    assert names == ["Gone"]
    current = hr.get("/technicians/", {"status": "active"})
    assert "Gone" not in [t.last_name for t in current.context["page_obj"]]
    assert 'name="status"' in hr.get("/technicians/").content.decode()
    # Nobody else sees leavers, nor is offered the filter.
    page = login(personas.technician).get("/technicians/", {"status": "leavers"})
    assert 'name="status"' not in page.content.decode()
    assert "Gone" not in [t.last_name for t in page.context["page_obj"]]


@pytest.mark.parametrize("runs", [1, 30])
def test_the_staff_list_page_runs_a_fixed_number_of_queries(
    hr, personas, runs, django_assert_max_num_queries
):
    for n in range(runs):
        ImportRun.objects.create(
            kind="staff-list", by=personas.hr, file_name=f"f{n}.csv", counts={"created": n}
        )
    with django_assert_max_num_queries(8):
        page = hr.get(URL)
    text = page.content.decode()
    assert page.status_code == 200 and f"f{runs - 1}.csv" in text  # the newest first
    assert text.count('<td data-label="File">') == min(runs, 20)
