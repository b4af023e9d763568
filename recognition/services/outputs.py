"""Fair attribution: outputs and each technician's contribution, with CRediT roles; ORCID
imports that the technician confirms."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from recognition import orcid as orcid_client
from recognition import permissions
from recognition.models import CREDIT_ROLE_CODES, Contribution, Output
from recognition.services._common import actor, required

NOT_KEEPER = "Only the technician, their line manager or HR can record their outputs."
NOT_OWNER = "Only the technician can confirm which works are theirs."
NO_ORCID = "The profile holds no ORCID iD: add it to the profile first."
NO_LINK = "Please give the output's DOI or a URL."


def clean_roles(roles) -> list[str]:
    roles = [str(role) for role in roles or []]
    unknown = [role for role in roles if role not in CREDIT_ROLE_CODES]
    if unknown:
        raise ValidationError({"roles": [f"Not a CRediT role: {', '.join(unknown)}."]})
    return [code for code in CREDIT_ROLE_CODES if code in roles]  # the standard order


def _output_for(
    *, title: str, kind: str, doi: str, url: str, year: int, journal: str = ""
) -> Output:
    doi = orcid_client.normalise_doi(doi)
    journal = (journal or "").strip()
    if doi:
        existing = Output.objects.filter(doi=doi).first()
        if existing is not None:
            if journal and not existing.journal:
                existing.journal = journal
                existing.save(update_fields=["journal"])
            return existing
    output = Output(title=title, kind=kind, doi=doi, url=url, year=year, journal=journal)
    output.full_clean()
    output.save()
    return output


@transaction.atomic
def record_output(
    *,
    by,
    technician,
    title: str,
    year: int,
    kind: str = Output.Kind.PAPER,
    doi: str = "",
    url: str = "",
    journal: str = "",
    roles=(),
    credit: str = Contribution.Credit.AUTHOR,
) -> Contribution:
    """Record an output with the technician's roles (an output with the same DOI is shared)."""
    if not permissions.can_keep_outputs_of(by, technician):
        raise PermissionDenied(NOT_KEEPER)
    title = required(title, "title", "Please give the output's title.")
    if not (doi or "").strip() and not (url or "").strip():
        raise ValidationError({"doi": [NO_LINK]})
    roles = clean_roles(roles)
    output = _output_for(
        title=title,
        kind=kind,
        doi=doi or "",
        url=(url or "").strip(),
        year=year,
        journal=journal,
    )
    contribution, _ = Contribution.objects.update_or_create(
        output=output,
        technician=technician,
        defaults={
            "roles": roles,
            "credit": credit,
            "confirmed": True,
            "recorded_by": actor(by),
        },
    )
    contribution.full_clean()
    return contribution


@transaction.atomic
def update_contribution(contribution: Contribution, *, by, roles, credit: str) -> Contribution:
    if not permissions.can_keep_outputs_of(by, contribution.technician):
        raise PermissionDenied(NOT_KEEPER)
    contribution.roles = clean_roles(roles)
    contribution.credit = credit
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def remove_contribution(contribution: Contribution, *, by) -> None:
    if not permissions.can_keep_outputs_of(by, contribution.technician):
        raise PermissionDenied(NOT_KEEPER)
    output = contribution.output
    contribution.delete()
    if not output.contributions.exists():
        output.delete()


@transaction.atomic
def import_orcid_works(technician, *, by, session=None) -> int:
    """Read the technician's works from ORCID; each new one waits for them to confirm it.
    A work is known (and skipped) by any of its versions' put codes or by its DOI, so a
    second import adds nothing. Returns how many new works wait. ORCID's refusal is a
    ValidationError sentence."""
    if not permissions.can_import_orcid_for(by, technician):
        raise PermissionDenied("Only HR or the technician can import works from ORCID.")
    if not technician.orcid:
        raise ValidationError(NO_ORCID, code="no_orcid")
    try:
        works = orcid_client.fetch_works(technician.orcid, session=session)
    except orcid_client.OrcidError as error:
        raise ValidationError(str(error), code="orcid") from None
    mine = Contribution.objects.filter(technician=technician)
    known_codes = set(mine.exclude(orcid_put_code="").values_list("orcid_put_code", flat=True))
    known_dois = set(mine.exclude(output__doi="").values_list("output__doi", flat=True))
    added = 0
    for work in works:
        codes = set(work.put_codes or (work.put_code,))
        if codes & known_codes or (work.doi and work.doi in known_dois):
            continue
        if work.year is None or not (work.doi or work.url):
            continue
        output = _output_for(
            title=work.title,
            kind=work.kind,
            doi=work.doi,
            url=work.url,
            year=work.year,
            journal=work.journal,
        )
        _, created = Contribution.objects.get_or_create(
            output=output,
            technician=technician,
            defaults={
                "confirmed": False,
                "source": "orcid",
                "orcid_put_code": work.put_code,
                "credit": Contribution.Credit.AUTHOR,
                "recorded_by": actor(by),
            },
        )
        added += int(created)
        known_codes |= codes
        if work.doi:
            known_dois.add(work.doi)
    return added


@transaction.atomic
def confirm_work(contribution: Contribution, *, by, mine: bool, roles=(), credit: str = "author"):
    """The technician says an imported work is theirs (with their roles), or not (it goes)."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if not permissions.can_confirm_works_of(by, contribution.technician):
        raise PermissionDenied(NOT_OWNER)
    if not mine:
        output = contribution.output
        contribution.delete()
        if not output.contributions.exists():
            output.delete()
        return None
    contribution.roles = clean_roles(roles)
    if not contribution.roles:
        raise ValidationError({"roles": ["Please choose at least one of your roles."]})
    contribution.credit = credit
    contribution.confirmed = True
    contribution.full_clean()
    contribution.save()
    return contribution
