"""The training pages. Thin: rules from training.permissions, changes through
training.services, queries from training.selectors."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from portal import params, versions
from portal.csv_export import csv_response
from portal.decorators import deny_unless, permission_required
from portal.files import serve_private_file
from portal.forms import add_service_errors
from portal.imports.views import ImportPage
from portal.periods import academic_year_label, academic_year_of
from training import calendar, importing, permissions, selectors, services
from training.forms import (
    BookForForm,
    CatalogueFilter,
    CourseForm,
    DeclineForm,
    LogTrainingForm,
    SessionForm,
)
from training.models import Booking, Category, Course, Session, TrainingRecord
from training.versions import CATALOGUE


def _refused(request, error: ValidationError, target):
    messages.error(request, " ".join(error.messages))
    return redirect(target)


def _booking(pk: int) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related("session__course", "technician__line_manager"), pk=pk
    )


def _next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


# --- the catalogue ---------------------------------------------------------------------------


@permission_required(permissions.can_view_training)
def catalogue(request):
    form = CatalogueFilter(request.GET or None, providers=selectors.providers())
    filters = form.filters()
    if any(filters.values()):
        course_list = _course_list(selectors.catalogue(**filters))
    else:
        course_list = _kept_course_list(timezone.now())
    return render(
        request,
        "training/catalogue.html",
        {
            "form": form,
            "course_list": course_list,
            "is_coordinator": permissions.can_manage_catalogue(request.user),
            "is_manager": permissions.can_view_team_training(request.user),
            "is_hr": permissions.can_view_training_totals(request.user),
        },
    )


def _course_list(courses: list[Course]) -> str:
    """The catalogue's count and list of `courses`."""
    return render_to_string("training/_course_list.html", {"courses": courses})


def _kept_course_list(now: datetime.datetime) -> str:
    """The whole catalogue as it opens, the same for everyone: written once and kept under
    the catalogue's version (portal.versions), which every course, session and booking
    written moves on, and the start of the first session to come, which names the sessions
    still to come until it passes (`selectors.first_upcoming_start`)."""
    first = selectors.first_upcoming_start(now)
    return versions.cached(
        f"training.catalogue:{first.isoformat() if first else 'none-to-come'}",
        depends_on=(CATALOGUE,),
        compute=lambda: _course_list(selectors.catalogue(now=now)),
    )


@permission_required(permissions.can_view_training)
def course_detail(request, slug: str):
    course = get_object_or_404(Course, slug=slug)
    me = permissions.technician_of(request.user)
    page = selectors.course_page(course, me)
    return render(
        request,
        "training/course.html",
        {
            "page": page,
            "course": course,
            "me": me,
            "can_book_others": permissions.can_book_for_others(request.user),
            "is_coordinator": permissions.can_manage_catalogue(request.user),
            "can_register_interest": me is not None and permissions.can_log_training(request.user),
        },
    )


@permission_required(permissions.can_log_training)
@require_POST
def course_interest(request, slug: str):
    course = get_object_or_404(Course, slug=slug)
    me = permissions.technician_of(request.user)
    try:
        if request.POST.get("withdraw"):
            services.withdraw_interest(course, me, by=request.user)
            messages.success(request, "You will no longer be told when this course runs.")
        else:
            services.register_interest(course, me, by=request.user)
            messages.success(request, "We will tell you when a session of this course is added.")
    except ValidationError as error:
        return _refused(request, error, course)
    return redirect(course)


# --- booking ---------------------------------------------------------------------------------


@permission_required(permissions.can_view_training)
@require_http_methods(["GET", "POST"])
def book(request, pk: int):
    session = selectors.session_with_counts(pk)
    if session is None:
        raise Http404
    people = selectors.bookable_technicians(request.user)
    me = permissions.technician_of(request.user)
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        if not data.get("technician") and me is not None:
            data["technician"] = me.email  # no one chosen: book oneself
    form = BookForForm(
        data,
        technicians=people,
        anyone=permissions.can_manage_catalogue(request.user),
        initial={"technician": me},
    )
    if request.method == "POST" and form.is_valid():
        technician = form.cleaned_data["technician"]
        try:
            booking = services.book_session(session, technician, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _booked_message(booking, own=technician == me))
            return redirect("training:me" if technician == me else session.course)
    elif request.method == "POST" and not people.exists():
        raise PermissionDenied(services.NOT_YOURS_TO_BOOK)
    return render(
        request,
        "training/book.html",
        {
            "session": session,
            "form": form,
            "seats_left": max(session.capacity - session.taken, 0),
            "deadline": services.cancellation_deadline_of(session),
            "has_people": people.exists(),
            # Someone who can book only themself is not asked whom to book.
            "only_self": me is not None and not people.exclude(pk=me.pk).exists(),
        },
    )


def _booked_message(booking: Booking, *, own: bool) -> str:
    who = "You are" if own else f"{booking.technician.full_name} is"
    title = booking.session.course.title
    return {
        Booking.Status.CONFIRMED: f"{who} booked on {title}: the place is confirmed.",
        Booking.Status.WAITLISTED: f"{who} on the waiting list for {title}.",
        Booking.Status.REQUESTED: f"The booking on {title} is waiting for the line manager's "
        "approval.",
    }.get(booking.status, "Booking saved.")


@permission_required(permissions.can_view_training)
@require_http_methods(["GET", "POST"])
def cancel(request, pk: int):
    booking = _booking(pk)
    if not permissions.can_cancel_booking(request.user, booking):
        raise Http404  # someone else's booking: not even its existence
    if request.method == "POST":
        try:
            services.cancel_booking(booking, by=request.user)
        except ValidationError as error:
            return _refused(request, error, "training:me")
        booking.refresh_from_db()
        late = (
            " It was after the deadline, so it is recorded as late."
            if booking.cancelled_late
            else ""
        )
        messages.success(
            request, f"The booking on {booking.session.course.title} is cancelled.{late}"
        )
        return redirect(_next(request, "/training/me/"))
    return render(
        request,
        "training/cancel.html",
        {
            "booking": booking,
            "deadline": services.cancellation_deadline_of(booking.session),
            "late": services.is_late_cancellation(booking.session, timezone.now())
            and booking.status == Booking.Status.CONFIRMED,
        },
    )


@permission_required(permissions.can_view_training)
def approvals(request):
    deny_unless(
        request,
        permissions.can_view_team_training(request.user)
        or permissions.can_manage_catalogue(request.user),
    )
    me = permissions.technician_of(request.user)
    return render(
        request,
        "training/approvals.html",
        {"bookings": selectors.approvals_waiting(request.user, me), "form": DeclineForm()},
    )


@permission_required(permissions.can_view_training)
@require_POST
def approve(request, pk: int):
    booking = _booking(pk)
    deny_unless(request, permissions.can_decide_booking(request.user, booking))
    try:
        booking = services.approve_booking(booking, by=request.user)
    except ValidationError as error:
        return _refused(request, error, "training:approvals")
    messages.success(
        request,
        f"Approved: {booking.technician.full_name} is "
        f"{booking.get_status_display().lower()} for {booking.session.course.title}.",
    )
    return redirect("training:approvals")


@permission_required(permissions.can_view_training)
@require_http_methods(["GET", "POST"])
def decline(request, pk: int):
    booking = _booking(pk)
    deny_unless(request, permissions.can_decide_booking(request.user, booking))
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_booking(booking, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, error, "training:approvals")
            add_service_errors(form, error)
        else:
            messages.success(request, f"Declined; {booking.technician.full_name} is told why.")
            return redirect("training:approvals")
    return render(request, "training/decline.html", {"booking": booking, "form": form})


# --- attendance ------------------------------------------------------------------------------


@permission_required(permissions.can_manage_catalogue)
def session_register(request, pk: int):
    session = selectors.session_with_counts(pk)
    if session is None:
        raise Http404
    return render(
        request,
        "training/register.html",
        {
            "session": session,
            "groups": selectors.session_register(session),
            "started": timezone.now() >= session.starts_at,
            "print": request.GET.get("print") == "1",
        },
    )


@permission_required(permissions.can_manage_catalogue)
@require_POST
def attendance(request, pk: int):
    booking = _booking(pk)
    attended = request.POST.get("attended") == "1"
    try:
        services.mark_attendance(booking, attended=attended, by=request.user)
    except ValidationError as error:
        return _refused_to_register(request, error, booking)
    messages.success(
        request,
        f"{booking.technician.full_name}: {'attended' if attended else 'no-show'}.",
    )
    target = reverse("training:register", args=[booking.session_id])
    return redirect(f"{target}#booking-{booking.pk}")


def _refused_to_register(request, error, booking):
    messages.error(request, " ".join(error.messages))
    return redirect("training:register", pk=booking.session_id)


# --- calendar --------------------------------------------------------------------------------


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=calendar.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # staff-only: never kept by a proxy
    return response


@permission_required(permissions.can_view_training)
def session_ics(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    return _ics(calendar.session_file(session), f"{session.course.slug}-{session.pk}.ics")


def calendar_feed(request, token: str):
    """No login (calendar apps fetch it): the token is the secret, revoked by renewing it."""
    found = selectors.calendar_token(token)
    if found is None or not found.technician.is_active:
        raise Http404
    content = calendar.feed(found.technician, selectors.feed_bookings(found.technician))
    response = HttpResponse(content, content_type=calendar.CONTENT_TYPE)
    response["Cache-Control"] = "private, max-age=900"
    return response


@permission_required(permissions.can_log_training)
@require_POST
def renew_calendar(request):
    me = permissions.technician_of(request.user)
    services.regenerate_calendar_token(me, by=request.user)
    messages.success(
        request,
        "Your calendar feed has a new address: the old one no longer works. Subscribe again "
        "with the new one.",
    )
    return redirect("/training/me/#calendar")


# --- my training -----------------------------------------------------------------------------


@permission_required(permissions.can_view_training)
def me(request):
    technician = permissions.technician_of(request.user)
    if technician is None or not technician.is_active:
        return render(request, "training/no_profile.html")
    today = timezone.localdate()
    mine = selectors.my_training(technician, today)
    token = services.calendar_token_of(technician, by=request.user)
    feed_url = request.build_absolute_uri(f"/training/calendar/{token.token}.ics")
    return render(
        request,
        "training/me.html",
        {
            "me": technician,
            "mine": mine,
            "today": today,
            "year_label": academic_year_label(academic_year_of(today)),
            "last_year_label": academic_year_label(academic_year_of(today) - 1),
            "feed_url": feed_url,
            # Calendars subscribe (and keep refreshing) from a webcal:// link.
            "webcal_url": "webcal://" + feed_url.split("://", 1)[-1],
        },
    )


def _record_rows(records):
    for record in records:
        yield [
            record.date.isoformat(),
            record.get_category_display(),
            record.title,
            record.provider,
            record.days,
            "booked session" if record.booking_id else "logged",
            record.reflection,
        ]


@permission_required(permissions.can_log_training)
def me_export(request):
    me = permissions.technician_of(request.user)
    mine = selectors.my_training(me)
    return csv_response(
        "my-training.csv",
        ["date", "category", "title", "provider", "days", "source", "reflection"],
        _record_rows(mine.records),
    )


@permission_required(permissions.can_log_training)
@require_http_methods(["GET", "POST"])
def log_days(request):
    me = permissions.technician_of(request.user)
    form = LogTrainingForm(
        request.POST or None, request.FILES or None, initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.log_training(me, by=request.user, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your training days are logged.")
            return redirect("training:me")
    return render(request, "training/log.html", {"form": form})


def _record(request, pk: int) -> TrainingRecord:
    record = get_object_or_404(TrainingRecord.objects.select_related("technician"), pk=pk)
    if not permissions.can_view_record(request.user, record):
        raise Http404
    return record


@permission_required(permissions.can_view_training)
@require_POST
def record_delete(request, pk: int):
    record = _record(request, pk)
    services.delete_training_record(record, by=request.user)  # refused: 403 with the reason
    messages.success(request, f"Removed: {record.title}.")
    return redirect("training:me")


@permission_required(permissions.can_view_training)
def record_evidence(request, pk: int):
    record = _record(request, pk)
    return serve_private_file(
        record.evidence,
        content_type=record.evidence_content_type,
        filename=record.evidence_name or "evidence",
    )


# --- line managers and HR --------------------------------------------------------------------


@permission_required(permissions.can_view_team_training)
def team(request):
    me = permissions.technician_of(request.user)
    today = timezone.localdate()
    return render(
        request,
        "training/team.html",
        {
            "team": selectors.team_table(me, today),
            "approvals": selectors.approvals_waiting(request.user, me),
            "year_label": academic_year_label(academic_year_of(today)),
            "categories": Category.choices,
        },
    )


@permission_required(permissions.can_view_team_training)
def team_export(request):
    me = permissions.technician_of(request.user)
    rows = (
        [
            member.staff_number,
            member.full_name,
            member.fte,
            *[getattr(member, f"days_{value}") for value in Category.values],
            member.days_total,
            member.target,
            member.expected,
            "yes" if member.on_track else "no",
            member.no_shows,
            member.late_cancellations,
        ]
        for member in selectors.team_table(me)
    )
    return csv_response(
        "team-training.csv",
        [
            "staff_number",
            "name",
            "fte",
            *[f"days_{value}" for value in Category.values],
            "days_total",
            "target",
            "expected_by_now",
            "on_track",
            "no_shows_12_months",
            "late_cancellations_12_months",
        ],
        rows,
    )


# How many academic years back HR's totals go.
TOTALS_YEARS_BACK = 10


def _totals_year(request, current: int) -> int:
    """The `year` of the totals page and its export alike (portal.params): this academic year
    unless a year of the last ten is asked for; anything else falls back to this year."""
    return params.year(
        request,
        minimum=current - TOTALS_YEARS_BACK,
        maximum=current,
        default=current,
        fallback=True,
    )


@permission_required(permissions.can_view_training_totals)
def totals(request):
    today = timezone.localdate()
    current = academic_year_of(today)
    result = selectors.hr_totals(today, _totals_year(request, current))
    return render(
        request,
        "training/totals.html",
        {
            "totals": result,
            "year_label": academic_year_label(result.year),
            "years": [(y, academic_year_label(y)) for y in range(current, current - 4, -1)],
            "categories": Category.choices,
        },
    )


@permission_required(permissions.can_view_training_totals)
def totals_export(request):
    today = timezone.localdate()
    result = selectors.hr_totals(today, _totals_year(request, academic_year_of(today)))
    rows = []
    for level, units in (("faculty", result.faculties), ("department", result.departments)):
        for unit in units:
            rows.append(
                [
                    level,
                    unit.name,
                    unit.faculty,
                    unit.technicians,
                    *[unit.by_category[value] for value in Category.values],
                    unit.days,
                    unit.on_track,
                    unit.on_track_percent,
                ]
            )
    return csv_response(
        f"training-totals-{result.year}.csv",
        [
            "level",
            "name",
            "faculty",
            "technicians",
            *[f"days_{value}" for value in Category.values],
            "days_total",
            "on_track",
            "on_track_percent",
        ],
        rows,
    )


# --- training coordinators -------------------------------------------------------------------


@permission_required(permissions.can_manage_catalogue)
def manage(request):
    return render(request, "training/manage.html", selectors.coordinator_overview(timezone.now()))


@permission_required(permissions.can_manage_catalogue)
@require_http_methods(["GET", "POST"])
def course_create(request):
    return _course_form(request, None)


@permission_required(permissions.can_manage_catalogue)
@require_http_methods(["GET", "POST"])
def course_edit(request, slug: str):
    return _course_form(request, get_object_or_404(Course, slug=slug))


def _course_form(request, course: Course | None):
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_course(
                course if course is not None else None,
                by=request.user,
                **{name: form.cleaned_data[name] for name in services.COURSE_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved: {saved.title}.")
            return redirect(saved)
    return render(request, "training/course_form.html", {"form": form, "course": course})


@permission_required(permissions.can_manage_catalogue)
@require_http_methods(["GET", "POST"])
def session_create(request, slug: str):
    course = get_object_or_404(Course, slug=slug)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(course, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Session added; everyone who asked to be told is told.")
            return redirect(session.get_absolute_url())
    return render(
        request, "training/session_form.html", {"form": form, "course": course, "session": None}
    )


@permission_required(permissions.can_manage_catalogue)
@require_http_methods(["GET", "POST"])
def session_edit(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    original = Session.objects.get(pk=pk)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(original, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Session saved; anyone booked is sent the change.")
            return redirect(session.get_absolute_url())
    return render(
        request,
        "training/session_form.html",
        {"form": form, "course": session.course, "session": session},
    )


@permission_required(permissions.can_manage_catalogue)
@require_http_methods(["GET", "POST"])
def session_cancel(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    if request.method == "POST":
        try:
            services.cancel_session(session, by=request.user)
        except ValidationError as error:
            return _refused(request, error, session.course)
        messages.success(request, "The session is cancelled and everyone booked is told.")
        return redirect(session.course)
    return render(request, "training/session_cancel.html", {"session": session})


# --- importing training records --------------------------------------------------------------


class TrainingRecordImportPage(ImportPage):
    kind = importing.KIND
    template_name = "training/import.html"
    columns = importing.COLUMNS
    importer = importing
    url_name = "training:import"
    upload_help = "UTF-8 CSV with the columns below, at most 5 MB."

    def done_message(self, result) -> str:
        return (
            f"Imported training records: {len(result.new)} added, {len(result.already)} "
            "already recorded."
        )


@permission_required(permissions.can_import_training_records)
@require_http_methods(["GET", "POST"])
def records_import(request):
    return TrainingRecordImportPage(request).handle()
