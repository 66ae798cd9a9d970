"""The architecture's layering holds: imports point downward only, and nothing below gui imports Qt."""

import ast
import subprocess
import sys
from pathlib import Path

import feijian

SRC = Path(feijian.__file__).parent

# layer -> the feijian layers it may import (architecture.md, "Layers and folders")
ALLOWED = {
    "domain": set(),
    "ingest": {"domain"},
    "rules": {"domain"},
    "crypto": set(),
    "store": {"domain", "crypto"},
    "demodata": {"domain"},
    "casework": {"domain", "ingest", "rules", "store", "crypto"},
    "sync": {"domain", "store", "crypto"},
    "reports": {"domain", "casework", "ingest", "rules", "store", "crypto"},
    # the bureau's demo province: demo hospitals read back and packed, for the GUI's screenshots, tests, benchmarks
    "demoprovince": {"domain", "demodata", "ingest", "sync"},
    # every layer below it, not the CLI (the CLI starts the GUI: the arrow runs cli -> gui only)
    "gui": {"domain", "ingest", "rules", "store", "crypto", "casework", "sync", "reports", "demodata", "demoprovince"},
}
TOP_LEVEL_HELPERS = {"paths", "__init__"}  # feijian.paths (resource and data folders), feijian.__version__


def _feijian_imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "feijian":
                yield node.lineno, parts[1] if len(parts) > 1 else "__init__"


def test_imports_point_downward_only():
    problems = []
    for layer, allowed in ALLOWED.items():
        folder = SRC / layer
        if not folder.exists():
            continue
        for py in folder.rglob("*.py"):
            for line, target in _feijian_imports(py):
                if target in TOP_LEVEL_HELPERS or target == layer:
                    continue
                if target not in allowed:
                    problems.append(f"{py.relative_to(SRC)}:{line} imports feijian.{target}")
    assert problems == []


def test_nothing_below_gui_imports_qt():
    layers = [p.name for p in SRC.iterdir() if p.is_dir() and p.name not in ("gui", "__pycache__")]
    modules = []
    for layer in layers:
        for py in (SRC / layer).rglob("*.py"):
            rel = py.relative_to(SRC.parent).with_suffix("")
            mod = ".".join(rel.parts)
            modules.append(mod[: -len(".__init__")] if mod.endswith(".__init__") else mod)
    code = (
        "import importlib, sys\n"
        f"for m in {sorted(modules)!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6')]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"Qt imported below gui: {out.stdout}"
    assert len(modules) > 10  # the scan really covered the library


def _module_name(py: Path) -> str:
    rel = py.relative_to(SRC.parent).with_suffix("")
    mod = ".".join(rel.parts)
    return mod[: -len(".__init__")] if mod.endswith(".__init__") else mod


def _module_graph() -> dict[str, set[str]]:
    """Module -> the feijian modules it imports (anywhere in the file, lazy imports included), resolved to
    modules that exist (``from feijian.x import name`` is an import of ``feijian.x``)."""
    files = {_module_name(py): py for py in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for mod, py in files.items():
        out = set()
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for t in targets:
                if t in files and t != mod and not files[t].name == "__init__.py":
                    out.add(t)
        graph[mod] = out
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                elif nxt in on:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles():
    """No module imports itself through others (package faces, __init__.py, are not modules of a circle:
    they only hand names on)."""
    graph = _module_graph()
    assert len(graph) > 50
    assert _cycles(graph) == []
