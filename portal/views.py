"""The kernel's own pages: a person's notification settings, and the one-click unsubscribe
(no sign-in: the signed token is the proof)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal import preferences, registry, services
from portal import unsubscribe as links
from portal.decorators import permission_required
from portal.permissions import is_staff_member


class NotificationSettingsForm(forms.Form):
    """One choice per registered kind of reminder: at once, weekly digest, never."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in registry.reminder_kinds():
            self.fields[kind.name] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.help,
                choices=preferences.CHOICES,
                initial=current.get(kind.name, preferences.AT_ONCE),
                widget=forms.RadioSelect,
            )


@permission_required(is_staff_member)
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """How I get each kind of reminder (my profile's notification settings)."""
    me = services.addressee_of(request.user)
    current = preferences.choices_for(me)
    form = NotificationSettingsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_notification_preferences(me, form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your notification settings have been saved.")
            return redirect("notification_settings")
    return render(
        request,
        "portal/notification_settings.html",
        {"form": form, "is_person": me is not None and me != request.user, "address": me.email},
    )


# One-click unsubscribe (RFC 8058): the mail client POSTs without a CSRF token or a session.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET: say what the link stops and ask to confirm; POST: stop it."""
    try:
        addressee, kind_name = links.read_token(token)
    except links.BadToken as error:
        return render(request, "portal/unsubscribe.html", {"error": str(error)}, status=400)
    kind = registry.reminder_kind(kind_name)
    context = {"label": kind.label if kind else kind_name, "address": addressee.email}
    if request.method == "POST":
        services.unsubscribe(token)
        return render(request, "portal/unsubscribe.html", {**context, "done": True})
    return render(request, "portal/unsubscribe.html", context)
