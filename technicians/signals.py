from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import reverse
from django.utils.html import format_html

from technicians import search, services, versions
from technicians.models import Technician

search.connect_signals()  # the directory's stored search vector follows single-row saves
versions.connect_signals()  # the figures counted by unit follow who works where


@receiver(user_logged_in)
def link_technician_on_login(sender, request, user, **kwargs):
    was_linked = Technician.objects.filter(user=user).exists()
    linked = services.link_user_to_technician(user)
    if linked is not None and not was_linked and request is not None:
        # The first sign-in: say where to read how the portal uses their data.
        messages.info(
            request,
            format_html(
                'Welcome. The portal keeps some of your data: read <a href="{}">how it '
                "is used, for how long and who sees it</a>.",
                reverse("privacy"),
            ),
            fail_silently=True,
        )
