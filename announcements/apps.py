from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    name = "announcements"
    verbose_name = "Announcements"

    def ready(self) -> None:
        from announcements import demo, panels, permissions, services, tasks, versions  # noqa: F401
        from portal import registry

        versions.connect_signals()

        registry.register_checks(permissions.CHECKS)
        # People choose how they get announcements: at once, weekly digest, never.
        registry.register_reminder_kind(services.REMINDER)
        # The periodic pass picks up announcements whose queueing stopped half way.
        registry.register_reminder("announcements.resume", services.resume_unfinished)
        registry.register_seeder("announcements", demo.seed_demo, order=60)
        registry.register_panel(panels.PANEL)
