"""The demo hospital's paper records (issue 20): a handful of its record documents handed over as photographs
and scans instead of text — phone photos (rotated ±3°, blurred, noisy, JPEG quality 50–90), one photographed
at an angle on a dark desk, a flat PNG scan and PDFs of scanned pages without a text layer — drawn in the
bundled CJK font on A4 at 150 dpi. They sit in ``病历文书/`` and join the demo's index ``病历文书索引.csv``
(the documents written as PDF/DOCX/TXT files); the other documents keep their text in ``病历文书.csv``. The documents chosen are those in which a planted R24–R29 hit quotes its
clause (the operation note of an R26 hit, the nursing record of an R27 hit …), so the record view of those
hits shows the page.

Only written when the OCR extra is installed (``feijian[ocr]``: OpenCV for the perspective, the recogniser
to read them back); :func:`ocr_missing` says what is missing. Deterministic for a seed.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from feijian.demodata.writers import spec_for
from feijian.paths import resource

INDEX_NAME = "病历文书索引.csv"
FILES_DIR = "病历文书"
PAGE_SIZE = (1240, 1754)  # A4 at 150 dpi
MARGIN = 100
FONT_PX = 28
LEADING = 1.8
RULES = ("R26", "R29", "R27", "R24", "R25", "R28")  # the order documents are chosen in
# the kind of page each chosen document becomes, in order of choice
KINDS = ("photo", "perspective", "photo", "scan", "scan_pdf", "photo", "scan_pdf", "scan")
_QUOTE = re.compile(r"「([^」]+)」")
_SAFE = re.compile(r"[^0-9A-Za-z_.-]")
SUFFIX = {"photo": ".jpg", "perspective": ".jpg", "scan": ".png", "scan_pdf": ".pdf"}


@dataclass
class PaperPages:
    index: Optional[Path] = None
    documents: dict = field(default_factory=dict)  # doc_id -> (kind, file name, rule of the hit it carries)
    skipped: str = ""  # why none were written

    def summary(self) -> str:
        if self.skipped:
            return f"未生成纸质病历图像：{self.skipped} / paper pages skipped: {self.skipped}"
        kinds: dict[str, int] = {}
        for kind, _name, _rule in self.documents.values():
            kinds[kind] = kinds.get(kind, 0) + 1
        zh = {"photo": "手机拍照", "perspective": "斜拍", "scan": "扫描图像", "scan_pdf": "无文字层扫描 PDF"}
        return "纸质病历 " + "，".join(f"{zh[k]} {n} 份" for k, n in kinds.items()) + \
            f" / {len(self.documents)} paper documents (photos and scans)"


def ocr_missing() -> str:
    """The OCR extra's module that is missing ('' when it is installed)."""
    for module in ("rapidocr_onnxruntime", "cv2", "pypdfium2"):
        if importlib.util.find_spec(module) is None:
            return module
    return ""


def _font(px: int = FONT_PX):
    from PIL import ImageFont

    return ImageFont.truetype(str(resource("fonts", "wqy-microhei.ttc")), px)


def wrap(text: str, font, width: int) -> list[str]:
    """The text's lines as printed: each line of the text, broken where it would pass ``width``."""
    out = []
    for line in text.split("\n"):
        current = ""
        for ch in line:
            if current and font.getlength(current + ch) > width:
                out.append(current)
                current = ch
            else:
                current += ch
        out.append(current)
    return out


def page_capacity() -> int:
    return int((PAGE_SIZE[1] - 2 * MARGIN) // (FONT_PX * LEADING))


def draw_pages(text: str):
    """The document's printed pages (PIL images, white A4)."""
    from PIL import Image, ImageDraw

    font = _font()
    lines = wrap(text, font, PAGE_SIZE[0] - 2 * MARGIN)
    per = page_capacity()
    pages = []
    for start in range(0, max(1, len(lines)), per):
        img = Image.new("RGB", PAGE_SIZE, "white")
        draw = ImageDraw.Draw(img)
        for k, line in enumerate(lines[start:start + per]):
            draw.text((MARGIN, MARGIN + k * FONT_PX * LEADING), line, font=font, fill=(20, 20, 20))
        pages.append(img)
    return pages


def _jpeg(img, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def photographed(img, rng: random.Random, *, mild: bool = False):
    """A phone photo of the page: turned a little, blurred, noisy."""
    import numpy as np
    from PIL import Image, ImageFilter

    angle = rng.uniform(-1.5, 1.5) if mild else rng.uniform(-3, 3)
    img = img.rotate(angle, fillcolor="white", resample=Image.Resampling.BICUBIC)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.6 if mild else 1.0)))
    arr = np.asarray(img).astype(np.int16)
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(3, 6 if mild else 10), arr.shape)
    return Image.fromarray(np.clip(arr + noise, 0, 255).astype(np.uint8))


def at_an_angle(img, rng: random.Random):
    """The page photographed at an angle on a dark desk (the import straightens it before reading)."""
    import cv2
    import numpy as np
    from PIL import Image

    sheet = np.asarray(img)
    h, w = sheet.shape[:2]
    out_w, out_h = w + 300, h + 360
    src = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype="float32")
    j = lambda a, b: rng.uniform(a, b)  # noqa: E731
    corners = np.array([[150 + j(0, 60), 120 + j(0, 50)], [out_w - 150 - j(0, 60), 150 + j(0, 50)],
                        [out_w - 110 - j(0, 40), out_h - 130 - j(0, 40)], [110 + j(0, 40), out_h - 110 - j(0, 40)]],
                       dtype="float32")
    m = cv2.getPerspectiveTransform(src, corners)
    desk = np.full((out_h, out_w, 3), 55, np.uint8)
    warped = cv2.warpPerspective(sheet, m, (out_w, out_h), flags=cv2.INTER_CUBIC)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, (out_w, out_h))
    desk[mask > 0] = warped[mask > 0]
    return photographed(Image.fromarray(desk), rng, mild=True)


def render(text: str, kind: str, rng: random.Random, *, mild: bool = False) -> bytes:
    """The file of one document as a photo or scan of its printed pages. A photo holds one page: a longer
    document becomes a scanned PDF."""
    from PIL import Image

    pages = draw_pages(text)
    if kind in ("photo", "perspective") and len(pages) > 1:
        kind = "scan_pdf"
    if kind == "photo":
        return _jpeg(photographed(pages[0], rng, mild=mild), rng.randint(75, 90) if mild else rng.randint(50, 90))
    if kind == "perspective":
        return _jpeg(at_an_angle(pages[0], rng), rng.randint(75, 90))
    if kind == "scan":
        buf = io.BytesIO()
        pages[0].convert("L").save(buf, "PNG", optimize=True)
        return buf.getvalue()
    scanned = [photographed(p, rng, mild=True).convert("L") for p in pages]  # pages only: no text layer
    buf = io.BytesIO()
    scanned[0].save(buf, "PDF", resolution=150, save_all=True, append_images=scanned[1:])
    assert isinstance(scanned[0], Image.Image)
    return buf.getvalue()


def choose(rows: list[dict], hits: list[dict], limit: int) -> list[tuple[str, str]]:
    """(doc_id, rule) of the documents whose text holds the clause a planted R24–R29 hit quotes, by rule in
    the order of :data:`RULES`, one per encounter, at most ``limit``."""
    by_enc: dict[str, list[dict]] = {}
    for r in rows:
        by_enc.setdefault(r["mdtrt_id"], []).append(r)
    chosen, seen = [], set()
    for rule in RULES:
        for h in hits:
            if h["rule_code"] != rule or h["mdtrt_id"] in seen:
                continue
            quote = _QUOTE.search(h.get("note", "") or "")
            if quote is None:
                continue
            doc = next((d for d in by_enc.get(h["mdtrt_id"], ()) if quote.group(1) in d["text"]), None)
            if doc is None:
                continue
            chosen.append((doc["doc_id"], rule))
            seen.add(h["mdtrt_id"])
            break  # one of each rule first; a second round takes more
    for rule in RULES:  # a second document of the rules that have more, up to the limit
        for h in hits:
            if len(chosen) >= limit:
                return chosen[:limit]
            if h["rule_code"] != rule or h["mdtrt_id"] in seen:
                continue
            quote = _QUOTE.search(h.get("note", "") or "")
            doc = next((d for d in by_enc.get(h["mdtrt_id"], ()) if quote and quote.group(1) in d["text"]), None)
            if doc is not None:
                chosen.append((doc["doc_id"], rule))
                seen.add(h["mdtrt_id"])
    return chosen[:limit]


def write_paper_pages(folder, hits: list[dict], *, seed: int = 7, limit: int = 6) -> PaperPages:
    """Turn up to ``limit`` documents of ``folder``'s 病历文书.csv into photos and scans with an index (see the
    module's docstring); ``hits``: the manifest's planted hits (notes quoting their clauses)."""
    missing = ocr_missing()
    if missing:
        return PaperPages(skipped=f"未安装文字识别组件（缺少 {missing}，pip install 'feijian[ocr]'）"
                                  f" / OCR extra not installed ({missing} missing)")
    folder = Path(folder)
    spec = spec_for("emr_docs")
    source = folder / spec.file_name
    with open(source, encoding=spec.encoding, newline="") as fh:
        table = list(csv.reader(fh, delimiter=spec.delimiter))
    header, body = table[0], table[1:]
    names = {"doc_id": "文书ID", "mdtrt_id": "就诊ID", "text": "内容"}
    at = {k: _column(header, v, k) for k, v in names.items()}
    rows = [{k: row[i] for k, i in at.items()} for row in body]
    chosen = choose(rows, hits, limit)
    if not chosen:
        return PaperPages(skipped="没有可用的文书 / no document quotes a planted clause")
    rng = random.Random(f"paper-pages-{seed}")
    files = folder / FILES_DIR
    files.mkdir(parents=True, exist_ok=True)
    out = PaperPages(index=folder / INDEX_NAME)
    wanted = {doc_id: (KINDS[i % len(KINDS)], rule) for i, (doc_id, rule) in enumerate(chosen)}
    kept, paper_rows = [], []
    for row, r in zip(body, rows):
        if r["doc_id"] not in wanted:  # stays in 病历文书.csv with its text
            kept.append(row)
            continue
        kind, rule = wanted[r["doc_id"]]
        data = render(r["text"], kind, rng, mild=len(out.documents) == 0)  # the first: the record view's showcase
        if kind in ("photo", "perspective") and data.startswith(b"%PDF"):
            kind = "scan_pdf"
        name = f"{_SAFE.sub('_', r['doc_id'])}{SUFFIX[kind]}"
        (files / name).write_bytes(data)
        out.documents[r["doc_id"]] = (kind, f"{FILES_DIR}/{name}", rule)
        paper_rows.append({**dict(zip(header, row)), names["text"]: "", "文件": f"{FILES_DIR}/{name}"})
    # the pages join the demo's index of document files (病历文书索引.csv, written by the generator), or start one
    if out.index.exists():
        with open(out.index, encoding="utf-8-sig", newline="") as fh:
            existing = list(csv.reader(fh))
        index_header, index_body = existing[0], existing[1:]
    else:
        index_header, index_body = [h for h in header if h not in ("文件", "file")] + ["文件"], []
    index_body += [[r.get(h, "") for h in index_header] for r in paper_rows]
    with open(out.index, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(index_header)
        w.writerows(index_body)
    with open(source, "w", encoding=spec.encoding, newline="") as fh:  # without the documents now on paper
        w = csv.writer(fh, delimiter=spec.delimiter, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(kept)
    return out


def _column(header: list[str], zh: str, name: str) -> int:
    for i, h in enumerate(header):
        if h in (zh, name):
            return i
    raise ValueError(f"病历文书.csv lacks the column {zh}")
