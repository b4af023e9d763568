"""Run in a subprocess by test_auth.py, with SSO_* variables set: prints, as JSON, the
single sign-on providers the settings switched on, and the sign-in and password-reset pages.

`python -m tests.portal.sso_probe` from the project directory. Uses a throw-away in-memory
SQLite database so that it never touches the caller's."""

import json
import os

os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from allauth.socialaccount.adapter import get_adapter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main() -> None:
    from django.apps import apps

    setup_test_environment()
    # The tables straight from the models: the pages probed read no migration's data, and
    # running every migration was most of each probe's time.
    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    request = RequestFactory().get("/accounts/login/")
    providers = [
        {
            "id": provider.id,
            "provider_id": provider.app.provider_id,
            "name": provider.name,
            "login_url": provider.get_login_url(request),
            "trusts_email": get_adapter().is_email_verified(provider, "a.tech@example.ac.uk"),
        }
        for provider in get_adapter().list_providers(request)
    ]
    page = Client().get("/accounts/login/")
    print(
        json.dumps(
            {
                "installed_apps": [app for app in settings.INSTALLED_APPS if "providers" in app],
                "providers": providers,
                "login_status": page.status_code,
                "login_html": page.content.decode(),
                "reset_html": Client().get("/accounts/password/reset/").content.decode(),
                "settings": settings.SOCIALACCOUNT_PROVIDERS,
            }
        )
    )


if __name__ == "__main__":
    main()
