"""The shape of the code, read from its imports (ast only: nothing is imported).

* No import cycles among bot/, handlers/ and sakpore_sim/ (imports inside functions count:
  they run too, just later).
* No production module imports the simulator package, except the CLI, which starts the chat
  simulator for `run` without a token and for `chat`.
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "sakpore_sim")
PRODUCTION = ("bot", "handlers")
SIMULATOR = "sakpore_sim"
# The one production module allowed to import the simulator: the CLI (`run` without a token
# and `chat` start the chat simulator; the import sits inside those command functions).
SIMULATOR_IMPORTERS = frozenset({"bot.__main__"})


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for every module of PACKAGES."""
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _known(name: str, modules: Collection[str]) -> str | None:
    """The longest prefix of a dotted name that is a module of ours (None: not ours)."""
    parts = name.split(".")
    while parts and ".".join(parts) not in modules:
        parts.pop()
    return ".".join(parts) or None


def _imports(tree: ast.AST, module: str, is_package: bool, modules: Collection[str]) -> set[str]:
    """The project modules the import statements of `tree` load, wherever they stand.

    `from pkg import name` loads pkg.name when that is a module, else pkg; the parent packages
    a dotted import runs on the way are not counted (every submodule would need them)."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str | None] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(_known(alias.name, modules) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in modules else _known(base, modules))
    return {name for name in found if name is not None and name != module}


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the project modules it imports (at the top or inside a function)."""
    files = module_files(root)
    return {
        module: _imports(
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path)),
            module,
            path.name == "__init__.py",
            files,
        )
        for module, path in files.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_imports_at_the_top_and_inside_functions(tmp_path: Path) -> None:
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "bot" / "a.py").write_text("from bot import b\n")
    (tmp_path / "bot" / "b.py").write_text("def f():\n    from bot.a import x\n")
    (tmp_path / "bot" / "c.py").write_text("from . import d\nimport sakpore_sim\n")
    (tmp_path / "bot" / "d.py").write_text("from bot import c, names\n")
    graph = import_graph(tmp_path)
    assert graph["bot.a"] == {"bot.b"}
    assert graph["bot.b"] == {"bot.a"}
    assert graph["bot.c"] == {"bot.d", "sakpore_sim"}
    assert graph["bot.d"] == {"bot", "bot.c"}
    assert cycles(graph) == [["bot.a", "bot.b"], ["bot.c", "bot.d"]]


def test_no_import_cycles() -> None:
    graph = import_graph()
    assert len(graph) > 60  # the walk found the code
    assert cycles(graph) == []


def test_production_code_does_not_import_the_simulator() -> None:
    graph = import_graph()
    importers = {
        module
        for module, targets in graph.items()
        if module.split(".")[0] in PRODUCTION
        and any(t == SIMULATOR or t.startswith(f"{SIMULATOR}.") for t in targets)
    }
    assert importers <= SIMULATOR_IMPORTERS
    # ...and the CLI only inside its commands: running the bot on Telegram never loads it.
    for module in SIMULATOR_IMPORTERS:
        tree = ast.parse(module_files()[module].read_text(encoding="utf-8"))
        top_level = {
            alias.name if isinstance(node, ast.Import) else node.module or ""
            for node in tree.body
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        assert not any(name.split(".")[0] == SIMULATOR for name in top_level)
