"""Refresh the English translation of the workbench (resources/translations/feijian_en.ts → .qm).

    .venv/bin/python tools/update_translations.py [--check]

Runs ``pyside6-lupdate`` over every module of ``src/feijian/gui`` (new strings appear as unfinished), keeps the
entries lupdate cannot see in the code but the workbench looks up at runtime (labels that come from data files
or tables of strings, e.g. the typed-record form's field names: lupdate marks them "vanished", and lrelease
would drop them), and compiles the .qm with ``pyside6-lrelease``. ``--check`` does the same in a temporary copy
and fails listing every string that has no English yet, without touching the repository.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "feijian_en.ts"
GUI = ROOT / "src" / "feijian" / "gui"


def _tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else name


def refresh(ts: Path) -> list[tuple[str, str]]:
    """lupdate ``ts`` from the GUI sources; returns the (context, source) pairs still without a translation."""
    sources = sorted(str(p) for p in GUI.rglob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), *sources, "-ts", str(ts)], check=True, capture_output=True)
    tree = ET.parse(ts)
    missing = []
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is None:
                continue
            kind = tr.get("type")
            if kind in ("vanished", "obsolete") and (tr.text or "").strip():
                del tr.attrib["type"]  # looked up at runtime from data: keep it
            elif kind == "unfinished" or not (tr.text or "").strip():
                missing.append((name, msg.findtext("source") or ""))
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return missing


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only report strings without English")
    args = ap.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            ts = Path(tmp) / TS.name
            shutil.copy2(TS, ts)
            missing = refresh(ts)
    else:
        missing = refresh(TS)
        subprocess.run([_tool("pyside6-lrelease"), str(TS), "-qm", str(TS.with_suffix(".qm"))], check=True,
                       capture_output=True)
    for ctx, src in missing:
        print(f"{ctx}\t{src!r}")
    print(f"{len(missing)} string(s) without English", file=sys.stderr)
    return 1 if args.check and missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
