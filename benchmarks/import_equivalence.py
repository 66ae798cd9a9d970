"""The stored case before and after a change to the import (issue 21): a folder imported into a fresh
encrypted case (temporary folder, removed afterwards), then every stored table read back and digested
chunk by chunk (month, rows, SHA-256 of each row's values in storage order), plus the refused and noted
rows (file, line, field, SHA-256 of the value, reason, count; not the batch id) and the files of the batch (name, table,
rows, SHA-256). Writes the digests to ``--digests``, or compares with the file when it exists. Only
hashes leave the process.

    .venv/bin/python benchmarks/import_equivalence.py --data /tmp/feijian-bench/scale-10/tables --digests /tmp/before.json
    # the new code, the same command: SAME, or the first table / chunk that differs
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).parent))
from import_bench import bench_case  # noqa: E402

from feijian.casework.importing import import_folder  # noqa: E402


def _h(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def table_digest(table: pa.Table) -> str:
    """SHA-256 over every row (its values as Python objects, in column order) in order; without ``_batch``,
    the batch's id (new in every import)."""
    table = table.drop_columns([c for c in ("_batch",) if c in table.column_names])
    h = hashlib.sha256(repr(table.column_names).encode() + repr(table.schema.types).encode())
    for batch in table.to_batches(max_chunksize=50_000):
        cols = [c.to_pylist() for c in batch.columns]
        for row in zip(*cols):
            h.update(hashlib.sha256(repr(row).encode()).digest())
    return h.hexdigest()


def digests(folder: Path) -> dict:
    with bench_case("feijian-equiv-") as (store, _path):
        summary = import_folder(store, folder)
        out: dict = {"tables": {}, "refused": len(summary.rejected)}
        for table in sorted(store.table_row_counts()):
            out["tables"][table] = {"rows": 0, "chunks": []}
            for (month, rows), part in zip(((c["month"], c["rows"]) for c in store.chunk_summary()
                                            if c["table"] == table), store.iter_table(table)):
                out["tables"][table]["chunks"].append([month, rows, table_digest(part)])
                out["tables"][table]["rows"] += rows
        out["problems"] = [[p["kind"], p["file"], p["line"], p["field"], _h(p["value"]), p["reason"], p["count"]]
                           for p in store.import_problems()]
        out["files"] = sorted([f.file_name, f.table, f.rows, f.sha256] for f in summary.files)
        return out


def compare(before: dict, after: dict) -> list[str]:
    diffs = []
    for key in ("refused", "files", "problems"):
        if before[key] != after[key]:
            diffs.append(f"{key} differ")
    for table in sorted(set(before["tables"]) | set(after["tables"])):
        b, a = before["tables"].get(table), after["tables"].get(table)
        if b != a:
            first = next((i for i, (x, y) in enumerate(zip((b or {}).get("chunks", []), (a or {}).get("chunks", [])))
                          if x != y), None)
            diffs.append(f"{table} differs (rows {b and b['rows']} / {a and a['rows']}, first chunk {first})")
    return diffs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True, help="a folder of extracts")
    ap.add_argument("--digests", type=Path, required=True, help="written if absent, else compared with")
    args = ap.parse_args(argv)
    got = digests(args.data)
    print(f"refused {got['refused']}; " + ", ".join(f"{t} {v['rows']} rows / {len(v['chunks'])} chunks"
                                                   for t, v in got["tables"].items()))
    if not args.digests.exists():
        args.digests.write_text(json.dumps(got))
        print(f"digests written to {args.digests}")
        return 0
    diffs = compare(json.loads(args.digests.read_text()), json.loads(json.dumps(got)))
    print("SAME" if not diffs else "DIFFERENT:\n  " + "\n  ".join(diffs))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
