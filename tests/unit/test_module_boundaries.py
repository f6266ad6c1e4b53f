"""The runtime knows the lake's mechanisms, never its domain: no module of jobs/runtime reaches,
directly or through another module, a declaration of the lake's tables, rules or suites."""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROJECT = ("jobs", "transforms", "expectations", "local")
DOMAIN = {
    "transforms.contracts",
    "transforms.orders",
    "transforms.customers",
    "transforms.products",
    "transforms.fx",
    "transforms.returns",
    "transforms.gold",
    "transforms.dependents",
    "expectations.suites",
    "expectations.cross_table",
    "jobs.silver.datasets",
    "jobs.bronze_to_silver",
    "jobs.silver_to_gold",
}


def module_path(module: str) -> Path | None:
    base = REPO.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def project_imports(module: str) -> set[str]:
    """The project modules `module` imports (`from a.b import c` counts a.b, or a.b.c when that
    is a module)."""
    path = module_path(module)
    assert path is not None, module
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found |= {n for n in names if n.split(".")[0] in PROJECT and module_path(n)}
    return found


def reachable(module: str) -> set[str]:
    seen, todo = set(), [module]
    while todo:
        for imported in project_imports(todo.pop()) - seen:
            seen.add(imported)
            todo.append(imported)
    return seen


def test_no_runtime_module_reaches_the_domain():
    runtime = sorted(f"jobs.runtime.{p.stem}" for p in (REPO / "jobs" / "runtime").glob("*.py"))
    assert len(runtime) > 10
    reached = {module: sorted(reachable(module) & DOMAIN) for module in runtime}
    assert {module: domain for module, domain in reached.items() if domain} == {}


def test_the_check_sees_an_import_through_another_module():
    assert "transforms.contracts" in reachable("jobs.silver.datasets")
    assert "expectations.suites" in reachable("jobs.bronze_to_silver")
