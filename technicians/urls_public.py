from django.urls import path

from technicians import views

app_name = "public"

urlpatterns = [
    path("", views.public_directory, name="index"),
]
