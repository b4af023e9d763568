import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import permissions

logger = logging.getLogger(__name__)


def home(request):
    """The dashboard, by role. Anonymous visitors are sent to the public page."""
    if not request.user.is_authenticated:
        return redirect("public:index")
    return render(request, "portal/home.html", {"me": permissions.technician_of(request.user)})


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


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
