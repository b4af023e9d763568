from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "careers"
    verbose_name = "Careers"

    def ready(self) -> None:
        """Careers' checks, dashboard panels, mentoring reminders, report section, demo
        seeder, and its part of a person's data and of retention: all through the registry."""
        from careers import demo, panels, permissions, personal_data, reminders, report, versions
        from portal import registry

        versions.connect_signals()

        registry.register_checks(permissions.CHECKS)
        # Read with the signed-in user, for the dashboard's panels.
        from careers.selectors import IN_A_PAIR

        registry.register_user_fact(IN_A_PAIR)
        registry.register_report_section(report.SECTION)
        registry.register_reminder("careers.mentoring", reminders.queue_mentoring_reminders)
        for kind in reminders.REMINDER_KINDS:  # at once, weekly digest, never
            registry.register_reminder_kind(kind)
        registry.register_seeder("careers", demo.seed_demo, order=50)
        for panel in panels.PANELS:
            registry.register_panel(panel)
        registry.register_personal_data("careers", personal_data.collect)
        registry.register_anonymiser("careers", personal_data.anonymise)
