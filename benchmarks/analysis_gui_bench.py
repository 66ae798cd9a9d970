"""The 分析 page's targets (issue 17), printed as measured / target ratios: field statistics and stratification
of ``det_item_fee_sumamt`` and a GROUP BY query, each started from the page as the inspector does (a
background task behind the progress dialog), return in < 10 s, while a heartbeat QTimer on the UI thread
(every 50 ms) never fires more than 200 ms late.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/analysis_gui_bench.py [--scale S]`` (a demo case
is generated and imported into a temporary folder), or ``--home DIR`` for a data folder already holding an
imported case whose identity's passphrase is ``--passphrase`` (e.g. the scale-100 case of gui_bench.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FEIJIAN_KDF_FAST", "1")

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402

TARGET_S = 10.0
STALL_MS = 200.0
QUERY = ("SELECT bilg_dept_codg, count(*) AS n, sum(det_item_fee_sumamt) AS total FROM fees "
         "GROUP BY bilg_dept_codg ORDER BY total DESC")


class Heartbeat:
    """The largest gap between 50 ms ticks of a UI-thread timer, beyond the 50 ms."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(50)
        self.timer.timeout.connect(self._tick)
        self.worst = 0.0
        self._last = 0

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.worst = max(self.worst, now - self._last - 50)
        self._last = now

    def __enter__(self) -> "Heartbeat":
        self.clock.start()
        self._last = 0
        self.worst = 0.0
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.timer.stop()


def make_home(scale: float, root: Path, passphrase: str) -> Path:
    from feijian import demodata
    from feijian.casework.importing import import_folder
    from feijian.domain.records import CaseInfo
    from feijian.gui.session import Session

    data = root / "data"
    demodata.generate(data, scale=scale)
    home = root / "home"
    session = Session(home)
    session.identity = session.identities.create("周检查", "YB-9", "inspector", passphrase, fast=True)
    path = session.create_case(CaseInfo(str(uuid.uuid4()), "基准案件", "H1", "演示市第一人民医院", "3"))
    store = session.open_case(path)
    import_folder(store, data)
    store.close()
    return home


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=2.0)
    parser.add_argument("--home", type=Path)
    parser.add_argument("--passphrase", default="bench-passphrase")
    args = parser.parse_args()

    from feijian.gui.app import create_application
    from feijian.gui.main_window import Workbench
    from feijian.gui.tasks import wait_for

    app = create_application()
    with tempfile.TemporaryDirectory(prefix="feijian-analysis-bench-") as tmp:
        home = args.home or make_home(args.scale, Path(tmp), args.passphrase)
        wb = Workbench(home)
        wb.session.identity = wb.session.identities.unlock(args.passphrase)
        window = wb.open_case(wb.session.case_files()[0])
        window.resize(1366, 768)
        window.show()
        page = window.show_page("analysis")
        rows = window.ctx.store.table_row_counts().get("fees", 0)
        print(f"fees: {rows:,} rows")
        results = []

        def measure(name, start):
            with Heartbeat() as beat:
                t0 = time.perf_counter()
                task = start()
                wait_for(task, 3600)
                seconds = time.perf_counter() - t0
            if task.error is not None:
                raise SystemExit(f"{name}: {task.error}")
            results.append((name, seconds, beat.worst))

        page.select_analysis("stats", "fees")
        measure("field statistics", page.run_form)
        page.select_analysis("stratify", "fees")
        measure("stratification (10 bands)", page.run_form)
        page.tabs.setCurrentIndex(1)
        page.editor.setPlainText(QUERY)
        measure("GROUP BY query", page.run_sql)
        print(f"{'':28}{'seconds':>9}{'/ 10 s':>8}{'UI stall ms':>13}{'/ 200 ms':>10}")
        for name, seconds, stall in results:
            print(f"{name:28}{seconds:9.2f}{seconds / TARGET_S:8.2f}{stall:13.0f}{stall / STALL_MS:10.2f}")
        window.close()
        wb.shutdown()
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
