"""Data protection pages of the directory: a person's own data as one zip, HR's copy of
anyone's (a subject access request), and who looked at a person's private data (HR). Thin:
the zip is built by portal.personal_data from what every app contributes; each download is an
audit event (portal.audit)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal import audit, personal_data
from portal.decorators import permission_required
from technicians import permissions, selectors


def _zip_response(technician, *, by) -> HttpResponse:
    now = timezone.now()
    data = personal_data.build_zip(technician, now=now)
    audit.record(
        audit.Kind.DATA_DOWNLOADED,
        by=by,
        subject=technician,
        own=permissions.is_own_profile(by, technician),
        bytes=len(data),
    )
    response = HttpResponse(data, content_type="application/zip")
    stamp = timezone.localtime(now).strftime("%Y-%m-%d")
    response["Content-Disposition"] = (
        f'attachment; filename="my-data-{technician.staff_number}-{stamp}.zip"'
    )
    response["Cache-Control"] = "private, no-store"  # a person's data: never kept
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@permission_required(permissions.can_open_my_profile)
def my_data(request):
    """Everything the portal holds about me, as one zip (also for a leaver who can sign in)."""
    mine = permissions.technician_of(request.user)
    if mine is None:
        raise Http404("No profile is linked to this account.")
    return _zip_response(mine, by=request.user)


@require_GET
@permission_required(permissions.can_manage_staff_list)
def person_data(request, pk: int):
    """HR's copy of one person's data (to answer a subject access request)."""
    technician = selectors.technician_profile(pk)
    if technician is None:
        raise Http404("No such technician.")
    return _zip_response(technician, by=request.user)


@require_GET
@permission_required(permissions.can_manage_staff_list)
def access_log(request, pk: int):
    """Who looked at this person's private data, and who took a copy of it (HR)."""
    technician = selectors.technician_profile(pk)
    if technician is None:
        raise Http404("No such technician.")
    return render(
        request,
        "technicians/access_log.html",
        {"technician": technician, "events": audit.events_about(technician.pk)},
    )
