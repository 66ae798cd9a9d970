"""Sampling at hospital-year scale: frame building and each method's draw over synthetic fee lines.

    python benchmarks/sampling_bench.py            # 5,000,000 lines
    python benchmarks/sampling_bench.py --quick    # 500,000 lines

Baseline: sorting the raw key columns with pandas (the least any frame needs). Prints seconds and the ratio
to the baseline, and checks that a re-draw with the same seed selects the same units.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd
import pyarrow as pa

from feijian.casework.sampling import build_frame, draw


def synthetic(lines: int, seed: int = 1) -> tuple[pa.Table, pa.Table]:
    rng = np.random.default_rng(seed)
    visits = lines // 40
    mdtrt = rng.integers(0, visits, lines)
    fees = pa.table({
        "mdtrt_id": pa.array([f"M{v:08d}" for v in mdtrt]),
        "feedetl_sn": pa.array([str(i) for i in range(lines)]),
        "det_item_fee_sumamt": pa.array(np.round(rng.gamma(1.5, 80.0, lines), 2)),
        "bilg_dept_codg": pa.array([f"D{d:02d}" for d in rng.integers(0, 30, lines)]),
    })
    v = pa.table({"mdtrt_id": pa.array([f"M{v:08d}" for v in range(visits)])})
    return fees, v


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main() -> int:
    n = 500_000 if "--quick" in sys.argv else 5_000_000
    fees, visits = synthetic(n)
    _, base = timed(lambda: fees.select(["mdtrt_id", "feedetl_sn"]).to_pandas().sort_values(["mdtrt_id", "feedetl_sn"]))
    print(f"{n:,} fee lines; baseline (pandas sort of the key columns): {base:.2f} s")
    for unit in ("line", "encounter"):
        frame, t = timed(lambda: build_frame(fees, visits, unit=unit))
        print(f"frame[{unit}]: {len(frame):,} units, {t:.2f} s ({t / base:.1f}× baseline)")
        for method in ("srs", "systematic", "stratified", "mus"):
            s1, t1 = timed(lambda: draw(frame, method, 200, 20260315))
            s2 = draw(frame, method, 200, 20260315)
            print(f"  {method:<10} {t1:.2f} s (incl. population hash), same on re-draw: {s1.selected == s2.selected}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
