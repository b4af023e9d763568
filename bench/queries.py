"""The pages of the harness, a logged-in session for each role, and each page's SQL queries.

    DATABASE_URL=postgres://… .venv/bin/python bench/queries.py > pages.json

Run by bench/run.py after seeding, under the production settings the portal is served with.
Prints JSON: every page (label, role, path, status, queries per request), the cookies of each
role (session and CSRF, as a browser holds them; the session is kept in the database, so
gunicorn accepts it), and the data size.
Each page is requested once to warm up, then once more with its queries counted, then three
times more: *build_ms* is the fastest of the three, in-process through the test client.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from actionplan.models import ActionPlan  # noqa: E402
from commitment.reports.selectors import current_year  # noqa: E402
from skills.models import Skill  # noqa: E402
from technicians.models import Technician  # noqa: E402
from training.models import Course  # noqa: E402

DOMAIN = "example.ac.uk"
ROLES = {
    "technician": f"technician@{DOMAIN}",
    "line manager": f"manager@{DOMAIN}",
    "steering group": f"steering@{DOMAIN}",
    "coordinator": f"coordinator@{DOMAIN}",
    "HR": f"hr@{DOMAIN}",
    "administrator": f"admin@{DOMAIN}",
}
# What production's proxy says (SECURE_SSL_REDIRECT would send plain HTTP to https://).
HEADERS = {"HTTP_X_FORWARDED_PROTO": "https"}


def search_word() -> str:
    """A skill many people hold, as a colleague would type it ("welding")."""
    welding = Skill.objects.filter(name__icontains="welding").order_by("name").first()
    if welding is not None:
        return "welding"
    skill = Skill.objects.annotate(holders=Count("technician_skills")).order_by("-holders").first()
    return skill.name.split()[0].lower() if skill else "microscopy"


def pages() -> list[tuple[str, str, str]]:
    """(label, role, path): the pages of issue 12, each as the role that uses it."""
    me = Technician.objects.get(email=ROLES["technician"])
    profile = (
        Technician.objects.filter(is_active=True, visibility=Technician.Visibility.INTERNAL)
        .exclude(pk=me.pk)
        .order_by("pk")
        .first()
    )
    course = Course.objects.order_by("pk").first()
    plan = (
        ActionPlan.objects.filter(status=ActionPlan.Status.PUBLISHED).order_by("-pk").first()
        or ActionPlan.objects.order_by("-pk").first()
    )
    listed = [(f"/ as {role}", role, "/") for role in ROLES]
    listed += [
        ("directory", "technician", "/technicians/"),
        (f"directory search ({search_word()})", "technician", f"/technicians/?q={search_word()}"),
        ("a profile", "technician", f"/technicians/{profile.pk}/"),
        ("my profile", "technician", "/technicians/me/"),
        ("meet our technicians", "anonymous", "/meet-our-technicians/"),
        ("training catalogue", "technician", "/training/"),
        ("a course", "technician", f"/training/courses/{course.slug}/"),
        ("my training", "technician", "/training/me/"),
        ("action plans", "steering group", "/action-plans/"),
        ("a published plan", "steering group", f"/action-plans/{plan.pk}/"),
        ("registration", "technician", "/registration/"),
        ("funding review", "HR", "/registration/review/"),
        ("skills matrix", "line manager", "/technicians/skills/"),
        ("HR figures", "HR", f"/reports/figures/{current_year()}/"),
    ]
    return listed


def timed(client: Client, path: str) -> float:
    started = time.perf_counter()
    client.get(path)
    return time.perf_counter() - started


def main() -> None:
    users = get_user_model().objects
    clients = {"anonymous": Client(**HEADERS)}
    cookies = {"anonymous": ""}
    for role, email in ROLES.items():
        client = Client(**HEADERS)
        client.force_login(users.get(email=email))
        clients[role] = client
        client.get("/")  # the CSRF cookie a browser holds after its first page
        cookies[role] = "; ".join(
            f"{name}={client.cookies[name].value}"
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
            if name in client.cookies
        )
    results = []
    for label, role, path in pages():
        client = clients[role]
        client.get(path)  # warm: templates compiled, connection open
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        results.append(
            {
                "label": label,
                "role": role,
                "path": path,
                "status": response.status_code,
                "queries": len(queries),
                "build_ms": 1000 * min(timed(client, path) for _ in range(3)),
            }
        )
    json.dump(
        {
            "technicians": Technician.objects.count(),
            "pages": results,
            "cookies": cookies,
        },
        sys.stdout,
        indent=1,
    )


if __name__ == "__main__":
    main()
