"""The access log of personal data (UK GDPR): who looked at or took whose private data.

Apps call `record(kind, by=request.user, subject=technician, **detail)` when someone sees a
private thing of another person (a private profile, a funding application, CPD evidence) or
takes personal data away (an export, a subject-access zip). Looking at your own data is not
logged. HR reads one person's log with `events_about(subject_id)`.
"""

from __future__ import annotations

from typing import Any

from portal.models import AuditEvent

Kind = AuditEvent.Kind


def _label(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "the portal"
    return (getattr(user, "email", "") or getattr(user, "username", "") or str(user))[:254]


def record(
    kind: str,
    *,
    by: Any,
    subject: Any = None,
    subject_id: int | None = None,
    subject_label: str = "",
    **detail: Any,
) -> AuditEvent:
    """Log one event. `subject` is the person whose data it was (anything with `pk` and a
    name), or give `subject_id`/`subject_label`; `detail` is JSON-friendly."""
    if subject is not None:
        subject_id = subject.pk
        subject_label = subject_label or str(subject)
    actor = by if getattr(by, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor,
        actor_label=_label(by),
        subject_id=subject_id,
        subject_label=(subject_label or "")[:200],
        detail={key: value for key, value in detail.items() if value is not None},
    )


def record_unless_own(kind: str, *, by: Any, subject: Any, own_user_id: Any, **detail) -> None:
    """Log it unless the person is looking at their own data (`own_user_id`: the subject's
    account)."""
    if getattr(by, "pk", None) is not None and by.pk == own_user_id:
        return
    record(kind, by=by, subject=subject, **detail)


def events_about(subject_id: int, *, limit: int = 500) -> list[AuditEvent]:
    """One person's log, newest first, with who did it (one query)."""
    return list(
        AuditEvent.objects.filter(subject_id=subject_id)
        .select_related("actor")
        .order_by("-created", "-pk")[:limit]
    )
