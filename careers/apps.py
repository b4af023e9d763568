from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "careers"
    verbose_name = "Careers"

    def ready(self) -> None:
        """Careers' checks, dashboard panels, mentoring reminders, report section and demo
        seeder: all through the registry."""
        from careers import demo, panels, permissions, reminders, report
        from portal import registry

        registry.register_checks(permissions.CHECKS)
        registry.register_report_section(report.SECTION)
        registry.register_reminder("careers.mentoring", reminders.queue_mentoring_reminders)
        registry.register_seeder("careers", demo.seed_demo, order=50)
        for panel in panels.PANELS:
            registry.register_panel(panel)
