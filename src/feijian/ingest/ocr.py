"""Reading page images offline with rapidocr-onnxruntime (PP-OCRv4 Chinese detection and recognition; the models
ship inside the wheel, nothing is downloaded; onnxruntime on the CPU). An optional extra: ``feijian[ocr]``.

``read_image`` reads one page in this process. ``OcrPool`` reads many pages in worker processes with progress,
cancel and a per-page time limit: a worker whose page runs over is stopped and replaced, the page refused with
its reason. Pages travel to the workers through pipes, as arrays in memory; no image or text touches the disk.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from dataclasses import dataclass
from typing import Iterable, Optional

from feijian.domain.errors import Cancelled, InputError
from feijian.domain.progress import CancelledFn, ProgressFn, check_cancelled, report
from feijian.ingest.document_text import DocumentText, TextLine
from feijian.ingest.page_images import PageImage, limits, require_pdfium  # noqa: F401 (re-exported)

INSTALL_HINT = "pip install 'feijian[ocr]'"


class OcrUnavailable(InputError):
    """The OCR extra (rapidocr-onnxruntime, onnxruntime, opencv-python-headless, pypdfium2) is not installed."""

    def __init__(self, missing: str) -> None:
        super().__init__(
            f"未安装文字识别组件（缺少 {missing}），无法读取图片或扫描件；请安装 {INSTALL_HINT} / "
            f"OCR is not installed ({missing} missing): install {INSTALL_HINT} to read photographs and scans")


class PageTimeout(InputError):
    """A page took longer than the per-page time limit."""


def require_engine_module():
    try:
        import rapidocr_onnxruntime  # noqa: F401
        import cv2  # noqa: F401
    except ImportError as exc:
        raise OcrUnavailable(exc.name or "rapidocr_onnxruntime") from None
    return rapidocr_onnxruntime


def ocr_available() -> bool:
    try:
        require_engine_module()
        require_pdfium()
    except OcrUnavailable:
        return False
    return True


_ENGINE = None


def _engine(threads: int = 0):
    """This process's recogniser (models loaded once). ``threads`` > 0 fixes onnxruntime's intra-op threads
    per model (a worker of the pool: workers × threads = cores); 0 lets onnxruntime use every core."""
    global _ENGINE
    if _ENGINE is None:
        module = require_engine_module()
        lim = limits()
        kwargs = {"text_score": lim.min_line_score, "print_verbose": False, "rec_batch_num": lim.ocr_rec_batch}
        if threads > 0:
            kwargs["intra_op_num_threads"] = threads
            kwargs["inter_op_num_threads"] = 1
        _quiet_threads(module)
        _ENGINE = module.RapidOCR(**kwargs)
        _limit_detector(_ENGINE, lim.ocr_det_side)
    return _ENGINE


def _quiet_threads(module) -> None:
    """onnxruntime's intra-op threads wait for work by spinning; on a laptop whose cores are busy (the GUI,
    another worker) a spinning thread burns the CPU the other needs. rapidocr builds its session options
    itself (utils.infer_engine.OrtInferSession._init_sess_opts), so the option is added to what it builds."""
    try:
        from rapidocr_onnxruntime.utils.infer_engine import OrtInferSession
    except ImportError:  # another layout of the package: keep its defaults
        return
    original = OrtInferSession.__dict__.get("_init_sess_opts")
    if original is None or getattr(original, "_feijian_quiet", False):
        return
    build = original.__func__ if isinstance(original, staticmethod) else original

    def init_sess_opts(config):
        opts = build(config)
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return opts

    init_sess_opts._feijian_quiet = True
    OrtInferSession._init_sess_opts = staticmethod(init_sess_opts)


def _limit_detector(engine, side: int) -> None:
    """The text detector sees the page with its longest side at most ``side`` px (the recogniser still reads
    each line cut from the full page). rapidocr 1.4's ``limit_type: max`` ignores ``limit_side_len`` and
    rounds up to 960/1500/2000 px: an A4 page at 150 dpi (1754 px) was detected at full size, half the time
    and most of the memory of a page (benchmarks/ocr_bench.py)."""
    det = getattr(engine, "text_det", None)
    if det is None or side <= 0 or not hasattr(det, "get_preprocess"):
        return
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

    def get_preprocess(max_wh):
        return DetPreProcess(side, "max", det.mean, det.std)

    det.get_preprocess = get_preprocess


def read_array(image, page: int = 1, scale: float = 1.0, threads: int = 0) -> list[TextLine]:
    """The lines of one page (numpy RGB array), in reading order, boxes in the source image's pixels."""
    import numpy as np

    bgr = np.ascontiguousarray(image[:, :, ::-1])  # rapidocr works on OpenCV's BGR order
    result, _ = _engine(threads)(bgr)
    out = []
    for quad, text, score in result or ():
        xs = [p[0] / scale for p in quad]
        ys = [p[1] / scale for p in quad]
        out.append(TextLine(page=page, box=(min(xs), min(ys), max(xs), max(ys)),
                            confidence=round(float(score), 4), text=str(text)))
    return out


def read_image(page: PageImage, threads: int = 0) -> list[TextLine]:
    return read_array(page.image, page.page, page.scale, threads)


CLAUSE_ENDS = "，。；;！？!?：:"


WRAP_REACH = 0.7  # a wrapped line reaches at least this share of the page's width


def join_lines(lines: Iterable[TextLine], widths: Optional[dict] = None) -> str:
    """A document's text from its recognised lines. A line that fills the page's width and does not end a
    clause continues on the next one (the printed line wrapped), so it is joined without a break; others end
    with a line break, like the elements of a text file (records.md, reading the text). ``widths`` (page →
    the page's width in the boxes' units), when known, keeps short lines of a sparse page apart: a line ends
    short of the right margin when it ends before :data:`WRAP_REACH` of the page."""
    lines = list(lines)
    if not lines:
        return ""
    by_page: dict[int, float] = {}
    for line in lines:
        if line.box is not None:
            by_page[line.page] = max(by_page.get(line.page, 0.0), line.box[2])
    parts = []
    for i, line in enumerate(lines):
        parts.append(line.text)
        if i == len(lines) - 1:
            break
        right = by_page.get(line.page, 0.0)
        wide = widths.get(line.page) if widths else None
        wrapped = (line.box is not None and right > 0 and line.box[2] >= 0.9 * right
                   and (not wide or line.box[2] >= WRAP_REACH * wide)
                   and line.text and line.text[-1] not in CLAUSE_ENDS and lines[i + 1].page == line.page)
        parts.append("" if wrapped else "\n")
    return "".join(parts)


# --- the worker pool -------------------------------------------------------------------------------------


def _worker(conn, threads: int) -> None:  # in the worker process
    try:
        import numpy as np

        warm = np.full((64, 256, 3), 255, np.uint8)  # the first inference allocates; keep it off the clock
        warm[20:44, 20:236] = 0
        read_array(warm, threads=threads)
        conn.send(("ready", None))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        key, page = job
        try:
            if isinstance(page, PageImage):
                lines = read_image(page, threads)
            else:  # a test hook: ("sleep", seconds) stands for a page that never finishes
                time.sleep(page[1])
                lines = []
            conn.send(("done", (key, lines)))
        except BaseException as exc:  # noqa: BLE001
            conn.send(("failed", (key, f"{type(exc).__name__}: {exc}")))


@dataclass
class _Slot:
    process: mp.Process
    conn: object
    job: Optional[tuple] = None
    started: float = 0.0
    ready: bool = False


@dataclass(frozen=True)
class PageResult:
    key: object
    page: int
    lines: tuple[TextLine, ...]
    error: str = ""  # the reason the page was not read ("" when read)


class OcrPool:
    """Worker processes reading pages. ``read(pages)`` returns one PageResult per page, in order.

    Use as a context manager; the workers start once (each loads the models, ~1 s) and serve many documents.

    By default one worker whose onnxruntime threads use every core: the import hands over one file at a time
    (mostly a one-page photo), so a second worker would idle while holding its own models and buffers
    (benchmarks/ocr_bench.py, docs/ocr.md: 2 workers × 1 thread peaked at 935 MB against 593 MB, at the same
    CPU seconds per page). ``workers`` > 1 serves documents of many pages; workers × threads = cores."""

    def __init__(self, workers: int = 0, threads_per_worker: int = 0,
                 page_timeout: Optional[float] = None) -> None:
        require_engine_module()
        cpus = os.cpu_count() or 1
        self.workers = workers or 1
        self.threads = threads_per_worker or max(1, cpus // self.workers)
        self.page_timeout = page_timeout if page_timeout is not None else limits().page_timeout_seconds
        self._ctx = mp.get_context("spawn")  # never fork a process that may hold Qt or SQLCipher state
        self._slots: list[_Slot] = []

    def __enter__(self) -> "OcrPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker, args=(child, self.threads), daemon=True, name="feijian-ocr")
        process.start()
        child.close()
        return _Slot(process=process, conn=parent)

    def _stop(self, slot: _Slot) -> None:
        try:
            slot.conn.close()
        except OSError:
            pass
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join(5)

    def close(self) -> None:
        for slot in self._slots:
            try:
                if slot.process.is_alive() and slot.job is None:
                    slot.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        for slot in self._slots:
            slot.process.join(1)
            self._stop(slot)
        self._slots = []

    def read(self, pages: Iterable, *, progress: Optional[ProgressFn] = None,
             cancelled: Optional[CancelledFn] = None, total: int = 0) -> list[PageResult]:
        """Read ``pages`` (an iterable of (key, PageImage)); pulled lazily so that only a few pages are in
        memory at once. Raises Cancelled (workers stopped) when ``cancelled()`` turns true."""
        from multiprocessing.connection import wait

        source = iter(pages)
        results: dict[int, PageResult] = {}
        order = 0
        exhausted = False
        while len(self._slots) < self.workers:
            self._slots.append(self._start())
        try:
            while True:
                check_cancelled(cancelled)
                # hand a page to every idle, ready worker
                for slot in self._slots:
                    if slot.ready and slot.job is None and not exhausted:
                        try:
                            key, page = next(source)
                        except StopIteration:
                            exhausted = True
                            break
                        slot.job = (order, key, page)
                        slot.started = time.monotonic()
                        slot.conn.send((order, page))
                        order += 1
                busy = [s for s in self._slots if s.job is not None or not s.ready]
                if exhausted and not any(s.job is not None for s in self._slots):
                    break
                if not busy:
                    continue
                ready = wait([s.conn for s in busy], timeout=0.2)
                now = time.monotonic()
                for slot in list(self._slots):
                    if slot.conn in ready:
                        try:
                            kind, payload = slot.conn.recv()
                        except (EOFError, OSError):
                            kind, payload = "died", None
                        if kind == "ready":
                            slot.ready = True
                            continue
                        if kind == "error":
                            raise InputError(f"文字识别进程无法启动 / OCR worker failed to start: {payload}")
                        if kind == "died":
                            self._replace(slot, results, "文字识别进程意外退出 / OCR worker died")
                            continue
                        n, key, page = slot.job
                        if kind == "done":
                            results[n] = PageResult(key, _page_no(page), tuple(payload[1]))
                        else:
                            results[n] = PageResult(key, _page_no(page), (), f"识别失败 / OCR failed: {payload[1]}")
                        slot.job = None
                        report(progress, len(results), total, f"第 {_page_no(page)} 页")
                    elif slot.job is not None and now - slot.started > self.page_timeout:
                        self._replace(slot, results,
                                      f"第 {_page_no(slot.job[2])} 页识别超过 {self.page_timeout:g} 秒，已中止"
                                      f" / page took over {self.page_timeout:g} s: stopped")
                        report(progress, len(results), total, "")
                    elif not slot.process.is_alive():
                        self._replace(slot, results, "文字识别进程意外退出 / OCR worker died")
        except Cancelled:
            for slot in self._slots:
                self._stop(slot)
            self._slots = []
            raise
        return [results[i] for i in sorted(results)]

    def _replace(self, slot: _Slot, results: dict, reason: str) -> None:
        if slot.job is not None:
            n, key, page = slot.job
            results[n] = PageResult(key, _page_no(page), (), reason)
        self._stop(slot)
        self._slots[self._slots.index(slot)] = self._start()


def _page_no(page) -> int:
    return page.page if isinstance(page, PageImage) else 0


def document_from_pages(results: Iterable[PageResult], widths: Optional[dict] = None) -> DocumentText:
    """One document's text from its pages' results (raises with the reason when a page was not read: a
    document read in part would make the absence rules wrong); ``widths`` as :func:`join_lines` reads it."""
    lines: list[TextLine] = []
    for result in results:
        if result.error:
            raise InputError(result.error)
        lines.extend(result.lines)
    return DocumentText(text=join_lines(lines, widths), lines=tuple(lines))
