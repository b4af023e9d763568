"""Reminders of professional registration, derived from the data by the periodic pass
(registered with `portal.registry.register_reminder` in RegistrationConfig.ready()).

- "registration_renewal_due": an active registration whose renewal falls within the next
  RENEWAL_WINDOW_DAYS days (today included), to the technician. The key holds the renewal date:
  the window fires once, the first time the pass sees it; a new renewal date reminds again.
- "funding_waiting": an application that has waited more than WAITING_WORKING_DAYS working
  days (England and Wales bank holidays excluded) for its next step, to whoever must act:
  the endorser (submitted), HR (endorsed: a decision; registered: a payment). Once per wait.
- "funding_no_proof": an application approved NO_PROOF_MONTHS months ago or more with no proof
  of registration yet, to the applicant (the Engineering Council asks for payment within three
  months of its decision). Once per approval.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date

from portal.periods import in_days, working_days_between
from portal.services import queue_notification
from registration.models import FundingApplication, Registration
from registration.services import endorsers, hr_users

RENEWAL_WINDOW_DAYS = 60
WAITING_WORKING_DAYS = 10
NO_PROOF_MONTHS = 3

S = FundingApplication.Status


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _day(day: datetime.date) -> str:
    return format_date(day, "l j F Y")


def months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def queue_renewal_reminders(today: datetime.date) -> int:
    last_day = today + datetime.timedelta(days=RENEWAL_WINDOW_DAYS)
    registrations = (
        Registration.objects.filter(
            status=Registration.Status.ACTIVE,
            renewal_due_on__gte=today,
            renewal_due_on__lte=last_day,
            technician__is_active=True,
        )
        .select_related("technician", "register", "body")
        .order_by("renewal_due_on", "pk")
    )
    queued = 0
    for registration in registrations:
        days = (registration.renewal_due_on - today).days
        when = in_days(days)
        subject = f"Your {registration.register.code} registration is due for renewal {when}"
        body = (
            f"Your registration as {registration.register.title} "
            f"({registration.register.post_nominal}) through {registration.body.name} is due "
            f"for renewal on {_day(registration.renewal_due_on)}, {when}.\n\n"
            "Renew it with the body (most ask for a CPD record: you can download yours from "
            f"the portal), then update the renewal date here:\n{_link('/registration/')}\n"
        )
        key = f"registration:{registration.pk}:renewal:{registration.renewal_due_on.isoformat()}"
        with transaction.atomic():
            if queue_notification(
                registration.technician,
                "registration_renewal_due",
                key,
                subject,
                body,
                reminder_kind="registration_renewal_due",
            ):
                queued += 1
    return queued


def _waiting_for(application: FundingApplication) -> tuple[list, str]:
    if application.status == S.SUBMITTED:
        return endorsers(application), "your endorsement"
    if application.status == S.ENDORSED:
        return hr_users(), "a decision"
    return hr_users(), "payment"


def has_waited_too_long(since: datetime.date, today: datetime.date) -> bool:
    return working_days_between(since, today) > WAITING_WORKING_DAYS


def queue_waiting_reminders(today: datetime.date) -> int:
    # More than 10 working days is at least 11 calendar days: a cheap first cut in the query.
    cutoff = datetime.datetime.combine(
        today - datetime.timedelta(days=WAITING_WORKING_DAYS), datetime.time.min
    )
    applications = (
        FundingApplication.objects.filter(
            status__in=(S.SUBMITTED, S.ENDORSED, S.REGISTERED),
            status_changed_at__lt=timezone.make_aware(cutoff),
        )
        .select_related("applicant__line_manager", "register", "body")
        .order_by("status_changed_at", "pk")
    )
    queued = 0
    for application in applications:
        since = timezone.localdate(application.status_changed_at)
        if not has_waited_too_long(since, today):
            continue
        recipients, what = _waiting_for(application)
        subject = (
            f"A registration funding application has waited over {WAITING_WORKING_DAYS} "
            f"working days for {what}"
        )
        body = (
            f"{application.applicant.full_name}'s application to register as "
            f"{application.register.code} (£{application.amount_requested}) has waited since "
            f"{_day(since)} for {what}.\n\n{_link(application.get_absolute_url())}\n"
        )
        key = f"funding:{application.pk}:waiting:{application.status}:{since.isoformat()}"
        with transaction.atomic():
            for recipient in recipients:
                if queue_notification(
                    recipient,
                    "funding_waiting",
                    key,
                    subject,
                    body,
                    reminder_kind="funding_waiting",
                ):
                    queued += 1
    return queued


def queue_no_proof_reminders(today: datetime.date) -> int:
    approved_by = months_before(today, NO_PROOF_MONTHS)
    applications = (
        FundingApplication.objects.filter(status=S.APPROVED, decided_at__isnull=False)
        .select_related("applicant", "register", "body")
        .order_by("decided_at", "pk")
    )
    queued = 0
    for application in applications:
        decided = timezone.localdate(application.decided_at)
        if decided > approved_by:
            continue
        subject = f"Upload your proof of {application.register.code} registration"
        body = (
            f"Your funding for {application.register.title} was approved on {_day(decided)}, "
            f"{NO_PROOF_MONTHS} months ago or more, and there is no proof of registration yet. "
            "Bodies ask for payment within three months of their decision: please upload your "
            f"proof so HR can pay.\n\n{_link(application.get_absolute_url())}\n"
        )
        key = f"funding:{application.pk}:no-proof:{decided.isoformat()}"
        with transaction.atomic():
            if queue_notification(
                application.applicant,
                "funding_no_proof",
                key,
                subject,
                body,
                reminder_kind="funding_no_proof",
            ):
                queued += 1
    return queued
