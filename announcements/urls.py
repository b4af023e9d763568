from django.urls import path

from announcements import views

app_name = "announcements"

urlpatterns = [
    path("", views.announcement_list, name="list"),
    path("new/", views.announcement_new, name="new"),
    path("<int:pk>/", views.announcement_detail, name="detail"),
]
