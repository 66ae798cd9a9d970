"""Build the frozen one-folder app and (on Linux) the tarball; report sizes.

    python installer/build.py [--selftest] [--tarball]

Outputs go to `dist/feijian/` (the bundle) and `dist/feijian-<version>-linux-x86_64.tar.gz`.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build() -> Path:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller"), str(ROOT / "installer" / "feijian.spec")],
        check=True, cwd=ROOT,
    )
    bundle = DIST / "feijian"
    print(f"built {bundle} in {time.perf_counter() - t0:.0f} s; unpacked size {tree_size(bundle) / 2**20:.0f} MB")
    return bundle


def linux_tarball(bundle: Path) -> Path:
    from feijian import __version__

    stage = DIST / "stage" / f"feijian-{__version__}"
    if stage.parent.exists():
        shutil.rmtree(stage.parent)
    shutil.copytree(bundle, stage / "feijian")
    for name in ("feijian.desktop", "feijian.svg", "feijian-mime.xml", "install.sh"):
        shutil.copy2(ROOT / "installer" / "linux" / name, stage / name)
    out = DIST / f"feijian-{__version__}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(stage, arcname=stage.name)
    print(f"tarball {out.name}: {out.stat().st_size / 2**20:.0f} MB compressed")
    return out


def selftest(bundle: Path) -> None:
    exe = bundle / ("feijian.exe" if os.name == "nt" else "feijian")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([str(exe), "--selftest"], check=True, env=env)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--selftest", action="store_true", help="run `feijian --selftest` inside the bundle")
    ap.add_argument("--tarball", action="store_true", help="pack the Linux tarball with .desktop file and icon")
    args = ap.parse_args()
    bundle = build()
    if args.selftest:
        selftest(bundle)
    if args.tarball and sys.platform.startswith("linux"):
        linux_tarball(bundle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
