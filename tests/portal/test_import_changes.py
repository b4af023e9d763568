"""The apply loop every app's import shares (portal.imports.changes): every previewed row is
written through the app's service or none is, a refusal becomes its line's error in the
service's words, and a preview that no longer matches is refused before anything is written."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from portal.imports.changes import UpsertPreview, apply_previewed, plain, sentence
from portal.imports.pending import StalePreview
from portal.models import ImportRun

pytestmark = pytest.mark.django_db


@dataclass
class Row:
    line: int
    value: str


class NumbersImport(UpsertPreview):
    kind = "numbers"
    stale_message = "The numbers have changed since your preview: review it again"

    def fingerprint_data(self):
        return {"new": [row.value for row in self.new]}


def preview(*values: str) -> NumbersImport:
    return NumbersImport(changes={"new": [Row(2 + i, v) for i, v in enumerate(values)]})


def test_problems_read_as_one_sentence():
    assert sentence(["unknown pillar “x”", "bad date “y”"]) == "Unknown pillar “x”; bad date “y”."
    assert sentence(["The same record as on line 2."]) == "The same record as on line 2."


def test_values_become_plain_data_for_the_fingerprint(personas):
    values = {"owner": personas.hr, "due_on": datetime.date(2026, 5, 1), "title": "T", "x": None}
    assert plain(values) == {
        "owner": personas.hr.pk,
        "due_on": "2026-05-01",
        "title": "T",
        "x": None,
    }


def test_every_row_is_written_and_the_run_recorded(personas):
    written = []
    result = preview("1", "2")
    with transaction.atomic():
        apply_previewed(
            result,
            lambda row: written.append(row.value),
            by=personas.hr,
            fingerprint=result.fingerprint,
            file_name="n.csv",
        )
    assert written == ["1", "2"] and result.is_valid
    run = ImportRun.objects.get(kind="numbers")
    assert (run.by, run.file_name, run.counts) == (
        personas.hr,
        "n.csv",
        {"new": 2, "changed": 0, "unchanged": 0},
    )
    assert result.summary() == "2 new, 0 changed, 0 unchanged"


def test_a_refused_row_rolls_every_row_back(personas):
    def write(row):
        ImportRun.objects.create(kind="written", file_name=row.value, counts={})
        if row.value == "bad":
            raise ValidationError("the service says no")

    result = preview("good", "bad")
    with transaction.atomic():
        apply_previewed(result, write, by=personas.hr, fingerprint=None, file_name="n.csv")
    assert [(error.line, error.message) for error in result.errors] == [(3, "The service says no.")]
    assert not ImportRun.objects.exists()


def test_a_stale_preview_writes_nothing(personas):
    written = []
    with pytest.raises(StalePreview, match="The numbers have changed"), transaction.atomic():
        apply_previewed(
            preview("1"),
            written.append,
            by=personas.hr,
            fingerprint=preview("2").fingerprint,
            file_name="",
        )
    assert written == [] and not ImportRun.objects.exists()
