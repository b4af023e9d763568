from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from portal import permissions, registry, tasks  # noqa: F401  (tasks: registers them)
        from portal.forms import use_listed_model_choices

        use_listed_model_choices()

        registry.register_checks(permissions.CHECKS)
        # The shell's own panel (the kernel registers no app's).
        registry.register_panel(
            registry.Panel(
                name="portal.admin",
                template="portal/panels/admin.html",
                applies=permissions.can_use_admin,
                order=220,
            )
        )
