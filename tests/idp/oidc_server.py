"""The test OpenID Connect provider: `python -m tests.idp.oidc_server PORT`.

Environment: IDP_DATABASE (a SQLite file), IDP_RSA_PRIVATE_KEY (PEM), IDP_USERS (JSON),
IDP_CLIENT_ID, IDP_CLIENT_SECRET and IDP_REDIRECT_URI (the portal's callback).
Its issuer is http://127.0.0.1:PORT/o, with discovery, JWKS, userinfo and a login page.
"""

import os
import sys

import django


def main(port: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.idp.oidc_settings"
    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    from tests.idp.serving import serve, users

    call_command("migrate", verbosity=0, interactive=False)
    User = get_user_model()
    for account in users():
        user, _ = User.objects.get_or_create(username=account["username"])
        user.email = account["email"]
        user.first_name = account.get("first_name", "")
        user.last_name = account.get("last_name", "")
        user.set_password(account["password"])
        user.save()
    Application.objects.update_or_create(
        client_id=os.environ["IDP_CLIENT_ID"],
        defaults={
            "name": "Technician Commitment Portal",
            "client_secret": os.environ["IDP_CLIENT_SECRET"],
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": os.environ["IDP_REDIRECT_URI"],
            "post_logout_redirect_uris": os.environ.get("IDP_POST_LOGOUT_REDIRECT_URI", ""),
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": False,  # a consent page, so the user can cancel
        },
    )
    serve(get_wsgi_application(), port)


if __name__ == "__main__":
    main(int(sys.argv[1]))
