from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = "Professional registration"

    def ready(self) -> None:
        from portal import registry
        from registration import (
            demo,
            directory,
            panels,
            permissions,
            personal_data,
            reminders,
            report,
            versions,
        )

        versions.connect_signals()
        registry.register_checks(permissions.CHECKS)
        registry.register_report_section(report.SECTION)  # the annual report's section
        registry.register_reminder("registration.renewals", reminders.queue_renewal_reminders)
        registry.register_reminder("registration.waiting", reminders.queue_waiting_reminders)
        registry.register_reminder("registration.no_proof", reminders.queue_no_proof_reminders)
        registry.register_seeder("registration", demo.seed_demo, order=40)
        registry.register_personal_data("registration", personal_data.collect)
        registry.register_anonymiser("registration", personal_data.anonymise)
        for kind in reminders.REMINDER_KINDS:  # people choose: at once, weekly digest, never
            registry.register_reminder_kind(kind)
        for panel in panels.PANELS:
            registry.register_panel(panel)
        # The directory's register filters and the post-nominals on its cards and profiles.
        directory.register_in_directory(registry)
