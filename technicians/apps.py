from django.apps import AppConfig


class TechniciansConfig(AppConfig):
    name = "technicians"
    verbose_name = "Technicians"

    def ready(self) -> None:
        from portal import registry
        from technicians import (
            panels,
            permissions,
            personal_data,
            report,
            signals,  # noqa: F401  (linking a user to their profile at login)
        )
        from technicians.demo import seed_demo

        registry.register_checks(permissions.CHECKS)
        registry.register_nav("technician", permissions.technician_of)  # nav.technician
        registry.register_seeder("technicians", seed_demo, order=10)
        # The profile in a person's data zip; retention anonymises it last (order 900), after
        # the other apps have read the name they drop from their own rows.
        registry.register_personal_data("technicians", personal_data.collect)
        registry.register_anonymiser("technicians", personal_data.anonymise, order=900)
        for section in report.SECTIONS:  # the annual report's sections
            registry.register_report_section(section)
        for panel in panels.PANELS:
            registry.register_panel(panel)
