from django.apps import AppConfig


class ActionplanConfig(AppConfig):
    name = "actionplan"
    verbose_name = "Action plans"

    def ready(self) -> None:
        from actionplan import demo, permissions, personal_data, reminders, versions
        from portal import registry

        versions.connect_signals()
        registry.register_checks(permissions.CHECKS)
        from actionplan import report  # the annual report's section

        registry.register_report_section(report.SECTION)
        registry.register_reminder("actionplan.actions", reminders.queue_action_reminders)
        registry.register_seeder("actionplan", demo.seed_demo, order=20)
        registry.register_personal_data("actionplan", personal_data.collect)
        registry.register_anonymiser("actionplan", personal_data.anonymise)
        # People choose how they get it: at once, weekly digest, never.
        registry.register_reminder_kind(reminders.REMINDER)
        from actionplan import panels

        for panel in panels.PANELS:
            registry.register_panel(panel)
