"""Real-browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

import pytest

from tests.conftest import CHROMIUM, PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="package", autouse=True)
def allow_orm_beside_playwright(django_db_setup):
    """Playwright's sync API runs an event loop in this thread, so Django takes every ORM call
    here for one made from async code. These calls are synchronous and safe: allow them in the
    browser tests only (package scope: from before the first test's database setup until after
    the last one's teardown), never for the whole suite. The test database is created first,
    before Playwright starts its loop."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


# Playwright's loop must stop when the browser tests end, not when the session does: while it
# runs, every later test's database teardown would be taken for async code. So its fixtures
# (session-scoped in pytest-playwright) live for this package only, inside the fixture above.
@pytest.fixture(scope="package")
def playwright(_pw_api_request_contexts):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    if _pw_api_request_contexts:
        _pw_api_request_contexts.instrument(pw)
    yield pw
    pw.stop()


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def launch_browser(browser_type_launch_args, browser_type):
    return lambda **kwargs: browser_type.launch(**{**browser_type_launch_args, **kwargs})


@pytest.fixture(scope="package")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def browser_context_args(base_url):
    return {"base_url": base_url} if base_url else {}


DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def fresh_rate_limits(request, django_db_blocker):
    """Every browser test signs in from 127.0.0.1: start each with allauth's rate limits (kept
    in the database cache, which no test's flush empties) at zero. Only for a test that uses
    the test database: one that runs a portal of its own (single sign-on) has none, and a
    module of those run alone must not touch the real database."""
    if not DATABASE_FIXTURES & set(request.fixturenames):
        return
    from django.core.cache import cache

    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture
def log_in(page, live_server):
    """`log_in(user)`: logs in through the real login form."""

    def _log_in(user):
        # Whoever was signed in before is signed out: the sign-in page redirects a session.
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _log_in


def assert_no_serious_accessibility_violations(page) -> None:
    """axe-core scan of the current page: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in {"serious", "critical"}
    ]
    assert not serious, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in serious
    )
