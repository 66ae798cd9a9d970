"""``feijian --selftest``: prove that every native piece works in this installation (above all inside the
frozen bundle): SQLCipher, cryptography, DuckDB/Arrow, reportlab with the bundled font, Qt offscreen.

It runs the whole demo job on a tiny synthetic hospital in a temporary data folder (synthetic data only),
then checks the case file is really encrypted and that Qt renders Chinese with the bundled font.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from feijian.cli.context import Context


def run_selftest() -> int:
    t0 = time.perf_counter()
    home = Path(tempfile.mkdtemp(prefix="feijian-selftest-"))
    try:
        ctx = Context(home=home)
        from feijian.cli.demo import DemoPaths, run_demo

        code = run_demo(ctx, scale=0.02, seed=11)
        if code != 0:
            print(f"selftest FAILED: demo job exited {code}")
            return 1
        paths = DemoPaths(home / "demo")
        header = paths.case.read_bytes()[:16]
        if header.startswith(b"SQLite format 3"):
            print("selftest FAILED: the case file is not encrypted")
            return 1
        for pdf in paths.out.glob("*.pdf"):
            if b"/FontFile2" not in pdf.read_bytes():
                print(f"selftest FAILED: {pdf.name} has no embedded TrueType font")
                return 1
        _check_qt()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(f"selftest passed in {time.perf_counter() - t0:.1f} s")
    return 0


def _check_qt() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from feijian.gui.selfcheck import check_rendering

    check_rendering()
