"""Permission matrix of professional registration.

`world.technician` (Alex) is the applicant; `world.manager` (Morgan) is Alex's line manager and
also a technician; HR and administrators decide. Applications are hidden (404) from staff who
are neither the applicant, their line manager nor HR; the wrong person for a step is refused
(403) before any form is read. POSTs are invalid or refused where they could change the world,
except where one persona's success is the point (its row says so); no budget is set, so an
approval is refused with a message (400).
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from tests.matrix import Row, everyone, staff

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def setup(world) -> None:
    from registration.models import (
        CPDEntry,
        FundingApplication,
        ProfessionalBody,
        Register,
        Registration,
    )
    from tests.registration.conftest import load_registers

    load_registers()
    rscitech = Register.objects.get(code="RSciTech")
    ist = ProfessionalBody.objects.get(short_name="IST")
    alex = world.technician_profile

    def application(status, **extra):
        return FundingApplication.objects.create(
            applicant=alex,
            register=rscitech,
            body=ist,
            application_fee=rscitech.application_fee,
            annual_fee=rscitech.annual_fee,
            amount_requested=rscitech.first_year_cost,
            justification="Checked by the permission matrix.",
            status=status,
            **extra,
        )

    world.reg_draft = application("draft")
    world.reg_submitted = application("submitted")
    world.reg_endorsed = application("endorsed", endorsed_by=world.manager)
    world.reg_approved = application("approved", decided_by=world.hr, financial_year=2026)
    world.reg_registered = application(
        "registered",
        decided_by=world.hr,
        financial_year=2026,
        proof_name="certificate.pdf",
        proof_content_type="application/pdf",
    )
    world.reg_registered.proof.save("proof.pdf", ContentFile(PDF), save=True)
    world.reg_registration = Registration.objects.create(
        technician=alex, register=rscitech, body=ist, status="active"
    )
    world.reg_cpd = CPDEntry.objects.create(
        technician=alex,
        date=datetime.date(2026, 5, 1),
        activity="Matrix webinar",
        hours=Decimal("1.0"),
        learning="Permissions.",
        evidence_name="notes.pdf",
        evidence_content_type="application/pdf",
    )
    world.reg_cpd.evidence.save("evidence.pdf", ContentFile(PDF), save=True)
    world.reg_manager_cpd = CPDEntry.objects.create(
        technician=world.manager_profile,
        date=datetime.date(2026, 5, 1),
        activity="Manager's entry",
        hours=Decimal("1.0"),
        learning="Deleting it.",
    )


def _app(attr, suffix=""):
    return lambda w: f"/registration/applications/{getattr(w, attr).pk}/{suffix}"


# Who may do what.
STAFF = staff(200)
KEEPS_RECORDS = staff(403, technician=200, manager=200)  # technicians on the staff list
APPLICANT_ONLY = staff(403, technician=200)
REVIEWERS = staff(403, manager=200, hr=200, admin=200)
HR = staff(403, hr=200, admin=200)
SEES_APPLICATION = staff(404, technician=200, manager=200, hr=200, admin=200)
OWN_OR_HR = staff(404, technician=200, hr=200, admin=200)

ROWS = [
    Row("registration:index", lambda w: "/registration/", STAFF),
    Row("registration:apply", lambda w: "/registration/apply/", KEEPS_RECORDS),
    Row(
        "registration:apply",
        lambda w: "/registration/apply/",
        KEEPS_RECORDS,
        method="post",
        data=lambda w: {"justification": ""},
        note=" invalid",
    ),
    Row("registration:review", lambda w: "/registration/review/", REVIEWERS),
    Row("registration:budget", lambda w: "/registration/budget/", HR),
    Row(
        "registration:budget",
        lambda w: "/registration/budget/",
        HR,
        method="post",
        data=lambda w: {"financial_year": "", "amount": "-1"},
        note=" invalid",
    ),
    Row("registration:summary", lambda w: "/registration/summary/", HR),
    Row("registration:fees", lambda w: "/registration/fees/", HR),
    Row(
        "registration:fees",
        lambda w: "/registration/fees/",
        HR,
        method="post",
        data=lambda w: {"register": "1", "r1-application_fee": "-5"},
        note=" invalid",
    ),
    Row("registration:import", lambda w: "/registration/import/", HR),
    Row(
        "registration:import",
        lambda w: "/registration/import/",
        HR,
        method="post",
        data=lambda w: {"action": "upload"},
        note=" no file",
    ),
    Row("registration:summary_csv", lambda w: "/registration/summary/by-register.csv", HR),
    Row(
        "registration:summary_csv",
        lambda w: "/registration/summary/nothing.csv",
        staff(403, hr=404, admin=404),
        note=" unknown table",
    ),
    Row("registration:application", _app("reg_submitted"), SEES_APPLICATION, note=" submitted"),
    Row("registration:application", _app("reg_draft"), SEES_APPLICATION, note=" draft"),
    Row("registration:application_edit", _app("reg_draft", "edit/"), APPLICANT_ONLY, note=" draft"),
    Row(
        "registration:application_edit",
        _app("reg_draft", "edit/"),
        APPLICANT_ONLY,
        method="post",
        data=lambda w: {"justification": ""},
        note=" draft, invalid",
    ),
    Row(
        "registration:application_edit",
        _app("reg_submitted", "edit/"),
        staff(403, technician=302),
        note=" submitted: the applicant is told it can no longer be edited",
    ),
    # Steps. Each row's only success is the persona whose step it is.
    Row(
        "registration:application_transition",
        _app("reg_draft", "submit/"),
        staff(404, technician=302, manager=403, hr=403, admin=403),
        method="post",
        note=" submit",
    ),
    Row(
        "registration:application_transition",
        _app("reg_submitted", "withdraw/"),
        staff(404, technician=302, manager=403, hr=403, admin=403),
        method="post",
        note=" withdraw",
    ),
    Row(
        "registration:application_transition",
        _app("reg_submitted", "endorse/"),
        staff(404, technician=403, manager=302, hr=403, admin=403),
        method="post",
        note=" endorse (HR only endorses for applicants without a line manager)",
    ),
    Row(
        "registration:application_transition",
        _app("reg_endorsed", "approve/"),
        staff(404, technician=403, manager=403, hr=400, admin=400),
        method="post",
        note=" approve, no budget set",
    ),
    Row(
        "registration:application_transition",
        _app("reg_endorsed", "reject/"),
        staff(404, technician=403, manager=403, hr=400, admin=400),
        method="post",
        data=lambda w: {"note": ""},
        note=" reject without a note",
    ),
    Row(
        "registration:application_transition",
        _app("reg_approved", "record/"),
        staff(404, technician=400, manager=403, hr=403, admin=403),
        method="post",
        note=" record without a file",
    ),
    Row(
        "registration:application_transition",
        _app("reg_registered", "pay/"),
        staff(404, technician=403, manager=403, hr=400, admin=400),
        method="post",
        data=lambda w: {"reference": ""},
        note=" pay without a reference",
    ),
    Row(
        "registration:application_transition",
        _app("reg_submitted", "approve/"),
        staff(404, technician=403, manager=403, hr=400, admin=400),
        method="post",
        note=" approve from the wrong state",
    ),
    Row(
        "registration:application_transition",
        _app("reg_submitted", "bogus/"),
        staff(404),
        method="post",
        note=" unknown step",
    ),
    Row(
        "registration:application_transition",
        _app("reg_submitted", "endorse/"),
        everyone(405),
        note=" GET",
    ),
    Row("registration:proof", _app("reg_registered", "proof/file/"), SEES_APPLICATION),
    Row(
        "registration:registration_create",
        lambda w: "/registration/registrations/new/",
        KEEPS_RECORDS,
    ),
    Row(
        "registration:registration_create",
        lambda w: "/registration/registrations/new/",
        KEEPS_RECORDS,
        method="post",
        note=" invalid",
    ),
    Row(
        "registration:registration_edit",
        lambda w: f"/registration/registrations/{w.reg_registration.pk}/",
        OWN_OR_HR,
    ),
    Row(
        "registration:registration_edit",
        lambda w: f"/registration/registrations/{w.reg_registration.pk}/",
        OWN_OR_HR,
        method="post",
        data=lambda w: {"register": ""},
        note=" invalid",
    ),
    Row("registration:cpd_create", lambda w: "/registration/cpd/new/", KEEPS_RECORDS),
    Row(
        "registration:cpd_create",
        lambda w: "/registration/cpd/new/",
        KEEPS_RECORDS,
        method="post",
        note=" invalid",
    ),
    Row(
        "registration:cpd_delete",
        lambda w: f"/registration/cpd/{w.reg_manager_cpd.pk}/delete/",
        staff(403, technician=404, manager=302),
        method="post",
        note=" the manager's own entry",
    ),
    Row(
        "registration:cpd_evidence",
        lambda w: f"/registration/cpd/{w.reg_cpd.pk}/evidence/",
        OWN_OR_HR,
    ),
    Row("registration:cpd_record", lambda w: "/registration/cpd/record.csv", KEEPS_RECORDS),
    Row(
        "registration:cpd_record",
        lambda w: "/registration/cpd/record.pdf?start=2026-01-01&end=2026-12-31",
        KEEPS_RECORDS,
        note=" PDF",
    ),
]
