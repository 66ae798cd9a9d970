"""Build the frozen one-folder app and (on Linux) the tarballs; report sizes.

    python installer/build.py [--selftest] [--tarball] [--xz] [--no-strip] [--full-icu] [--sizes]

Outputs go to `dist/feijian/` (the bundle), `dist/feijian-<version>-linux-x86_64.tar.gz` (`--tarball`) and
`dist/feijian-<version>-linux-x86_64.tar.xz` (`--xz`: xz preset 9e, smaller and slower to pack).
On Linux the shared libraries are stripped of symbol tables after the build (`--no-strip` keeps them) and Qt's ICU
data is cut to Chinese and English (`--full-icu` keeps it; see icu_trim.py).
`--sizes` prints the per-package breakdown and the 40 largest files.
"""

from __future__ import annotations

import argparse
import lzma
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
sys.path.insert(0, str(Path(__file__).resolve().parent))
import icu_trim  # noqa: E402  (installer/icu_trim.py)


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def is_shared_library(path: Path) -> bool:
    name = path.name
    return not path.is_symlink() and path.is_file() and (name.endswith(".so") or ".so." in name)


def strip_binaries(bundle: Path) -> int:
    """Strip symbol tables from the bundle's shared libraries (Linux); returns the bytes saved.

    Libraries under `<package>.libs/` are skipped: auditwheel rewrote them with patchelf, and `strip` leaves
    them unloadable ("ELF load command address/offset not page-aligned"; numpy's OpenBLAS). That is why the
    spec keeps PyInstaller's own `strip=False`."""
    strip = shutil.which("strip")
    if strip is None or not sys.platform.startswith("linux"):
        return 0
    files = [p for p in bundle.rglob("*") if is_shared_library(p)
             and not any(part.endswith(".libs") for part in p.relative_to(bundle).parts)]
    before = sum(p.stat().st_size for p in files)
    for i in range(0, len(files), 100):
        subprocess.run([strip, "--strip-unneeded", *map(str, files[i:i + 100])], check=True)
    return before - sum(p.stat().st_size for p in files)


def size_report(bundle: Path, top: int = 40) -> str:
    """Per-package breakdown (top-level entries of `_internal/`) and the largest files, in MB."""
    internal = bundle / "_internal"
    groups: dict[str, int] = {}
    files: list[tuple[int, str]] = []
    for p in bundle.rglob("*"):
        if p.is_file() and not p.is_symlink():
            size = p.stat().st_size
            rel = p.relative_to(internal if internal in p.parents else bundle)
            groups[rel.parts[0]] = groups.get(rel.parts[0], 0) + size
            files.append((size, str(p.relative_to(bundle))))
    lines = ["per package (MB):"]
    lines += [f"  {size / 2**20:7.1f}  {name}" for name, size in sorted(groups.items(), key=lambda kv: -kv[1])[:top]]
    lines.append(f"largest {top} files (MB):")
    lines += [f"  {size / 2**20:7.1f}  {name}" for size, name in sorted(files, reverse=True)[:top]]
    return "\n".join(lines)


def build(strip: bool = True, trim_icu: bool = True) -> Path:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller"), str(ROOT / "installer" / "feijian.spec")],
        check=True, cwd=ROOT,
    )
    bundle = DIST / "feijian"
    if strip:
        saved = strip_binaries(bundle)
        print(f"stripped shared libraries: {saved / 2**20:.0f} MB saved")
    if trim_icu and sys.platform.startswith("linux"):
        for lib in (bundle / "_internal").rglob("libicudata.so.*"):
            if not lib.is_symlink():
                saved = icu_trim.trim_icu_data(lib)
                print(f"trimmed ICU data {lib.name}: {saved / 2**20:.0f} MB saved"
                      if saved else f"ICU data {lib.name} left whole: icupkg/genccode (Debian icu-devtools) missing")
    print(f"built {bundle} in {time.perf_counter() - t0:.0f} s; unpacked size {tree_size(bundle) / 2**20:.0f} MB")
    return bundle


XZ_DICT = 256 * 2**20  # finds repeats across the big libraries; unpacking needs 256 MiB of memory, packing ~3 GiB


def xz_filters(machine: str | None = None) -> list[dict]:
    """LZMA2 preset 9 extreme with a 256 MiB dictionary (the preset's 64 MiB gave 2 MiB more), after the x86
    branch filter on x86-64 (most of the bundle is machine code: the filter turns relative call addresses into
    absolute ones that repeat; 8 % smaller on libarrow). Any xz decoder (`tar xJf`, Python's tarfile) undoes it."""
    lzma2 = {"id": lzma.FILTER_LZMA2, "preset": 9 | lzma.PRESET_EXTREME, "dict_size": XZ_DICT}
    if (machine or platform.machine()).lower() in ("x86_64", "amd64", "i386", "i686", "x86"):
        return [{"id": lzma.FILTER_X86}, lzma2]
    return [lzma2]


def linux_tarball(bundle: Path, compression: str = "gz") -> Path:
    """`compression` "gz" (level 6, fast) or "xz" (see xz_filters: a third smaller, minutes to pack)."""
    from feijian import __version__

    stage = DIST / "stage" / f"feijian-{__version__}"
    if stage.parent.exists():
        shutil.rmtree(stage.parent)
    # keep PyInstaller's relative symlinks (libQt6Core.so.6 -> PySide6/Qt/lib/...): copied as files they put
    # ~100 MB of Qt, ICU and Arrow into the tarball twice
    shutil.copytree(bundle, stage / "feijian", symlinks=True)
    for name in ("feijian.desktop", "feijian.svg", "feijian-mime.xml", "install.sh"):
        shutil.copy2(ROOT / "installer" / "linux" / name, stage / name)
    out = DIST / f"feijian-{__version__}-linux-{platform.machine()}.tar.{compression}"
    t0 = time.perf_counter()
    if compression == "xz":
        with lzma.LZMAFile(out, "w", format=lzma.FORMAT_XZ, filters=xz_filters()) as xz, \
                tarfile.open(fileobj=xz, mode="w") as tar:
            tar.add(stage, arcname=stage.name)
    else:
        with tarfile.open(out, "w:gz", compresslevel=6) as tar:
            tar.add(stage, arcname=stage.name)
    print(f"tarball {out.name}: {out.stat().st_size / 2**20:.0f} MB compressed "
          f"({out.stat().st_size / 2**20:.1f} MB, {time.perf_counter() - t0:.0f} s)")
    return out


def selftest(bundle: Path) -> None:
    exe = bundle / ("feijian.exe" if os.name == "nt" else "feijian")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([str(exe), "--selftest"], check=True, env=env)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--selftest", action="store_true", help="run `feijian --selftest` inside the bundle")
    ap.add_argument("--tarball", action="store_true", help="pack the Linux .tar.gz with .desktop file and icon")
    ap.add_argument("--xz", action="store_true", help="also pack the Linux .tar.xz (smallest download, slow)")
    ap.add_argument("--no-strip", action="store_true", help="keep the symbol tables of the shared libraries")
    ap.add_argument("--full-icu", action="store_true", help="keep Qt's ICU data for every language (31 MB)")
    ap.add_argument("--sizes", action="store_true", help="print the per-package breakdown and the largest files")
    args = ap.parse_args()
    bundle = build(strip=not args.no_strip, trim_icu=not args.full_icu)
    if args.sizes:
        print(size_report(bundle))
    if args.selftest:
        selftest(bundle)
    if sys.platform.startswith("linux"):
        if args.tarball:
            linux_tarball(bundle, "gz")
        if args.xz:
            linux_tarball(bundle, "xz")
    return 0


if __name__ == "__main__":
    sys.exit(main())
