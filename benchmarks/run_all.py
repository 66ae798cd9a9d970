"""Run every benchmark in this folder, one after another, and print their reports.

    python benchmarks/run_all.py            # each benchmark at its default (full) size
    python benchmarks/run_all.py --quick    # each at its small size, for a quick look

Each benchmark measures its baseline in the same run and prints the ratio; nothing here is a pass/fail test.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    extra = sys.argv[1:]
    failures = 0
    for script in sorted(HERE.glob("*_bench.py")):
        print(f"\n=== {script.name} {' '.join(extra)} ===", flush=True)
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, str(script), *extra])
        print(f"=== {script.name}: exit {res.returncode}, {time.perf_counter() - t0:.0f} s ===", flush=True)
        failures += res.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
