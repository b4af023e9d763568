"""No import cycle between files of our apps: the shell, the kernel and every app of the
project, counting imports at module level and inside functions alike (an import moved into
a function still ties the two files together); only imports for type checking are left out."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

BASE = Path(settings.BASE_DIR).resolve()


def our_packages() -> list[str]:
    names = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == BASE
    }
    return sorted(names | {"config"})


def module_files() -> dict[str, Path]:
    found = {}
    for package in our_packages():
        for path in (BASE / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(BASE).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _for_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(), filename=str(path))
        skipped = {
            id(inner)
            for node in ast.walk(tree)
            if _for_type_checking(node)
            for inner in ast.walk(node)
        }
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                targets.update(filter(None, (known(alias.name) for alias in node.names)))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package
                    for _ in range(node.level - 1):
                        parent = parent.rpartition(".")[0]
                    base = f"{parent}.{base}" if base else parent
                targets.update(
                    filter(None, (known(f"{base}.{alias.name}") for alias in node.names))
                )
        targets.discard(name)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one file (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_every_app_of_ours_is_scanned():
    modules = module_files()
    assert {"config.settings", "portal.workflow", "technicians.models"} <= set(modules)
    assert "training.services.booking" in modules


def test_no_import_cycle_between_files_of_our_apps():
    found = cycles(import_graph(module_files()))
    assert not found, "import cycles: " + "; ".join(" ↔ ".join(group) for group in found)


def test_the_scan_finds_a_cycle_through_an_import_inside_a_function(tmp_path):
    (tmp_path / "a.py").write_text("import b\n")
    (tmp_path / "b.py").write_text("def f():\n    from a import thing\n")
    modules = {"a": tmp_path / "a.py", "b": tmp_path / "b.py"}
    assert cycles(import_graph(modules)) == [["a", "b"]]
