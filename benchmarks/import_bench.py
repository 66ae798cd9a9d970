"""Import benchmark (issues 3, 21): demo data at scale 10 / 100 imported into an encrypted case, against a
bare ``pyarrow.csv.read_csv`` of the same files in the same run, twice: the files as the generator writes
them (fees and visits in GBK) and the same files transcoded to UTF-8.

    .venv/bin/python benchmarks/import_bench.py --scale 10 [--scale 100] [--data DIR] [--keep | --cache DIR]

Each measurement runs in its own process, so its peak memory (max RSS) is its own. Prints rows/s, seconds,
peak memory and the ratio import / bare read for GBK and UTF-8. Targets: ratio ≤ 3, peak < 3 GB at scale 100.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEXT = (".csv", ".txt", ".tsv")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _encoding_of(path: Path) -> str:
    from feijian.ingest.encoding import Decoder

    dec = Decoder(path.name)
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    cut = head.rfind(b"\n")
    dec.to_utf8(dec.start(head)[: cut + 1] if cut > 0 else head, 1)
    return {"utf-8-sig": "utf-8-sig", "gbk": "gb18030", "gb18030": "gb18030"}.get(dec.encoding or "utf-8", "utf-8")


def _delimiter_of(path: Path, encoding: str) -> str:
    from feijian.ingest.csvfile import sniff_delimiter

    with open(path, "rb") as fh:
        header = fh.readline()
    return sniff_delimiter(header.decode(encoding, errors="replace"))


def phase_bare(folder: Path) -> dict:
    """Every text file read by ``pyarrow.csv.read_csv`` as strings (its own transcoding for GBK)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    t = time.perf_counter()
    cpu = _cpu()
    rows = 0
    for p in sorted(folder.iterdir()):
        if p.suffix.lower() in TEXT and p.stat().st_size:
            enc = _encoding_of(p)
            with open(p, "rb") as fh:
                header = fh.readline()
            names = [c.strip() for c in header.decode(enc).lstrip("\ufeff").strip().split(_delimiter_of(p, enc))]
            table = pcsv.read_csv(
                p,
                read_options=pcsv.ReadOptions(encoding="utf8" if enc.startswith("utf-8") else enc),
                parse_options=pcsv.ParseOptions(delimiter=_delimiter_of(p, enc), newlines_in_values=True),
                convert_options=pcsv.ConvertOptions(column_types={n: pa.string() for n in names}),
            )
            rows += table.num_rows
            del table
    return {"seconds": time.perf_counter() - t, "cpu": _cpu() - cpu, "rows": rows, "peak_mb": _peak_mb()}


@contextlib.contextmanager
def bench_case(prefix: str = "feijian-bench-"):
    """A fresh encrypted case in a temporary folder (fast KDF): yields ``(store, case_path)``, removed after.
    Shared by the import benchmarks, so each measures the same store set-up."""
    os.environ.setdefault("FEIJIAN_KDF_FAST", "1")
    from feijian.crypto.identity import create_identity
    from feijian.domain.records import CaseInfo
    from feijian.store.case_store import CaseStore

    work = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        ident = create_identity("基准测试", "B-1")
        info = CaseInfo(case_id="bench", name="bench", medins_code="H1", medins_name="bench", medins_lv="3")
        path = work / "bench.fjcase"
        store = CaseStore.create(path, info, ident)
        try:
            yield store, path
        finally:
            store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def phase_import(folder: Path) -> dict:
    from feijian.casework.importing import import_folder

    with bench_case() as (store, path):
        t = time.perf_counter()
        cpu = _cpu()
        summary = import_folder(store, folder)
        secs = time.perf_counter() - t
        cpu = _cpu() - cpu
        store.close()
        size = path.stat().st_size
        text_rows = sum(f.rows for f in summary.files if f.encoding != "xlsx")
        fee_rows = sum(f.rows for f in summary.files if f.table == "fees")
        return {"seconds": secs, "cpu": cpu, "rows": text_rows, "fee_rows": fee_rows, "refused": len(summary.rejected),
                "peak_mb": _peak_mb(), "case_mb": size / 1e6}


def run_phase(phase: str, folder: Path, repeat: int = 1, script: str = __file__) -> dict:
    """``script --phase phase --data folder`` in a fresh process, ``repeat`` times; the fastest run (the machine
    may be shared). Its last stdout line is the phase's JSON."""
    runs = []
    for _ in range(max(1, repeat)):
        out = subprocess.run([sys.executable, script, "--phase", phase, "--data", str(folder)],
                             check=True, capture_output=True, text=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return min(runs, key=lambda r: r["seconds"])


def generate(scale: float, out: Path) -> Path:
    from feijian.demodata import generate as gen

    t = time.perf_counter()
    gen(out, scale=scale, seed=7)
    print(f"  generated scale {scale:g} in {time.perf_counter() - t:.0f} s", flush=True)
    return out


def data_only(folder: Path, dest: Path) -> Path:
    """The table files of a demo folder (not its kb/ and meta/ subfolders)."""
    dest.mkdir(parents=True, exist_ok=True)
    for p in folder.iterdir():
        if p.is_file() and not p.name.startswith("."):
            target = dest / p.name
            if not target.exists():
                os.link(p, target) if p.stat().st_dev == dest.stat().st_dev else shutil.copy2(p, target)
    return dest


def as_utf8(folder: Path, dest: Path) -> Path:
    """A copy of ``folder`` with every text file transcoded to UTF-8 (no BOM), the workbooks as they are."""
    dest.mkdir(parents=True, exist_ok=True)
    for p in folder.iterdir():
        if not p.is_file() or (dest / p.name).exists():
            continue
        if p.suffix.lower() in TEXT and p.stat().st_size:
            enc = _encoding_of(p)
            with open(p, "rb") as src, open(dest / p.name, "wb") as out:
                if enc == "utf-8-sig":
                    src.read(3)
                while True:
                    chunk = src.read(16 << 20)
                    if not chunk:
                        break
                    chunk += src.readline()
                    out.write(chunk.decode(enc).encode("utf-8") if not enc.startswith("utf-8") else chunk)
        else:
            shutil.copy2(p, dest / p.name)
    return dest


def replicate(folder: Path, k: int, dest: Path) -> Path:
    """A folder whose fee file holds ``k`` copies of ``folder``'s fee lines (serial numbers prefixed with the
    copy number, refunds too), the other tables as they are: scale ×k fee lines without the generator's time."""
    import re

    from feijian.domain.contract import load_contract

    spec = load_contract().table("fees")
    data_only(folder, dest)
    fee = next(p for p in folder.iterdir() if p.is_file() and spec.matches_name(p.stem))
    (dest / fee.name).unlink(missing_ok=True)
    line = re.compile(rb"(?m)^([^,\r\n]+),([^,\r\n]*),([^,\r\n]*),")
    with open(fee, "rb") as src, open(dest / fee.name, "wb") as out:
        header = src.readline()
        out.write(header)
        body_start = src.tell()
        for copy in range(k):
            src.seek(body_start)
            tag = b"R%d" % copy

            def sub(m, tag=tag):
                init = tag + m.group(3) if m.group(3) else b""
                return tag + m.group(1) + b"," + m.group(2) + b"," + init + b","

            while True:
                chunk = src.read(32 << 20)
                if not chunk:
                    break
                chunk += src.readline()
                out.write(line.sub(sub, chunk))
    return dest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, action="append", help="demo scale (repeatable), default 10")
    ap.add_argument("--data", type=Path, help="use this folder of extracts instead of generating")
    ap.add_argument("--keep", action="store_true", help="keep generated data in ./bench-data-<scale>")
    ap.add_argument("--cache", type=Path,
                    help="keep generated data in DIR/scale-<scale> and reuse it on the next run (e.g. /tmp/feijian-bench)")
    ap.add_argument("--replicate", type=int, default=1,
                    help="repeat the fee lines K times (prefixed serial numbers): scale ×K without the generator")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each phase; the fastest counts (default 3)")
    ap.add_argument("--phase", choices=("bare", "import"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        res = phase_bare(args.data) if args.phase == "bare" else phase_import(args.data)
        print(json.dumps(res))
        return
    targets = [(None, args.data)] if args.data else [(s, None) for s in (args.scale or [10.0])]
    for scale, folder in targets:
        tmp = None
        if folder is None:
            if args.cache:
                base = args.cache / f"scale-{scale:g}"
            else:
                base = Path(f"bench-data-{scale:g}") if args.keep else Path(tempfile.mkdtemp(prefix="feijian-demo-"))
            tmp = None if (args.keep or args.cache) else base
            if not (base / "raw" / ".complete").exists():  # a generation cut short is made again
                shutil.rmtree(base, ignore_errors=True)
                generate(scale, base / "raw")
                (base / "raw" / ".complete").touch()
            folder = data_only(base / "raw", base / "tables")
        if args.replicate > 1:
            target = folder.parent / f"tables-x{args.replicate}"
            if not target.exists():
                t = time.perf_counter()
                replicate(folder, args.replicate, target)
                print(f"  replicated fee lines ×{args.replicate} in {time.perf_counter() - t:.0f} s", flush=True)
            folder = target
        size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 1e6
        print(f"data: {folder} ({size:.0f} MB)", flush=True)
        utf8 = as_utf8(folder, folder.parent / (folder.name + "-utf8"))
        ratios = []
        for label, where in (("GBK (as generated)", folder), ("UTF-8", utf8)):
            bare = run_phase("bare", where, args.repeat)
            imp = run_phase("import", where, args.repeat)
            ratio = imp["seconds"] / bare["seconds"] if bare["seconds"] else float("nan")
            ratios.append((label, ratio, imp["cpu"] / bare["cpu"] if bare["cpu"] else float("nan")))
            print(f"scale {scale if scale is not None else '-'}, {label}: {imp['fee_rows']:,} fee lines, {imp['rows']:,} text rows")
            print(f"  bare pyarrow.csv.read_csv: {bare['seconds']:.2f} s (CPU {bare['cpu']:.1f} s), {bare['rows'] / bare['seconds']:,.0f} rows/s, "
                  f"peak {bare['peak_mb']:.0f} MB")
            print(f"  feijian import (read, validate, hash, store encrypted): {imp['seconds']:.2f} s (CPU {imp['cpu']:.1f} s), "
                  f"{imp['rows'] / imp['seconds']:,.0f} rows/s, peak {imp['peak_mb']:.0f} MB, case file {imp['case_mb']:.0f} MB, "
                  f"{imp['refused']} refused", flush=True)
        print(f"scale {scale if scale is not None else '-'} ratio import / bare read: "
              + ", ".join(f"{lab} {r:.2f}" for lab, r, _ in ratios) + "  (target ≤ 3); in CPU seconds: "
              + ", ".join(f"{lab} {c:.2f}" for lab, _, c in ratios), flush=True)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
