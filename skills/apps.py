from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = "Skills"

    def ready(self) -> None:
        """The skills matrix's checks, review reminder, demo seeder, dashboard panels and report
        section, and what it shows inside the directory (filters, search, profile block, the
        skills part of "my profile", leaver warnings): all through the registry."""
        from portal import registry
        from skills import (
            demo,
            directory,
            panels,
            permissions,
            personal_data,
            reminders,
            report,
            versions,
        )

        registry.register_checks(permissions.CHECKS)
        registry.register_reminder("skills.reviews", reminders.queue_skill_review_reminders)
        registry.register_reminder_kind(reminders.REMINDER)  # at once, weekly digest, never
        registry.register_seeder("skills", demo.seed_skills_demo, order=15)
        registry.register_report_section(report.SECTION)
        for panel in panels.PANELS:
            registry.register_panel(panel)
        directory.register_in_directory(registry)
        registry.register_personal_data("skills", personal_data.collect)
        registry.register_anonymiser("skills", personal_data.anonymise)
        versions.connect_signals()  # the skills at risk, cached under the skills' version
