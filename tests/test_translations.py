"""Every string the workbench shows through Qt's translation system has English, and the compiled .qm is the
one the .ts compiles to (tools/update_translations.py refreshes both)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "update_translations.py"
TS = ROOT / "resources" / "translations" / "feijian_en.ts"


def _bin(name: str) -> Path:
    path = Path(sys.executable).parent / name
    if not path.exists():
        pytest.skip(f"{name} is not installed with PySide6")
    return path


def test_every_gui_string_has_english():
    _bin("pyside6-lupdate")
    out = subprocess.run([sys.executable, str(TOOL), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, "strings without English (run tools/update_translations.py):\n" + out.stdout


def test_qm_is_compiled_from_the_ts(tmp_path):
    qm = tmp_path / "feijian_en.qm"
    subprocess.run([str(_bin("pyside6-lrelease")), str(TS), "-qm", str(qm)], check=True, capture_output=True)
    assert qm.read_bytes() == TS.with_suffix(".qm").read_bytes(), "feijian_en.qm is stale: run tools/update_translations.py"


def test_check_reports_a_new_string(tmp_path, monkeypatch):
    """The check is not vacuous: a .ts missing one translated entry makes it fail and name the string."""
    sys.path.insert(0, str(TOOL.parent))
    try:
        import update_translations as ut
    finally:
        sys.path.remove(str(TOOL.parent))
    _bin("pyside6-lupdate")
    text = TS.read_text(encoding="utf-8")
    start = text.index("<source>运行筛查</source>")
    cut_from = text.rindex("<message", 0, start)
    cut_to = text.index("</message>", start) + len("</message>")
    ts = tmp_path / "feijian_en.ts"
    ts.write_text(text[:cut_from] + text[cut_to:], encoding="utf-8")
    missing = ut.refresh(ts)
    assert ("DataPage", "运行筛查") in missing
