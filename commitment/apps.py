from django.apps import AppConfig


class CommitmentConfig(AppConfig):
    name = "commitment"
    verbose_name = "Commitment"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from commitment import permissions, tasks  # noqa: F401  (tasks: registers them)
        from commitment.reports import panels
        from portal import registry

        registry.register_checks(permissions.CHECKS)
        registry.register_panel(panels.PANEL)
