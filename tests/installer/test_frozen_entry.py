"""The frozen entry point calls multiprocessing.freeze_support() before anything else (the OCR worker pool
spawns processes that re-run the executable under pyinstaller), then runs the feijian command."""

import importlib.util
import multiprocessing
from pathlib import Path

ENTRY = Path(__file__).parents[2] / "installer" / "feijian_entry.py"


def _load():
    spec = importlib.util.spec_from_file_location("feijian_entry_under_test", ENTRY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_entry_calls_freeze_support_before_the_command(monkeypatch):
    calls = []
    monkeypatch.setattr(multiprocessing, "freeze_support", lambda: calls.append("freeze_support"))
    import feijian.cli

    monkeypatch.setattr(feijian.cli, "main", lambda argv=None: calls.append("main") or 0)
    assert _load().run() == 0
    assert calls == ["freeze_support", "main"]


def test_the_entry_runs_the_real_command(capsys):
    import sys

    saved = sys.argv
    sys.argv = ["feijian", "--help"]
    try:
        try:
            code = _load().run()
        except SystemExit as exc:
            code = exc.code
    finally:
        sys.argv = saved
    assert code in (0, None)
    assert "feijian" in capsys.readouterr().out.lower()
