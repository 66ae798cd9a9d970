"""Encrypted case store vs plain Parquet vs a plain sqlite3 table, for fee-line-shaped rows.

Writes N fee lines into each (the case: compressed Arrow IPC chunks per month inside SQLCipher), reads each
back into Arrow, prints times and ratios. Targets (issue 5): encrypted case within 1.5x of Parquet for write
and read; a 15M-line read into Arrow under 10 s.

    .venv/bin/python benchmarks/store_bench.py --quick      # 1M rows
    .venv/bin/python benchmarks/store_bench.py              # 1M and 15M rows
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

os.environ.setdefault("FEIJIAN_KDF_FAST", "1")

from feijian.crypto.identity import create_identity  # noqa: E402
from feijian.domain.records import CaseInfo  # noqa: E402
from feijian.store.case_store import CaseStore  # noqa: E402


def fee_lines(n: int, seed: int = 1) -> pa.Table:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00:00", "s")
    times = start + rng.integers(0, 365 * 86400, n).astype("timedelta64[s]")
    times.sort()
    codes = np.array([f"XB01AC{i:04d}" for i in range(3000)] + [f"00120100{i:07d}" for i in range(2000)])
    visit = np.arange(n) // 40
    amounts = rng.integers(100, 5_000_00, n)  # cents
    return pa.table({
        "feedetl_sn": pa.array(np.char.add("F", np.arange(n).astype(str))),
        "mdtrt_id": pa.array(np.char.add("M", visit.astype(str))),
        "drord_no": pa.array(np.char.add("D", (np.arange(n) // 5).astype(str))),
        "fee_ocur_time": pa.array(times, pa.timestamp("s")),
        "med_list_codg": pa.array(codes[rng.integers(0, len(codes), n)]),
        "cnt": pa.array(rng.integers(1, 10, n), pa.int32()).cast(pa.decimal128(18, 4)),
        "pric": pa.array(amounts.astype(np.int32), pa.int32()).cast(pa.decimal128(18, 4)),
        "det_item_fee_sumamt": pa.array(amounts.astype(np.int32), pa.int32()).cast(pa.decimal128(18, 4)),
        "bilg_dept_codg": pa.array(np.char.add("K", rng.integers(0, 60, n).astype(str))),
        "_batch": pa.array(np.full(n, "batch-1")),
        "_line": pa.array(np.arange(2, n + 2, dtype=np.int64)),
    })


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def bench(n: int, folder: Path, sqlite_max: int) -> dict:
    data = fee_lines(n)
    res = {}
    me = create_identity("bench", "0")

    def case_write():
        with CaseStore.create(folder / f"bench{n}.fjcase", CaseInfo(f"c{n}", "bench", "H", "H", "3"), me) as s:
            s.write_table("batch-1", "fees", data)

    res["case write"], _ = timed(case_write)

    def case_read():
        with CaseStore.open(folder / f"bench{n}.fjcase", me) as s:
            return s.read_table("fees")

    res["case read"], back = timed(case_read)
    assert back.num_rows == n
    del back

    pq_path = folder / f"bench{n}.parquet"
    res["parquet write"], _ = timed(lambda: pq.write_table(data, pq_path))
    res["parquet read"], back = timed(lambda: pq.read_table(pq_path))
    assert back.num_rows == n
    del back

    db_path = folder / f"bench{n}.sqlite"
    cols = data.column_names
    py_cols = [data.column(c).cast(pa.string()) if pa.types.is_decimal(data.schema.field(c).type)
               or pa.types.is_timestamp(data.schema.field(c).type) else data.column(c) for c in cols]

    def sqlite_write():
        conn = sqlite3.connect(db_path)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"CREATE TABLE fees ({', '.join(cols)})")
        step = 200_000
        for off in range(0, n, step):
            rows = zip(*[c.slice(off, step).to_pylist() for c in py_cols])
            conn.executemany(f"INSERT INTO fees VALUES ({', '.join('?' * len(cols))})", rows)
            conn.commit()
        conn.close()

    if n > sqlite_max:
        res["sqlite3 write"] = res["sqlite3 read"] = float("nan")
        res["case MB"] = (folder / f"bench{n}.fjcase").stat().st_size / 1e6
        res["parquet MB"] = pq_path.stat().st_size / 1e6
        res["sqlite3 MB"] = float("nan")
        for p in folder.glob(f"bench{n}*"):
            p.unlink()
        return res
    res["sqlite3 write"], _ = timed(sqlite_write)

    def sqlite_read():
        conn = sqlite3.connect(db_path)
        cur = conn.execute("SELECT * FROM fees")
        names = [d[0] for d in cur.description]
        batches = []
        while True:
            rows = cur.fetchmany(200_000)
            if not rows:
                break
            batches.append(pa.table(dict(zip(names, map(list, zip(*rows))))))
        conn.close()
        return pa.concat_tables(batches)

    res["sqlite3 read"], back = timed(sqlite_read)
    assert back.num_rows == n
    del back
    res["case MB"] = (folder / f"bench{n}.fjcase").stat().st_size / 1e6
    res["parquet MB"] = pq_path.stat().st_size / 1e6
    res["sqlite3 MB"] = (db_path.stat().st_size) / 1e6
    for p in folder.glob(f"bench{n}*"):
        p.unlink()
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1M rows only")
    ap.add_argument("--rows", type=int, nargs="*", help="row counts (default 1M and 15M)")
    ap.add_argument("--sqlite-max", type=int, default=15_000_000,
                    help="skip the plain sqlite3 baseline above this many rows (it goes through Python objects: minutes)")
    args = ap.parse_args()
    sizes = args.rows or ([1_000_000] if args.quick else [1_000_000, 15_000_000])
    with tempfile.TemporaryDirectory(prefix="feijian-bench-") as tmp:
        for n in sizes:
            r = bench(n, Path(tmp), args.sqlite_max)
            print(f"--- {n:,} fee lines ---")
            for k in ("case write", "parquet write", "sqlite3 write", "case read", "parquet read", "sqlite3 read"):
                print(f"{k:15s} {r[k]:7.2f} s")
            print(f"sizes: case {r['case MB']:.0f} MB, parquet {r['parquet MB']:.0f} MB, sqlite3 {r['sqlite3 MB']:.0f} MB")
            print(f"ratio case/parquet: write {r['case write'] / r['parquet write']:.2f}x, read {r['case read'] / r['parquet read']:.2f}x "
                  f"(target <= 1.5x)")
            print(f"ratio case/sqlite3: write {r['case write'] / r['sqlite3 write']:.2f}x, read {r['case read'] / r['sqlite3 read']:.2f}x")
            if n >= 15_000_000:
                print(f"15M read into Arrow: {r['case read']:.2f} s (target < 10 s)")


if __name__ == "__main__":
    main()
