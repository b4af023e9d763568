"""HR exports the directory as CSV: every technician, formula-safe, and re-importable as is."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from technicians import staff_list
from technicians.models import Technician
from technicians.staff_list import EXPORT_COLUMNS, preview_staff_import
from tests import factories

URL = "/technicians/export.csv"
pytestmark = pytest.mark.django_db


def read_export(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def snapshot():
    return list(Technician.objects.order_by("pk").values())


def test_hr_downloads_every_technician_with_the_import_columns(hr, personas, department):
    leaver = factories.TechnicianFactory(
        staff_number="S0100",
        first_name="Siân",
        last_name="Ó Briain",
        email="sian.obriain@example.ac.uk",
        job_title="Technician, Workshop",
        role_family=Technician.RoleFamily.CREATIVE,
        grade="",
        department=department,
        line_manager=personas.manager_profile,
        started_on=date(2012, 9, 1),
        is_apprentice=True,
        is_active=False,
        visibility=Technician.Visibility.PRIVATE,
        fte=Decimal("0.60"),
    )

    response = hr.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="staff-list-')
    rows = read_export(response)
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    by_number = {row["staff_number"]: row for row in rows}
    assert set(by_number) == set(Technician.objects.values_list("staff_number", flat=True))
    assert by_number["S0100"] == {
        "staff_number": "S0100",
        "first_name": "Siân",
        "last_name": "Ó Briain",
        "email": "sian.obriain@example.ac.uk",
        "job_title": "Technician, Workshop",
        "role_family": "creative",
        "grade": "",
        "department": "Chemistry",
        "line_manager_staff_number": personas.manager_profile.staff_number,
        "started_on": "2012-09-01",
        "is_apprentice": "yes",
        "fte": "0.60",
        "visibility": "private",
        "is_active": "no",
        "user_linked": "no",
    }
    technician = by_number[personas.technician_profile.staff_number]
    assert technician["user_linked"] == "yes" and technician["is_active"] == "yes"
    assert leaver.pk


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_like_cells_are_neutralised(hr, department, prefix):
    factories.TechnicianFactory(
        staff_number="S0200",
        first_name=f"{prefix}HYPERLINK(1)",
        job_title=f"{prefix}cmd|' /C calc'!A0",
        department=department,
    )
    rows = {row["staff_number"]: row for row in read_export(hr.get(URL))}
    assert rows["S0200"]["first_name"] == f"'{prefix}HYPERLINK(1)"
    assert rows["S0200"]["job_title"] == f"'{prefix}cmd|' /C calc'!A0"


@pytest.mark.parametrize("persona", ["technician", "manager", "steering", "coordinator"])
def test_only_hr_and_administrators_may_export(login, personas, persona):
    assert login(getattr(personas, persona)).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_importing_an_export_changes_nothing(hr, personas, department):
    other = factories.DepartmentFactory(name="Music", slug="music", faculty="Arts")
    tricky = [
        {"job_title": "=SUM(A1:A2)", "grade": "-1"},
        {"job_title": "'=already quoted", "first_name": "@home"},
        {"job_title": 'Senior "Lead", Workshop\nand stores', "last_name": "D'Arcy"},
        {"job_title": "\tTabbed", "started_on": None, "grade": "T&R 6"},
        {"is_active": False, "visibility": Technician.Visibility.PRIVATE, "department": other},
        {"is_apprentice": True, "role_family": Technician.RoleFamily.ANIMAL},
        {"email": "Mixed.Case@Example.ac.uk", "first_name": "Zoë"},
    ]
    for n, extra in enumerate(tricky):
        values = {
            "department": department,
            "line_manager": personas.manager_profile,
            "started_on": date(2015, 1, n + 1),
        }
        values.update(extra)
        factories.TechnicianFactory(staff_number=f"S03{n:02d}", **values)
    before = snapshot()
    text = hr.get(URL).content.decode("utf-8")

    preview = preview_staff_import(text)

    assert preview.is_valid, preview.errors
    assert not preview.has_changes, (preview.to_create, preview.to_update, preview.leavers)
    assert preview.unchanged == Technician.objects.count()
    result = staff_list.apply_staff_import(text)
    assert (result.created, result.updated, result.leavers) == (0, 0, 0)
    assert snapshot() == before


@pytest.mark.parametrize("count", [5, 60])
def test_the_export_takes_the_same_queries_whatever_the_size(
    hr, department, django_assert_max_num_queries, count
):
    managers = factories.TechnicianFactory.create_batch(3, department=department)
    for n in range(count):
        factories.TechnicianFactory(department=department, line_manager=managers[n % 3])
    with django_assert_max_num_queries(6):
        response = hr.get(URL)
    assert len(read_export(response)) == Technician.objects.count()
