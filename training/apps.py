from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from portal import registry
        from training import (
            demo,
            panels,
            permissions,
            personal_data,
            reminders,
            report,
            services,
            versions,
        )

        versions.connect_signals()

        registry.register_checks(permissions.CHECKS)
        registry.register_report_section(report.SECTION)  # the annual report's section
        registry.register_reminder("training.sessions", reminders.queue_session_reminders)
        registry.register_reminder("training.approvals", reminders.queue_approval_reminders)
        registry.register_seeder("training", demo.seed_demo, order=30)
        for kind in reminders.REMINDER_KINDS:  # people choose: at once, weekly digest, never
            registry.register_reminder_kind(kind)
        # Booking e-mails carry the session's calendar invitation or cancellation.
        registry.register_attachments("training", services.notification_attachments)
        registry.register_personal_data("training", personal_data.collect)
        registry.register_anonymiser("training", personal_data.anonymise)
        for panel in panels.PANELS:
            registry.register_panel(panel)
