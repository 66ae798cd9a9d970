"""Workbench speed targets (issue 6), printed as measured / target ratios:

1. the hits page over 1,000,000 hits opens in < 1 s, sorts and filters in < 1 s each;
2. while a case is imported and screened in a background task, a heartbeat QTimer on the UI thread
   (every 50 ms) never fires more than 200 ms late.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/gui_bench.py [--hits N] [--scale S]``.
Part 2 needs feijian.demodata and feijian.casework.importing; it is skipped with a note when absent.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FEIJIAN_KDF_FAST", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from PySide6.QtCore import QElapsedTimer, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from feijian.gui.app import create_application  # noqa: E402


def hits_frame(n: int, seed: int = 1) -> pd.DataFrame:
    """n synthetic hits with the columns of the hits page (rule, department, doctor, status …)."""
    rng = np.random.default_rng(seed)
    rules = np.array([f"R{i:02d} 规则名称{i}" for i in range(1, 31)], dtype=object)
    depts = np.array(["心内科", "骨科", "普外科", "神经内科", "呼吸科", "儿科", "妇产科", "肿瘤科", "康复科", "ICU"], dtype=object)
    doctors = np.array([f"D{i:04d}" for i in range(400)], dtype=object)
    cents = rng.integers(100, 5_000_000, n)
    amounts = pd.array([Decimal(int(c)) / 100 for c in cents], dtype=object)
    rule_idx = rng.integers(0, len(rules), n)
    return pd.DataFrame({
        "hit_id": [f"h{i:09d}" for i in range(n)],
        "rule_code": [r.split()[0] for r in rules[rule_idx]],
        "rule": rules[rule_idx],
        "mdtrt_id": [f"ZY{i:010d}" for i in rng.integers(0, n // 3 + 1, n)],
        "dept": depts[rng.integers(0, len(depts), n)],
        "doctor": doctors[rng.integers(0, len(doctors), n)],
        "date": pd.to_datetime("2025-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
        "amount": amounts,
        "detail": np.char.add("同日重复收费 数量 ", rng.integers(2, 9, n).astype(str)).astype(object),
        "status": np.array(["open", "confirmed", "dismissed"], dtype=object)[rng.choice(3, n, p=[0.8, 0.15, 0.05])],
        "reason": "",
        "med_list_codg": [f"0{c:08d}" for c in rng.integers(0, 5000, n)],
    })


def timed(label: str, fn, target: float) -> float:
    app = QApplication.instance()
    t0 = time.perf_counter()
    fn()
    app.processEvents()
    dt = time.perf_counter() - t0
    print(f"{label:<44} {dt:7.3f} s   target < {target:.1f} s   ratio {dt / target:5.2f}  {'OK' if dt < target else 'SLOW'}")
    return dt


def bench_hits(n: int) -> bool:
    from feijian.gui.pages.hits_page import HitsView

    print(f"building {n:,} hits …", flush=True)
    frame = hits_frame(n)
    view = HitsView()
    view.resize(1400, 800)
    view.show()
    ok = True
    ok &= timed(f"open hits page ({n:,} hits)", lambda: (view.set_hits(frame), view.table.viewport().repaint()), 1.0) < 1.0
    amount_col = view.model.column_of("amount")
    rule_col = view.model.column_of("rule")
    ok &= timed("sort by amount (descending)", lambda: view.model.sort(amount_col, Qt.SortOrder.DescendingOrder), 1.0) < 1.0
    ok &= timed("sort by rule", lambda: view.model.sort(rule_col, Qt.SortOrder.AscendingOrder), 1.0) < 1.0
    ok &= timed("filter: one department", lambda: view.dept.setCurrentIndex(2), 1.0) < 1.0
    ok &= timed("filter: + status 待核查", lambda: view.status.setCurrentIndex(1), 1.0) < 1.0
    ok &= timed("filter: + amount ≥ 10,000", lambda: view.min_amount.setValue(10_000), 1.0) < 1.0
    view.text.setText("ZY00000001")
    ok &= timed("filter: + free text (first search)", view.apply_filters, 1.0) < 1.0
    view.dept.setCurrentIndex(0)
    view.status.setCurrentIndex(0)
    view.min_amount.setValue(0)
    view.text.setText("")
    ok &= timed("group by department", lambda: view.group.setCurrentIndex(2), 1.0) < 1.0
    ok &= timed("scroll to the end and paint", lambda: (view.table.scrollToBottom(), view.table.viewport().repaint()), 1.0) < 1.0
    print(f"rows shown after filters cleared: {view.model.rowCount():,}")
    view.close()
    return ok


def bench_heartbeat(scale: float) -> bool:
    try:
        from feijian import demodata
        from feijian.casework.importing import import_folder
        from feijian.casework.screening import screen_case
    except ImportError as exc:
        print(f"heartbeat: skipped, a layer is missing ({exc})")
        return True
    from feijian.gui.session import Session
    from feijian.gui.tasks import TaskRunner, wait_for
    from feijian.domain.records import CaseInfo
    import uuid

    app = QApplication.instance()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print(f"generating demo data at scale {scale} …", flush=True)
        data = tmp / "data"
        demodata.generate(data, scale=scale)
        session = Session(tmp / "home")
        session.identity = session.identities.create("基准", "B-1", "inspector", "benchmark-passphrase", fast=True)
        path = session.create_case(CaseInfo(str(uuid.uuid4()), "bench", "H1", "基准医院", "3"))
        store = session.open_case(path)
        runner = TaskRunner()
        gaps: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.elapsed()]

        def beat() -> None:
            now = clock.elapsed()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(50)
        timer.timeout.connect(beat)
        timer.start()
        t0 = time.perf_counter()
        task = runner.start(import_folder, store, data, importer="bench")
        while not task.done.is_set():
            app.processEvents()
            time.sleep(0.002)
        if task.error:
            raise task.error
        t1 = time.perf_counter()
        task = runner.start(screen_case, store)
        while not task.done.is_set():
            app.processEvents()
            time.sleep(0.002)
        if task.error:
            raise task.error
        t2 = time.perf_counter()
        timer.stop()
        store.close()
        worst_late = max(gaps) - 50 if gaps else 0
        late = sorted(gaps, reverse=True)[:5]
        print(f"import {t1 - t0:.1f} s, screening {t2 - t1:.1f} s, {len(gaps)} heartbeats; "
              f"largest gaps (ms): {', '.join(str(g) for g in late)}; load average {os.getloadavg()[0]:.1f}")
        print(f"{'heartbeat: worst lateness':<44} {worst_late:7.0f} ms  target < 200 ms  ratio {worst_late / 200:5.2f}  "
              f"{'OK' if worst_late < 200 else 'SLOW'}")
        return worst_late < 200


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=1_000_000)
    parser.add_argument("--scale", type=float, default=10.0, help="demo data scale for the heartbeat run")
    parser.add_argument("--skip-heartbeat", action="store_true")
    args = parser.parse_args()
    create_application()
    ok = bench_hits(args.hits)
    if not args.skip_heartbeat:
        ok &= bench_heartbeat(args.scale)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
