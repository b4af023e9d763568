"""The import framework of the kernel: the column kinds, the caps, the fingerprint, the pending
import (private file, one hour) and its cleanup, and the documentation made from the columns."""

import datetime
import re
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.imports import MAX_CELLS, MAX_COLUMNS, ImportFileError, fingerprint_of, parse_csv
from portal.imports.columns import (
    ChoiceColumn,
    Column,
    ColumnSet,
    DateColumn,
    DecimalColumn,
    EmailColumn,
    ReferenceColumn,
    TextColumn,
    YesNoColumn,
    parse_date,
    parse_yes_no,
)
from portal.imports.pending import (
    EXPIRED,
    PREVIEW_LIFETIME,
    PreviewExpired,
    find_pending,
    pending_text,
    record_run,
    store_pending,
)
from portal.imports.storage import private_media_root
from portal.models import ImportRun, PendingImport
from portal.tasks import delete_expired_imports

BASE_DIR = Path(__file__).resolve().parents[2]


def message_of(column: Column, cell: str) -> str:
    with pytest.raises(ValidationError) as error:
        column.clean(cell)
    [message] = error.value.messages
    return message


# --- the column kinds ---------------------------------------------------------------------------


def test_text_is_kept_and_a_blank_cell_is_blank_or_refused_when_required():
    column = TextColumn(name="job_title")
    assert column.clean("Laboratory Technician") == "Laboratory Technician"
    assert column.clean("") == ""
    required = TextColumn(name="job_title", required=True)
    assert message_of(required, "  ") == "the job_title column is empty"


def test_text_takes_its_maximum_length_and_help_from_the_model_field():
    from technicians.models import Technician

    column = TextColumn(name="grade", model_field=Technician._meta.get_field("grade"))
    assert column.max_length == 20
    assert column.clean("G" * 20) == "G" * 20
    assert message_of(column, "G" * 21) == "grade is too long (at most 20 characters)"
    assert "At most 20 characters." in column.documentation()


def test_text_with_a_pattern():
    column = TextColumn(name="staff_number", label="staff number", pattern=r"[A-Z0-9-]+")
    assert column.clean("S-1001") == "S-1001"
    assert message_of(column, "S 1001") == 'invalid staff number "S 1001"'


def test_a_message_can_be_worded_per_column():
    column = TextColumn(
        name="ref", max_length=3, messages={"too_long": "the {label} is longer than {max_length}"}
    )
    assert message_of(column, "V1.10") == "the ref is longer than 3"


@pytest.mark.parametrize("cell", ["ada@example.ac.uk", "Ada.Lovelace@Example.AC.UK"])
def test_email_good(cell):
    assert EmailColumn(name="email").clean(cell) == cell


@pytest.mark.parametrize("cell", ["ada.example.ac.uk", "ada@", "@example.ac.uk", "a b@x.uk"])
def test_email_bad(cell):
    assert message_of(EmailColumn(name="email"), cell) == f'invalid email address "{cell}"'


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-02-29", datetime.date(2024, 2, 29)),
        ("03/04/2023", datetime.date(2023, 4, 3)),  # DD/MM/YYYY: 3 April
        ("3/4/2023", datetime.date(2023, 4, 3)),
        ("", None),
    ],
)
def test_date_good(cell, expected):
    assert DateColumn(name="started_on").clean(cell) == expected


@pytest.mark.parametrize("cell", ["2024-02-30", "31/04/2024", "1st May 2024", "2024/05/01", "5"])
def test_date_bad(cell):
    assert message_of(DateColumn(name="started_on"), cell) == (
        f'invalid started_on date "{cell}": use YYYY-MM-DD or DD/MM/YYYY'
    )


def test_the_one_date_parser_refuses_what_is_not_a_real_date():
    assert parse_date(" 2025-08-01 ") == datetime.date(2025, 8, 1)
    with pytest.raises(ValueError):
        parse_date("29/02/2025")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("yes", True), ("Y", True), ("TRUE", True), ("1", True)]
    + [("no", False), ("n", False), ("False", False), ("0", False), ("", False)],
)
def test_yes_no_good(cell, expected):
    assert YesNoColumn(name="is_apprentice").clean(cell) is expected


def test_yes_no_blank_takes_the_columns_default():
    assert YesNoColumn(name="is_active", blank=True).clean("") is True
    assert parse_yes_no("") is None


@pytest.mark.parametrize("cell", ["sometimes", "yes please", "2", "oui"])
def test_yes_no_bad(cell):
    assert message_of(YesNoColumn(name="is_apprentice"), cell) == (
        f'invalid is_apprentice value "{cell}": use yes or no'
    )


CHOICES = (("career_development", "Career development"), ("visibility", "Visibility"))


@pytest.mark.parametrize(
    "cell",
    ["career_development", "Career development", "CAREER-DEVELOPMENT", " career  development "],
)
def test_choice_by_value_or_label_in_any_case(cell):
    assert ChoiceColumn(name="pillar", choices=CHOICES).clean(cell) == "career_development"


def test_choice_bad():
    assert message_of(ChoiceColumn(name="pillar", choices=CHOICES), "Visiblity") == (
        'unknown pillar "Visiblity": use one of Career development, Visibility'
    )


def test_choice_reads_the_model_fields_choices():
    from technicians.models import Technician

    column = ChoiceColumn(
        name="role_family",
        label="role family",
        model_field=Technician._meta.get_field("role_family"),
    )
    assert column.clean("Engineering and workshop") == Technician.RoleFamily.ENGINEERING
    assert message_of(column, "wizardry").startswith('unknown role family "wizardry": use one of')


@pytest.mark.parametrize(
    ("cell", "expected"), [("1", Decimal("1")), ("0.6", Decimal("0.6")), ("0.01", Decimal("0.01"))]
)
def test_decimal_good(cell, expected):
    from technicians.models import Technician

    column = DecimalColumn(name="fte", model_field=Technician._meta.get_field("fte"))
    assert column.clean(cell) == expected
    assert column.clean("") is None


@pytest.mark.parametrize("cell", ["0", "1.01", "-0.5", "half", "0.555", "NaN", "Infinity"])
def test_decimal_bad(cell):
    from technicians.models import Technician

    column = DecimalColumn(name="fte", model_field=Technician._meta.get_field("fte"))
    assert (column.minimum, column.maximum, column.places) == (Decimal("0.01"), Decimal("1"), 2)
    assert message_of(column, cell) == f'invalid fte "{cell}": use a number from 0.01 to 1.00'


DEPARTMENTS = {"chemistry": "Chemistry dept", "physics": "Physics dept"}


def load_departments(keys):
    load_departments.calls.append(set(keys))
    return {key: DEPARTMENTS[key] for key in keys if key in DEPARTMENTS}


load_departments.calls = []


def test_a_reference_is_looked_up_by_its_key_in_any_case_with_one_load():
    column = ReferenceColumn(name="department", load=load_departments)
    load_departments.calls.clear()
    bound = column.bind(["Chemistry", "chemistry", "Alchemy", ""])
    assert load_departments.calls == [{"chemistry", "alchemy"}]  # once, for the file's keys
    assert bound.clean("CHEMISTRY") == "Chemistry dept"
    assert bound.clean("") is None
    assert message_of(bound, "Alchemy") == 'unknown department "Alchemy"'


def test_an_unbound_reference_is_a_programming_error():
    with pytest.raises(RuntimeError):
        ReferenceColumn(name="department", load=load_departments).clean("chemistry")


# --- a set of columns ---------------------------------------------------------------------------

PEOPLE = ColumnSet(
    columns=(
        TextColumn(name="name", required=True),
        EmailColumn(name="email", required=True),
        DateColumn(name="started_on"),
        YesNoColumn(name="is_active", optional=True, blank=True),
    ),
    ignored=("note",),
)


def test_a_set_reads_every_row_through_its_columns():
    parsed = PEOPLE.parse("name,email,started_on\nAda,ada@x.uk,2020-01-02\n,bad,3rd May\n")
    first, second = PEOPLE.rows(parsed)
    assert first.line == 2 and first.problems == []
    assert first.values == {
        "name": "Ada",
        "email": "ada@x.uk",
        "started_on": datetime.date(2020, 1, 2),
    }  # no is_active: the column is not in the file
    assert second.problems == [
        "the name column is empty",
        'invalid email address "bad"',
        'invalid started_on date "3rd May": use YYYY-MM-DD or DD/MM/YYYY',
    ]


def test_a_set_may_name_every_blank_required_cell_in_one_message():
    grouped = ColumnSet(columns=PEOPLE.columns, missing_message="missing required value: {columns}")
    [row] = grouped.rows(grouped.parse("name,email,started_on\n ,,2020-01-01\n"))
    assert row.problems == ["missing required value: name, email"]


def test_an_optional_column_may_be_left_out_but_a_required_one_may_not():
    with pytest.raises(ImportFileError, match="Missing column: email."):
        PEOPLE.parse("name,started_on\nAda,\n")
    assert PEOPLE.header_names == ["name", "email", "started_on"]


def test_the_overlong_row_check_is_the_sets():
    [row] = PEOPLE.rows(PEOPLE.parse("name,email,started_on\nLee, Sam,s@x.uk,2020-01-01\n"))
    assert row.problems[-1] == (
        "the row has more cells than the header has columns: is a comma in a value missing its "
        "quotes?"
    )


def test_the_documentation_comes_from_the_columns():
    rows = PEOPLE.documentation()
    assert [(row["name"], row["presence"]) for row in rows] == [
        ("name", "required"),
        ("email", "required"),
        ("started_on", "may be blank"),
        ("is_active", "optional column"),
        ("note", "ignored"),
    ]
    table = PEOPLE.markdown_table()
    assert table.splitlines()[:2] == ["| Column | In the file | What to write |", "|---|---|---|"]
    assert "| `started_on` | may be blank | A date: YYYY-MM-DD or DD/MM/YYYY. |" in table
    assert "blank means yes" in table


def _readme_table(marker: str) -> str:
    readme = "\n".join(  # the guides in docs/ hold the tables
        path.read_text(encoding="utf-8") for path in sorted((BASE_DIR / "docs").glob("*.md"))
    )
    match = re.search(
        rf"<!-- columns:{marker} -->\n(.*?)^ *<!-- /columns:{marker} -->",
        readme,
        re.DOTALL | re.MULTILINE,
    )
    assert match, f"docs/ has no <!-- columns:{marker} --> table"
    return textwrap.dedent(match.group(1))  # a table inside a list item is indented


def test_the_readme_tables_are_the_generated_ones():
    from actionplan.importing import ACTION_COLUMNS
    from technicians.staff_list import STAFF_COLUMNS

    assert _readme_table("staff-list") == STAFF_COLUMNS.markdown_table()
    assert _readme_table("actions") == ACTION_COLUMNS.markdown_table()


# --- the caps: linear, and checked first --------------------------------------------------------


def test_a_file_with_more_than_200_columns_is_refused():
    header = ",".join(f"c{n}" for n in range(MAX_COLUMNS + 1))
    with pytest.raises(ImportFileError) as error:
        parse_csv(header + "\n" + "x," * MAX_COLUMNS + "x\n", required=["c0"])
    assert str(error.value) == (
        "The file has 201 columns: an import takes at most 200. Check that it is the right "
        "file, saved as CSV."
    )
    parse_csv(",".join(f"c{n}" for n in range(MAX_COLUMNS)) + "\nx\n", required=["c0"])


def test_an_80000_column_header_is_refused_at_once():
    header = ",".join("name" for _ in range(80_000))  # duplicates too: never compared in pairs
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match="The file has 80,000 columns"):
        parse_csv(header + "\nAda\n", required=["name"])
    assert time.perf_counter() - started < 1


def test_a_file_with_more_than_a_million_cells_is_refused():
    rows = MAX_CELLS // 10  # 10 columns: the header's cells count too
    text = ",".join(f"c{n}" for n in range(10)) + "\n" + "1,2,3,4,5,6,7,8,9,0\n" * rows
    with pytest.raises(ImportFileError) as error:
        parse_csv(text, required=["c0"])
    assert str(error.value) == (
        "The file has more than 1,000,000 cells: an import takes at most 1,000,000. Split it "
        "into smaller files."
    )


def test_a_duplicated_column_is_still_named():
    with pytest.raises(ImportFileError, match="Column named twice: email, name."):
        parse_csv("name,email,Name,EMAIL\n1,2,3,4\n", required=["name"])


# --- the fingerprint ----------------------------------------------------------------------------


def test_the_fingerprint_depends_on_the_changes_not_on_their_order():
    one = {"update": {"S1": {"grade": "5", "job_title": "Lead"}}, "leavers": ["S2"]}
    same = {"leavers": ["S2"], "update": {"S1": {"job_title": "Lead", "grade": "5"}}}
    other = {"update": {"S1": {"grade": "6", "job_title": "Lead"}}, "leavers": ["S2"]}
    assert fingerprint_of(one) == fingerprint_of(same)
    assert fingerprint_of(one) != fingerprint_of(other)
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint_of(one))


# --- the pending import -------------------------------------------------------------------------


@pytest.fixture
def hr_user(personas):
    return personas.hr


def store(user, **values):
    return store_pending(
        kind=values.get("kind", "staff-list"),
        target=values.get("target", ""),
        by=user,
        data=b"name\nAda\n",
        file_name="staff list.csv",
        fingerprint="f" * 64,
    )


def test_the_file_waits_under_a_random_name_in_private_storage(hr_user, settings):
    pending = store(hr_user)
    path = Path(pending.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "private")
    assert path.is_relative_to(private_media_root())
    assert "staff list" not in pending.file.name and pending.file_name == "staff list.csv"
    assert pending_text(pending) == "name\nAda\n"
    with pytest.raises(ValueError):
        pending.file.url  # noqa: B018  (no URL serves it)
    expected = timezone.now() + PREVIEW_LIFETIME
    assert abs(pending.expires_at - expected) < datetime.timedelta(seconds=5)


def test_a_new_preview_replaces_the_users_earlier_one_of_the_same_kind(hr_user, personas):
    first = store(hr_user)
    other_kind = store(hr_user, kind="actions", target="1")
    second = store(hr_user)
    assert not PendingImport.objects.filter(pk=first.pk).exists()
    assert PendingImport.objects.filter(pk__in=[other_kind.pk, second.pk]).count() == 2


def test_only_its_uploader_finds_a_pending_import_for_its_kind_and_target(hr_user, personas):
    pending = store(hr_user, kind="actions", target="7")
    assert find_pending(pending.pk, kind="actions", target="7", by=hr_user) == pending
    assert find_pending(pending.pk, kind="actions", target="8", by=hr_user) is None
    assert find_pending(pending.pk, kind="staff-list", by=hr_user) is None
    assert find_pending(pending.pk, kind="actions", target="7", by=personas.admin) is None
    assert find_pending("made-up", kind="actions", target="7", by=hr_user) is None


def test_a_preview_expires_after_an_hour_and_is_deleted(
    hr_user, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        pending = store(hr_user)
    path = Path(pending.file.path)
    with time_machine.travel(start + PREVIEW_LIFETIME - datetime.timedelta(seconds=1)):
        assert find_pending(pending.pk, kind="staff-list", by=hr_user) == pending
    with (
        time_machine.travel(start + PREVIEW_LIFETIME, tick=False),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PreviewExpired, match=re.escape(EXPIRED)),
    ):
        find_pending(pending.pk, kind="staff-list", by=hr_user)
    assert not PendingImport.objects.filter(pk=pending.pk).exists()
    assert not path.exists()


def test_the_periodic_cleanup_deletes_expired_previews_and_their_files(
    hr_user, personas, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        old = store(hr_user)
    with time_machine.travel(start + datetime.timedelta(minutes=30), tick=False):
        fresh = store(personas.admin)
    with (
        time_machine.travel(start + datetime.timedelta(minutes=61), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert delete_expired_imports() == 1
    assert list(PendingImport.objects.all()) == [fresh]
    assert not Path(old.file.path).exists() and Path(fresh.file.path).exists()


def test_the_cleanup_runs_periodically(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["delete-expired-imports"]
    assert schedule["task"] == "portal.tasks.delete_expired_imports"
    assert schedule["schedule"] <= 3600


def test_an_applied_import_is_recorded(hr_user):
    run = record_run(kind="staff-list", by=hr_user, file_name="staff.csv", counts={"created": 2})
    assert ImportRun.objects.get() == run
    assert (run.kind, run.by, run.file_name, run.counts) == (
        "staff-list",
        hr_user,
        "staff.csv",
        {"created": 2},
    )
    assert record_run(kind="actions", by=None, file_name="", counts={}).by is None
