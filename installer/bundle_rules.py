"""What goes into the frozen bundle: the filters `feijian.spec` applies to PyInstaller's TOC lists.

Kept apart from the spec so the tests can check them without a build. A TOC entry is a tuple
`(dest_name, source, typecode)`; for `SYMLINK` entries the source is the link's target inside the bundle.

Measured on Linux (see README, "Installers"): everything here is either never loaded at run time (checked with
`strace -e openat` over `feijian --selftest` offscreen and under Xvfb) or a dead copy.
"""

from __future__ import annotations

from collections import deque
from typing import Callable, Iterable

Entry = tuple  # (dest, source, typecode)

# Only the Simplified Chinese and English Qt translations.
QT_LANGUAGES = ("_zh_CN.qm", "_en.qm")

# Parts feijian never loads, matched as substrings of the destination path (with "/" separators):
# - Arrow Flight/S3/GCS/Azure/HDFS/ORC/Feather modules (network and file-format add-ons; pyarrow imports each
#   inside try/except) and Parquet encryption; Arrow's C++ headers and Cython sources;
# - the GTK platform theme (pulls GTK, cairo, pango, ATK);
# - Qt platform plugins for embedded/framebuffer/VNC targets and their input plugins (we keep xcb and wayland
#   for Linux desktops, windows on Windows, offscreen for the self-test and headless runs);
# - Pillow codecs reportlab never needs: reportlab imports `PIL.Image` (so `_imaging` stays), our charts are
#   vector drawings, and evidence images are previewed by Qt, not Pillow; WebP stays: the OCR import reads
#   phone photos saved as WebP with Pillow (feijian.ingest.page_images.IMAGE_SUFFIXES);
# - readline (pulls libreadline/libtinfo; the frozen app has no interactive prompt);
# - the Japanese, Korean, Traditional-Chinese and ISO-2022 codecs: extracts are read as UTF-8, GBK or GB18030 only
#   (`feijian.ingest.encoding.ENCODINGS`), whose codecs (`_codecs_cn`, `_multibytecodec`) stay.
DROP_PARTS = (
    "arrow_flight", "arrow_s3", "arrow_python_flight", "parquet_encryption",
    "pyarrow/_flight.", "pyarrow/_s3fs.", "pyarrow/_gcsfs.", "pyarrow/_azurefs.", "pyarrow/_hdfs.",
    "pyarrow/_orc.", "pyarrow/_dataset_orc.", "pyarrow/_feather.", "pyarrow/_cuda.", "gandiva",
    "pyarrow/include/", "pyarrow/src/", "pyarrow/tests/", ".pxd", ".pyx", ".pxi",
    "libqgtk3",
    "plugins/platforms/libqeglfs", "plugins/platforms/libqlinuxfb", "plugins/platforms/libqvnc",
    "plugins/platforms/libqvkkhrdisplay", "plugins/platforms/libqminimalegl", "plugins/platforms/libqminimal.",
    "plugins/platforms/qminimal.", "plugins/egldeviceintegrations/", "plugins/generic/",
    "PIL/_avif.", "PIL/_imagingcms.", "PIL/_imagingtk.",
    "lib-dynload/readline.",
    "lib-dynload/_codecs_jp.", "lib-dynload/_codecs_kr.", "lib-dynload/_codecs_tw.", "lib-dynload/_codecs_hk.",
    "lib-dynload/_codecs_iso2022.",
)

# Shared libraries that are loaded with dlopen() by name rather than linked (so no DT_NEEDED points at them):
# keep them even when nothing in the bundle links them. pypdfium2 opens libpdfium with ctypes (scanned PDFs of the
# OCR import; the build of 2026-12-07 pruned it), onnxruntime its providers' shared part.
DLOPENED = ("libpython", "python3", "libdbus-1", "libxcb-cursor", "libEGL", "libGL", "libpdfium",
            "libonnxruntime_providers_shared")


def _norm(dest: str) -> str:
    return dest.replace("\\", "/")


def keep_data(dest: str) -> bool:
    """False for Qt translations other than zh_CN and en, and for every part in DROP_PARTS."""
    norm = _norm(dest)
    if "/translations/" in norm and norm.endswith(".qm") and "PySide6" in norm:
        return norm.endswith(QT_LANGUAGES)
    return keep_binary(norm)


def keep_binary(dest: str) -> bool:
    norm = _norm(dest)
    return not any(part in norm for part in DROP_PARTS)


def _basename(dest: str) -> str:
    return _norm(dest).rsplit("/", 1)[-1]


def _is_root(entry: Entry) -> bool:
    """Entry points of the dependency graph: Python extension modules (by typecode or by name: PyInstaller files
    `pyarrow/lib.*.so` as a BINARY because other modules link it), Qt plugins, the bootloader's libpython, and
    libraries that are dlopen()ed by name."""
    dest, _source, typecode = entry
    norm = _norm(dest)
    name = _basename(norm)
    extension_module = ".cpython-" in name or ".abi3." in name or name.endswith(".pyd") or "lib-dynload/" in norm
    return (typecode in ("EXTENSION", "EXECUTABLE") or extension_module or "/plugins/" in norm
            or name.startswith(DLOPENED))


def prune_unreferenced(binaries: Iterable[Entry], imports_of: Callable[[str], Iterable[str]]) -> tuple[list, list]:
    """Drop shared libraries no kept module or plugin links, directly or through other libraries.

    `imports_of(source_path)` returns the names (sonames / DLL names) a binary imports. Libraries are matched by
    base name, case-insensitively (Windows). Dead copies (e.g. pyarrow's `libarrow_python.so` and
    `libarrow_python.so.2600.1.0` next to the linked `libarrow_python.so.2600`) and the dependencies of dropped
    plugins (cairo and pango of the GTK theme, QtNetwork of the VNC plugin) fall out. Returns (kept, dropped)."""
    entries = list(binaries)
    by_name: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry[2] != "SYMLINK":
            by_name.setdefault(_basename(entry[0]).lower(), []).append(entry)
    links = {_norm(e[0]).lower(): _norm(e[1]).lower() for e in entries if e[2] == "SYMLINK"}

    reached: set[str] = set()
    queue = deque(e for e in entries if e[2] != "SYMLINK" and _is_root(e))
    seen_dest: set[str] = set()
    while queue:
        dest, source, _ = queue.popleft()
        if dest in seen_dest:
            continue
        seen_dest.add(dest)
        reached.add(_norm(dest).lower())
        for name in imports_of(source):
            key = _basename(name).lower()
            targets = by_name.get(key, [])
            if not targets and key in links:  # linked through a top-level symlink
                targets = by_name.get(_basename(links[key]), [])
            queue.extend(t for t in targets if t[0] not in seen_dest)

    kept, dropped = [], []
    for entry in entries:
        norm = _norm(entry[0]).lower()
        if entry[2] == "SYMLINK":
            ok = _norm(entry[1]).lower() in reached
        else:
            ok = norm in reached or entry[2] not in ("BINARY",)
        (kept if ok else dropped).append(entry)
    return kept, dropped
