from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "voice"
    verbose_name = "Technician voice"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from commitment.hooks import register_self_assessment_voice
        from portal import registry
        from voice import demo, panels, permissions, report, selectors, services, versions

        versions.connect_signals()

        registry.register_checks(permissions.CHECKS)
        # The self-assessment's "Technician voice" in each pillar, from the period's surveys.
        register_self_assessment_voice(selectors.self_assessment_voice)
        registry.register_reminder("voice.surveys", services.queue_survey_reminders)
        registry.register_reminder_kind(
            registry.ReminderKind(
                services.REMINDER_KIND, "Surveys: reminders to answer a survey", order=80
            )
        )
        registry.register_report_section(report.SECTION)
        registry.register_seeder("voice", demo.seed_demo, order=70)
        for panel in panels.PANELS:
            registry.register_panel(panel)
