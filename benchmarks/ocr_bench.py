"""OCR benchmark (issue 20): photographed-like record pages (bundled CJK font, 150 dpi A4, rotation ±3°,
blur, noise, JPEG quality 50–90) read through the emr_docs path (page_images + the spawned worker pool),
against the rapidocr call alone on the same decoded pages in this process, in the same run.

    .venv/bin/python benchmarks/ocr_bench.py [--pages 12] [--workers 0] [--quick]

Prints pages per second and per minute cold (pool started for the pages: workers load the models) and warm
(pool already started), the bare recogniser's pages per second, the ratio warm / bare, character accuracy
against the source text and the peak memory (this process and its workers). Targets (issue 20, 2 cores):
≥ 60 pages per minute, < 1.5 GB peak, ≥ 97 % characters right."""

from __future__ import annotations

import argparse
import io
import random
import resource
import sys
import time

SENTENCES = [
    "患者男性，六十八岁，因胸闷气短三天入院。", "术中经右桡动脉穿刺，置入药物洗脱支架2枚。", "一级护理，心电监护，低盐低脂饮食。",
    "胸部计算机断层扫描：双肺纹理清晰，未见异常。", "血常规：白细胞计数正常，血红蛋白偏低。", "患者于12月3日请假离院，未在病房。",
    "血液透析治疗一次，过程顺利，无不适。", "术后安返病房，生命体征平稳。", "出院诊断：冠状动脉粥样硬化性心脏病。",
]


def _pages(n: int, seed: int = 7):
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    from feijian.paths import resource as res

    rng = random.Random(seed)
    font = ImageFont.truetype(str(res("fonts", "wqy-microhei.ttc")), 30)
    out = []
    for i in range(n):
        lines = [rng.choice(SENTENCES) for _ in range(rng.randint(8, 14))]
        img = Image.new("RGB", (1240, 1754), "white")  # A4 at 150 dpi
        draw = ImageDraw.Draw(img)
        for k, line in enumerate(lines):
            draw.text((110, 140 + k * 62), line, font=font, fill="black")
        img = img.rotate(rng.uniform(-3, 3), fillcolor="white", resample=Image.Resampling.BICUBIC)
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
        arr = np.asarray(img).astype(np.int16)
        arr = np.clip(arr + np.random.default_rng(i).normal(0, rng.uniform(4, 12), arr.shape), 0, 255).astype(np.uint8)
        buf = io.BytesIO()
        Image.fromarray(arr).save(buf, "JPEG", quality=rng.randint(50, 90))
        out.append(("\n".join(lines), buf.getvalue()))
    return out


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _peak_mb() -> tuple[float, float]:
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n = 4 if args.quick else args.pages

    from feijian.ingest.ocr import OcrPool, ocr_available, read_image
    from feijian.ingest.page_images import image_pages
    from feijian.ingest.paper_documents import read_paper_document

    if not ocr_available():
        print("OCR extra not installed (make ocr): skipped")
        return 0
    pages = _pages(n)
    print(f"{n} photographed-like pages (A4 150 dpi, ±3°, blur, noise, JPEG 50–90)")

    t0 = time.perf_counter()
    pool = OcrPool(workers=args.workers)
    cold_docs = [read_paper_document(data, ".jpg", pool=pool) for _, data in pages]
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    warm_docs = [read_paper_document(data, ".jpg", pool=pool) for _, data in pages]
    warm = time.perf_counter() - t0
    # the pool's strength is several pages at once: one document of all the pages
    tiff_like = [p for _, data in pages for p in image_pages(data)]
    t0 = time.perf_counter()
    batch = pool.read(((i, p) for i, p in enumerate(tiff_like)))
    batched = time.perf_counter() - t0
    workers = pool.workers
    pool.close()
    assert all(not r.error for r in batch)

    decoded = [next(image_pages(data)) for _, data in pages]
    read_image(decoded[0])  # load the models in this process (off the clock)
    t0 = time.perf_counter()
    for p in decoded:
        read_image(p)
    bare = time.perf_counter() - t0

    chars = sum(len(src.replace("\n", "")) for src, _ in pages)
    errors = sum(_distance(src.replace("\n", ""), doc.text.replace("\n", "")) for (src, _), doc in zip(pages, warm_docs))
    same = all(a.text == b.text for a, b in zip(cold_docs, warm_docs))
    me, children = _peak_mb()
    rate = lambda s: n / s  # noqa: E731
    print(f"{'':28}{'pages/s':>10}{'pages/min':>11}{'s/page':>9}")
    for label, secs in ((f"cold (pool of {workers}, start incl.)", cold), ("warm, one file at a time", warm),
                        (f"warm, {n} pages in one go", batched), ("rapidocr alone (1 process)", bare)):
        print(f"{label:28}{rate(secs):>10.2f}{rate(secs) * 60:>11.1f}{secs / n:>9.2f}")
    print(f"ratio warm one-at-a-time / rapidocr alone: {warm / bare:.2f} (time); "
          f"in one go / alone: {batched / bare:.2f}; cold / warm: {cold / warm:.2f}")
    print(f"characters right: {100 * (1 - errors / chars):.2f} % ({errors} edits in {chars}); cold = warm text: {same}")
    print(f"peak memory: this process {me:.0f} MB, largest worker {children:.0f} MB "
          f"(≈ {me + workers * children:.0f} MB with {workers} workers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
