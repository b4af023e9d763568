from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from portal import views

# The admin logs in through allauth, so its rate limits and SSO apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Technician Commitment Portal administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("technicians/", include("technicians.urls")),
    path("meet-our-technicians/", include("technicians.urls_public")),
    path("action-plans/", include("actionplan.urls")),
]

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
