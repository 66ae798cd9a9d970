"""OCR benchmark (issue 20), two parts, both on pages drawn in the bundled CJK font on A4 at 150 dpi and spoiled
like photos and scans (rotation ±3°, blur, noise, JPEG quality 50–90, some photographed in perspective on a desk).

1. Speed, memory, characters. Record pages read through the emr_docs path (page_images + the spawned worker
   pool of ingest/ocr.py) cold (the pool started for them: workers load the models) and warm, one file at a
   time as the import reads them and all pages in one go (a multi-page scan), for the pool as it is set up
   and for other worker × thread geometries; against the bare call (``RapidOCR()`` with rapidocr's own
   settings, in a process of its own) on the same decoded pages, in the same run. Prints pages per minute,
   CPU seconds per page (parent and workers: the figure the shared machine disturbs least), peak memory (the
   largest sum of the resident memory of the process and its workers, sampled every 50 ms) and characters
   right (edit distance to the source text).
2. R24–R29 on read pages against the same documents as text. The demo hospital is generated and imported
   (ingest.read_folder, the real import) and screened; the documents that decide the planted hits and near
   misses of R24–R29 (the encounter's documents of the rule's types around the planted date) are then drawn
   as photos and scans (demodata/paper_pages.py), replace their text in a copy of the folder, and that copy
   is imported (read with OCR) and screened. Per rule: recall and precision against the planted hits in the
   encounters concerned, for the text and for the read pages, the hits the two runs share, and the share of
   the read run's hits marked 「OCR 待核」.

    .venv/bin/python benchmarks/ocr_bench.py --quick     # 4 pages; one hit and one near miss per rule
    .venv/bin/python benchmarks/ocr_bench.py             # 12 pages, three pool geometries; all of R24–R29

Targets (issue 20, 2 cores): ≥ 60 pages per minute, < 1.5 GB peak, ≥ 97 % characters right, R24–R29 on the
read pages within 0.05 of the text run in recall and precision. The machine may be shared: the load average
is printed with the figures. Everything is synthetic; the demo folders live in a temporary folder removed
afterwards."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

SENTENCES = [
    "患者男性，六十八岁，因胸闷气短三天入院。", "术中经右桡动脉穿刺，置入药物洗脱支架2枚。", "一级护理，心电监护，低盐低脂饮食。",
    "胸部计算机断层扫描：双肺纹理清晰，未见异常。", "血常规：白细胞计数正常，血红蛋白偏低。", "患者于12月3日请假离院，未在病房。",
    "血液透析治疗一次，过程顺利，无不适。", "术后安返病房，生命体征平稳。", "出院诊断：冠状动脉粥样硬化性心脏病。",
]
RECORD_RULES = ("R24", "R25", "R26", "R27", "R28", "R29")


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


def _bare(text: str) -> str:
    return "".join(text.split())


def _accuracy(pairs) -> tuple[float, int, int]:
    """(share of characters right, edits, characters) over (source text, read text) pairs, whitespace aside."""
    chars = edits = 0
    for src, got in pairs:
        a, b = _bare(src), _bare(got)
        chars += len(a)
        edits += _distance(a, b)
    return (1 - edits / chars if chars else 1.0), edits, chars


# --- the process tree: resident memory and CPU, sampled -----------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return out


def _rss_cpu(pid: int) -> tuple[int, float]:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            rss = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return rss, (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, IndexError, ValueError):
        return 0, 0.0


class TreeMeter:
    """The largest sum of resident memory of this process and its children, and their CPU seconds, between
    ``start()`` and ``stop()`` (sampled every 50 ms; a worker's CPU counts up to its last sample)."""

    def __init__(self) -> None:
        self.peak = 0
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _sample(self) -> None:
        total = 0
        for pid in _tree(os.getpid()):
            rss, cpu = _rss_cpu(pid)
            total += rss
            self._first.setdefault(pid, 0.0 if pid != os.getpid() else cpu)
            self._last[pid] = cpu
        self.peak = max(self.peak, total)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self._sample()

    def start(self) -> "TreeMeter":
        self._first = {os.getpid(): _rss_cpu(os.getpid())[1]}
        for pid in _tree(os.getpid())[1:]:  # workers already running: count their CPU from now
            self._first[pid] = _rss_cpu(pid)[1]
        self._sample()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> "TreeMeter":
        self._sample()
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return self

    @property
    def cpu(self) -> float:
        return sum(self._last[p] - self._first.get(p, 0.0) for p in self._last)

    @property
    def peak_mb(self) -> float:
        return self.peak / 2**20


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


# --- part 1: speed, memory, characters --------------------------------------------------------------------


def measure_pool(pages, workers: int, threads: int, batch: bool) -> dict:
    from feijian.ingest.ocr import OcrPool
    from feijian.ingest.page_images import image_pages
    from feijian.ingest.paper_documents import read_paper_document

    n = len(pages)
    meter = TreeMeter().start()
    t0 = time.perf_counter()
    pool = OcrPool(workers=workers, threads_per_worker=threads)
    cold_docs = [read_paper_document(data, ".jpg", pool=pool) for _, data in pages]
    cold = time.perf_counter() - t0
    meter.stop()
    out = {"geometry": f"{pool.workers} × {pool.threads}", "cold": cold, "cold_cpu": meter.cpu,
           "cold_peak": meter.peak_mb}
    meter = TreeMeter().start()
    t0 = time.perf_counter()
    warm_docs = [read_paper_document(data, ".jpg", pool=pool) for _, data in pages]
    out["warm"] = time.perf_counter() - t0
    meter.stop()
    out.update(warm_cpu=meter.cpu, warm_peak=meter.peak_mb)
    if batch:  # the pool's strength is several pages at once: one document of all the pages (a scanned PDF)
        meter = TreeMeter().start()
        t0 = time.perf_counter()
        all_pages = ((i, p) for i, (_, data) in enumerate(pages) for p in image_pages(data))
        results = pool.read(all_pages)
        out["batch"] = time.perf_counter() - t0
        meter.stop()
        out.update(batch_cpu=meter.cpu, batch_peak=meter.peak_mb)
        assert all(not r.error for r in results), [r.error for r in results if r.error]
    pool.close()
    out["accuracy"] = _accuracy((src, doc.text) for (src, _), doc in zip(pages, warm_docs))
    out["same"] = all(a.text == b.text for a, b in zip(cold_docs, warm_docs))
    return out


def phase_bare(n: int) -> dict:
    """In a process of its own: rapidocr with its own settings on the decoded pages (models loaded off the
    clock), the lines joined as read."""
    import numpy as np
    import rapidocr_onnxruntime

    from feijian.ingest.page_images import image_pages

    pages = _pages(n)
    decoded = [next(image_pages(data)) for _, data in pages]
    meter = TreeMeter().start()
    engine = rapidocr_onnxruntime.RapidOCR()
    engine(np.ascontiguousarray(decoded[0].image[:, :, ::-1]))
    t0, c0 = time.perf_counter(), time.process_time()
    texts = []
    for p in decoded:
        result, _ = engine(np.ascontiguousarray(p.image[:, :, ::-1]))
        texts.append("".join(r[1] for r in result or ()))
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    meter.stop()
    acc = _accuracy((src, t) for (src, _), t in zip(pages, texts))
    return {"seconds": secs, "cpu": cpu, "peak": meter.peak_mb, "accuracy": acc}


def speed(n: int, geometries: list[tuple[int, int]]) -> None:
    from feijian.ingest.page_images import limits

    pages = _pages(n)
    lim = limits()
    print(f"\n== 1. speed, memory, characters: {n} photographed-like pages (A4 150 dpi, ±3°, blur, noise, "
          f"JPEG 50–90); detector side {lim.ocr_det_side} px, recogniser batch {lim.ocr_rec_batch}; "
          f"load average {_load()}", flush=True)
    rows = []
    for k, (w, t) in enumerate(geometries):
        res = measure_pool(pages, w, t, batch=True)
        label = f"pool {res['geometry']}" + (" (as set up)" if k == 0 else "")
        rows.append((f"{label}, cold, file by file", res["cold"], res["cold_cpu"], res["cold_peak"], res["accuracy"]))
        rows.append((f"{label}, warm, file by file", res["warm"], res["warm_cpu"], res["warm_peak"], res["accuracy"]))
        rows.append((f"{label}, warm, {n} pages at once", res["batch"], res["batch_cpu"], res["batch_peak"],
                     res["accuracy"]))
        if not res["same"]:
            print(f"  NOTE: {label}: cold and warm texts differ")
        print(f"  {label} measured (load average {_load()})", flush=True)
    proc = subprocess.run([sys.executable, __file__, "--phase", "bare", "--pages", str(n)], capture_output=True,
                          text=True, check=True)
    bare = json.loads(proc.stdout.strip().splitlines()[-1])
    rows.append(("rapidocr alone, own settings, 1 process", bare["seconds"], bare["cpu"], bare["peak"],
                 tuple(bare["accuracy"])))
    print(f"{'':48}{'pages/min':>10}{'s/page':>8}{'CPU s/page':>11}{'peak MB':>9}{'chars right':>12}")
    for label, secs, cpu, peak, (acc, edits, chars) in rows:
        print(f"{label:48}{60 * n / secs:>10.1f}{secs / n:>8.2f}{cpu / n:>11.2f}{peak:>9.0f}{100 * acc:>11.2f}%")
    warm, alone = rows[1][1], rows[-1][1]
    print(f"ratio pool warm file by file / rapidocr alone: time {warm / alone:.2f}, CPU {rows[1][2] / rows[-1][2]:.2f}; "
          f"pool {n} pages at once / alone: time {rows[2][1] / alone:.2f}")
    cores = os.cpu_count() or 1
    print(f"(pages/min if CPU were the only limit, {cores} idle cores at these CPU seconds per page: pool "
          f"≈ {60 * cores / (rows[1][2] / n):.0f}, alone ≈ {60 * cores / (rows[-1][2] / n):.0f}; "
          f"load average now {_load()})", flush=True)


# --- part 2: R24–R29 on read pages against the same documents as text -------------------------------------

# per rule: the document types that decide it (None: the item's types from the knowledge base) and the days
# around the planted date whose documents go on paper (None: the whole encounter); a day wider than the
# rule's window on each side, so that a near miss one day out is on paper too
DECIDING = {"R24": (None, (-1, 5)), "R25": (("operation",), (-2, 2)), "R26": (None, None),
            "R27": (("nursing",), (-1, 1)), "R28": (("treatment",), (-1, 1)), "R29": (("nursing", "progress"), (-1, 1))}


def _s(value) -> str:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _key(rule, r) -> tuple:
    return (rule, _s(r["mdtrt_id"]), _s(r["feedetl_sn"]), _s(r["med_list_codg"]), _s(r["date"]),
            _s(r.get("drord_no")), _s(r.get("period_start")))


def _planted(manifest, quick: bool) -> list[dict]:
    """The planted R24–R29 hits and near misses whose documents go on paper: all, or (quick) one hit and one
    near miss of every rule."""
    items = [dict(h, planted="hit") for h in manifest.hits if h["rule_code"] in RECORD_RULES]
    items += [dict(h, planted="near") for h in manifest.near_misses if h["rule_code"] in RECORD_RULES]
    if not quick:
        return items
    out, seen = [], set()
    for h in items:
        if (h["rule_code"], h["planted"]) not in seen:
            seen.add((h["rule_code"], h["planted"]))
            out.append(h)
    return out


def _deciding_docs(items, docs, fees, kb_terms) -> dict[str, str]:
    """doc_id → rule of the documents that decide the planted items (see DECIDING)."""
    fee_at = {(m, sn): (code, t) for m, sn, code, t in zip(fees["mdtrt_id"], fees["feedetl_sn"],
                                                          fees["med_list_codg"], fees["fee_ocur_time"])}
    by_enc = defaultdict(list)
    for d in docs:
        by_enc[d["mdtrt_id"]].append(d)
    chosen: dict[str, str] = {}
    for h in items:
        rule = h["rule_code"]
        types, window = DECIDING[rule]
        code, when = h.get("med_list_codg") or "", h.get("date") or ""
        if h.get("feedetl_sn"):
            code, t = fee_at.get((h["mdtrt_id"], h["feedetl_sn"]), (code, None))
            when = t.date().isoformat() if t is not None else when
        if types is None:
            types = tuple(kb_terms.get(code, ()))
        day = dt.date.fromisoformat(when) if when else None
        for d in by_enc.get(h["mdtrt_id"], ()):
            if d["doc_type"] not in types:
                continue
            if window is not None and day is not None and d["doc_time"] is not None:
                delta = (d["doc_time"].date() - day).days
                if not window[0] <= delta <= window[1]:
                    continue
            chosen.setdefault(d["doc_id"], rule)
    return chosen


def _paper_copy(src: Path, dest: Path, docs: dict, chosen: dict[str, str], seed: int = 7) -> Counter:
    """``src`` copied to ``dest`` with the chosen documents drawn as photos and scans beside the index (their
    rows leave 病历文书.csv, or name the page file instead of the text file in 病历文书索引.csv)."""
    from feijian.demodata import paper_pages

    shutil.copytree(src, dest)
    rng = random.Random(f"ocr-bench-{seed}")
    files = dest / paper_pages.FILES_DIR
    files.mkdir(exist_ok=True)
    kinds: Counter = Counter()
    names = {}
    for i, doc_id in enumerate(chosen):
        kind = paper_pages.KINDS[i % len(paper_pages.KINDS)]
        data = paper_pages.render(docs[doc_id]["text"] or "", kind, rng)
        if kind in ("photo", "perspective") and data.startswith(b"%PDF"):
            kind = "scan_pdf"
        name = f"ocr_{paper_pages._SAFE.sub('_', doc_id)}{paper_pages.SUFFIX[kind]}"
        (files / name).write_bytes(data)
        names[doc_id] = f"{paper_pages.FILES_DIR}/{name}"
        kinds[kind] += 1
    text_csv, index_csv = dest / "病历文书.csv", dest / paper_pages.INDEX_NAME
    with open(text_csv, encoding="utf-8-sig", newline="") as fh:
        text_rows = list(csv.reader(fh))
    with open(index_csv, encoding="utf-8-sig", newline="") as fh:
        index_rows = list(csv.reader(fh))
    th, ih = text_rows[0], index_rows[0]
    t_id, i_id, i_file, i_text = th.index("文书ID"), ih.index("文书ID"), ih.index("文件"), ih.index("内容")
    moved = [r for r in text_rows[1:] if r[t_id] in names]
    kept = [r for r in text_rows[1:] if r[t_id] not in names]
    for r in index_rows[1:]:
        if r[i_id] in names:
            r[i_file], r[i_text] = names[r[i_id]], ""
    for r in moved:
        row = dict(zip(th, r))
        row["文件"], row["内容"] = names[row["文书ID"]], ""
        index_rows.append([row.get(h, "") for h in ih])
    with open(text_csv, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows([th] + kept)
    with open(index_csv, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(index_rows)
    return kinds


def _screen(folder: Path, kb):
    from feijian import ingest
    from feijian.rules import runner

    meter = TreeMeter().start()
    t0 = time.perf_counter()
    read = ingest.read_folder(folder)
    secs = time.perf_counter() - t0
    meter.stop()
    assert not read.rejected, read.rejected
    return read, runner.screen(read.tables, kb, rules=list(RECORD_RULES)), secs, meter


def rules(quick: bool, scale: float) -> None:
    from feijian import ingest
    from feijian.demodata import generate
    from feijian.rules.knowledge_base import KnowledgeBase
    from feijian.rules.record_ocr import needs_ocr_review
    from feijian.rules.record_text import split_list

    print(f"\n== 2. R24–R29 on read pages vs the same documents as text ({'quick' if quick else 'full'}); "
          f"load average {_load()}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="feijian-ocr-bench-"))
    try:
        text_dir, paper_dir = work / "text", work / "paper"
        manifest = generate(text_dir, seed=7, scale=scale)
        kb = KnowledgeBase.from_tables(ingest.read_folder(text_dir / "kb", kind="kb").tables)
        kb_terms = {r["med_list_codg"]: split_list(r["doc_types"]) for r in kb.item_terms.to_pylist()}
        read_t, res_t, secs_t, _ = _screen(text_dir, kb)
        docs_tab = read_t.tables["emr_docs"].select(["doc_id", "mdtrt_id", "doc_type", "doc_time", "text"])
        docs = docs_tab.to_pylist()
        fees = read_t.tables["fees"].select(["mdtrt_id", "feedetl_sn", "med_list_codg", "fee_ocur_time"]).to_pydict()
        items = _planted(manifest, quick)
        chosen = _deciding_docs(items, docs, fees, kb_terms)
        by_id = {d["doc_id"]: d for d in docs}
        kinds = _paper_copy(text_dir, paper_dir, by_id, chosen)
        scope = {h["mdtrt_id"] for h in items}
        print(f"{len(items)} planted items ({Counter(h['planted'] for h in items)['hit']} hits, "
              f"{Counter(h['planted'] for h in items)['near']} near misses) in {len(scope)} encounters; "
              f"{len(chosen)} documents that decide them drawn as pages: "
              + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())), flush=True)
        read_p, res_p, secs_p, meter = _screen(paper_dir, kb)
        ocr_docs = {d["doc_id"]: d for d in read_p.tables["emr_docs"].select(["doc_id", "text", "_file_format"]).to_pylist()}
        pages = sum(1 for d in chosen)  # at least one page each
        print(f"import: text {secs_t:.1f} s; with the pages read {secs_p:.1f} s (+{secs_p - secs_t:.1f} s for "
              f"{pages} documents: ≈ {60 * pages / max(0.01, secs_p - secs_t):.1f} documents/min through the import, "
              f"CPU {meter.cpu:.0f} s, peak {meter.peak_mb:.0f} MB); load average {_load()}")
        acc, edits, chars = _accuracy((by_id[i]["text"] or "", ocr_docs[i]["text"] or "") for i in chosen)
        print(f"characters right on the read documents: {100 * acc:.2f} % ({edits} edits in {chars})")

        expected = defaultdict(set)
        for h in manifest.hits:
            if h["rule_code"] in RECORD_RULES and h["mdtrt_id"] in scope:
                expected[h["rule_code"]].add(_key(h["rule_code"], h))

        def found(res):
            out, marked = defaultdict(set), defaultdict(set)
            for r in res.hits.to_dict("records"):
                if r["rule_code"] in RECORD_RULES and _s(r["mdtrt_id"]) in scope:
                    k = _key(r["rule_code"], r)
                    out[r["rule_code"]].add(k)
                    if needs_ocr_review(r["detail"]):
                        marked[r["rule_code"]].add(k)
            return out, marked

        got_t, marked_t = found(res_t)
        got_p, marked_p = found(res_p)

        def rp(got, exp):
            tp = len(got & exp)
            return (tp / len(exp) if exp else 1.0), (tp / len(got) if got else 1.0)

        print(f"{'rule':6}{'planted':>8}{'text R':>8}{'text P':>8}{'read R':>8}{'read P':>8}{'ΔR':>7}{'ΔP':>7}"
              f"{'shared':>8}{'only text':>10}{'only read':>10}{'OCR 待核':>10}")
        worst = 0.0
        all_t, all_p, all_e, all_m = set(), set(), set(), set()
        for rule in RECORD_RULES:
            exp, gt, gp = expected[rule], got_t[rule], got_p[rule]
            rt, pt = rp(gt, exp)
            rr, pr = rp(gp, exp)
            worst = max(worst, abs(rr - rt), abs(pr - pt))
            share = len(marked_p[rule]) / len(gp) if gp else 0.0
            print(f"{rule:6}{len(exp):>8}{rt:>8.2f}{pt:>8.2f}{rr:>8.2f}{pr:>8.2f}{rr - rt:>+7.2f}{pr - pt:>+7.2f}"
                  f"{len(gt & gp):>8}{len(gt - gp):>10}{len(gp - gt):>10}{f'{len(marked_p[rule])}/{len(gp)} {share:.2f}':>10}")
            all_t |= gt
            all_p |= gp
            all_e |= exp
            all_m |= marked_p[rule]
        rt, pt = rp(all_t, all_e)
        rr, pr = rp(all_p, all_e)
        print(f"{'all':6}{len(all_e):>8}{rt:>8.2f}{pt:>8.2f}{rr:>8.2f}{pr:>8.2f}{rr - rt:>+7.2f}{pr - pt:>+7.2f}"
              f"{len(all_t & all_p):>8}{len(all_t - all_p):>10}{len(all_p - all_t):>10}"
              f"{f'{len(all_m)}/{len(all_p)} {len(all_m) / max(1, len(all_p)):.2f}':>10}")
        text_marked = sum(len(v) for v in marked_t.values())
        print(f"largest gap read / text in recall or precision: {worst:.2f} (target ≤ 0.05); hits of the text run "
              f"marked OCR 待核: {text_marked}")
        for k in sorted(all_t ^ all_p):
            side = "only text" if k in all_t else "only read"
            mark = " (OCR 待核)" if k in all_m else ""
            print(f"  {side}: {k[0]} {k[1]} {k[2] or k[3]} {k[4]}{mark}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="4 pages, the pool as set up; one item per rule and kind")
    ap.add_argument("--pages", type=int, help="pages of part 1 (default 12, --quick 4)")
    ap.add_argument("--workers", type=int, default=0, help="workers of the pool (default: as the pool sets up)")
    ap.add_argument("--threads", type=int, default=0, help="onnxruntime threads per worker (default: as set up)")
    ap.add_argument("--scale", type=float, default=0.01, help="demo hospital scale of part 2")
    ap.add_argument("--part", choices=("speed", "rules"), help="run one part only")
    ap.add_argument("--phase", choices=("bare",), help=argparse.SUPPRESS)
    args = ap.parse_args()
    n = args.pages or (4 if args.quick else 12)
    if args.phase == "bare":
        print(json.dumps(phase_bare(n)))
        return 0
    from feijian.ingest.ocr import ocr_available

    if not ocr_available():
        print("OCR extra not installed (make ocr): skipped")
        return 0
    cpus = os.cpu_count() or 1
    workers = args.workers or 1  # as OcrPool sets itself up
    geometries = [(workers, args.threads or max(1, cpus // workers))]
    if not args.quick:
        geometries += [g for g in ((2, max(1, cpus // 2)), (1, cpus)) if g != geometries[0]]
    if args.part in (None, "speed"):
        speed(n, geometries)
    if args.part in (None, "rules"):
        rules(args.quick, args.scale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
