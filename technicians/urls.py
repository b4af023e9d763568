from django.urls import path

from technicians import views, views_privacy, views_staff_list

app_name = "technicians"

urlpatterns = [
    path("", views.directory, name="list"),
    path("me/", views.my_profile, name="me"),
    path("me/my-data.zip", views_privacy.my_data, name="my_data"),
    path("people/search/", views.people_search, name="people_search"),
    path("import/", views_staff_list.import_staff, name="import"),
    path("export.csv", views_staff_list.export_csv, name="export"),
    path("import/sample.csv", views_staff_list.sample_csv, name="import_sample"),
    path("departments/<slug:slug>/", views.department, name="department"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/data.zip", views_privacy.person_data, name="data"),
    path("<int:pk>/access-log/", views_privacy.access_log, name="access_log"),
    path("<int:pk>/photo/<str:size>/", views.photo, name="photo"),
]
