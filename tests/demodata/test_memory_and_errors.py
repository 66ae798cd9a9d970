"""Streaming keeps memory bounded (measured in a child process); bad input gets a clear error; a cancelled
generation leaves no files behind."""

from __future__ import annotations

import subprocess
import sys

import pytest

from feijian.cli import main
from feijian.demodata import generate
from feijian.domain.errors import Cancelled, InputError

# Peak RSS of the child itself: VmHWM of /proc/self/status. (getrusage's ru_maxrss would not do: Linux carries
# the parent's high-water mark across fork and exec, so under pytest it reports the test process's size.)
CHILD = """
import sys
from feijian.demodata import generate
m = generate(sys.argv[1], seed=3, scale=float(sys.argv[2]))
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
print(m.counts["fees"], hwm)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the peak RSS from /proc")
def test_scale_1_streams_in_little_memory(tmp_path):
    """Scale 1 (≈150k fee lines) in a child process; scale 2 to 100 are measured by
    benchmarks/demodata_bench.py (they take longer than a unit test should)."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "s1"), "1"], capture_output=True, text=True,
                          check=True, timeout=300)
    fees, peak_kib = map(int, done.stdout.split())
    assert fees > 120_000
    assert peak_kib < 200 * 1024, f"peak RSS {peak_kib / 1024:.0f} MiB"


@pytest.mark.parametrize("scale", [0, -1, float("nan"), 10_000])
def test_bad_scale(tmp_path, scale):
    with pytest.raises(InputError):
        generate(tmp_path / "x", scale=scale)


def test_out_dir_is_a_file(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("x")
    assert main(["demo-data", str(target), "--scale", "0.05"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a folder" in err[0]


def test_cancel_removes_partial_files(tmp_path):
    calls = []

    def progress(done, total, message):
        calls.append(done)

    out = tmp_path / "cancelled"
    with pytest.raises(Cancelled):
        generate(out, scale=0.05, progress=progress, cancelled=lambda: len(calls) >= 3)
    assert calls[:3] == [1, 2, 3]
    assert [p for p in out.rglob("*") if p.is_file()] == []
