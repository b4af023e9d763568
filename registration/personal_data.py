"""The registration app's part of a person's data (portal.personal_data): registrations, CPD
with its evidence, funding applications with their timeline and proof; retention removes the
CPD evidence and proofs, the learning notes and justifications, and membership numbers."""

from __future__ import annotations

from portal.personal_data import PersonalData, delete_files, files_of, plural, rows
from registration.models import CPDEntry, FundingApplication, FundingEvent, Registration


def collect(technician) -> PersonalData:
    cpd = CPDEntry.objects.filter(technician=technician).order_by("date", "pk")
    applications = FundingApplication.objects.filter(applicant=technician).order_by("pk")
    return PersonalData(
        description="your professional registrations, CPD record and funding applications",
        tables={
            "registrations": rows(
                Registration.objects.filter(technician=technician).order_by("pk"),
                "register__code",
                "body__name",
                "membership_number",
                "registered_on",
                "renewal_due_on",
                "status",
                "created",
            ),
            "cpd": rows(cpd, "date", "activity", "hours", "learning", "evidence_name", "created"),
            "funding_applications": rows(
                applications,
                "id",
                "register__code",
                "body__name",
                "application_fee",
                "annual_fee",
                "amount_requested",
                "justification",
                "status",
                "decision_note",
                "proof_name",
                "payment_reference",
                "financial_year",
                "created",
            ),
            "funding_timeline": rows(
                FundingEvent.objects.filter(application__applicant=technician).order_by(
                    "created", "pk"
                ),
                "application_id",
                "from_status",
                "to_status",
                "note",
                "created",
            ),
        },
        files=files_of(cpd, "evidence", "evidence_name")
        + files_of(applications, "proof", "proof_name"),
    )


def anonymise(technician, *, dry_run: bool) -> list[str]:
    cpd = CPDEntry.objects.filter(technician=technician)
    applications = FundingApplication.objects.filter(applicant=technician)
    files = delete_files(
        cpd, "evidence", dry_run=dry_run, clear=("evidence_name", "evidence_content_type")
    )
    files += delete_files(
        applications, "proof", dry_run=dry_run, clear=("proof_name", "proof_content_type")
    )
    notes = cpd.exclude(learning="").count() + applications.exclude(justification="").count()
    if not dry_run:
        cpd.update(learning="")
        applications.update(justification="")
        Registration.objects.filter(technician=technician).update(membership_number="")
    done = []
    if files:
        done.append(f"{plural(files, 'file')} deleted (CPD evidence, proofs of registration)")
    if notes:
        done.append(f"{plural(notes, 'learning note or justification')} removed")
    done.append("membership numbers removed")
    return done
