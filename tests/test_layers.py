"""The house rules, checked by parsing the source: one-way layers, no cycles, small modules and functions.

Data flows one way: foundation ← clean ← readers ← panels ← estimators ← analyses ← application ← notebooks.
A module may import its own layer or a lower one, never a higher one; no import cycle between modules; no
``lgresearch`` import inside a function; no module over 600 lines; no function over 80 lines. The layer table
is also the architecture page of the docs (``docs/architecture.md``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lgresearch"
NOTEBOOKS = ROOT / "notebooks"

#: Layers, lowest first: a module may import modules of its own layer or of a lower one.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("lgresearch", "lgresearch._compat", "lgresearch.errors", "lgresearch.paths",
                    "lgresearch.sources", "lgresearch.provenance", "lgresearch.stata", "lgresearch.disk_cache",
                    "lgresearch.ledger", "lgresearch.results", "lgresearch.plotting")),
    ("clean", ("lgresearch.clean", "lgresearch.securities", "lgresearch.io")),
    ("readers", ("lgresearch.official", "lgresearch.notices", "lgresearch.deals_readers",
                 "lgresearch.designations")),
    ("panels", ("lgresearch.deals", "lgresearch.prices", "lgresearch.listed", "lgresearch.link",
                "lgresearch.registry_link", "lgresearch.datasets")),
    ("estimators", ("lgresearch.events", "lgresearch.did", "lgresearch.matching", "lgresearch.simulate")),
    ("analyses", ("lgresearch.analyses",)),
    ("application", ("lgresearch.report", "lgresearch.export", "lgresearch.runner", "lgresearch.site",
                     "lgresearch.cli", "lgresearch.__main__")),
]
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
#: Modules that are data tables, not code (exempt from the module size rule).
DATA_MODULES = {"lgresearch.clean._gb2260"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(module: str) -> int:
    best, best_len = None, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = i, len(prefix)
    if best is None:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS in tests/test_layers.py")
    return best


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if not target.startswith("lgresearch"):
        return []
    # "from lgresearch import deals" imports the module lgresearch.deals
    known = MODULES
    return [f"{target}.{a.name}" if f"{target}.{a.name}" in known else target for a in node.names]


def _imports(path: Path) -> list[tuple[str, bool, int]]:
    """(imported module, inside a function or class, line) for every lgresearch import in a file."""
    module, tree = module_name(path), ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    out: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, nested: bool, type_checking: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # annotations only
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            if isinstance(child, ast.Import):
                out.extend((a.name, nested, child.lineno) for a in child.names if a.name.startswith("lgresearch"))
            elif isinstance(child, ast.ImportFrom):
                out.extend((t, nested, child.lineno) for t in _resolve(module, is_package, child))
            visit(child, inner, type_checking)

    visit(tree, False, False)
    return out


FILES = sorted(PACKAGE.rglob("*.py"))
MODULES = {module_name(p) for p in FILES}


def test_every_module_has_a_layer():
    for module in MODULES:
        layer_of(module)


def test_no_upward_import():
    bad = []
    for path in FILES:
        module = module_name(path)
        for target, _, line in _imports(path):
            if target in MODULES and layer_of(target) > layer_of(module):
                bad.append(f"{path.relative_to(ROOT)}:{line} {module} ({LAYERS[layer_of(module)][0]}) imports "
                           f"{target} ({LAYERS[layer_of(target)][0]})")
    assert not bad, "upward imports:\n" + "\n".join(bad)


def test_no_package_import_inside_a_function():
    bad = [f"{path.relative_to(ROOT)}:{line} imports {target} inside a function"
           for path in FILES for target, nested, line in _imports(path)
           if nested and target != "lgresearch.__version__"]
    assert not bad, "\n".join(bad)


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for path in FILES:
        module = module_name(path)
        for target, _, _ in _imports(path):
            if target in MODULES and target != module and not module.startswith(target + "."):
                graph[module].add(target)
    return graph


def test_no_import_cycle():
    graph, state, cycles = _graph(), {}, []

    def dfs(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                dfs(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            dfs(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_size(path):
    if module_name(path) in DATA_MODULES:
        return
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {n} lines (at most {MAX_MODULE_LINES}): split it"


def test_function_size():
    bad = []
    for path in FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} has {n} lines")
    assert not bad, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(bad)


def test_notebooks_import_only_public_modules():
    bad = []
    for nb in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py")):
        for line_no, line in enumerate(nb.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"lgresearch(\.\w+)*\._\w+", line) and ("import" in line):
                bad.append(f"{nb.name}:{line_no} imports a private module: {line.strip()}")
    assert not bad, "\n".join(bad)


def test_layer_table_documented():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for name, _ in LAYERS:
        assert name in page, f"docs/architecture.md does not describe the {name} layer"
