"""The kernel knows no app: every module of `portal/` imports no app (the project shell,
`config/`, may import every one), and each app plugs itself in through `portal.registry` from
its `AppConfig.ready()`. Apps depend on each other one way only: no cycle among them."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from portal import registry

PORTAL = Path(settings.BASE_DIR) / "portal"


def our_apps() -> set[str]:
    base = Path(settings.BASE_DIR).resolve()
    return {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base and config.name != "portal"
    }


def kernel_modules() -> list[Path]:
    return sorted(path for path in PORTAL.rglob("*.py") if "migrations" not in path.parts)


def imported_packages(path: Path) -> set[str]:
    """Top-level packages a module imports, at module level or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def app_modules(app: str) -> list[Path]:
    root = Path(settings.BASE_DIR) / app
    return sorted(path for path in root.rglob("*.py") if "migrations" not in path.parts)


def app_graph() -> dict[str, set[str]]:
    """Which of our apps each app imports (module level or inside functions; migrations left
    out, as their dependencies are Django's, not code)."""
    ours = our_apps()
    return {
        app: {
            imported
            for path in app_modules(app)
            for imported in imported_packages(path) & ours
            if imported != app
        }
        for app in ours
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of `graph` as [a, b, ..., a], or [] when there is none."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return path[path.index(target) :] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        state[node] = "done"
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def test_the_apps_are_found():
    assert {"technicians", "skills", "actionplan", "training", "registration"} <= our_apps()


def test_no_cycle_among_our_apps():
    cycle = find_cycle(app_graph())
    assert not cycle, f"Apps import each other in a cycle: {' -> '.join(cycle)}"


def test_the_directory_imports_neither_skills_nor_registration():
    """They appear in the directory through the registry (filters, search, cards, profile
    blocks, the profile form, leaver warnings), never by name."""
    assert not app_graph()["technicians"] & {"skills", "registration"}


def test_careers_never_imports_recognition():
    """Recognition shows its outputs in the careers evidence pack through the registry
    (evidence pack sections); careers names it nowhere."""
    assert "recognition" not in app_graph()["careers"]


def test_the_cycle_finder_finds_a_cycle_and_only_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []
    assert find_cycle({"skills": {"technicians"}, "technicians": set()}) == []


def test_the_kernel_is_found():
    names = {str(path.relative_to(PORTAL.parent)) for path in kernel_modules()}
    assert {"portal/registry.py", "portal/permissions.py", "portal/decorators.py"} <= names


@pytest.mark.parametrize(
    "path", kernel_modules(), ids=lambda path: str(path.relative_to(PORTAL.parent))
)
def test_a_kernel_module_imports_no_app(path):
    leaked = imported_packages(path) & our_apps()
    assert not leaked, f"{path.relative_to(PORTAL.parent)} imports {sorted(leaked)}"


def test_the_import_scan_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from technicians.models import Technician\n")
    assert "technicians" in imported_packages(module)


def test_each_app_registers_its_permission_checks_from_ready():
    from actionplan import permissions as plan_rules
    from technicians import permissions as people

    assert registry.get_check("view_technician") is people.can_view_technician
    assert registry.get_check("staff_member") is people.is_staff_member
    assert registry.get_check("edit_action_plan") is plan_rules.can_edit_action_plan


def test_the_technicians_app_gives_every_page_the_users_profile_as_nav_technician(personas):
    from technicians.permissions import technician_of

    nav = registry.nav_for(personas.technician)
    assert nav["technician"] == personas.technician_profile
    assert registry.nav_for(personas.hr)["technician"] is None
    assert technician_of in registry._nav.values()


def test_each_app_registers_its_reminder_producers_from_ready():
    from actionplan.reminders import queue_action_reminders

    assert registry.reminders()["actionplan.actions"] is queue_action_reminders


def test_registering_again_is_harmless_but_a_taken_name_is_refused():
    from technicians import permissions as people

    registry.register_check("view_technician", people.can_view_technician)
    with pytest.raises(registry.AlreadyRegistered):
        registry.register_check("view_technician", people.can_edit_technician)


def test_a_registered_check_is_asked_by_the_can_tag_and_the_decorator(rf, monkeypatch):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    from portal.decorators import permission_required

    monkeypatch.setattr(registry, "_checks", {**registry.checks(), "always": lambda user: True})
    request = rf.get("/")
    request.user = AnonymousUser()
    html = Template('{% load portal_tags %}{% can "always" as ok %}{{ ok }}').render(
        Context({"request": request})
    )
    assert html == "True"

    @permission_required("always")
    def view(request):
        return "served"

    request.user = type("U", (), {"is_authenticated": True})()
    assert view(request) == "served"


def test_an_unknown_check_name_is_a_clear_error():
    with pytest.raises(KeyError, match="No permission check named 'nope'"):
        registry.check("nope", None)


def test_a_refusing_decorator_gives_its_reason_to_the_403_page(rf):
    from django.core.exceptions import PermissionDenied

    from portal.decorators import permission_required

    @permission_required(lambda user: False, reason="Only technicians apply.")
    def view(request):
        return "served"

    request = rf.get("/")
    request.user = type("U", (), {"is_authenticated": True})()
    with pytest.raises(PermissionDenied, match="Only technicians apply."):
        view(request)


@pytest.mark.django_db
def test_hr_without_a_profile_is_told_why_they_cannot_apply_for_funding(login, personas):
    response = login(personas.hr).get("/registration/apply/")
    assert response.status_code == 403
    assert "Funding applications are made by technicians" in response.content.decode()
