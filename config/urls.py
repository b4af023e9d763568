from django.contrib import admin
from django.urls import include, path

from config import views
from portal import permissions
from portal import views as portal_views
from skills import urls as skills_urls
from technicians import urls as technicians_urls

# The admin logs in through allauth, so its rate limits and SSO apply there too; superusers
# and members of the Administrator group get in (not Django's is_staff flag), and HR, who see
# only the models whose admin grants them (the registers' fees).
admin.site.login = views.admin_login(admin.site.login)
admin.site.has_permission = lambda request: permissions.can_enter_admin_site(request.user)
admin.site.site_header = "Technician Commitment Portal administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    # Browsers ask for /favicon.ico whatever the page links: send them to the icon.
    path(
        "favicon.ico",
        views.favicon,
        name="favicon",
    ),
    # Before allauth's own: its e-mail management would let an account add any address.
    path("accounts/email/", views.account_email, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # A person's notification settings, linked from their profile (a kernel page: reminders
    # come from every app).
    path(
        "technicians/me/notifications/",
        portal_views.notification_settings,
        name="notification_settings",
    ),
    path("notifications/", include("portal.urls")),
    # The skills matrix keeps its addresses and names under /technicians/ (skills.urls).
    path(
        "technicians/",
        include(
            (skills_urls.urlpatterns + technicians_urls.urlpatterns, technicians_urls.app_name)
        ),
    ),
    path("meet-our-technicians/", include("technicians.urls_public")),
    path("action-plans/", include("actionplan.urls")),
    path("training/", include("training.urls")),
    path("registration/", include("registration.urls")),
    path("reports/", include("commitment.reports.urls")),
    path("voice/", include("voice.urls")),
    path("announcements/", include("announcements.urls")),
    path("commitment/", include("commitment.urls")),
    path("careers/", include("careers.urls")),
    path("recognition/", include("recognition.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
