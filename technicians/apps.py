from django.apps import AppConfig


class TechniciansConfig(AppConfig):
    name = "technicians"
    verbose_name = "Technicians"
