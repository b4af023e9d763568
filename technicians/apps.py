from django.apps import AppConfig


class TechniciansConfig(AppConfig):
    name = "technicians"
    verbose_name = "Technicians"

    def ready(self) -> None:
        from portal import registry
        from technicians import permissions, signals  # noqa: F401  (signals: linking on login)
        from technicians.demo import seed_demo

        registry.register_checks(permissions.CHECKS)
        registry.register_seeder("technicians", seed_demo, order=10)
