"""Personas of DESIGN.md (Testing) and the switches that make missing services a failure in CI."""

import os
import shutil
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group

from portal import roles, versions
from tests import factories
from tests.celery_helpers import celery_config

PASSWORD = "correct-horse-battery-staple"
# CI sets this so that "PostgreSQL / Redis / browser not available" fails instead of skipping.
REQUIRE_SERVICES = os.environ.get("PORTAL_REQUIRE_SERVICES", "") == "1"
CHROMIUM = "/usr/bin/chromium"


def service_missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (PORTAL_REQUIRE_SERVICES=1: CI needs it)", pytrace=False)
    pytest.skip(reason)


def postgres_available() -> bool:
    from django.db import connections

    return connections["default"].vendor == "postgresql"


def redis_available() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False
    return True


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL, the test database commits without waiting for the disk
    (`synchronous_commit=off`): a crash could lose only the last commits of a database that
    is thrown away anyway, and the tests that commit (real workers, browsers, races) do so
    thousands of times. The worker processes those tests start commit as production does."""
    from django.db import connections

    for alias in connections:
        database = connections[alias].settings_dict
        if connections[alias].vendor == "postgresql":
            options = database.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and not postgres_available():
        service_missing("needs PostgreSQL: set DATABASE_URL=postgres://…")
    if item.get_closest_marker("redis") and not redis_available():
        service_missing("needs Redis: set REDIS_URL=redis://…")
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        service_missing(f"needs Debian's chromium at {CHROMIUM}")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # PBKDF2 costs about half a second per persona; tests need no strong hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def small_threshold(settings):
    """Every import file goes to the worker task (the tests' files stay small and fast)."""
    settings.PORTAL_IMPORT_BACKGROUND_BYTES = 1


@pytest.fixture(autouse=True)
def _fresh_shared_cache():
    """Figures computed once for every viewer (portal.versions) start afresh in each test: a
    test's rolled-back data must not meet the next test's copy."""
    versions.clear_copies()


@pytest.fixture(autouse=True)
def _celery_in_process():
    """Tasks run in-process even when REDIS_URL is set, so no test leaves messages in a broker
    that nothing consumes. tests/reliability runs a real worker and points Celery at it with
    `tests.celery_helpers.celery_config`, as do the tests of an unreachable broker."""
    with celery_config(task_always_eager=True):
        yield


def make_user(email: str, *group_names: str, superuser: bool = False):
    user = factories.UserFactory(
        email=email, username=email, is_superuser=superuser, is_staff=superuser
    )
    for name in group_names:
        # get_or_create: transactional tests flush the groups the data migration made.
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    # Login requires a verified address (ACCOUNT_EMAIL_VERIFICATION = "mandatory").
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@pytest.fixture
def department(db):
    return make_department()


def make_department():
    return factories.DepartmentFactory(
        name="Chemistry", slug="chemistry", faculty="Faculty of Science"
    )


@pytest.fixture
def personas(db, department):
    """Every persona of the permission matrix. `anonymous` is None."""
    return make_personas(department)


# The accounts of the personas: (attribute, e-mail, role group, superuser).
PERSONA_ACCOUNTS = (
    ("manager", "morgan.manager@example.ac.uk", roles.TECHNICIAN, False),
    ("technician", "alex.tech@example.ac.uk", roles.TECHNICIAN, False),
    ("steering", "sam.steering@example.ac.uk", roles.STEERING_GROUP, False),
    ("coordinator", "casey.coordinator@example.ac.uk", roles.TRAINING_COORDINATOR, False),
    ("hr", "harper.hr@example.ac.uk", roles.HR, False),
    ("admin", "ada.admin@example.ac.uk", None, True),
)


def make_personas(department) -> SimpleNamespace:
    """The personas of `personas`, for a fixture that makes them once for a whole module."""
    users = _persona_users()
    manager = factories.TechnicianFactory(
        user=users["manager"],
        email=users["manager"].email,
        first_name="Morgan",
        last_name="Manager",
        department=department,
    )
    technician = factories.TechnicianFactory(
        user=users["technician"],
        email=users["technician"].email,
        first_name="Alex",
        last_name="Tech",
        department=department,
        line_manager=manager,
    )
    return SimpleNamespace(
        anonymous=None, **users, technician_profile=technician, manager_profile=manager
    )


def _persona_users() -> dict:
    """The personas' accounts, as `make_user` makes them (a role group, a verified address),
    written in a few statements rather than one account at a time: 1,553 tests make them
    (24 ms against 54). Accounts already there are taken as they are, as `make_user` does."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    emails = [email for _, email, _, _ in PERSONA_ACCOUNTS]
    if get_user_model().objects.filter(username__in=emails).exists():
        return {
            name: make_user(email, *([group] if group else []), superuser=superuser)
            for name, email, group, superuser in PERSONA_ACCOUNTS
        }
    password = make_password(PASSWORD)
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            username=email,
            email=email,
            password=password,
            is_superuser=superuser,
            is_staff=superuser,
        )
        for _, email, _, superuser in PERSONA_ACCOUNTS
    )
    names = {group for _, _, group, _ in PERSONA_ACCOUNTS if group}
    # The data migration made the groups; a transactional test's flush removes them.
    groups = {group.name: group for group in Group.objects.filter(name__in=names)}
    for name in names - set(groups):
        groups[name] = Group.objects.create(name=name)
    memberships = get_user_model().groups.through
    memberships.objects.bulk_create(
        memberships(user_id=user.pk, group_id=groups[group].pk)
        for user, (_, _, group, _) in zip(users, PERSONA_ACCOUNTS, strict=True)
        if group
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    return {name: user for user, (name, *_) in zip(users, PERSONA_ACCOUNTS, strict=True)}


PERSONA_NAMES = ("anonymous", "technician", "manager", "steering", "coordinator", "hr", "admin")


@pytest.fixture
def login(client):
    """`login(user)` logs the test client in as that user (None: stay anonymous)."""

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="technicians.auth_backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def compiled(monkeypatch):
    """The models of the queries the ORM compiles from now until the test ends (a query
    compiled once, `portal.prepared`, adds nothing when it runs again)."""
    from django.db.models.sql.compiler import SQLCompiler

    models = []
    as_sql = SQLCompiler.as_sql

    def counted(compiler, *args, **kwargs):
        models.append(compiler.query.model)
        return as_sql(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    return models
