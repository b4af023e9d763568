from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from announcements import permissions, selectors, services
from announcements.forms import AnnouncementForm
from portal.decorators import permission_required


@permission_required(permissions.can_read_announcements)
@require_GET
def announcement_list(request):
    """Past announcements, newest first."""
    page = Paginator(selectors.announcements(), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "announcements/list.html",
        {"page": page, "can_write": permissions.can_write_announcement(request.user)},
    )


@permission_required(permissions.can_read_announcements)
@require_GET
def announcement_detail(request, pk: int):
    announcement = get_object_or_404(selectors.announcements(), pk=pk)
    return render(request, "announcements/detail.html", {"announcement": announcement})


@permission_required(
    permissions.can_write_announcement,
    reason="Only the steering group and HR can write announcements.",
)
@require_http_methods(["GET", "POST"])
def announcement_new(request):
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.publish_announcement(
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                faculties=form.cleaned_data["faculties"],
                departments=form.cleaned_data["departments"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your announcement is on its way.")
            return redirect(announcement)
    return render(request, "announcements/new.html", {"form": form})
