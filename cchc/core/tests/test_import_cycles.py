"""Modules that must not depend on each other in both directions (issue 12, from a code review).

Every `import` counts, at the top of a module or inside a function: an import deferred to a
function hides a cycle from Python, not from the reader. A pair listed here is one that used to
be a cycle and was untied."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

UNTIED = [
    ("cchc.news.models", "cchc.news.selectors"),
    ("cchc.demo.dossiers", "cchc.demo.loader"),
    ("cchc.reports.dashboards", "cchc.reports.tasks"),
    # Background jobs: the tasks call the services; a service queues a job by its name (`core.jobs`).
    ("cchc.payments.services", "cchc.payments.tasks"),
    ("cchc.payments.services_receipts", "cchc.payments.tasks"),
    ("cchc.dossiers.notifications", "cchc.dossiers.tasks"),
    ("cchc.dossiers.services", "cchc.dossiers.tasks"),
    ("cchc.dossiers.notifications", "cchc.dossiers.services"),
    ("cchc.postal.services", "cchc.postal.tasks"),
    ("cchc.digitisation.services", "cchc.digitisation.tasks"),
    ("cchc.dvcqg.services", "cchc.dvcqg.tasks"),
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in (ROOT / "cchc").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imported(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project's modules `module` imports anywhere in its text."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            prefix = ".".join([*base, *([node.module] if node.module else [])])
            names += [f"{prefix}.{alias.name}" for alias in node.names]
    found = set()
    for name in names:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name and name != module and not module.startswith(name + "."):
            found.add(name)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {module: _imported(module, path, modules) for module, path in modules.items()}


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """A chain of imports from `start` to `goal`, if there is one."""
    came_from, frontier = {start: ""}, [start]
    while frontier:
        module = frontier.pop()
        for target in sorted(graph.get(module, ())):
            if target in came_from:
                continue
            came_from[target] = module
            if target == goal:
                chain = [goal]
                while came_from[chain[-1]]:
                    chain.append(came_from[chain[-1]])
                return chain[::-1]
            frontier.append(target)
    return None


@pytest.mark.parametrize(("one", "other"), UNTIED)
def test_the_untied_modules_do_not_import_each_other_in_a_cycle(graph, one, other):
    assert one in graph and other in graph
    there, back = _reaches(graph, one, other), _reaches(graph, other, one)
    assert there is None or back is None, f"import cycle: {' → '.join(there)} and {' → '.join(back)}"


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "tasks.py"
    module.write_text("def job():\n    from .services import execute\n\n    return execute()\n")
    modules = {"cchc.x.tasks": module, "cchc.x.services": tmp_path / "services.py"}
    assert _imported("cchc.x.tasks", module, modules) == {"cchc.x.services"}
    graph = {"cchc.a": {"cchc.b"}, "cchc.b": {"cchc.c"}, "cchc.c": {"cchc.a"}}
    assert _reaches(graph, "cchc.a", "cchc.c") == ["cchc.a", "cchc.b", "cchc.c"]
