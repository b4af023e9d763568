from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = "Recognition and development fund"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal import registry
        from recognition import (
            demo,
            directory,
            panels,
            permissions,
            public,
            reminders,
            report,
            versions,
        )

        versions.connect_signals()

        registry.register_checks(permissions.CHECKS)
        # Read with the signed-in user, for the dashboard's panels.
        from recognition.selectors import SITS_ON_A_PANEL

        registry.register_user_fact(SITS_ON_A_PANEL)
        registry.register_reminder("recognition.fund_reports", reminders.queue_report_reminders)
        for kind in reminders.REMINDER_KINDS:
            registry.register_reminder_kind(kind)
        registry.register_seeder("recognition", demo.seed_demo, order=45)
        for panel in panels.PANELS:
            registry.register_panel(panel)
        registry.register_report_section(report.FUND_SECTION)
        registry.register_report_section(report.OUTPUTS_SECTION)
        registry.register_directory_filter(directory.DIRECTORY_FILTER)
        registry.register_profile_block(directory.PROFILE_BLOCK)
        registry.register_public_block(public.PUBLIC_BLOCK)

        # A person's outputs and CRediT roles in their evidence pack for promotion (careers).
        from recognition.evidence_pack import EVIDENCE_PACK_SECTION

        registry.register_evidence_pack_section(EVIDENCE_PACK_SECTION)
