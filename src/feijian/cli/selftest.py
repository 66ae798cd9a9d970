"""``feijian --selftest``: prove that every native piece works in this installation (above all inside the
frozen bundle): SQLCipher, cryptography, DuckDB/Arrow, reportlab with the bundled font, Qt offscreen, and,
when the OCR extra is installed (``feijian[ocr]``), a page read by the OCR worker pool (the models bundled,
the spawned worker started from the frozen executable).

It runs the whole demo job on a tiny synthetic hospital in a temporary data folder (synthetic data only),
then checks the case file is really encrypted and that Qt renders Chinese with the bundled font.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from feijian.cli.context import Context


def run_selftest() -> int:
    t0 = time.perf_counter()
    home = Path(tempfile.mkdtemp(prefix="feijian-selftest-"))
    try:
        ctx = Context(home=home)
        from feijian.cli.demo import DemoPaths, run_demo

        code = run_demo(ctx, scale=0.02, seed=11)
        if code != 0:
            print(f"selftest FAILED: demo job exited {code}")
            return 1
        paths = DemoPaths(home / "demo")
        header = paths.case.read_bytes()[:16]
        if header.startswith(b"SQLite format 3"):
            print("selftest FAILED: the case file is not encrypted")
            return 1
        for pdf in paths.out.glob("*.pdf"):
            if b"/FontFile2" not in pdf.read_bytes():
                print(f"selftest FAILED: {pdf.name} has no embedded TrueType font")
                return 1
        _check_qt()
        if not _check_ocr():
            return 1
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(f"selftest passed in {time.perf_counter() - t0:.1f} s")
    return 0


def _check_qt() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from feijian.gui.selfcheck import check_rendering

    check_rendering()


SELFTEST_LINE = "飞检自检：经右桡动脉穿刺置入支架2枚"


def _check_ocr() -> bool:
    """A line drawn in the bundled font, photographed-like (JPEG), read through the import's reader and the
    worker pool. True when it reads back (or the OCR extra is not installed: said, not a failure)."""
    import io

    from feijian.ingest.ocr import ocr_available

    if not ocr_available():
        print("selftest: OCR extra not installed (feijian[ocr]): page reading not checked")
        return True
    from PIL import Image, ImageDraw, ImageFont

    from feijian.ingest.paper_documents import read_paper_document
    from feijian.paths import resource

    t0 = time.perf_counter()
    img = Image.new("RGB", (1240, 200), "white")
    font = ImageFont.truetype(str(resource("fonts", "wqy-microhei.ttc")), 32)
    ImageDraw.Draw(img).text((60, 80), SELFTEST_LINE, font=font, fill=(20, 20, 20))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    text = "".join(read_paper_document(buf.getvalue(), ".jpg").text.split())
    if "穿刺" not in text or "支架2枚" not in text:  # (桡 is read as 侥 or 烧 at times: not checked)
        print(f"selftest FAILED: OCR read {text!r} for {SELFTEST_LINE!r}")
        return False
    print(f"selftest: OCR read a page in {time.perf_counter() - t0:.1f} s")
    return True
