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
