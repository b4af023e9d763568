"""Permission matrix of training.

`world.technician` (Alex) has a confirmed booking on the upcoming session and a logged record
with evidence; `manager` (Morgan) is Alex's line manager; a requested booking of Alex's waits
on the approval course. The coordinator manages the catalogue; HR sees the totals. Someone
else's booking, record or evidence is hidden (404) from those who may not act on it.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.matrix import Row, everyone, staff

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def setup(world) -> None:
    from portal.models import PendingImport
    from training.models import Booking, CalendarToken, Course, Session, TrainingRecord

    soon = timezone.now() + datetime.timedelta(days=20)
    world.tr_course = Course.objects.create(title="COSHH", slug="coshh", days=Decimal("0.5"))
    world.tr_approval_course = Course.objects.create(
        title="First aid", slug="first-aid", requires_manager_approval=True
    )
    world.tr_empty_course = Course.objects.create(title="Lasers", slug="lasers")
    world.tr_session = Session.objects.create(
        course=world.tr_course,
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=3),
        capacity=10,
    )
    world.tr_other_session = Session.objects.create(
        course=world.tr_course,
        starts_at=soon + datetime.timedelta(days=1),
        ends_at=soon + datetime.timedelta(days=1, hours=3),
        capacity=10,
    )
    world.tr_approval_session = Session.objects.create(
        course=world.tr_approval_course,
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=3),
        capacity=10,
    )
    alex = world.technician_profile
    world.tr_booking = Booking.objects.create(
        session=world.tr_session, technician=alex, status="confirmed"
    )
    world.tr_requested = Booking.objects.create(
        session=world.tr_approval_session, technician=alex, status="requested"
    )
    world.tr_record = TrainingRecord.objects.create(
        technician=alex,
        date=timezone.localdate(),
        days=Decimal("1"),
        category="on_the_job",
        title="Shadowing",
        evidence_name="certificate.pdf",
        evidence_content_type="application/pdf",
    )
    world.tr_record.evidence.save("evidence.pdf", ContentFile(PDF), save=True)
    world.tr_token = CalendarToken.objects.create(technician=alex)
    # HR's large import, previewed by the worker: its progress and its CSV are HR's alone.
    world.tr_import = PendingImport(
        kind="training-records",
        uploaded_by=world.hr,
        file_name="records.csv",
        fingerprint="0" * 64,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
        state="ready",
        page="training.views.TrainingRecordImportPage",
        summary={"valid": True, "apply_count": 0, "kinds": [], "errors": {"count": 0}},
    )
    world.tr_import.file.save("import.csv", ContentFile(b"staff number\n"), save=False)
    world.tr_import.preview_file.save("preview.csv", ContentFile(b"kind,line\n"), save=False)
    world.tr_import.save()


def _session(suffix, attr="tr_session"):
    return lambda w: f"/training/sessions/{getattr(w, attr).pk}/{suffix}"


def _booking(suffix, attr="tr_booking"):
    return lambda w: f"/training/bookings/{getattr(w, attr).pk}/{suffix}"


def _record(suffix):
    return lambda w: f"/training/records/{w.tr_record.pk}/{suffix}"


READ = staff(200)
COORD = staff(403, coordinator=200, admin=200)
COORD_POST = staff(403, coordinator=302, admin=302)
HR_ONLY = staff(403, hr=200, admin=200)
MANAGERS = staff(403, manager=200)
# Personas without a technician profile (steering, coordinator, HR, admin) cannot log days.
TECHNICIANS = staff(403, technician=200, manager=200)
TECHNICIANS_POST = staff(403, technician=302, manager=302)
# Alex's booking: Alex, Alex's manager and coordinators (and admins) act on it; others 404.
ALEX_BOOKING = staff(404, technician=200, manager=200, coordinator=200, admin=200)
ALEX_RECORD = staff(404, technician=200, manager=200, hr=200, admin=200)
DECIDE = staff(403, manager=200, coordinator=200, admin=200)
APPROVALS = staff(403, manager=200, coordinator=200, admin=200)

ROWS = [
    Row("training:catalogue", lambda w: "/training/", READ),
    Row(
        "training:catalogue",
        lambda w: "/training/?q=coshh&category=formal&free_seats=on&starts_from=2020-01-01",
        READ,
        note=" filtered",
    ),
    Row("training:course", lambda w: "/training/courses/coshh/", READ),
    Row("training:course", lambda w: "/training/courses/lasers/", READ, note=" no session"),
    Row("training:course", lambda w: "/training/courses/nope/", staff(404), note=" missing"),
    Row(
        "training:interest",
        lambda w: "/training/courses/lasers/interest/",
        TECHNICIANS_POST,
        method="post",
    ),
    Row(
        "training:interest",
        lambda w: "/training/courses/lasers/interest/",
        staff(403, technician=405, manager=405),
        note=" get",
    ),
    Row("training:book", _session("book/", "tr_other_session"), READ),
    Row(
        "training:book",
        _session("book/", "tr_other_session"),
        # Nobody chosen: technicians book themselves (302); a coordinator or administrator
        # without a profile is asked whom to book (200); staff who may book nobody, 403.
        staff(403, technician=302, manager=302, coordinator=200, admin=200),
        method="post",
        note=" without choosing",
    ),
    Row("training:session_ics", _session("calendar.ics"), READ),
    Row("training:register", _session("register/"), COORD),
    Row("training:cancel", _booking("cancel/"), ALEX_BOOKING),
    Row(
        "training:approve",
        _booking("approve/", "tr_requested"),
        staff(403, manager=302, coordinator=302, admin=302),
        method="post",
    ),
    Row("training:decline", _booking("decline/", "tr_requested"), DECIDE),
    Row(
        "training:decline",
        _booking("decline/", "tr_requested"),
        DECIDE,
        method="post",
        data=lambda w: {"reason": ""},
        note=" no reason",
    ),
    Row(
        "training:attendance",
        _booking("attendance/"),
        COORD_POST,  # refused with a message (not started yet), back to the register
        method="post",
        data=lambda w: {"attended": "1"},
    ),
    Row("training:approvals", lambda w: "/training/approvals/", APPROVALS),
    Row("training:me", lambda w: "/training/me/", READ),
    Row("training:me_export", lambda w: "/training/me/export.csv", TECHNICIANS),
    Row("training:log", lambda w: "/training/me/log/", TECHNICIANS),
    Row(
        "training:log",
        lambda w: "/training/me/log/",
        TECHNICIANS,
        method="post",
        data=lambda w: {"title": ""},
        note=" invalid",
    ),
    Row(
        "training:renew_calendar",
        lambda w: "/training/me/calendar/renew/",
        TECHNICIANS_POST,
        method="post",
    ),
    Row(
        "training:import",
        lambda w: "/training/records/import/",
        staff(403, coordinator=200, hr=200, admin=200),
    ),
    Row(
        "training:import",
        lambda w: "/training/records/import/",
        staff(403, coordinator=200, hr=200, admin=200),
        method="post",
        note=" no file",
    ),
    # A large import's page, progress fragment and CSV of every row: the page's permission,
    # then only the person who uploaded it (another importer: 404).
    *(
        Row(
            "training:import",
            lambda w, part=part: f"/training/records/import/?import={w.tr_import.pk}{part}",
            staff(403, coordinator=404, hr=200, admin=404),
            note=f" large import{part.replace('&part=', ' ')}",
        )
        for part in ("", "&part=progress", "&part=csv")
    ),
    Row("training:record_evidence", _record("evidence/"), ALEX_RECORD),
    Row(
        "training:record_delete",
        _record("delete/"),
        staff(404, technician=302),  # Alex deletes it; after that it is gone for everyone
        method="post",
    ),
    Row(
        "training:calendar_feed",
        lambda w: f"/training/calendar/{w.tr_token.token}.ics",
        everyone(200),
        note=" token",
    ),
    Row(
        "training:calendar_feed",
        lambda w: "/training/calendar/not-the-token.ics",
        everyone(404),
        note=" wrong token",
    ),
    Row("training:team", lambda w: "/training/team/", MANAGERS),
    Row("training:team_export", lambda w: "/training/team/export.csv", MANAGERS),
    Row("training:totals", lambda w: "/training/totals/", HR_ONLY),
    Row("training:totals", lambda w: "/training/totals/?year=2024", HR_ONLY, note=" past year"),
    Row("training:totals_export", lambda w: "/training/totals/export.csv", HR_ONLY),
    Row("training:manage", lambda w: "/training/manage/", COORD),
    Row("training:course_create", lambda w: "/training/manage/courses/new/", COORD),
    Row(
        "training:course_create",
        lambda w: "/training/manage/courses/new/",
        COORD,
        method="post",
        data=lambda w: {"title": ""},
        note=" invalid",
    ),
    Row("training:course_edit", lambda w: "/training/manage/courses/coshh/edit/", COORD),
    Row(
        "training:session_create",
        lambda w: "/training/manage/courses/coshh/sessions/new/",
        COORD,
    ),
    Row(
        "training:session_create",
        lambda w: "/training/manage/courses/coshh/sessions/new/",
        COORD,
        method="post",
        data=lambda w: {"capacity": "0"},
        note=" invalid",
    ),
    Row(
        "training:session_edit",
        lambda w: f"/training/manage/sessions/{w.tr_session.pk}/edit/",
        COORD,
    ),
    Row(
        "training:session_cancel",
        lambda w: f"/training/manage/sessions/{w.tr_session.pk}/cancel/",
        COORD,
    ),
]
