"""The plan's CSV export, and the import that reads it back: preview, per-row errors with
their line, all or nothing, upsert by reference."""

import csv
import datetime
import io
import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from actionplan import importing, services
from portal.imports import ImportFileError
from portal.imports.pending import StalePreview
from portal.models import ImportRun, PendingImport
from tests import factories
from tests.actionplan.conftest import ENDS, STARTS

HEADER = "pillar,ref,action,owner,lead,due,success measure,status,RAG,progress,latest update\n"


@pytest.fixture
def full_plan(plan, personas, today):
    make = factories.ActionFactory
    first = make(
        plan=plan,
        ref="V1.1",
        pillar="visibility",
        title="Profiles for everyone",
        owner=personas.technician,
        lead="Web team",
        due_on=datetime.date(2026, 3, 31),
        success_measure="60 % have a profile",
        status="complete",
        progress=100,
    )
    make(
        plan=plan,
        ref="R2.3",
        pillar="recognition",
        title='=HYPERLINK("http://x")',
        owner=None,
        lead="",
        due_on=datetime.date(2027, 1, 15),
        success_measure="+ten, -two, @three",
        status="blocked",
        progress=15,
    )
    make(
        plan=plan,
        ref="C1.2",
        pillar="career_development",
        title='Skills matrix, "v2"',
        owner=personas.manager,
        lead="HR; Technical Services",
        due_on=ENDS,
        success_measure="Line one\nLine two",
        status="in_progress",
        progress=45,
    )
    make(
        plan=plan,
        ref="S3.1",
        pillar="sustainability",
        title="Apprenticeships",
        owner=personas.steering,
        lead="Apprenticeships team",
        due_on=STARTS,
        success_measure="",
        status="not_started",
        progress=0,
    )
    factories.ActionUpdateFactory(action=first, note="Done: 64 % have a profile.")
    return plan


def export(client, plan) -> str:
    response = client.get(reverse("actionplan:export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content.decode("utf-8-sig")


FIELDS = (
    "pillar",
    "ref",
    "title",
    "owner_id",
    "lead",
    "due_on",
    "success_measure",
    "status",
    "progress",
)


def actions_of(plan) -> list[tuple]:
    return sorted(plan.actions.values_list(*FIELDS))


def test_the_export_has_the_columns_and_values_of_the_plan(login, personas, full_plan):
    rows = list(csv.reader(io.StringIO(export(login(personas.technician), full_plan))))
    assert rows[0] == importing.EXPORT_COLUMNS
    assert rows[1] == [
        "Visibility",
        "V1.1",
        "Profiles for everyone",
        personas.technician.email,
        "Web team",
        "2026-03-31",
        "60 % have a profile",
        "Complete",
        "Complete",
        "100",
        "2026-03-10: Done: 64 % have a profile.",
    ]
    by_ref = {row[1]: row for row in rows[1:]}
    assert by_ref["R2.3"][2] == '\'=HYPERLINK("http://x")'  # neutralised for spreadsheets
    assert by_ref["R2.3"][6] == "'+ten, -two, @three"
    assert by_ref["R2.3"][8] == "Red"
    assert [row[1] for row in rows[1:]] == ["V1.1", "R2.3", "C1.2", "S3.1"]  # pillar order


def test_the_export_imports_into_an_empty_plan_of_the_same_period(login, personas, full_plan):
    text = export(login(personas.technician), full_plan)
    empty = factories.ActionPlanFactory(starts_on=STARTS, ends_on=ENDS, status="draft")
    preview = importing.preview_import(empty, text)
    assert preview.is_valid and len(preview.new) == 4
    assert not empty.actions.exists()  # a preview changes nothing
    importing.apply_import(personas.steering, empty, text)
    assert actions_of(empty) == actions_of(full_plan)
    assert empty.actions.get(ref="V1.1").history.first().history_user == personas.steering


def test_the_export_imports_into_its_own_plan_without_changing_anything(login, personas, full_plan):
    text = export(login(personas.technician), full_plan)
    before = actions_of(full_plan)
    history = sum(action.history.count() for action in full_plan.actions.all())
    result = importing.apply_import(personas.steering, full_plan, text)
    assert (len(result.new), len(result.changed), len(result.unchanged)) == (0, 0, 4)
    assert actions_of(full_plan) == before
    assert sum(action.history.count() for action in full_plan.actions.all()) == history


def test_an_import_upserts_by_reference(personas, full_plan):
    text = HEADER + (
        "Visibility,V1.1,Profiles for everyone,,Web team,2026-03-31,,In progress,,80,\n"
        "Sustainability,S9.9,A brand new action,hr@EXAMPLE.ac.uk,,2028-07-31,,,,,\n"
    )
    hr = factories.UserFactory(email="hr@example.ac.uk")
    result = importing.apply_import(personas.steering, full_plan, text)
    assert [row.ref for row in result.changed] == ["V1.1"]
    assert result.changed[0].changed_fields == ["owner", "success measure", "status", "progress"]
    v11 = full_plan.actions.get(ref="V1.1")
    assert (v11.owner, v11.status, v11.progress, v11.success_measure) == (
        None,
        "in_progress",
        80,
        "",
    )
    s99 = full_plan.actions.get(ref="S9.9")
    assert (s99.owner, s99.status, s99.progress) == (hr, "not_started", 0)
    assert full_plan.actions.count() == 5  # R2.3, C1.2, S3.1 untouched


BAD_ROWS = [
    ("Visiblity,V1.1,x,,,2026-01-01,,,,,", "Line 2: Unknown pillar “Visiblity”"),
    ("Visibility,V1.1,x,,,2026-01-01,,Finished,,,", "Line 2: Unknown status “Finished”"),
    (
        "Visibility,V1.1,x,ghost@example.ac.uk,,2026-01-01,,,,,",
        "Line 2: Unknown owner email “ghost@example.ac.uk”",
    ),
    ("Visibility,V1.1,x,,,31/02/2026,,,,,", "Line 2: Bad date “31/02/2026” in the due column"),
    ("Visibility,V1.1,x,,,next week,,,,,", "Line 2: Bad date “next week”"),
    (
        # The services' rule, in the same words as the form (issue 7: imports run every rule).
        "Visibility,V1.1,x,,,2028-08-01,,,,,",
        "Line 2: The due date must fall within the plan's period, 1 August 2025 to 31 July 2028.",
    ),
    (
        "Visibility,V1.1,x,,,2026-01-01,,,,101,",
        "Line 2: Progress must be a whole number from 0 to 100, not “101”",
    ),
    ("Visibility,V1.1,x,,,2026-01-01,,,,-5,", "Line 2: Progress must be a whole number"),
    ("Visibility,V1.1,x,,,2026-01-01,,,,half,", "Line 2: Progress must be a whole number"),
    ("Visibility,,x,,,2026-01-01,,,,,", "Line 2: The ref column is empty"),
    ("Visibility,V1.1,,,,,,,,,", "Line 2: The action column is empty; the due column is empty"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS, ids=[m for _, m in BAD_ROWS])
def test_a_bad_row_is_reported_with_its_line_and_nothing_changes(row, message, personas, full_plan):
    before = actions_of(full_plan)
    text = HEADER + row + "\n" + "Recognition,R7.1,A good row,,,2026-05-01,,,,,\n"
    result = importing.apply_import(personas.steering, full_plan, text)
    assert not result.is_valid
    assert len(result.errors) == 1 and str(result.errors[0]).startswith(message)
    assert actions_of(full_plan) == before


def test_a_duplicate_ref_names_both_lines(personas, full_plan):
    text = HEADER + (
        "Recognition,R7.1,One,,,2026-05-01,,,,,\nRecognition,r7.1,Two,,,2026-05-01,,,,,\n"
    )
    result = importing.apply_import(personas.steering, full_plan, text)
    assert [str(error) for error in result.errors] == [
        "Line 3: Duplicate ref “r7.1” (also on line 2)."
    ]
    assert not full_plan.actions.filter(ref__iexact="R7.1").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("pillar,ref,action\nVisibility,V1,x\n", "Missing column: due."),
        ("ref,action\nV1,x\n", "Missing columns: pillar, due."),
        ("", "The file is empty."),
        (HEADER, "The file has a header but no rows."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(text, message, personas, full_plan):
    before = actions_of(full_plan)
    with pytest.raises(ImportFileError, match=message):
        importing.apply_import(personas.steering, full_plan, text)
    assert actions_of(full_plan) == before


def test_an_archived_plan_takes_no_import(personas, archived_plan):
    with pytest.raises(ImportFileError, match="archived"):
        importing.preview_import(archived_plan, HEADER + "Visibility,V1,x,,,2024-01-01,,,,,\n")


def test_only_the_steering_group_applies_an_import(personas, full_plan):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        importing.apply_import(personas.hr, full_plan, HEADER)


def test_completing_by_import_sets_progress_to_100(personas, full_plan):
    text = HEADER + "Career development,C1.2,Skills matrix,,,2027-01-01,,Complete,,60,\n"
    importing.apply_import(personas.steering, full_plan, text)
    assert full_plan.actions.get(ref="C1.2").progress == 100


# --- the import page -----------------------------------------------------------------------


def upload(client, plan, content: bytes, name="plan.csv"):
    return client.post(
        reverse("actionplan:import", args=[plan.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_the_import_page_previews_then_applies(login, personas, full_plan):
    client = login(personas.steering)
    text = HEADER + "Recognition,R7.1,Nominate technicians for national awards,,,2026-05-01,,,,,\n"
    preview = upload(client, full_plan, text.encode("utf-8-sig"))
    assert preview.status_code == 200
    assert "1 new action" in preview.content.decode()
    assert not full_plan.actions.filter(ref="R7.1").exists()
    token = preview.context["token"]
    applied = client.post(reverse("actionplan:import", args=[full_plan.pk]), {"token": token})
    assert applied.status_code == 302
    assert full_plan.actions.filter(ref="R7.1").exists()
    # The same token cannot be applied twice.
    again = client.post(reverse("actionplan:import", args=[full_plan.pk]), {"token": token})
    assert again.status_code == 302 and again["Location"].endswith("/import/")


def test_the_import_page_lists_every_bad_line(login, personas, full_plan):
    text = HEADER + BAD_ROWS[0][0] + "\n" + BAD_ROWS[6][0] + "\n"
    response = upload(login(personas.steering), full_plan, text.encode())
    html = response.content.decode()
    assert "Line 2: Unknown pillar" in html and "Line 3: Progress must be" in html
    assert response.context["token"] is None
    assert "nothing was imported" in html


def test_a_file_that_is_not_utf8_is_refused(login, personas, full_plan):
    before = actions_of(full_plan)
    text = HEADER + "Visibility,V7.7,Caf\xe9 for technicians,,,2026-05-01,,,,,\n"
    response = upload(login(personas.steering), full_plan, text.encode("latin-1"))
    assert "The file is not UTF-8 text" in response.context["form"].errors["file"][0]
    assert actions_of(full_plan) == before


def test_a_binary_file_is_refused(login, personas, full_plan):
    response = upload(login(personas.steering), full_plan, b"\x00\x01PK\x03\x04", "plan.xlsx")
    assert response.context["form"].errors["file"]
    assert full_plan.actions.count() == 4


def test_the_service_and_the_page_agree_on_the_messages():
    assert services.PROGRESS_RANGE.startswith("Progress must be a whole number")


def test_a_row_with_more_cells_than_columns_is_refused(personas, full_plan):
    """An unquoted comma shifts the cells: the row is reported, not imported with its tail cut."""
    before = actions_of(full_plan)
    text = "pillar,ref,action,due\nRecognition,R7.1,Fund fees,2026-05-01,and conference places\n"
    result = importing.apply_import(personas.steering, full_plan, text)
    assert [str(error) for error in result.errors] == [
        "Line 2: The row has more cells than the header has columns: is a comma in a value "
        "missing its quotes?"
    ]
    assert actions_of(full_plan) == before


def test_a_plan_whose_owner_has_left_round_trips(login, personas, full_plan):
    personas.manager.is_active = False
    personas.manager.save()
    text = export(login(personas.technician), full_plan)
    result = importing.apply_import(personas.steering, full_plan, text)
    assert result.is_valid, result.errors
    assert (len(result.changed), len(result.unchanged)) == (0, 4)
    empty = factories.ActionPlanFactory(starts_on=STARTS, ends_on=ENDS, status="draft")
    assert importing.apply_import(personas.steering, empty, text).is_valid
    assert actions_of(empty) == actions_of(full_plan)


def test_a_preview_applies_only_to_the_plan_it_was_made_for(login, personas, full_plan):
    other = factories.ActionPlanFactory(starts_on=STARTS, ends_on=ENDS, status="draft")
    client = login(personas.steering)
    text = HEADER + "Recognition,R7.1,Nominate technicians for awards,,,2026-05-01,,,,,\n"
    token = upload(client, full_plan, text.encode()).context["token"]
    assert token
    response = client.post(reverse("actionplan:import", args=[other.pk]), {"token": token})
    assert response.status_code == 302 and response["Location"].endswith(f"/{other.pk}/import/")
    assert not other.actions.exists() and not full_plan.actions.filter(ref="R7.1").exists()
    # The preview still applies to its own plan.
    client.post(reverse("actionplan:import", args=[full_plan.pk]), {"token": token})
    assert full_plan.actions.filter(ref="R7.1").exists()


# --- apply exactly what was previewed, through the services --------------------------------

STALE = "The plan has changed since your preview: review it again"


def import_url(plan) -> str:
    return reverse("actionplan:import", args=[plan.pk])


def test_a_stale_preview_is_refused_and_nothing_changes(login, personas, full_plan):
    client = login(personas.steering)
    text = HEADER + (
        "Visibility,V1.1,Profiles for everyone,,Web team,2026-03-31,,In progress,,80,\n"
        "Recognition,R7.1,Nominate technicians for awards,,,2026-05-01,,,,,\n"
    )
    token = upload(client, full_plan, text.encode()).context["token"]
    # Meanwhile someone gives V1.1 a new owner: the preview said "owner → none" from another.
    v11 = full_plan.actions.get(ref="V1.1")
    services.update_action(personas.steering, v11, owner=personas.manager)
    before = actions_of(full_plan)

    response = client.post(import_url(full_plan), {"token": token})

    assert STALE in [str(message) for message in response.context["messages"]]
    assert actions_of(full_plan) == before
    assert not full_plan.actions.filter(ref="R7.1").exists()
    assert not ImportRun.objects.exists()
    assert not PendingImport.objects.filter(pk=token).exists()
    assert response.context["token"] and response.context["token"] != token  # review again


def test_the_service_refuses_a_fingerprint_that_no_longer_matches(personas, full_plan):
    text = HEADER + "Recognition,R7.1,Nominate technicians for awards,,,2026-05-01,,,,,\n"
    fingerprint = importing.preview_import(full_plan, text).fingerprint
    factories.ActionFactory(plan=full_plan, ref="R7.1", due_on=datetime.date(2026, 1, 1))
    before = actions_of(full_plan)
    with pytest.raises(StalePreview, match=f"^{STALE}$"):
        importing.apply_import(personas.steering, full_plan, text, fingerprint=fingerprint)
    assert actions_of(full_plan) == before


def test_an_expired_preview_is_refused_and_deleted(login, personas, full_plan):
    client = login(personas.steering)
    text = HEADER + "Recognition,R7.1,Nominate technicians for awards,,,2026-05-01,,,,,\n"
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = upload(client, full_plan, text.encode()).context["token"]
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        response = client.post(import_url(full_plan), {"token": token}, follow=True)
    assert any("This preview has expired" in str(m) for m in response.context["messages"])
    assert not PendingImport.objects.filter(pk=token).exists()
    assert not full_plan.actions.filter(ref="R7.1").exists()


def test_an_applied_import_is_recorded(login, personas, full_plan):
    client = login(personas.steering)
    text = HEADER + "Recognition,R7.1,Nominate technicians for awards,,,2026-05-01,,,,,\n"
    token = upload(client, full_plan, text.encode(), name="awards.csv").context["token"]
    client.post(import_url(full_plan), {"token": token})
    run = ImportRun.objects.get()
    assert (run.kind, run.by, run.file_name) == ("actions", personas.steering, "awards.csv")
    assert run.counts == {"new": 1, "changed": 0, "unchanged": 0}


# --- the caps ------------------------------------------------------------------------------


def test_a_file_with_201_columns_is_refused_with_a_message(login, personas, full_plan):
    header = HEADER.strip() + "," + ",".join(f"x{n}" for n in range(201 - 11))
    response = upload(login(personas.steering), full_plan, (header + "\n").encode())
    assert response.context["form"].errors["file"] == [
        "The file has 201 columns: an import takes at most 200. Check that it is the right "
        "file, saved as CSV."
    ]
    assert full_plan.actions.count() == 4


def test_an_80000_cell_header_is_refused_at_once(login, personas, full_plan):
    header = HEADER.strip() + "," + ",".join(f"x{n}" for n in range(80_000 - 11))
    started = time.perf_counter()
    response = upload(login(personas.steering), full_plan, (header + "\n").encode())
    assert time.perf_counter() - started < 2
    assert response.context["form"].errors["file"][0].startswith("The file has 80,000 columns")
    with pytest.raises(ImportFileError, match="80,000 columns"):
        importing.preview_import(full_plan, header + "\n")


# --- every service rule applies ------------------------------------------------------------


def test_a_due_date_outside_the_plan_gets_the_same_message_as_in_the_form(
    login, personas, full_plan
):
    client = login(personas.steering)
    form = client.post(
        reverse("actionplan:action_create", args=[full_plan.pk]),
        {
            "pillar": "visibility",
            "ref": "V9.9",
            "title": "Late",
            "due_on": "2028-08-01",
            "status": "not_started",
            "progress": "0",
        },
    )
    [form_message] = form.context["form"].errors["due_on"]
    result = importing.apply_import(
        personas.steering, full_plan, HEADER + "Visibility,V9.9,Late,,,2028-08-01,,,,,\n"
    )
    assert [error.message for error in result.errors] == [form_message]
    page = upload(client, full_plan, (HEADER + "Visibility,V9.9,Late,,,01/08/2028,,,,,\n").encode())
    assert [error.message for error in page.context["preview"].errors] == [form_message]
    assert not full_plan.actions.filter(ref="V9.9").exists()


def test_every_row_is_written_through_the_public_services(personas, full_plan, monkeypatch):
    calls = []
    create, update = services.create_action, services.update_action

    def spy_create(user, plan, **fields):
        calls.append(("create", user, fields["ref"]))
        return create(user, plan, **fields)

    def spy_update(user, action, **changes):
        calls.append(("update", user, action.ref))
        return update(user, action, **changes)

    monkeypatch.setattr(services, "create_action", spy_create)
    monkeypatch.setattr(services, "update_action", spy_update)
    text = HEADER + (
        "Visibility,V1.1,Profiles for everyone,,Web team,2026-03-31,,In progress,,80,\n"
        "Recognition,R7.1,Nominate technicians for awards,,,2026-05-01,,,,,\n"
    )
    importing.apply_import(personas.steering, full_plan, text)
    assert sorted(calls) == [
        ("create", personas.steering, "R7.1"),
        ("update", personas.steering, "V1.1"),
    ]


def test_a_row_a_service_refuses_is_reported_by_line_and_nothing_changes(
    personas, full_plan, monkeypatch
):
    update = services.update_action

    def refuse_v11(user, action, **changes):
        if action.ref == "V1.1":
            raise ValidationError({"title": ["The service says no."]})
        return update(user, action, **changes)

    monkeypatch.setattr(services, "update_action", refuse_v11)
    before = actions_of(full_plan)
    text = HEADER + (
        "Recognition,R7.1,Nominate technicians for awards,,,2026-05-01,,,,,\n"
        "Visibility,V1.1,Profiles for everyone,,Web team,2026-03-31,,In progress,,80,\n"
    )
    result = importing.apply_import(personas.steering, full_plan, text)
    assert [str(error) for error in result.errors] == ["Line 3: The service says no."]
    assert actions_of(full_plan) == before  # R7.1, created first, was rolled back too
    assert not ImportRun.objects.exists()


def test_the_command_line_applies_without_naming_anyone(tmp_path, full_plan):
    from django.core.management import call_command

    path = tmp_path / "plan.csv"
    path.write_text(
        HEADER
        + "Recognition,R7.1,Awards,,,2026-05-01,,,,,\n"
        + "Visibility,V1.1,Profiles for all,,Web team,2026-03-31,60 % have a profile,"
        + "Complete,,100,\n"
    )

    call_command("import_actions", full_plan.pk, path, stdout=io.StringIO())

    created = full_plan.actions.get(ref="R7.1").history.get()
    assert created.history_user is None and created.history_change_reason == "import"
    changed = full_plan.actions.get(ref="V1.1")
    assert changed.title == "Profiles for all"
    latest = changed.history.order_by("-history_date", "-pk").first()
    assert latest.history_user is None and latest.history_change_reason == "import"
    run = ImportRun.objects.get()
    assert (run.by, run.file_name) == (None, "plan.csv")
    assert run.counts["new"] == 1 and run.counts["changed"] == 1


def test_the_command_with_as_records_who_imported(tmp_path, personas, full_plan):
    from django.core.management import call_command

    path = tmp_path / "plan.csv"
    path.write_text(HEADER + "Recognition,R7.1,Awards,,,2026-05-01,,,,,\n")
    call_command("import_actions", full_plan.pk, path, "--as", personas.steering.email)
    record = full_plan.actions.get(ref="R7.1").history.get()
    assert (record.history_user, record.history_change_reason) == (personas.steering, "import")
    assert ImportRun.objects.get().by == personas.steering


def test_the_command_as_someone_outside_the_steering_group_is_refused(
    tmp_path, personas, full_plan
):
    from django.core.management import CommandError, call_command

    path = tmp_path / "plan.csv"
    path.write_text(HEADER + "Recognition,R7.1,Awards,,,2026-05-01,,,,,\n")
    with pytest.raises(CommandError, match="Only members of the steering group"):
        call_command("import_actions", full_plan.pk, path, "--as", personas.technician.email)
    assert not full_plan.actions.filter(ref="R7.1").exists()
    assert not ImportRun.objects.exists()


def test_only_the_command_line_sentinel_is_trusted_never_none_or_a_web_user(personas, plan):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from portal.actors import COMMAND_LINE

    values = {"pillar": "visibility", "ref": "V9.1", "title": "Trusted", "due_on": STARTS}
    for actor in (None, AnonymousUser(), personas.technician, personas.hr):
        with pytest.raises(PermissionDenied):
            services.create_action(actor, plan, **values)
        with pytest.raises(PermissionDenied):
            importing.apply_import(actor, plan, HEADER + "Visibility,V9.2,X,,,2026-05-01,,,,,\n")
    assert not plan.actions.exists()

    action = services.create_action(COMMAND_LINE, plan, **values)
    services.update_action(COMMAND_LINE, action, title="Still trusted")
    assert [record.history_user for record in action.history.all()] == [None, None]
    assert action.history.first().history_change_reason is None  # an ordinary edit


def test_an_imported_change_says_so_in_the_timeline(login, personas, full_plan):
    from actionplan import selectors

    text = HEADER + "Visibility,V1.1,Profiles for all,,Web team,2026-03-31,,Complete,,100,\n"
    result = importing.apply_import(personas.steering, full_plan, text)
    assert result.is_valid
    timeline = selectors.action_timeline(full_plan.actions.get(ref="V1.1"))
    imported = [entry for entry in timeline if entry.kind == "changed"][-1]
    assert imported.who == personas.steering
    assert imported.reason == "Imported from a CSV file."


def test_the_plans_import_page_shows_the_action_import_runs(login, personas, plan):
    text = "pillar,ref,action,due\nVisibility,V1.1,Profiles,2026-01-31\n"
    importing.apply_import(personas.steering, plan, text, file_name="plan-import.csv")
    page = login(personas.steering).get(f"/action-plans/{plan.pk}/import/").content.decode()
    assert "plan-import.csv" in page and "1 new, 0 changed, 0 unchanged" in page


def test_a_plans_import_page_shows_only_the_imports_into_that_plan(login, personas, plan):
    other = factories.ActionPlanFactory(title="Next plan", starts_on=STARTS, ends_on=ENDS)
    text = "pillar,ref,action,due\nVisibility,V1.1,Profiles,2026-01-31\n"
    importing.apply_import(personas.steering, plan, text, file_name="this-plan.csv")
    importing.apply_import(personas.steering, other, text, file_name="other-plan.csv")
    assert ImportRun.objects.get(file_name="this-plan.csv").target == str(plan.pk)
    page = login(personas.steering).get(f"/action-plans/{plan.pk}/import/").content.decode()
    assert "this-plan.csv" in page
    assert "other-plan.csv" not in page


def test_a_large_file_is_previewed_and_applied_by_the_task_for_its_plan(
    login, personas, full_plan, settings, django_capture_on_commit_callbacks
):
    """The worker builds the plan's import page from the import's target (its plan)."""
    settings.PORTAL_IMPORT_BACKGROUND_BYTES = 1
    client = login(personas.steering)
    text = HEADER + "Recognition,R7.1,Nominate technicians for national awards,,,2026-05-01,,,,,\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, full_plan, text.encode())
    page_url = reverse("actionplan:import", args=[full_plan.pk])
    assert response["Location"].startswith(page_url + "?import=")
    pending = PendingImport.objects.get()
    assert pending.state == "ready" and pending.target == str(full_plan.pk)
    assert "New: 1" in client.get(response["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"action": "apply", "token": pending.pk})
    assert full_plan.actions.filter(ref="R7.1").exists()
    done = client.get(response["Location"])
    assert done["Location"] == full_plan.get_absolute_url()
