"""The layout's rules, checked on the source: no import cycles, the product never imports
its test equipment, one module owns the stat names, each setting's default lives once."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("newscrawl", "replica")
STAT_NAME_RE = re.compile(r"^(newscrawl|dedupe|incremental)/")
GETTERS = {"get", "getint", "getbool", "getfloat", "getdict", "getlist"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources() -> dict[str, tuple[Path, ast.Module]]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = (path, ast.parse(path.read_text("utf-8"), str(path)))
    return found


SOURCES = sources()


def type_checking_nodes(tree: ast.Module) -> set[int]:
    """ids of the nodes inside ``if TYPE_CHECKING:`` blocks (no import at run time)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.body:
                inside.update(id(n) for n in ast.walk(child))
    return inside


def imported_modules(name: str, tree: ast.Module) -> set[str]:
    """Project modules ``name`` imports at run time (function-level imports included)."""
    skip = type_checking_nodes(tree)
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        ancestors = {".".join(name.split(".")[:end]) for end in range(1, name.count(".") + 1)}
        for target in targets:
            # Importing a.b.c runs a, a.b and a.b.c: every one that is a project module, but a
            # module's own packages (Python has begun them before the module itself).
            parts = target.split(".")
            for end in range(1, len(parts) + 1):
                candidate = ".".join(parts[:end])
                if candidate in SOURCES and candidate != name and candidate not in ancestors:
                    out.add(candidate)
    return out


GRAPH = {name: imported_modules(name, tree) for name, (_, tree) in SOURCES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


def test_the_product_never_imports_the_replica() -> None:
    offenders = {
        name: sorted(m for m in imports if m.split(".")[0] == "replica")
        for name, imports in GRAPH.items()
        if name.split(".")[0] == "newscrawl"
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def docstring_ids(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def string_constants(tree: ast.Module) -> list[str]:
    docs = docstring_ids(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


def test_stat_names_are_spelled_only_in_the_stats_module() -> None:
    spelled = {
        name: [s for s in string_constants(tree) if STAT_NAME_RE.match(s)]
        for name, (_, tree) in SOURCES.items()
        if name.startswith("newscrawl") and name not in ("newscrawl.health.stats", "newscrawl.settings")
    }  # settings.py: the User-Agent, "newscrawl/<version>"
    assert {k: v for k, v in spelled.items() if v} == {}


def project_settings() -> dict[str, object]:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("newscrawl.settings")
    return dict(settings)


def test_each_setting_has_its_default_once() -> None:
    """Components read NEWSCRAWL_* settings without a default of their own: settings.py has it."""
    with_default = []
    for name, (_, tree) in SOURCES.items():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in GETTERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and str(node.args[0].value).startswith("NEWSCRAWL_")
                and (len(node.args) > 1 or node.keywords)
            ):
                with_default.append(f"{name}:{node.lineno} {node.args[0].value}")
    assert with_default == []


def test_every_setting_read_is_defined_and_documented() -> None:
    defined = project_settings()
    readme = (ROOT / "README.md").read_text("utf-8")
    names = {
        s
        for name, (_, tree) in SOURCES.items()
        if name.startswith("newscrawl")
        for s in string_constants(tree)
        if re.fullmatch(r"NEWSCRAWL_[A-Z_]+", s)
    }
    assert names, "no setting found: the check reads nothing"
    assert sorted(n for n in names if n not in defined) == []
    assert sorted(n for n in names if f"`{n}`" not in readme) == []


@pytest.mark.parametrize(
    "runtime_fact", ["NEWSCRAWL_SEED_FRONTIER", "NEWSCRAWL_CRAWL_ID", "NEWSCRAWL_DISTRIBUTED"]
)
def test_runtime_facts_are_not_settings(runtime_fact: str) -> None:
    """A worker's membership travels on the run's state, not as a setting the add-on writes."""
    assert all(runtime_fact not in string_constants(tree) for _, tree in SOURCES.values())
