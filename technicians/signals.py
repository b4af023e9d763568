from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from technicians import search, services

search.connect_signals()  # the directory's stored search vector follows single-row saves


@receiver(user_logged_in)
def link_technician_on_login(sender, request, user, **kwargs):
    services.link_user_to_technician(user)
