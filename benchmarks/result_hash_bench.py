"""The cost of the order-independent result hash (casework/analysis_log, issue 17): the multiset hash (sort on
every column, then Arrow IPC through SHA-256) against the older ordered hash (Arrow IPC of the rows as they
came) of the same in-memory result, and a whole query through ``execute_select`` (which computes both).

    python benchmarks/result_hash_bench.py [--rows 1000000] [--quick]

Prints seconds per hash and the ratio multiset/ordered; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402

from feijian.casework.analysis_log import ordered_table_hash, table_hash  # noqa: E402
from feijian.casework.analysis_query import execute_select  # noqa: E402
from feijian.casework.analysis_source import locked_connection  # noqa: E402


def result(n: int) -> pa.Table:
    """Six columns like a fee-line result: id, an item code, a float, an amount, a time, a code with nulls,
    in random order."""
    rng = np.random.default_rng(1)
    t = pa.table({"id": pa.array(np.arange(n)), "item": pa.array([f"item{i % 5000}" for i in range(n)]),
                  "share": pa.array(rng.random(n)),
                  "amount": pa.array([Decimal(i) / 100 for i in range(n)], pa.decimal128(12, 2)),
                  "time": pa.array(np.arange(n).astype("datetime64[s]")),
                  "code": pa.array([f"x{i % 7}" if i % 3 else None for i in range(n)])})
    return t.take(pa.array(rng.permutation(n)))


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="100,000 rows")
    args = ap.parse_args(argv)
    n = 100_000 if args.quick else args.rows
    t = result(n)
    ordered, multiset = best(lambda: ordered_table_hash(t)), best(lambda: table_hash(t))
    con = locked_connection({"t": t})
    query = best(lambda: execute_select(con, "SELECT * FROM t ORDER BY item"), 2)
    group = best(lambda: execute_select(con, "SELECT item, count(*) AS n, sum(amount) AS s FROM t GROUP BY item"))
    print(f"{n:,} rows x 6 columns: ordered hash {ordered:.2f} s, multiset hash {multiset:.2f} s, "
          f"ratio {multiset / ordered:.1f}x, extra {(multiset - ordered) / n * 1e6:.2f} us/row")
    print(f"whole query of every row (ORDER BY item): {query:.2f} s; GROUP BY item (5,000 rows): {group:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
