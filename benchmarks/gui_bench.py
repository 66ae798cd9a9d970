"""Workbench speed targets (issue 6), printed as measured / target ratios:

1. the hits page over 1,000,000 hits opens in < 1 s, sorts and filters in < 1 s each. The hits are saved
   in a real case store and opened the way the app does (CaseContext.hits() → HitsPage); ``--hits-home``
   also opens a screened case's hits page and a hit's record-vs-billing view;
2. while a case is imported and screened in a background task, a heartbeat QTimer on the UI thread
   (every 50 ms) never fires more than 200 ms late (``--stacks`` names the worker's line before each gap);
   worst, p99 and median lateness, raw and with the UI thread's run-queue wait (CPU contention by other
   processes) taken out; ``--route both`` runs the work in a pool thread and then in a child process
   (the app's route, issue 21) and prints them side by side;
3. the 数据 page's table browser on a scale-100 case (15M fee lines) opens, pages and scrolls in < 1 s, and
   its filter (a background scan of every chunk) never stalls the UI thread more than 200 ms.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/gui_bench.py [--hits N] [--scale S]``.
Scale 100 (data from ``demodata --scale 100``):
  ``--skip-hits --data /tmp/s100/data --home /tmp/s100/home``  (import + screening, keeps the case)
  ``--skip-hits --skip-heartbeat --browse /tmp/s100/home --hits-home /tmp/s100/home``
Part 2 needs feijian.demodata and feijian.casework.importing; it is skipped with a note when absent.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FEIJIAN_KDF_FAST", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from PySide6.QtCore import QElapsedTimer, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from feijian.gui.app import create_application  # noqa: E402


def hits_tables(n: int, seed: int = 1):
    """n synthetic hits as the screening runner makes them (Arrow, amounts decimal128(38, 10), the runner's
    columns), their hit lines, and the visits they point at (department, doctor, admission)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(seed)
    codes = np.array([f"R{i:02d}" for i in range(1, 31)], dtype=object)
    depts = np.array(["心内科", "骨科", "普外科", "神经内科", "呼吸科", "儿科", "妇产科", "肿瘤科", "康复科", "ICU"], dtype=object)
    n_visits = n // 3 + 1
    visit_ids = np.char.add("ZY", np.char.zfill(np.arange(n_visits).astype(str), 10))
    begin = np.datetime64("2025-01-01T08:00") + rng.integers(0, 365 * 24 * 60, n_visits).astype("timedelta64[m]")
    visits = pa.table({
        "mdtrt_id": pa.array(visit_ids, pa.string()),
        "psn_no": pa.array(np.char.add("P", np.char.zfill(rng.integers(0, n_visits, n_visits).astype(str), 9)), pa.string()),
        "adm_dept_name": pa.array(depts[rng.integers(0, len(depts), n_visits)], pa.string()),
        "atddr_no": pa.array(np.char.add("D", np.char.zfill(rng.integers(0, 400, n_visits).astype(str), 4)), pa.string()),
        "begntime": pa.array(begin.astype("datetime64[us]")),
        "endtime": pa.array((begin + rng.integers(1, 20 * 24 * 60, n_visits).astype("timedelta64[m]")).astype("datetime64[us]")),
    })
    visit_of_hit = rng.integers(0, n_visits, n)
    cents = rng.integers(100, 5_000_000, n)
    text = np.char.add(np.char.add((cents // 100).astype(str), "."), np.char.zfill((cents % 100).astype(str), 2))
    amount = pc.cast(pa.array(text, pa.string()), pa.decimal128(38, 10))
    day = (np.datetime64("2025-01-01") + rng.integers(0, 365, n).astype("timedelta64[D]")).astype("datetime64[D]")
    qty = rng.integers(2, 9, n).astype(str)
    hits = pa.table({
        "hit_id": pa.array(np.char.add("h", np.char.zfill(np.arange(n).astype(str), 15)), pa.string()),
        "rule_code": pa.array(codes[rng.integers(0, len(codes), n)], pa.string()),
        "grain": pa.array(np.full(n, "line", dtype=object), pa.string()),
        "mdtrt_id": pa.array(visit_ids[visit_of_hit], pa.string()),
        "feedetl_sn": pa.array(np.char.add("F", np.arange(n).astype(str)), pa.string()),
        "med_list_codg": pa.array(np.char.add("XB01AC", np.char.zfill(rng.integers(0, 5000, n).astype(str), 5)), pa.string()),
        "date": pa.array(day, pa.date32()),
        "drord_no": pa.nulls(n, pa.string()),
        "period_start": pa.nulls(n, pa.date32()),
        "subject": pa.nulls(n, pa.string()),
        "amount": amount,
        "detail": pa.array(np.char.add(np.char.add("同日重复收费 数量 ", qty), " 次，超出医嘱"), pa.string()),
    })
    lines = pa.table({"hit_id": hits["hit_id"], "mdtrt_id": hits["mdtrt_id"], "feedetl_sn": hits["feedetl_sn"],
                      "amount": hits["amount"]})
    return hits, lines, visits


def hits_case(tmp: Path, n: int):
    """A real case store holding n hits of a screening run and their visits (what the app opens)."""
    import uuid

    from feijian.domain.records import CaseInfo, ScreeningRun
    from feijian.gui.session import Session

    hits, lines, visits = hits_tables(n)
    session = Session(tmp / "home")
    session.identity = session.identities.create("基准", "B-1", "inspector", "benchmark-passphrase", fast=True)
    path = session.create_case(CaseInfo(str(uuid.uuid4()), "bench", "H1", "基准医院", "3"))
    store = session.open_case(path)
    store.write_table("bench-visits", "visits", visits)
    run = ScreeningRun(str(uuid.uuid4()), "bench", "kb", (), "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z",
                       ("R01",), hit_count=n)
    store.save_screening(run, hits.to_pandas(types_mapper=pd.ArrowDtype), lines.to_pandas(types_mapper=pd.ArrowDtype))
    return session, path, store


def timed(label: str, fn, target: float) -> float:
    app = QApplication.instance()
    t0 = time.perf_counter()
    fn()
    app.processEvents()
    dt = time.perf_counter() - t0
    print(f"{label:<44} {dt:7.3f} s   target < {target:.1f} s   ratio {dt / target:5.2f}  {'OK' if dt < target else 'SLOW'}")
    return dt


def bench_hits(n: int, home: Path | None = None) -> bool:
    """The hits page as the app opens it: a real case store → CaseContext.hits() → HitsPage (a synthetic case
    with ``n`` hits, or the screened case in data folder ``home``)."""
    from feijian.gui.case_window import CaseContext
    from feijian.gui.pages.hits_page import HitsPage
    from feijian.gui.session import Session
    from feijian.gui.tasks import TaskRunner

    with tempfile.TemporaryDirectory() as tmp:
        if home is None:
            print(f"building a case with {n:,} hits …", flush=True)
            session, path, store = hits_case(Path(tmp), n)
        else:
            session = Session(home)
            session.identity = session.identities.unlock("benchmark-passphrase")
            path = session.case_files()[0]
            store = session.open_case(path)
            n = store.latest_run().hit_count
            print(f"the screened case in {home}: {n:,} hits", flush=True)
        ctx = CaseContext(store, path, session, TaskRunner())
        page = HitsPage(ctx)
        view = page.view
        page.resize(1400, 800)
        page.show()
        ok = True
        ok &= timed(f"open hits page ({n:,} hits, from the store)",
                    lambda: (page.activate(), view.table.viewport().repaint()), 1.0) < 1.0
        amount_col = view.model.column_of("amount")
        rule_col = view.model.column_of("rule")
        mdtrt_col = view.model.column_of("mdtrt_id")
        ok &= timed("sort by amount (descending, first)", lambda: view.model.sort(amount_col, Qt.SortOrder.DescendingOrder), 1.0) < 1.0
        ok &= timed("sort by rule (first)", lambda: view.model.sort(rule_col, Qt.SortOrder.AscendingOrder), 1.0) < 1.0
        ok &= timed("sort by encounter ID (first, 330k values)", lambda: view.model.sort(mdtrt_col, Qt.SortOrder.AscendingOrder), 1.0) < 1.0
        ok &= timed("filter: one department", lambda: view.dept.setCurrentIndex(2), 1.0) < 1.0
        ok &= timed("filter: + status 待核查", lambda: view.status.setCurrentIndex(1), 1.0) < 1.0
        ok &= timed("filter: + amount ≥ 10,000", lambda: view.min_amount.setValue(10_000), 1.0) < 1.0
        view.text.setText("zy00000001")
        ok &= timed("filter: + free text (first search)", view.apply_filters, 1.0) < 1.0
        view.dept.setCurrentIndex(0)
        view.status.setCurrentIndex(0)
        view.min_amount.setValue(0)
        view.text.setText("超出医嘱")
        ok &= timed("filter: free text over all hits", view.apply_filters, 1.0) < 1.0
        view.text.setText("")
        view.apply_filters()
        ok &= timed("group by department", lambda: view.group.setCurrentIndex(2), 1.0) < 1.0
        ok &= timed("group by encounter (330k groups)", lambda: view.group.setCurrentIndex(4), 1.0) < 1.0
        view.group.setCurrentIndex(0)
        view.select_row(0)
        view.reason.setEditText("基准：确认")
        # a decision goes through casework.review_hits (the hit's rule and lines looked up in Arrow) and the
        # page's refresh: the UI must not stall on it either
        ok &= timed("confirm one hit (casework.review_hits + refresh)", lambda: page.decide("confirmed"), 1.0) < 1.0
        ok &= timed("scroll to the end and paint", lambda: (view.table.scrollToBottom(), view.table.viewport().repaint()), 1.0) < 1.0
        print(f"rows shown after filters cleared: {view.model.rowCount():,}; {view.count.text()}")
        if home is not None:  # the record-vs-billing view of a real hit: fees and orders of its months only
            from feijian.gui.pages.record_view import RecordPage

            record = RecordPage(ctx)
            record.resize(1400, 800)
            record.show()
            frame = view.frame
            for k in range(2):
                pos = (k * 7919) % len(frame)
                ok &= timed(f"open a hit's record view ({'first' if k == 0 else 'another encounter'})",
                            lambda: record.show_encounter(str(frame["mdtrt_id"].iat[pos]), str(frame["hit_id"].iat[pos])),
                            1.0) < 1.0
            print(f"record view: {len(record._fees)} fee lines, {len(record._orders)} orders shown")
            record.close()
        page.close()
        store.close()
    return ok


def run_queue_wait() -> float | None:
    """Milliseconds the calling thread has spent runnable but waiting for a CPU (Linux schedstat), or None.
    A late heartbeat whose gap is mostly this was CPU contention (other processes), not the GIL."""
    try:
        with open("/proc/thread-self/schedstat") as fh:
            return int(fh.read().split()[1]) / 1e6
    except (OSError, ValueError, IndexError):
        return None


class StackSampler:
    """Samples the worker threads' Python stacks every few ms (a ring per thread), so that a late heartbeat
    can be blamed on the line that held the GIL: the last sample before a gap is where the worker was."""

    def __init__(self, interval: float = 0.01) -> None:
        import threading

        self.interval = interval
        self.samples: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._ui = threading.get_ident()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import threading
        import traceback

        me = threading.get_ident()
        while not self._stop.is_set():
            now = time.perf_counter()
            texts = []
            for ident, frame in sys._current_frames().items():
                if ident in (me, self._ui):
                    continue
                stack = traceback.extract_stack(frame)
                mine = [f for f in stack if "feijian" in f.filename or "site-packages" in f.filename]
                if any("feijian" in f.filename for f in mine):
                    texts.append(" < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(mine[-5:])))
            if texts:
                self.samples.append((now, "\n      | ".join(texts)))
            time.sleep(self.interval)

    def before(self, t: float) -> str:
        """The last worker stack sampled before time ``t``."""
        best = ""
        for when, text in self.samples:
            if when > t:
                break
            best = text
        return best


def lateness_summary(label: str, gaps: list[tuple[float, float, str]], cpu_wait: dict[float, float],
                     interval: float = 50.0) -> str:
    """Worst, 99th percentile and median lateness of the heartbeats in ``gaps`` (ms past the interval), raw
    and with the UI thread's run-queue wait in each gap taken out (what CPU contention by other processes
    explains), and the share of the summed lateness that run-queue wait explains."""
    if not gaps:
        return f"{label}: no heartbeats"
    st = lateness_stats(gaps, cpu_wait, interval)

    def stats(k: str) -> str:
        return f"worst {st[k + '_worst']:4.0f}  p99 {st[k + '_p99']:4.0f}  median {st[k + '_median']:3.0f} ms"

    return (f"{label:<12} raw: {stats('raw')} | contention excluded: {stats('own')} | "
            f"CPU wait explains {st['share']:.0%} of the lateness")


def lateness_stats(gaps, cpu_wait, interval: float = 50.0) -> dict:
    raw = np.array([max(0.0, g - interval) for g, _, _ in gaps] or [0.0])
    wait = np.array([cpu_wait.get(start, 0.0) for _, start, _ in gaps] or [0.0])
    own = np.maximum(0.0, raw - wait)
    late = raw > 0
    share = float(np.minimum(wait, raw)[late].sum() / raw[late].sum()) if raw[late].sum() else 0.0
    out = {"share": share}
    for k, a in (("raw", raw), ("own", own)):
        out.update({f"{k}_worst": float(a.max()), f"{k}_p99": float(np.percentile(a, 99)),
                    f"{k}_median": float(np.median(a))})
    return out


def bench_heartbeat(scale: float, data: Path | None = None, home: Path | None = None,
                    screen_only: bool = False, stacks: bool = False, import_only: bool = False,
                    in_process: bool = False, results: dict | None = None) -> bool:
    """Import and screen a case in a background task while a 50 ms heartbeat timer runs on the UI thread;
    report the worst lateness, and for each gap > 150 ms the worker's stack just before it."""
    try:
        from feijian import demodata
        from feijian.casework.importing import import_folder
        from feijian.casework.screening import screen_case
    except ImportError as exc:
        print(f"heartbeat: skipped, a layer is missing ({exc})")
        return True
    from feijian.gui.session import Session
    from feijian.gui.tasks import TaskRunner
    from feijian.domain.records import CaseInfo
    import uuid

    app = QApplication.instance()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if data is None and not screen_only:
            print(f"generating demo data at scale {scale} …", flush=True)
            data = tmp / "data"
            demodata.generate(data, scale=scale)
        else:
            print(f"using the data in {data}", flush=True)
        home = home or tmp / "home"
        session = Session(home)
        if screen_only:  # the case imported by an earlier run with --home
            session.identity = session.identities.unlock("benchmark-passphrase")
            path = session.case_files()[0]
        else:
            session.identity = session.identities.create("基准", "B-1", "inspector", "benchmark-passphrase", fast=True)
            path = session.create_case(CaseInfo(str(uuid.uuid4()), "bench", "H1", "基准医院", "3"))
        store = session.open_case(path)
        runner = TaskRunner()
        gaps: list[tuple[float, float, str]] = []  # (gap ms, perf_counter at its start, phase)
        phase = ["import"]
        last = [time.perf_counter()]
        cpu_wait: dict[float, float] = {}  # gap start -> ms the UI thread was runnable but had no CPU
        last_wait = [run_queue_wait()]

        def beat() -> None:
            now = time.perf_counter()
            gaps.append(((now - last[0]) * 1000, last[0], phase[0]))
            wait = run_queue_wait()
            if wait is not None and last_wait[0] is not None:
                cpu_wait[last[0]] = wait - last_wait[0]
            last_wait[0] = wait
            last[0] = now

        sampler = StackSampler()
        if stacks:
            sampler.start()
        timer = QTimer()
        timer.setInterval(50)
        timer.timeout.connect(beat)
        timer.start()

        def run(name: str, fn, *args, **kwargs) -> None:
            phase[0] = name
            load0 = os.getloadavg()[0]
            t0 = time.perf_counter()
            task = runner.start(fn, *args, in_process=in_process, **kwargs)
            while not task.done.is_set():
                app.processEvents()
                time.sleep(0.002)
            app.processEvents()
            if task.error:
                raise task.error
            mine = [g for g in gaps if g[2] == name]
            print(f"{name}: {time.perf_counter() - t0:.1f} s, {len(mine)} heartbeats; "
                  f"load average {load0:.1f} before, {os.getloadavg()[0]:.1f} after", flush=True)
            print(lateness_summary(f"  {name}", mine, cpu_wait), flush=True)
            if results is not None:
                results[name] = {**lateness_stats(mine, cpu_wait), "seconds": time.perf_counter() - t0,
                                 "load": os.getloadavg()[0]}
            for gap, start, _ph in sorted(mine, reverse=True)[:6]:
                if gap > 150 or (stacks and gap > 100):
                    waited = cpu_wait.get(start)
                    cpu = (f" (UI thread waiting for a CPU {waited:.0f} ms of it, {min(waited, gap) / gap:.0%})"
                           if waited is not None else "")
                    print(f"  gap {gap:6.0f} ms{cpu}" + (f": worker at {sampler.before(start + 0.04) or '?'}"
                                                          if stacks else ""), flush=True)

        if not screen_only:
            run("import", import_folder, store, data, importer="bench")
        if not import_only:
            run("screening", screen_case, store)
        timer.stop()
        if stacks:
            sampler.stop()
        store.close()
        worst_late = max(g for g, _, _ in gaps) - 50 if gaps else 0
        print(lateness_summary("overall", gaps, cpu_wait))
        if results is not None:
            results["overall"] = {**lateness_stats(gaps, cpu_wait), "load": os.getloadavg()[0]}
        print(f"uptime load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{'heartbeat: worst lateness':<44} {worst_late:7.0f} ms  target < 200 ms  ratio {worst_late / 200:5.2f}  "
              f"{'OK' if worst_late < 200 else 'SLOW'}")
        if home is not None and home != tmp / "home":
            print(f"case kept in {home} (passphrase benchmark-passphrase)")
        return worst_late < 200


def bench_browser(home: Path, passphrase: str = "benchmark-passphrase") -> bool:
    """The 数据 page's table browser on the largest table of the (first) case in data folder ``home``."""
    from feijian.gui.case_window import CaseContext
    from feijian.gui.pages.data_page import PAGE_ROWS, TableBrowser
    from feijian.gui.session import Session
    from feijian.gui.tasks import TaskRunner

    app = QApplication.instance()
    session = Session(home)
    session.identity = session.identities.unlock(passphrase)
    path = session.case_files()[0]
    store = session.open_case(path)
    ctx = CaseContext(store, path, session, TaskRunner())
    browser = TableBrowser(ctx)
    browser.resize(1400, 700)
    browser.show()
    ok = True
    ok &= timed("browser: list the case's tables", browser.refresh_tables, 1.0) < 1.0
    counts = store.table_row_counts()
    name = max(counts, key=counts.get)
    index = browser.table_combo.findData(name)
    print(f"browsing {name}: {counts[name]:,} rows in {len(store.table_chunks(name))} chunks, {PAGE_ROWS:,} rows a page")
    ok &= timed(f"browser: open {name} (first page)", lambda: browser.table_combo.setCurrentIndex(index), 1.0) < 1.0
    ok &= timed("browser: scroll to the page's end and paint",
                lambda: (browser.view.scrollToBottom(), browser.view.viewport().repaint()), 1.0) < 1.0
    ok &= timed("browser: next page", lambda: browser.page.setValue(2), 1.0) < 1.0
    middle = browser.page.maximum() // 2
    ok &= timed(f"browser: jump to page {middle:,} (middle)", lambda: browser.page.setValue(middle), 1.0) < 1.0
    ok &= timed(f"browser: last page ({browser.page.maximum():,})", lambda: browser.page.setValue(browser.page.maximum()), 1.0) < 1.0
    ok &= timed("browser: sort a page by amount", lambda: browser.model.sort(max(0, browser.model.column_of("det_item_fee_sumamt")),
                                                                          Qt.SortOrder.DescendingOrder), 1.0) < 1.0
    # a filter scans every chunk in a background task: measure its wall time and the UI thread's worst stall
    column = "med_list_codg" if "med_list_codg" in browser.source.column_names else browser.source.column_names[0]
    browser.column_combo.setCurrentIndex(browser.column_combo.findData(column))
    gaps: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    gap_starts: list[float] = []

    def beat_at() -> None:
        gap_starts.append(last[0])
        beat()

    sampler = StackSampler(0.005)
    sampler.start()
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(beat_at)
    timer.start()
    browser.filter.setText("XB05BA")
    t0 = time.perf_counter()
    browser.apply_filter()
    browser.wait_filter(600_000)
    app.processEvents()
    dt_filter = time.perf_counter() - t0
    timer.stop()
    sampler.stop()
    for gap, start in sorted(zip(gaps, gap_starts), reverse=True)[:3]:
        if gap > 150:
            print(f"  gap {gap:6.0f} ms: worker at {sampler.before(start + 0.04) or '?'}")
    worst = max(gaps) - 50 if gaps else 0
    print(f"browser: filter {column} contains XB05BA over all chunks: {dt_filter:.1f} s in the background, "
          f"{browser.matches or 0:,} matches; {browser.pages.text()}")
    print(f"{'browser: UI stall during the filter':<44} {worst:7.0f} ms  target < 200 ms  ratio {worst / 200:5.2f}  "
          f"{'OK' if worst < 200 else 'SLOW'}")
    ok &= worst < 200
    import resource

    print(f"browser: peak memory of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024:,} MB")
    browser.close()
    store.close()
    return ok


def print_side_by_side(tables: dict) -> None:
    """Heartbeat lateness (ms) per phase: the pool-thread route and the child-process route side by side."""
    routes = list(tables)
    print("heartbeat lateness, ms (raw / contention excluded)   " + "   ".join(f"{r:>24}" for r in routes)
          + "   ratio worst (own)")
    for phase in ("import", "screening", "overall"):
        if not all(phase in tables[r] for r in routes):
            continue
        for stat in ("worst", "p99", "median"):
            cells = [f"{tables[r][phase]['raw_' + stat]:9.0f} / {tables[r][phase]['own_' + stat]:6.0f}" for r in routes]
            ratio = ""
            if stat == "worst" and len(routes) == 2 and tables[routes[0]][phase]["own_worst"]:
                ratio = f"{tables[routes[1]][phase]['own_worst'] / tables[routes[0]][phase]['own_worst']:8.2f}"
            print(f"  {phase:<10} {stat:<8}{'':33}" + "   ".join(f"{c:>24}" for c in cells) + f"   {ratio}")
        print(f"  {phase:<10} {'CPU wait share':<41}" + "   ".join(f"{tables[r][phase]['share']:>24.0%}" for r in routes))
        print(f"  {phase:<10} {'load average (1 min) after':<41}"
              + "   ".join(f"{tables[r][phase]['load']:>24.1f}" for r in routes))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=1_000_000)
    parser.add_argument("--hits-home", type=Path, help="also open the hits page of the screened case in this data folder")
    parser.add_argument("--scale", type=float, default=10.0, help="demo data scale for the heartbeat run")
    parser.add_argument("--data", type=Path, help="an existing demo data folder (e.g. a scale-100 one) instead "
                                                     "of generating one")
    parser.add_argument("--home", type=Path, help="keep the heartbeat run's case in this data folder (for --browse)")
    parser.add_argument("--browse", type=Path, help="a data folder with a screened case (from --home): measure the "
                                                     "table browser on its largest table")
    parser.add_argument("--screen-only", action="store_true", help="only screen the case kept in --home")
    parser.add_argument("--import-only", action="store_true", help="only import (with --data)")
    parser.add_argument("--stacks", action="store_true",
                        help="sample the worker threads' stacks to blame late heartbeats (diagnostic: on CPython 3.11 "
                             "it has crashed the process during screening, 'none_dealloc')")
    parser.add_argument("--route", choices=("thread", "process", "both"), default="process",
                        help="run the import and the screening in a pool thread (before issue 21), a child "
                             "process (the app's route), or both one after the other, printed side by side")
    parser.add_argument("--skip-hits", action="store_true")
    parser.add_argument("--skip-heartbeat", action="store_true")
    args = parser.parse_args()
    create_application()
    ok = True
    if not args.skip_hits:
        ok &= bench_hits(args.hits)
    if args.hits_home is not None:
        ok &= bench_hits(0, args.hits_home)
    if not args.skip_heartbeat:
        routes = {"thread": [False], "process": [True], "both": [False, True]}[args.route]
        tables = {}
        data = args.data
        if data is None and len(routes) > 1 and not args.screen_only:  # one data folder for both routes
            from feijian import demodata

            data = Path(tempfile.mkdtemp()) / "data"
            print(f"generating demo data at scale {args.scale} …", flush=True)
            demodata.generate(data, scale=args.scale)
        for in_process in routes:
            route = "process" if in_process else "thread"
            print(f"--- heartbeat, the work in a {'child process' if in_process else 'pool thread'} ---", flush=True)
            tables[route] = {}
            ok_route = bench_heartbeat(args.scale, data, args.home, args.screen_only, args.stacks,
                                       args.import_only, in_process, tables[route])
            ok &= ok_route or not in_process  # the target is the app's route (the process)
        if len(tables) > 1:
            print_side_by_side(tables)
        if data is not None and data != args.data:
            import shutil

            shutil.rmtree(data.parent, ignore_errors=True)
    if args.browse is not None:
        ok &= bench_browser(args.browse)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
