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
        registry.register_reminder_kind(skills_reminders.REMINDER)  # at once, digest, never
        for panel in skills_panels.PANELS:
            registry.register_panel(panel)
