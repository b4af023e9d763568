from django.apps import AppConfig


class TechniciansConfig(AppConfig):
    name = "technicians"
    verbose_name = "Technicians"

    def ready(self) -> None:
        from portal import registry
        from technicians import (
            panels,
            permissions,
            report,
            signals,  # noqa: F401  (linking a user to their profile at login)
        )
        from technicians.demo import seed_demo

        registry.register_checks(permissions.CHECKS)
        registry.register_nav("technician", permissions.technician_of)  # nav.technician
        registry.register_seeder("technicians", seed_demo, order=10)
        for section in report.SECTIONS:  # the annual report's sections
            registry.register_report_section(section)
        for panel in panels.PANELS:
            registry.register_panel(panel)
