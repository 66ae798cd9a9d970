"""Benchmark: the inspection report with 300 findings and 10,000 annex lines (target < 30 s).

Run: .venv/bin/python benchmarks/report_bench.py — prints the time, pages, size and the ratio to the target.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "reports"))

from report_sample import make_context  # noqa: E402

from feijian.reports.documents import render_bytes  # noqa: E402
from feijian.reports.issue import count_pages  # noqa: E402

TARGET_S = 30.0


def main() -> int:
    # 300 findings x 12 hits x 3 lines = 10,800 annex lines
    ctx = make_context(n_findings=300, lines_per_finding=36)
    n_lines = len(ctx.hit_lines)
    for doc in ("report", "problem-list"):
        t0 = time.perf_counter()
        pdf = render_bytes(doc, ctx)
        elapsed = time.perf_counter() - t0
        print(f"{doc}: {len(ctx.findings)} findings, {n_lines:,} annex lines -> {count_pages(pdf)} pages, "
              f"{len(pdf) / 1e6:.1f} MB in {elapsed:.1f} s (target {TARGET_S:.0f} s, ratio {elapsed / TARGET_S:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
