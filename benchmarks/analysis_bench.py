"""The auditor's analyses benchmark (issue 17): the demo generator's data imported into an encrypted case, then
field statistics and stratification of ``det_item_fee_sumamt`` and a GROUP BY query, run as the CLI and the
分析 page run them (``run_analysis`` / ``run_query``: the columns decrypted from the store's chunks into memory,
DuckDB over them, the result hashed and logged). Beside each, the same computation in pandas over the same
rows already in memory, and the ratio.

    .venv/bin/python benchmarks/analysis_bench.py                 # scale 10 (≈ 1.5M fee lines)
    .venv/bin/python benchmarks/analysis_bench.py --scale 100     # the issue's target: each < 10 s

Columns: ``feijian`` is the whole run (store read + DuckDB + hash + log event); ``read`` the part of it
spent reading the column(s) out of the encrypted store; ``duckdb`` the computation alone over the loaded
Arrow table; ``pandas`` the same computation in pandas over a DataFrame of the same rows (amounts as
float64 — Decimal objects would be far slower), its Arrow→pandas conversion timed apart. Ratio =
pandas / duckdb (compute against compute) and pandas+conversion / feijian (what a user would wait for).
The demo data is synthetic; it is generated into a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

os.environ.setdefault("FEIJIAN_KDF_FAST", "1")

from feijian.casework import analyses as A  # noqa: E402
from feijian.casework.analysis_query import execute_select, run_analysis, run_query  # noqa: E402
from feijian.casework.analysis_source import load_table, locked_connection  # noqa: E402
from feijian.casework.importing import import_folder  # noqa: E402
from feijian.crypto.identity import create_identity  # noqa: E402
from feijian.demodata import generate  # noqa: E402
from feijian.domain.records import CaseInfo  # noqa: E402
from feijian.store.case_store import CaseStore  # noqa: E402

AMOUNT = "det_item_fee_sumamt"
EDGES = ["-1000000", "0", "10", "50", "100", "500", "1000", "5000", "1000000"]
GROUP_SQL = ("SELECT bilg_dept_codg, med_chrgitm_type, count(*) AS n, sum(det_item_fee_sumamt) AS total "
             "FROM fees GROUP BY bilg_dept_codg, med_chrgitm_type ORDER BY bilg_dept_codg, med_chrgitm_type")


def timed(fn):
    gc.collect()
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def best(fn, repeat: int):
    runs = [timed(fn) for _ in range(repeat)]
    return min(runs, key=lambda r: r[0])


def rss_peak_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def build_case(scale: float, work: Path, data: Path | None) -> tuple[CaseStore, dict]:
    times = {}
    if data is None:
        data = work / "demo"
        times["generate"], _ = timed(lambda: generate(data, seed=7, scale=scale))
    info = CaseInfo(case_id="bench", name="分析基准", medins_code="H1", medins_name="基准医院", medins_lv="3",
                    data_period_start=dt.date(2024, 1, 1), data_period_end=dt.date(2024, 12, 31))
    store = CaseStore.create(work / "bench.fjcase", info, create_identity("基准", "B-1"))
    times["import"], _ = timed(lambda: import_folder(store, data))
    if "generate" in times:
        shutil.rmtree(data, ignore_errors=True)
    return store, times


# -- the pandas side: the same computations -----------------------------------------------------------------

def pandas_stats(s: pd.Series) -> dict:
    q = s.quantile([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99])
    return {"rows": len(s), "count": int(s.count()), "distinct": int(s.nunique()), "min": s.min(), "max": s.max(),
            "sum": s.sum(), "mean": s.mean(), "std": s.std(), "q": q.tolist(),
            "top": s.value_counts().head(10).to_dict()}


def pandas_strata(s: pd.Series, edges: list[float]) -> pd.DataFrame:
    bands = pd.cut(s, edges, right=False, include_lowest=True)
    g = s.groupby(bands, observed=False).agg(["count", "sum"])
    g["count_share"] = g["count"] / g["count"].sum()
    g["sum_share"] = g["sum"] / g["sum"].sum()
    return g


def pandas_group(df: pd.DataFrame) -> pd.DataFrame:
    return (df.groupby(["bilg_dept_codg", "med_chrgitm_type"], dropna=False)[AMOUNT].agg(["count", "sum"])
            .sort_index())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=10, help="demo scale (1 ≈ 150k fee lines; default 10)")
    ap.add_argument("--data", type=Path, help="an already generated demo folder (skips generation)")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each measurement (the fastest is shown)")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="feijian-analysis-bench-"))
    try:
        store, setup = build_case(args.scale, work, args.data)
        with store:
            return run(store, setup, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(store, setup: dict, args) -> int:
    r = args.repeat
    t_read1, fees_amount = best(lambda: load_table(store, "fees", [AMOUNT]), r)
    t_read3, fees3 = best(lambda: load_table(store, "fees", [AMOUNT, "bilg_dept_codg", "med_chrgitm_type"]), r)
    n = fees3.num_rows
    print(f"scale {args.scale:g}: {n:,} fee lines; " + ", ".join(f"{k} {v:.1f} s" for k, v in setup.items()))

    params_stats = {"table": "fees", "field": AMOUNT}
    params_strata = {"table": "fees", "field": AMOUNT, "edges": EDGES}
    t_stats, res_stats = best(lambda: run_analysis(store, "stats", params_stats), r)
    t_strata, _ = best(lambda: run_analysis(store, "stratify", params_strata), r)
    t_group, res_group = best(lambda: run_query(store, GROUP_SQL), r)

    con1 = locked_connection({"fees": fees_amount})
    con3 = locked_connection({"fees": fees3})
    d_stats, _ = best(lambda: A.field_statistics(con1, "fees", AMOUNT), r)
    d_strata, _ = best(lambda: A.stratify(con1, "fees", AMOUNT, EDGES), r)
    d_group, _ = best(lambda: execute_select(con3, GROUP_SQL), r)
    con1.close()
    con3.close()

    def to_pandas(t: pa.Table) -> pd.DataFrame:
        cols = {c: (pc.cast(t.column(c), pa.float64()) if c == AMOUNT else t.column(c)) for c in t.column_names}
        return pa.table(cols).to_pandas()

    c1, df1 = best(lambda: to_pandas(fees_amount), r)
    c3, df3 = best(lambda: to_pandas(fees3), r)
    p_stats, ps = best(lambda: pandas_stats(df1[AMOUNT]), r)
    p_strata, _ = best(lambda: pandas_strata(df1[AMOUNT], [float(e) for e in EDGES]), r)
    p_group, pg = best(lambda: pandas_group(df3), r)

    # the two agree (the pandas sum is float64, the store's decimal: compared to the cent)
    summary = res_stats.summary
    assert summary["count"] == ps["count"] and abs(float(summary["sum"]) - ps["sum"]) < 0.01 * max(1, n / 1e6)
    assert res_group.rows == len(pg), (res_group.rows, len(pg))

    print(f"{'':34s}{'feijian':>9s}{'read':>8s}{'duckdb':>9s}{'pandas':>9s}{'conv':>8s}"
          f"{'pd/duckdb':>11s}{'pd+conv/feijian':>17s}  target")
    for name, tf, tr, td, tp, tc in (("field statistics", t_stats, t_read1, d_stats, p_stats, c1),
                                     ("stratification (8 bands)", t_strata, t_read1, d_strata, p_strata, c1),
                                     ("GROUP BY dept, item type (SQL)", t_group, t_read3, d_group, p_group, c3)):
        print(f"{name:34s}{tf:8.2f}s{tr:7.2f}s{td:8.2f}s{tp:8.2f}s{tc:7.2f}s{tp / td:10.1f}x{(tp + tc) / tf:16.2f}x  "
              f"{'< 10 s ok' if tf < 10 else '> 10 s'}")
    print(f"peak memory {rss_peak_mb():,.0f} MB; {os.cpu_count()} cores; best of {r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
