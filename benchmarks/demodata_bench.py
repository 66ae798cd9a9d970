"""Demo-data generation: time and peak memory per scale (the done-when of issue 2: scale 100 < 2 GB).

    .venv/bin/python benchmarks/demodata_bench.py [SCALE ...]      (default: 1 2 20)

Each scale runs in a fresh child process so that its peak RSS (VmHWM) is its own; output goes to a
temporary folder that is removed afterwards. Prints fee lines, seconds, lines per second and peak MiB,
and the ratio of peak memory to the scale-1 peak (flat = streaming)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time

CHILD = """
import sys, time
from feijian.demodata import generate
t = time.perf_counter()
m = generate(sys.argv[1], seed=7, scale=float(sys.argv[2]))
secs = time.perf_counter() - t
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
print(m.counts["fees"], f"{secs:.2f}", hwm)
"""

LIMIT_MIB = 2048


def run(scale: float) -> tuple[int, float, float]:
    folder = tempfile.mkdtemp(prefix="feijian-demobench-")
    try:
        out = subprocess.run([sys.executable, "-c", CHILD, folder + "/out", str(scale)], capture_output=True,
                             text=True, check=True).stdout.split()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return int(out[0]), float(out[1]), int(out[2]) / 1024


def main(argv: list[str]) -> int:
    scales = [float(a) for a in argv] or [1.0, 2.0, 20.0]
    base = None
    ok = True
    print(f"{'scale':>7} {'fee lines':>11} {'seconds':>8} {'lines/s':>9} {'peak MiB':>9} {'peak/peak@1':>11}")
    for s in scales:
        t0 = time.perf_counter()
        lines, secs, peak = run(s)
        base = base or peak
        print(f"{s:>7g} {lines:>11,} {secs:>8.1f} {lines / secs:>9,.0f} {peak:>9.0f} {peak / base:>11.2f}", flush=True)
        ok &= peak < LIMIT_MIB
    print("peak memory under 2 GB at every scale" if ok else "PEAK MEMORY ABOVE 2 GB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
