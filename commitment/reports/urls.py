from django.urls import path

from commitment.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/download/", views.download, name="download"),
    path("figures/<int:year>/", views.figures, name="figures"),
    path("figures/<int:year>/<slug:slug>.csv", views.figures_csv, name="csv"),
]
