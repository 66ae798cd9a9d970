"""Trim the ICU data library Qt brings (libicudata.so.73: 31 MB of data for every language) to what feijian needs.

Only QtCore links ICU, and it calls four parts of it (checked with `readelf --dyn-syms`): case mapping
(u_strToUpper/Lower), time zones (ucal_*), converters (ucnv_*) and collation (ucol_*). The app runs in
Simplified Chinese with English, and reads GBK/GB18030 extracts in Python, not through Qt's converters. So we keep:

- every non-locale item (Unicode properties, normalisation, case mapping, `cnvalias.icu`, the time-zone tables,
  `supplementalData`, `likelySubtags`, ...), and in each locale tree (top level, `coll/`, `zone/`, `curr/`,
  `lang/`, `region/`, `unit/`, `brkitr/`, `rbnf/`) the `root`, `pool` and `res_index` bundles and the `zh*`/`en*`
  locales;
- the converters for mainland Chinese encodings (GB18030; GBK = windows-936 and ibm-1386; GB2312 = ibm-1383 and
  ibm-5478).

We drop the other ~700 locales, ~200 converter tables (EBCDIC, Japanese, Korean, Big5, ...), transliteration and
the word-break dictionaries (Qt never calls ubrk_*). A missing locale falls back to `root`, as ICU does everywhere.

Steps (Linux; tools from Debian's icu-devtools and binutils, no compiler): cut the `icudt73_dat` blob out of the
library, `icupkg -r` the unneeded items, `genccode` the package into assembly under the same symbol, and `as`/`ld`
it into a new shared library with the same soname.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

LOCALE_TREES = ("", "brkitr/", "coll/", "curr/", "lang/", "rbnf/", "region/", "unit/", "zone/")
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")  # also `coll/de_.res`
KEEP_LOCALES = ("zh", "en")
KEEP_CONVERTERS = ("gb18030", "windows-936", "ibm-1386_", "ibm-1383_", "ibm-5478_")
DROP_TREES = ("translit/",)
TOOLS = ("icupkg", "genccode", "as", "ld", "readelf")


def keep_item(name: str) -> bool:
    """Whether an item of the ICU data package (e.g. `coll/zh.res`, `ibm-1386_P100-2001.cnv`) stays."""
    if name.startswith(DROP_TREES):
        return False
    folder, _, base = name.rpartition("/")
    folder = folder + "/" if folder else ""
    if base.endswith(".cnv"):
        return base.startswith(KEEP_CONVERTERS)
    if base.endswith(".dict"):
        return False
    if folder in LOCALE_TREES and LOCALE.match(base) and base != "res_index.res":
        language = base.split("_", 1)[0].removesuffix(".res")
        return language in KEEP_LOCALES
    return True


def _data_symbol(lib: Path) -> tuple[str, int, int]:
    """(symbol, file offset, size) of the `icudtNN_dat` blob in the library."""
    syms = subprocess.run(["readelf", "--dyn-syms", "-W", str(lib)], capture_output=True, text=True, check=True).stdout
    m = re.search(r"([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\w+\s+\d+\s+(icudt\d+_dat)\b", syms)
    if not m:
        raise ValueError(f"{lib.name}: no icudtNN_dat symbol")
    vaddr, size, symbol = int(m.group(1), 16), int(m.group(2), 0), m.group(3)
    headers = subprocess.run(["readelf", "-lW", str(lib)], capture_output=True, text=True, check=True).stdout
    for line in headers.splitlines():
        f = line.split()
        if f and f[0] == "LOAD":
            offset, start, filesz = int(f[1], 16), int(f[2], 16), int(f[4], 16)
            if start <= vaddr < start + filesz:
                return symbol, vaddr - start + offset, size
    raise ValueError(f"{lib.name}: {symbol} lies in no loadable segment")


def trim_icu_data(lib: Path) -> int:
    """Replace `lib` (libicudataNN.so) by one with the trimmed data; returns the bytes saved (0 if the tools are
    missing: the library is then left as it is)."""
    if any(shutil.which(t) is None for t in TOOLS):
        return 0
    symbol, offset, size = _data_symbol(lib)
    entry = symbol.removesuffix("_dat")  # icudt73
    before = lib.stat().st_size
    with tempfile.TemporaryDirectory(prefix="feijian-icu-") as tmp:  # ICU tables only, no user data
        work = Path(tmp)
        package = work / f"{entry}l.dat"
        with lib.open("rb") as f:
            f.seek(offset)
            package.write_bytes(f.read(size))
        items = subprocess.run(["icupkg", "-l", str(package)], capture_output=True, text=True, check=True).stdout.split()
        drop = [i for i in items if not keep_item(i)]
        (work / "drop.txt").write_text("\n".join(drop) + "\n", encoding="ascii")
        (work / "out").mkdir()
        trimmed = work / "out" / package.name  # icupkg names the items after the output file: icudt73l/...
        # --ignore-deps: brkitr/root names the word-break dictionaries, which nothing calls; a locale whose
        # parent or alias is gone falls back to root
        subprocess.run(["icupkg", "--ignore-deps", "-r", str(work / "drop.txt"), str(package), str(trimmed)],
                       check=True, capture_output=True)
        subprocess.run(["genccode", "-a", "gcc", "-e", entry, "-d", str(work), str(trimmed)], check=True,
                       capture_output=True)
        asm = next(work.glob("*.S"))
        # the file is meant for the C preprocessor; `as` reads `#ifdef U_HIDE_DATA_SYMBOL` as a comment and would
        # hide the symbol, so drop that directive's line
        source = [line for line in asm.read_text(encoding="ascii").splitlines() if not line.strip().startswith(".hidden")]
        asm.write_text("\n".join(source) + "\n", encoding="ascii")
        subprocess.run(["as", "-o", str(work / "data.o"), str(asm)], check=True)
        out = work / lib.name
        subprocess.run(["ld", "-shared", "-soname", lib.name, "-z", "noexecstack", "-o", str(out), str(work / "data.o")],
                       check=True)
        syms = subprocess.run(["readelf", "--dyn-syms", "-W", str(out)], capture_output=True, text=True, check=True)
        if f" {symbol}" not in syms.stdout:
            raise ValueError(f"rebuilt {lib.name} does not export {symbol}")
        shutil.copyfile(out, lib)
    return before - lib.stat().st_size
