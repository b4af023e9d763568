"""manage.py demo_logins: print the demo logins that seed_demo creates, one line per role."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from technicians import demo


class Command(BaseCommand):
    help = "Print the demo logins (role, e-mail, password, URL) created by seed_demo."

    def handle(self, *args, **options):
        url = settings.SITE_URL.rstrip("/") + "/"
        existing = set(
            get_user_model()
            .objects.filter(email__in=[login.email for login in demo.DEMO_LOGINS])
            .values_list("email", flat=True)
        )
        self.stdout.write(f"Demo logins for {url} (the password is the same for every role):")
        width = max(len(login.role) for login in demo.DEMO_LOGINS)
        email_width = max(len(login.email) for login in demo.DEMO_LOGINS)
        for login in demo.DEMO_LOGINS:
            self.stdout.write(
                f"  {login.role:<{width}}  {login.email:<{email_width}}  "
                f"{demo.DEMO_PASSWORD}  {url}"
            )
        missing = [login.email for login in demo.DEMO_LOGINS if login.email not in existing]
        if missing:
            self.stderr.write(
                "Not in this database yet: " + ", ".join(missing) + ". Run manage.py seed_demo."
            )
