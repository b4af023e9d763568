"""The mixed load's viewers and requests: many people, every role, random main pages.

    DATABASE_URL=postgres://… .venv/bin/python bench/mixed.py --viewers 200 > mixed.json

Run by bench/run.py after seeding. Gives an account to `--viewers` technicians of the seeded
staff list (through the portal's own linking service, as a first sign-in does), spread over
every role: most are technicians, some manage a team, and a few sit on the steering group, the
training coordinators, HR and the administrators. Each gets a signed-in session (kept in the
database, as gunicorn reads it). Then draws `--requests` random (viewer, page) pairs: a random
viewer, and a random page among the main pages that viewer's role uses, with the profile,
course and plan drawn at random too. Prints JSON: the pairs (cookie and path) and how many
viewers hold each role. bench/mixed.lua sends them in a random order.
"""

import argparse
import json
import os
import random
import sys
from pathlib import Path
from urllib.parse import quote_plus

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.test import Client  # noqa: E402

from actionplan.models import ActionPlan  # noqa: E402
from commitment.reports.selectors import current_year  # noqa: E402
from portal import roles  # noqa: E402
from technicians.models import Technician  # noqa: E402
from technicians.services import link_user_to_technician  # noqa: E402
from training.models import Course  # noqa: E402

HEADERS = {"HTTP_X_FORWARDED_PROTO": "https"}
SEARCH_WORDS = ("welding", "microscopy", "glass", "safety", "mass spectrometry", "cnc")
# The share of viewers in each role (the rest are technicians): as a university's portal sees.
ROLE_SHARES = {
    "line manager": 0.10,
    roles.STEERING_GROUP: 0.04,
    roles.TRAINING_COORDINATOR: 0.03,
    roles.HR: 0.03,
    roles.ADMINISTRATOR: 0.02,
}


def technician_pages(rng: random.Random, ids: dict) -> list[str]:
    return [
        "/",
        "/technicians/",
        f"/technicians/?q={quote_plus(rng.choice(SEARCH_WORDS))}",  # as a browser sends it
        f"/technicians/{rng.choice(ids['profiles'])}/",
        "/technicians/me/",
        "/meet-our-technicians/",
        "/training/",
        f"/training/courses/{rng.choice(ids['courses'])}/",
        "/training/me/",
        "/registration/",
        "/action-plans/",
        f"/action-plans/{rng.choice(ids['plans'])}/",
    ]


def pages_for(role: str, rng: random.Random, ids: dict) -> list[str]:
    pages = technician_pages(rng, ids)
    if role != "technician":
        pages.append("/technicians/skills/")  # the matrix of the person's team or units
    if role in (roles.HR, roles.ADMINISTRATOR):
        pages += [f"/reports/figures/{ids['year']}/", "/registration/review/"]
    if role == roles.STEERING_GROUP:
        pages.append(f"/reports/figures/{ids['year']}/")
    return pages


def give_accounts(count: int, rng: random.Random) -> list[tuple[str, object]]:
    """(role, user) for `count` technicians, linked through the first-sign-in service."""
    users = get_user_model().objects
    managers = list(
        Technician.objects.filter(is_active=True, reports__is_active=True)
        .distinct()
        .values_list("pk", flat=True)
    )
    candidates = list(
        Technician.objects.filter(is_active=True, user__isnull=True).values_list("pk", flat=True)
    )
    rng.shuffle(candidates)
    wanted = {role: max(1, round(count * share)) for role, share in ROLE_SHARES.items()}
    managers = [pk for pk in managers if pk in set(candidates)][: wanted.pop("line manager")]
    rest = [pk for pk in candidates if pk not in set(managers)]
    chosen = [("line manager", pk) for pk in managers]
    for role, number in wanted.items():
        chosen += [(role, rest.pop()) for _ in range(number)]
    chosen += [("technician", rest.pop()) for _ in range(count - len(chosen))]
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_SHARES}
    viewers = []
    for role, pk in chosen:
        technician = Technician.objects.get(pk=pk)
        user = users.create_user(username=f"bench-{pk}", email=technician.email, password=None)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        link_user_to_technician(user)
        if role in groups:
            user.groups.add(groups[role])
        viewers.append((role, user))
    return viewers


def signed_in_cookie(user) -> str:
    client = Client(**HEADERS)
    client.force_login(user)
    client.get("/")  # the CSRF cookie a browser holds after its first page
    return "; ".join(
        f"{name}={client.cookies[name].value}"
        for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        if name in client.cookies
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=12)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    # Bench accounts of an earlier run on a kept database are reused.
    existing = list(get_user_model().objects.filter(username__startswith="bench-").order_by("pk"))[
        : options.viewers
    ]
    viewers = [(_role_of(user), user) for user in existing]
    if len(viewers) < options.viewers:
        viewers += give_accounts(options.viewers - len(viewers), rng)
    ids = {
        "profiles": list(
            Technician.objects.filter(is_active=True, visibility=Technician.Visibility.INTERNAL)
            .order_by("?")
            .values_list("pk", flat=True)[:500]
        ),
        "courses": list(Course.objects.values_list("slug", flat=True)),
        "plans": list(
            ActionPlan.objects.filter(status=ActionPlan.Status.PUBLISHED).values_list(
                "pk", flat=True
            )
        )
        or list(ActionPlan.objects.values_list("pk", flat=True)),
        "year": current_year(),
    }
    cookies = [(role, signed_in_cookie(user)) for role, user in viewers]
    requests = []
    for _ in range(options.requests):
        role, cookie = rng.choice(cookies)
        requests.append({"cookie": cookie, "path": rng.choice(pages_for(role, rng, ids))})
    counts: dict[str, int] = {}
    for role, _cookie in cookies:
        counts[role] = counts.get(role, 0) + 1
    json.dump({"viewers": counts, "requests": requests}, sys.stdout)


def _role_of(user) -> str:
    """The role `give_accounts` gave a bench account, from the group it joined it to: an
    account given the technician's role may manage a team too, as at its first run (judging by
    the team would turn a fifth of them into line managers when a kept database is reused)."""
    names = set(user.groups.values_list("name", flat=True))
    for role in ROLE_SHARES:
        if role in names:
            return role
    return "technician"


if __name__ == "__main__":
    main()
