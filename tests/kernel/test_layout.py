"""The layout's rules: the kernel imports no feature, and README's file map is the tree."""

from __future__ import annotations

import ast
import graphlib
import importlib
import re
from pathlib import Path

from bot.app import create_dispatcher, router_tree
from bot.config import Settings
from db.engine import Sessions

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "bot"
# The composition root and what starts it are the only modules allowed to know features.
WIRING = {BOT / "app.py", BOT / "runner.py", BOT / "__main__.py"}


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, at any depth (function-level imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _kernel() -> list[Path]:
    return [
        path
        for path in BOT.rglob("*.py")
        if "handlers" not in path.relative_to(BOT).parts and path not in WIRING
    ]


def test_the_kernel_imports_no_feature() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in _imports(path) if "bot.handlers" in m)
        for path in _kernel()
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(_kernel()) > 20  # the walk did find the kernel


def test_db_imports_nothing_from_the_bot() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in _imports(path) if m.startswith("bot"))
        for path in (ROOT / "db").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_readme_file_map_matches_the_tree() -> None:
    """Every feature package is in README's map, and every path the map names exists."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How it is built", 1)[1].split("```", 2)[1]
    features = {p.name for p in (BOT / "handlers").iterdir() if (p / "__init__.py").exists()}
    listed = set(re.findall(r"^  (\w+)/ ", section, re.MULTILINE))
    assert listed == features
    kernel_files = re.findall(r"\b([a-z_]+\.py)\b", section)
    ours = {
        p.name
        for tree in ("bot", "db", "bench", "testing", "tests")
        for p in (ROOT / tree).rglob("*.py")
    }
    assert not set(kernel_files) - ours, "README names modules that do not exist"


def test_router_tree_lists_the_features_in_the_order_they_are_tried(
    settings: Settings, sessions: Sessions
) -> None:
    tree = router_tree(create_dispatcher(settings, sessions)).splitlines()
    names = [line.strip() for line in tree]
    assert names.index("contacts") < names.index("start")  # deep links before /start
    assert names.index("event_admin") < names.index("events_users")
    assert names[-1] == "fallback" and tree[-1].startswith("    ")


def test_readme_event_wizard_sample_counts_the_real_steps() -> None:
    """README's sample conversation says "step 1 of N": N is what a webinar is asked."""
    from bot.handlers.events.wizard_steps import STEPS
    from bot.steps import applying

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    said = re.search(r"New event · step 1 of (\d+)", readme)
    assert said is not None
    assert int(said[1]) == len(applying(STEPS, {"kind": "webinar"}))


def _cross_feature_uses() -> dict[str, set[str]]:
    """For each feature, the `module.name`s other features use of it (through
    `from bot.handlers.x.module import name` or `x_module.name` after importing a module)."""
    features = BOT / "handlers"
    uses: dict[str, set[str]] = {}
    for path in features.rglob("*.py"):
        own = path.relative_to(features).parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules: dict[str, tuple[str, str]] = {}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.module):
                continue
            parts = node.module.split(".")
            if parts[:2] != ["bot", "handlers"] or len(parts) < 3 or parts[2] == own:
                continue
            for alias in node.names:
                if len(parts) == 3:  # a module of the feature, used as module.name
                    modules[alias.asname or alias.name] = (parts[2], alias.name)
                else:
                    uses.setdefault(parts[2], set()).add(f"{'.'.join(parts[3:])}.{alias.name}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
            ):
                feature, module = modules[node.value.id]
                uses.setdefault(feature, set()).add(f"{module}.{node.attr}")
    return uses


def test_features_use_each_other_only_through_what_they_declare_public() -> None:
    """A feature's PUBLIC (in its __init__.py) is all that other features may use of it:
    a new cross-feature dependency is a deliberate, visible change."""
    used = _cross_feature_uses()
    assert used, "the walk found no cross-feature use at all"
    undeclared = {
        feature: sorted(names - importlib.import_module(f"bot.handlers.{feature}").PUBLIC)
        for feature, names in used.items()
    }
    assert {f: n for f, n in undeclared.items() if n} == {}
    stale = {
        feature.name: sorted(
            importlib.import_module(f"bot.handlers.{feature.name}").PUBLIC
            - used.get(feature.name, set())
        )
        for feature in (BOT / "handlers").iterdir()
        if (feature / "__init__.py").exists()
    }
    assert {f: n for f, n in stale.items() if n} == {}  # nothing declared that nobody uses


def _feature_imports() -> dict[str, set[str]]:
    """For each feature, the features it imports (at any depth, function-level imports
    included)."""
    features = BOT / "handlers"
    graph: dict[str, set[str]] = {}
    for path in features.rglob("*.py"):
        own = path.relative_to(features).parts[0]
        graph.setdefault(own, set())
        for module in _imports(path):
            parts = module.split(".")
            if parts[:2] == ["bot", "handlers"] and len(parts) > 2 and parts[2] != own:
                graph[own].add(parts[2])
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of imports, as the features along it (the first again at the end); None
    when there is none."""
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        # Each node is a predecessor of the next: here, imported by it. Read as imports.
        return list(reversed(error.args[1]))
    return None


def test_no_feature_imports_itself_back_through_others() -> None:
    """Features form layers: if A imports B, nothing B imports (directly or not) imports
    A. A shared piece moves down (to the kernel, or to the feature below) instead."""
    graph = _feature_imports()
    assert sum(len(used) for used in graph.values()) > 20  # the walk did find imports
    cycle = _cycle(graph)
    assert cycle is None, "features import each other in a cycle: " + " → ".join(cycle or [])


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) in (
        ["a", "b", "c", "a"],
        ["b", "c", "a", "b"],
        ["c", "a", "b", "c"],
    )
    assert _cycle({"a": {"b"}, "b": set()}) is None


# Issue 20: a module over this many lines holds more than one idea; it is split by idea.
MAX_LINES = 500
CODE_TREES = ("bot", "db", "testing", "tests", "bench", "tools")


def test_no_module_is_over_500_lines() -> None:
    modules = [path for tree in CODE_TREES for path in (ROOT / tree).rglob("*.py")]
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in modules
    }
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}
    assert len(modules) > 100  # the walk did find the code


def test_bench_and_testing_import_nothing_from_tests() -> None:
    """What benchmarks need of the tests' helpers lives in testing/ (tests/ re-exports it)."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in _imports(path) if m == "tests" or m.startswith("tests.")
        )
        for tree in ("bench", "testing")
        for path in (ROOT / tree).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(offenders) > 20  # the walk did find bench/ and testing/


# Issue 20.3: a feature's SQL is in its queries.py. These constructors build statements.
STATEMENTS = frozenset({"select", "update", "insert", "delete", "text"})


def _statements_built(source: str) -> list[str]:
    """Where `source` builds an SQLAlchemy statement: a statement constructor imported from
    sqlalchemy (`from sqlalchemy import select`), or called on the module
    (`sqlalchemy.select(...)`, `sa.update(...)`)."""
    tree = ast.parse(source)
    modules = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found += [
                f"line {node.lineno}: imports {alias.name}"
                for alias in node.names
                if alias.name in STATEMENTS
            ]
        elif isinstance(node, ast.Import):
            modules |= {
                alias.asname or alias.name
                for alias in node.names
                if alias.name.startswith("sqlalchemy")
            }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in STATEMENTS
            and ast.unparse(node.func.value) in modules
        ):
            found.append(f"line {node.lineno}: calls {ast.unparse(node.func)}")
    return found


def test_features_build_sql_statements_only_in_their_queries_py() -> None:
    """No `select(`, `update(`, `insert(`, `delete(` or `text(` of SQLAlchemy in
    bot/handlers/ outside files named queries.py or …_queries.py (docs/design.md: where SQL lives)."""
    features = BOT / "handlers"
    inline: dict[str, dict[str, list[str]]] = {}
    for path in sorted(features.rglob("*.py")):
        if path.name.endswith("queries.py"):
            continue
        found = _statements_built(path.read_text(encoding="utf-8"))
        if found:
            feature = path.relative_to(features).parts[0]
            inline.setdefault(feature, {})[str(path.relative_to(ROOT))] = found
    assert inline == {}


def test_the_sql_check_finds_statements() -> None:
    assert _statements_built("from sqlalchemy import func, select\n") == ["line 1: imports select"]
    assert _statements_built("import sqlalchemy as sa\nq = sa.update(T)\n") == [
        "line 2: calls sa.update"
    ]
    assert _statements_built("from sqlalchemy.dialects.postgresql import insert\n") == [
        "line 1: imports insert"
    ]
    # Not statements: the session's delete of an object, a dict's update, a list's insert.
    assert _statements_built("await session.delete(row)\nd.update(x)\nrow.insert(0, b)\n") == []
