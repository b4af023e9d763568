"""Permission matrix of the annual reports: HR requests and lists them; HR and the steering
group download them and read the figures and CSVs; nobody else (403), anonymous visitors go
to the login page. A report not ready yet is not found (404) even for those who may read it.

The Commitment: its public page and the latest approved report are anyone's; the
self-assessment, peer review, highlights, approval and KPI export are the steering group's
and HR's (approval the steering chair's alone).
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.matrix import Row, everyone, staff

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def setup(world) -> None:
    from commitment.models import AnnualReport
    from portal.periods import academic_year_of

    world.report_year = academic_year_of(timezone.localdate())
    world.report_ready = AnnualReport.objects.create(
        year=world.report_year, version=1, requested_by=world.hr, status="ready", pages=1
    )
    world.report_ready.file.save("report.pdf", ContentFile(PDF), save=True)
    world.report_queued = AnnualReport.objects.create(
        year=world.report_year, version=2, requested_by=world.hr
    )
    setup_commitment(world)


HR = staff(403, hr=200, admin=200)
HR_REDIRECT = staff(403, hr=302, admin=302)  # refused with a message, back to the page
READERS = staff(403, hr=200, steering=200, admin=200)
READERS_NOT_READY = staff(403, hr=404, steering=404, admin=404)

ROWS = [
    Row("reports:list", lambda w: "/reports/", HR),
    Row(
        "reports:list",
        lambda w: "/reports/",
        HR_REDIRECT,
        method="post",
        data=lambda w: {"year": "2999"},
        note=" a year not started",
    ),
    Row("reports:download", lambda w: f"/reports/{w.report_ready.pk}/download/", READERS),
    Row(
        "reports:download",
        lambda w: f"/reports/{w.report_queued.pk}/download/",
        READERS_NOT_READY,
        note=" not ready",
    ),
    Row("reports:figures", lambda w: f"/reports/figures/{w.report_year}/", READERS),
    Row("reports:csv", lambda w: f"/reports/figures/{w.report_year}/summary.csv", READERS),
]


# --- the Commitment: public page, self-assessment, peer review, report admin ---------------
# Managers are the steering group and HR (administrators too). A POST a service refuses
# (frozen, wrong state, empty form) goes back to the page with a message: 302.


def setup_commitment(world) -> None:
    import datetime

    from commitment.models import Commitment, Submission

    world.commitment = Commitment.objects.create(
        signed_on=datetime.date(2023, 6, 1),
        announced_on=datetime.date(2023, 7, 1),
        lead=world.steering,
        chair=world.steering,
        contact_email="tc@example.ac.uk",
    )
    world.frozen = Submission.objects.create(
        commitment=world.commitment,
        stage=1,
        due_on=datetime.date(2024, 7, 31),
        status="submitted",
        submitted_on=datetime.date(2024, 7, 20),
    )
    world.drafting = Submission.objects.create(
        commitment=world.commitment, stage=2, due_on=datetime.date(2027, 7, 31), status="drafting"
    )
    world.advice = world.frozen.advice.create(pillar="visibility", text="Publish case studies.")
    from commitment.models import AnnualReport

    world.report_approved = AnnualReport.objects.create(
        year=world.report_year - 1,
        version=1,
        status="ready",
        pages=1,
        approved_by=world.steering,
        approved_at=timezone.now(),
    )
    world.report_approved.file.save("approved.pdf", ContentFile(PDF), save=True)


MANAGERS = staff(403, steering=200, hr=200, admin=200)
MANAGERS_REFUSED = staff(403, steering=302, hr=302, admin=302)
MANAGERS_NOT_FOUND = staff(403, steering=404, hr=404, admin=404)
SA = "/commitment/self-assessment"


def _post(name, path, expect=MANAGERS_REFUSED, data=lambda w: {}, note=""):
    return Row(name, path, expect, method="post", data=data, note=note)


ROWS += [
    Row("commitment:public", lambda w: "/commitment/", everyone(200)),
    Row(
        "commitment:public_report",
        lambda w: f"/commitment/annual-report/{w.report_approved.pk}.pdf",
        everyone(200),
    ),
    Row(
        "commitment:public_report",
        lambda w: f"/commitment/annual-report/{w.report_ready.pk}.pdf",
        everyone(404),
        note=" not approved",
    ),
    Row("commitment:self_assessments", lambda w: f"{SA}/", MANAGERS),
    Row("commitment:edit", lambda w: f"{SA}/commitment/", MANAGERS),
    _post("commitment:edit", lambda w: f"{SA}/commitment/", MANAGERS, note=" empty form"),
    Row("commitment:submission", lambda w: f"{SA}/{w.drafting.pk}/", MANAGERS),
    Row("commitment:submission", lambda w: f"{SA}/{w.frozen.pk}/", MANAGERS, note=" frozen"),
    _post("commitment:start", lambda w: f"{SA}/{w.drafting.pk}/start/"),
    _post("commitment:extend", lambda w: f"{SA}/{w.frozen.pk}/extend/"),
    _post("commitment:submit", lambda w: f"{SA}/{w.frozen.pk}/submit/"),
    _post("commitment:reviewed", lambda w: f"{SA}/{w.drafting.pk}/reviewed/"),
    _post("commitment:save_pillar", lambda w: f"{SA}/{w.frozen.pk}/pillars/visibility/"),
    _post("commitment:strengths", lambda w: f"{SA}/{w.drafting.pk}/strengths/visibility/"),
    _post("commitment:add_advice", lambda w: f"{SA}/{w.frozen.pk}/advice/"),
    _post(
        "commitment:advice_action",
        lambda w: f"{SA}/{w.frozen.pk}/advice/{w.advice.pk}/action/",
    ),
    Row("commitment:export_pdf", lambda w: f"{SA}/{w.drafting.pk}/export.pdf", MANAGERS),
    Row("commitment:export_docx", lambda w: f"{SA}/{w.frozen.pk}/export.docx", MANAGERS),
    Row("commitment:reports", lambda w: "/commitment/reports/", MANAGERS),
    _post("commitment:add_highlight", lambda w: "/commitment/reports/highlights/"),
    _post(
        "commitment:delete_highlight",
        lambda w: "/commitment/reports/highlights/999999/delete/",
        MANAGERS_NOT_FOUND,
    ),
    # Only the steering chair approves (HR and administrators are refused); a report that is
    # not ready is refused with a message.
    _post(
        "commitment:approve",
        lambda w: f"/commitment/reports/{w.report_queued.pk}/approve/",
        staff(403, steering=302),
    ),
    Row("commitment:kpis_csv", lambda w: "/commitment/reports/kpis.csv", MANAGERS),
    Row("commitment:kpis_json", lambda w: "/commitment/reports/kpis.json", MANAGERS),
]
