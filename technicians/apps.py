from django.apps import AppConfig


class TechniciansConfig(AppConfig):
    name = "technicians"
    verbose_name = "Technicians"

    def ready(self) -> None:
        from portal import registry
        from technicians import permissions, signals  # noqa: F401  (signals: linking on login)
        from technicians.demo import seed_demo

        registry.register_checks(permissions.CHECKS)
        from technicians import report  # the annual report's sections

        for section in report.SECTIONS:
            registry.register_report_section(section)
        registry.register_seeder("technicians", seed_demo, order=10)
        from technicians import panels

        for panel in panels.PANELS:
            registry.register_panel(panel)
        self._register_skills(registry)

    @staticmethod
    def _register_skills(registry) -> None:
        """The skills matrix: its checks, review reminder, demo seeder and dashboard panels."""
        from technicians import permissions, skills_demo, skills_panels, skills_reminders

        registry.register_checks(permissions.SKILL_CHECKS)
        registry.register_reminder(
            "technicians.skill_reviews", skills_reminders.queue_skill_review_reminders
        )
        registry.register_seeder("skills", skills_demo.seed_skills_demo, order=15)
        for panel in skills_panels.PANELS:
            registry.register_panel(panel)
