from django.apps import AppConfig


class CommitmentConfig(AppConfig):
    name = "commitment"
    verbose_name = "Commitment"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from commitment import demo, panels, permissions, reminders, tasks, versions  # noqa: F401
        from commitment.reports import panels as report_panels
        from portal import registry

        versions.connect_signals()
        registry.register_checks(permissions.CHECKS)
        registry.register_panel(report_panels.PANEL)
        registry.register_panel(panels.PANEL)
        registry.register_reminder("commitment.submissions", reminders.queue_submission_reminders)
        registry.register_reminder_kind(reminders.REMINDER)  # at once, weekly digest, never
        registry.register_seeder("commitment", demo.seed_demo, order=40)
        registry.register_seeder("commitment.figures", demo.seed_figures, order=95)
