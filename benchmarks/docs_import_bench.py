"""Record documents import benchmark (issue 14, records.md): ``emr_docs`` imported into an encrypted case,
against a bare baseline over the same bytes in the same run, for two shapes:

* ``many``: 200,000 short documents in one CSV with the text (a nursing or progress note each);
* ``large``: an index naming one 20 MB text document beside it (a long operation or course record).

The baseline is ``pyarrow.csv.read_csv`` of the CSV (the index) as strings plus ``hashlib.sha256`` over every
byte read (the CSV, the document file): what any import must at least do. feijian's import also decodes
strictly, validates every field, reads the document file, computes the normal text the rules read
(``_text_norm``), compresses and encrypts the chunks and records the batch.

    .venv/bin/python benchmarks/docs_import_bench.py            # 200,000 documents and 20 MB
    .venv/bin/python benchmarks/docs_import_bench.py --quick    # 20,000 documents and 2 MB

Each measurement runs in its own process (its peak memory, max RSS, is its own); the fastest of
``--repeat`` runs counts (the machine may be shared). Prints seconds, documents or MB per second, peak memory
and the ratio import / baseline side by side.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import import_bench  # noqa: E402  (the shared bench case, CPU and peak-memory readings, the phase runner)
from import_bench import _cpu, _peak_mb, bench_case  # noqa: E402

CLAUSES = (
    "患者神志清，精神可", "一级护理", "二级护理", "生命体征平稳", "体温{t}℃", "脉搏{p}次/分", "血压{s}/{d}mmHg",
    "诉胸闷较前好转", "未诉特殊不适", "遵医嘱予静脉输液", "穿刺点无渗血", "饮食睡眠可", "大小便正常",
    "继续目前治疗方案", "查房后指示：完善相关检查", "复查血常规", "予心电监护", "双肺呼吸音清",
    "术中植入药物洗脱支架{n}枚", "切口敷料干燥", "患者在病房", "嘱其卧床休息", "家属陪护",
)
TYPES = ("护理记录", "病程记录", "检查报告", "检验报告", "治疗记录")


def _note(rng: random.Random, clauses: int) -> str:
    parts = [rng.choice(CLAUSES).format(t=f"{36 + rng.random() * 2:.1f}", p=rng.randint(60, 110),
                                        s=rng.randint(100, 150), d=rng.randint(60, 95), n=rng.randint(1, 3))
             for _ in range(clauses)]
    return "，".join(parts) + "。"


def make_many(folder: Path, n: int) -> Path:
    """``n`` short documents (about 60 characters) in one UTF-8 CSV with the text."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    path = folder / "病历文书.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["文书ID", "就诊ID", "文书类型", "记录时间", "标题", "内容"])
        for i in range(n):
            kind = TYPES[i % len(TYPES)]
            w.writerow([f"D{i:07d}", f"M{i // 20:06d}", kind, f"2024-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:00",
                        kind, _note(rng, 5)])
    return path


def make_large(folder: Path, mb: int) -> Path:
    """An index naming one text document of about ``mb`` MB (UTF-8, lines of a few clauses)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(11)
    (folder / "files").mkdir(exist_ok=True)
    target = mb << 20
    with open(folder / "files" / "long.txt", "w", encoding="utf-8") as fh:
        written = 0
        day = 0
        while written < target:
            line = f"第{day // 40 + 1}日 " + _note(rng, 8) + "\n"
            fh.write(line)
            written += len(line.encode("utf-8"))
            day += 1
    path = folder / "病历文书索引.csv"
    path.write_text("文书ID,就诊ID,文书类型,记录时间,标题,文件\nL1,M000001,病程记录,2024-01-05 08:00,病程记录,files/long.txt\n",
                    encoding="utf-8")
    return path


# ---- the phases (each in its own process) ----------------------------------------------------------------
def phase_baseline(folder: Path) -> dict:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    t, cpu = time.perf_counter(), _cpu()
    rows = 0
    nbytes = 0
    for index in sorted(folder.glob("*.csv")):
        with open(index, "rb") as fh:
            header = fh.readline().decode("utf-8").strip().split(",")
        table = pcsv.read_csv(index, parse_options=pcsv.ParseOptions(newlines_in_values=True),
                              convert_options=pcsv.ConvertOptions(column_types={c: pa.string() for c in header}))
        rows += table.num_rows
        files = [index]
        if "文件" in header:
            files += [index.parent / f for f in table.column("文件").to_pylist()]
        for f in files:
            h = hashlib.sha256()
            with open(f, "rb") as fh:
                while block := fh.read(8 << 20):
                    h.update(block)
                    nbytes += len(block)
        del table
    return {"seconds": time.perf_counter() - t, "cpu": _cpu() - cpu, "rows": rows, "bytes": nbytes,
            "peak_mb": _peak_mb()}


def phase_import(folder: Path) -> dict:
    from feijian.casework.importing import import_folder

    with bench_case("feijian-docs-bench-") as (store, path):
        reports = []
        t, cpu = time.perf_counter(), _cpu()
        summary = import_folder(store, folder, progress=lambda d, tot, m="": reports.append(d))
        secs, cpu = time.perf_counter() - t, _cpu() - cpu
        rows = store.table_row_counts().get("emr_docs", 0)
        store.close()
        size = path.stat().st_size
        return {"seconds": secs, "cpu": cpu, "rows": rows, "refused": len(summary.rejected),
                "peak_mb": _peak_mb(), "case_mb": size / 1e6, "progress_reports": len(reports),
                "monotonic": reports == sorted(reports)}


def run_phase(phase: str, folder: Path, repeat: int) -> dict:
    return import_bench.run_phase(phase, folder, repeat, script=__file__)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="20,000 documents and a 2 MB document")
    ap.add_argument("--docs", type=int, help="short documents in the CSV (default 200,000)")
    ap.add_argument("--mb", type=int, help="size of the large document in MB (default 20)")
    ap.add_argument("--repeat", type=int, help="runs of each phase; the fastest counts (default 3, --quick 1)")
    ap.add_argument("--phase", choices=("baseline", "import"), help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        res = phase_baseline(args.data) if args.phase == "baseline" else phase_import(args.data)
        print(json.dumps(res))
        return
    n = args.docs or (20_000 if args.quick else 200_000)
    mb = args.mb or (2 if args.quick else 20)
    repeat = args.repeat or (1 if args.quick else 3)
    base = Path(tempfile.mkdtemp(prefix="feijian-docs-data-"))
    try:
        t = time.perf_counter()
        many = make_many(base / "many", n).parent
        large = make_large(base / "large", mb).parent
        print(f"data: {n:,} short documents ({sum(p.stat().st_size for p in many.iterdir()) / 1e6:.0f} MB CSV), "
              f"one {mb} MB document beside an index; written in {time.perf_counter() - t:.0f} s", flush=True)
        lines = []
        for label, folder in ((f"{n:,} short documents, CSV with text", many),
                              (f"one {mb} MB document, index with a file", large)):
            bare = run_phase("baseline", folder, repeat)
            imp = run_phase("import", folder, repeat)
            ratio = imp["seconds"] / bare["seconds"] if bare["seconds"] else float("nan")
            cpu_ratio = imp["cpu"] / bare["cpu"] if bare["cpu"] else float("nan")
            mbytes = bare["bytes"] / 1e6
            print(f"{label}:")
            print(f"  baseline (pyarrow.csv.read_csv + sha256 over {mbytes:.0f} MB): {bare['seconds']:.2f} s "
                  f"(CPU {bare['cpu']:.1f} s), {bare['rows'] / bare['seconds']:,.0f} docs/s, {mbytes / bare['seconds']:.0f} MB/s, "
                  f"peak {bare['peak_mb']:.0f} MB")
            print(f"  feijian import (decode, validate, read files, normal text, encrypt, custody): {imp['seconds']:.2f} s "
                  f"(CPU {imp['cpu']:.1f} s), {imp['rows'] / imp['seconds']:,.0f} docs/s, {mbytes / imp['seconds']:.0f} MB/s, "
                  f"peak {imp['peak_mb']:.0f} MB, case file {imp['case_mb']:.0f} MB, {imp['rows']:,} stored, "
                  f"{imp['refused']} refused, {imp['progress_reports']} progress reports"
                  f"{'' if imp['monotonic'] else ' (NOT monotonic)'}", flush=True)
            lines.append((label, ratio, cpu_ratio, imp["peak_mb"] / max(1.0, bare["peak_mb"])))
        print("ratio import / baseline: " + "; ".join(
            f"{lab}: {r:.2f} (CPU {c:.2f}, peak memory {m:.2f})" for lab, r, c, m in lines), flush=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
