import logging
from functools import wraps

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import dashboard, permissions
from technicians.permissions import is_staff_member, technician_of

logger = logging.getLogger(__name__)
refusals_logger = logging.getLogger("portal.refusals")


def home(request):
    """The dashboard: a greeting, then the panels the apps registered for this person
    (`portal.registry.panels_for`), what needs them first. Anonymous visitors go to the login
    page (which links to the public "Meet our technicians" page). Each panel's context runs a
    constant number of queries, so the page does whatever the data size."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    panels = []
    if is_staff_member(request.user):
        # Rendered by the page itself ({% panel %}): one request context for all of them.
        panels = dashboard.shown_panels(request)
    context = {"greeting_name": greeting_name(request.user), "panels": panels}
    return render(request, "portal/home.html", context)


def greeting_name(user) -> str:
    """The name the dashboard greets: the profile's first name, the account's, or the e-mail."""
    me = technician_of(user)
    if me is not None:
        return me.first_name
    return user.first_name or user.get_full_name() or user.email


def admin_login(login_view):
    """Wrap the admin's login view: the admin logs in through allauth (its rate limits and
    single sign-on apply there too); a logged-in user who is no administrator (superuser or
    Administrator group, `permissions.can_enter_admin_site`: administrators and HR) is refused."""

    @wraps(login_view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
            return redirect_to_login(next_url)
        if not permissions.can_enter_admin_site(request.user):
            raise PermissionDenied
        return login_view(request, *args, **kwargs)

    return wrapper


@login_required
@require_GET
def account_email(request):
    """Replaces allauth's e-mail management (/accounts/email/): addresses come from HR's staff
    list, so an account can neither add nor change one. Shows the address, says who changes it;
    a POST (adding, removing or making an address primary) is refused with 405."""
    return render(request, "account/email.html")


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "down" to a load balancer
        logger.exception("Health check: database unreachable")
        return "error"
    return "ok"


def _broker_status() -> str:
    if not settings.REDIS_URL:
        return "in-process"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        )
        client.ping()
    except Exception:
        logger.warning("Health check: broker unreachable", exc_info=True)
        return "error"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """Database and broker status for the load balancer. 503 only when the database is down:
    with the broker down the portal still serves pages (notifications wait in the outbox)."""
    database = _database_status()
    broker = _broker_status()
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database, "broker": broker}, status=status)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    # Services refuse with a sentence meant for the user ("Only members of the steering
    # group…"): show it when there is one.
    reason = str(exception) if exception is not None else ""
    # A refusal is routine: one line at INFO, no traceback (portal.logs drops Django's).
    user = getattr(request, "user", None)
    who = user.get_username() if user and user.is_authenticated else "anonymous"
    refusals_logger.info(
        "Refused %s %s for %s: %s", request.method, request.path, who, reason or "no reason given"
    )
    return render(request, "403.html", {"reason": reason}, status=403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: usually a form left open until the session ended."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@require_GET
def privacy(request):
    """The privacy notice (anyone): what the portal keeps, why, for how long, who sees it."""
    return render(
        request,
        "privacy.html",
        {
            "dpo_email": settings.PORTAL_DPO_EMAIL,
            "retention_years": settings.PORTAL_RETENTION_YEARS_AFTER_LEAVING,
        },
    )


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the icon."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("favicon.svg"))
