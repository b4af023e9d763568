"""The shared CSV helpers: formula-safe exports, and reading imports safely line by line."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.csv_export import FORMULA_PREFIXES, csv_response, neutralise, unneutralise
from portal.imports import (
    ImportFileError,
    Preview,
    RowError,
    decode_csv_text,
    parse_csv,
    read_upload_bytes,
)

# --- neutralise / unneutralise --------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_prefix_is_neutralised_with_an_apostrophe(prefix):
    assert neutralise(f"{prefix}1+1") == f"'{prefix}1+1"


def test_the_dangerous_prefixes_are_exactly_these():
    assert set(FORMULA_PREFIXES) == {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Laboratory Technician", "Laboratory Technician"),
        ("a=b", "a=b"),  # only a leading character matters
        (" =x", " =x"),
        ("", ""),
        (None, ""),
        (42, "42"),
        (-3, "'-3"),
        ("'", "'"),
        ("O'Brien", "O'Brien"),
    ],
)
def test_other_cells_are_left_alone(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize(
    "value",
    ["=SUM(A1)", "+44 20", "-", "@user", "\tx", "\rx", "'=x", "''=x", "'", "''", "plain", ""],
)
def test_unneutralise_gives_back_exactly_what_was_neutralised(value):
    assert unneutralise(neutralise(value)) == value


def test_a_value_that_already_looks_neutralised_stays_safe_and_round_trips():
    assert neutralise("'=x") == "''=x"  # a spreadsheet shows it as text: '=x
    assert unneutralise("''=x") == "'=x"


def test_unneutralise_keeps_ordinary_apostrophes():
    assert unneutralise("'hello") == "'hello"
    assert unneutralise("O'Brien") == "O'Brien"


def test_csv_response_is_an_attachment_with_a_bom_and_neutralised_cells():
    response = csv_response("people.csv", ["name", "note"], [["=cmd", "ok"], ["Ada", "@x"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="people.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows == [["name", "note"], ["'=cmd", "ok"], ["Ada", "'@x"]]


# --- reading the upload ---------------------------------------------------------------------------


def test_read_upload_bytes_takes_bytes_text_and_uploaded_files():
    assert read_upload_bytes(b"a,b") == b"a,b"
    assert read_upload_bytes("é") == "é".encode()
    assert read_upload_bytes(SimpleUploadedFile("x.csv", b"a,b\n")) == b"a,b\n"
    assert read_upload_bytes(io.BytesIO(b"1234"), max_bytes=4) == b"1234"  # exactly the limit


@pytest.mark.parametrize(
    "upload",
    [
        b"x" * 11,
        SimpleUploadedFile("big.csv", b"x" * 11),
        io.BytesIO(b"x" * 11),  # no size: counted while reading
    ],
    ids=["bytes", "uploaded file", "stream"],
)
def test_read_upload_bytes_refuses_anything_over_the_limit(upload):
    with pytest.raises(ImportFileError, match="too large"):
        read_upload_bytes(upload, max_bytes=10)


def test_the_default_limit_is_5_mb():
    read_upload_bytes(b"x" * (5 * 1024 * 1024))
    with pytest.raises(ImportFileError, match="The file is too large: the limit is 5 MB."):
        read_upload_bytes(b"x" * (5 * 1024 * 1024 + 1))


def test_decode_strips_the_byte_order_mark():
    assert decode_csv_text("\ufeffa,b".encode()) == "a,b"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Siân".encode("latin-1"), "The file is not UTF-8 text."),
        ("a,b".encode("utf-16"), "The file is not UTF-8 text."),
        (b"a,b\x00\n", "The file is not a CSV text file."),
    ],
)
def test_decode_refuses_what_is_not_utf8_text(data, message):
    with pytest.raises(ImportFileError) as error:
        decode_csv_text(data)
    assert str(error.value).startswith(message)


# --- parse_csv ------------------------------------------------------------------------------------


def test_parse_csv_keys_cells_by_lower_case_column_and_strips_them():
    parsed = parse_csv(" Name ,EMAIL\n  Ada , ada@example.ac.uk \n", ["name", "email"])
    assert parsed.columns == ["name", "email"]
    assert parsed.rows == [(2, {"name": "Ada", "email": "ada@example.ac.uk"})]


def test_parse_csv_unneutralises_cells_of_our_own_exports():
    parsed = parse_csv("name\n'=x\n'@y\n'hello\n", ["name"])
    assert [values["name"] for _line, values in parsed.rows] == ["=x", "@y", "'hello"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty."),
        ("\n\n   \n", "The file is empty."),
        ("name,email\n", "The file has a header but no rows."),
        ("name,email\n\n,\n", "The file has a header but no rows."),
        ("name\nAda\n", "Missing column: email. The first line must name the columns."),
        ("title\nX\n", "Missing columns: name, email. The first line must name the columns."),
        ("name,email,Name\nA,b,c\n", "Column named twice: name."),
    ],
)
def test_parse_csv_refuses_unusable_files(text, message):
    with pytest.raises(ImportFileError) as error:
        parse_csv(text, ["name", "email"])
    assert str(error.value) == message


def test_blank_lines_are_skipped_and_line_numbers_still_count_them():
    parsed = parse_csv("\nname\n\nAda\n\n\nGrace\n", ["name"])
    assert [line for line, _values in parsed.rows] == [4, 7]


def test_a_row_is_reported_by_the_line_it_starts_on_even_with_multi_line_cells():
    text = 'name,note\nAda,"one\ntwo\nthree"\nGrace,x\n'
    parsed = parse_csv(text, ["name", "note"])
    assert parsed.rows == [
        (2, {"name": "Ada", "note": "one\ntwo\nthree"}),
        (5, {"name": "Grace", "note": "x"}),
    ]


def test_short_rows_get_blank_cells_and_long_rows_are_flagged():
    parsed = parse_csv("a,b,c\n1\n1,2,3,4\n1,2,3,,\n", ["a"])
    assert parsed.rows[0] == (2, {"a": "1", "b": "", "c": ""})
    assert parsed.overlong_lines == [3]  # trailing empty cells (Excel) are fine


def test_optional_and_unknown_columns_are_kept_and_unnamed_ones_dropped():
    parsed = parse_csv("name,,extra\nAda,lost,kept\n", ["name"], optional=["nickname"])
    assert parsed.rows == [(2, {"name": "Ada", "extra": "kept"})]


def test_a_byte_order_mark_in_text_does_not_hide_the_first_column():
    assert parse_csv("\ufeffname\nAda\n", ["name"]).rows == [(2, {"name": "Ada"})]


def test_windows_line_endings_and_quoted_commas():
    parsed = parse_csv('name,title\r\n"Lee, Sam","Senior ""Lead"""\r\n', ["name", "title"])
    assert parsed.rows == [(2, {"name": "Lee, Sam", "title": 'Senior "Lead"'})]


def test_a_huge_cell_is_a_file_error_not_a_crash():
    with pytest.raises(ImportFileError, match="not valid CSV"):
        parse_csv("name\n" + '"' + "x" * 200_000 + '"\n', ["name"])


# --- the preview ---------------------------------------------------------------------------------


def test_a_preview_is_valid_only_without_errors():
    preview = Preview()
    assert preview.is_valid
    preview.errors.append(RowError(3, "bad e-mail"))
    assert not preview.is_valid
    assert str(preview.errors[0]) == "Line 3: bad e-mail"
