"""Reading one extract file into typed contract tables: :func:`iter_file` (streamed in chunks),
:func:`read_file` (whole), :func:`open_sources` (every table of a file: a workbook may hold several),
and :func:`preview` for the import assistant."""

from __future__ import annotations

import hashlib
import queue
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from feijian.domain.contract import TableSpec, load_contract
from feijian.domain.errors import InputError
from feijian.domain.events import uuid7
from feijian.domain.progress import CancelledFn, ProgressFn, check_cancelled, report
from feijian.domain.records import ImportedFile, RejectedRow
from feijian.ingest import xlsx as X
from feijian.ingest.csvfile import RawBlocks, parse_block, sniff_delimiter, split_header
from feijian.ingest.documents import CUSTODY_COLUMNS, DOCUMENT_TABLE, OCR_COLUMNS, DocumentFiles
from feijian.ingest.encoding import Decoder
from feijian.ingest.errors import EmptyFile, EncodingProblem, MappingProblem, NotATable
from feijian.ingest.mapping import ColumnPlan, MappingDict, plan_columns, propose_mapping
from feijian.ingest.validate import TableState, empty_table, validate_chunk

DEFAULT_CHUNK_BYTES = 64 << 20
# parsed blocks (each at most DEFAULT_CHUNK_BYTES of extract) the read-and-parse thread may hold ready for
# validation: two, so that the parse goes on while a block is validated slowly; measured only together with
# casework.importing.PREFETCH_CHUNKS
PREFETCH_BLOCKS = 2
HEADER_SEARCH_ROWS = 20
TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".dat")
MAX_REJECT_TEXT = 200
_LINE_BREAK = re.compile(rb"\r\n|\n|\r")


@dataclass
class TableRead:
    """One file (or workbook sheet) read into one contract table."""

    table: str
    data: pa.Table
    file: ImportedFile
    rejected: list[RejectedRow]
    columns: dict[str, Optional[str]] = field(default_factory=dict)  # source header → contract field / None
    delimiter: str = ""
    notes: list = field(default_factory=list)  # validate.RowNote: rows imported as written, worth a look
    document_file: Optional[ImportedFile] = None  # an emr_docs index: the custody record of the files it named


def _spec(table: Optional[str]) -> Optional[TableSpec]:
    if table is None:
        return None
    contract = load_contract()
    spec = contract.tables.get(table) or contract.table_for_name(table)
    if spec is None:
        raise InputError(f"未知的表 / unknown table: {table!r}")
    return spec


def table_for_file_name(path: Path, kind: Optional[str] = None) -> Optional[TableSpec]:
    spec = load_contract().table_for_name(path.stem)
    if spec is not None and kind is not None and spec.kind != kind:
        return None
    return spec


def _choose_header(rows: list[list[str]], spec: Optional[TableSpec], kind: Optional[str], mapping,
                   strict: bool = False) -> tuple[int, TableSpec]:
    """Index of the header row among the first rows, and its table. Raises NotATable. Unless ``strict``,
    a known table falls back to the best-matching (or first) row, so the error names the missing columns."""
    fallback = None
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if not any(c.strip() for c in cells):
            continue
        if spec is not None:
            p = propose_mapping(cells, table=spec.name, mapping=mapping)
            if p.score and not p.missing_required:
                return i, spec
            if fallback is None and p.score:
                fallback = i
        else:
            p = propose_mapping(cells, kind=kind, mapping=mapping)
            if p.table and not p.missing_required:
                return i, load_contract().table(p.table)
    if spec is not None and not strict:
        if fallback is None:
            fallback = next((i for i, c in enumerate(rows[:HEADER_SEARCH_ROWS]) if any(x.strip() for x in c)), None)
        if fallback is None:
            raise EmptyFile("没有表头 / no header row")
        return fallback, spec
    raise NotATable("找不到可识别的表头（不是数据契约中的表？）/ no recognisable header row (not a contract table?)")


def _check_required(plan: ColumnPlan, spec: TableSpec, file_name: str) -> None:
    missing = plan.missing_required(spec)
    if missing:
        raise MappingProblem(
            f"{file_name}: 表 {spec.name} 缺少必需列 {', '.join(missing)}，请用映射文件指定 / "
            f"missing required columns {', '.join(missing)} for {spec.name}: give a mapping (--mapping)"
        )


class FileStream:
    """A file (or one workbook sheet) being read as a contract table, chunk by chunk.

    Construction reads only the head (encoding, delimiter, header, table); iterating yields typed
    ``pa.Table`` chunks; afterwards ``.file`` (chain of custody) and ``.rejected`` are complete."""

    def __init__(
        self,
        path,
        *,
        table: Optional[str] = None,
        mapping: Optional[MappingDict] = None,
        kind: Optional[str] = None,
        encoding: Optional[str] = None,
        batch_id: Optional[str] = None,
        chunk_bytes: int = DEFAULT_CHUNK_BYTES,
        progress: Optional[ProgressFn] = None,
        cancelled: Optional[CancelledFn] = None,
        state: Optional[TableState] = None,
        sheet: Optional[str] = None,
        require_columns: bool = True,
        _workbook=None,
        _workbook_bytes: Optional[bytes] = None,
    ) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.mapping = mapping or {}
        self.kind = kind
        self.batch_id = batch_id or uuid7()
        self.chunk_bytes = chunk_bytes
        self.progress = progress
        self.cancelled = cancelled
        self.rejected: list[RejectedRow] = []
        self.rows = 0
        self.read = 0
        self.delimiter = ""
        self.sheet = sheet or ""
        self.require_columns = require_columns
        self.label_sheet = False  # name the sheet in refused rows: only when the workbook holds several tables
        self._hasher = hashlib.sha256()
        self._bytes_done = 0
        self._block = ((0, 0), 0, 0)  # (byte span, records, records done) of the batch being read
        self._done = False
        self._sha256: Optional[str] = None
        try:
            self.size = self.path.stat().st_size
        except OSError as exc:
            raise InputError(f"无法读取文件 / cannot read {self.path}: {exc.strerror}") from None
        wanted = _spec(table) or table_for_file_name(self.path, kind)
        try:
            if self.path.suffix.lower() in X.WORKBOOK_SUFFIXES:
                self._open_workbook(wanted, _workbook, _workbook_bytes)
            else:
                self._open_text(wanted, encoding)
        except (NotATable, EmptyFile, MappingProblem, EncodingProblem) as exc:
            msg = str(exc)
            if not msg.startswith(self.name):
                msg = f"{self.name}: {msg}"
            raise type(exc)(msg) from None
        self.state = state if state is not None else TableState(self.spec)
        if self.state.spec.name != self.spec.name:
            raise ValueError("state belongs to another table")
        # an emr_docs index naming files: they are read (and hashed) row by row as the index is read
        self.documents: Optional[DocumentFiles] = (
            DocumentFiles(self.path.parent, self.name, note=self._note, cancelled=self.cancelled)
            if self.spec.name == DOCUMENT_TABLE and "file" in self.plan.fields else None)

    def _note(self, message: str) -> None:
        report(self.progress, self._bytes_done, self.size, message)

    # ---- opening -------------------------------------------------------------------------------
    def _open_text(self, wanted: Optional[TableSpec], encoding: Optional[str]) -> None:
        if self.size == 0:
            raise EmptyFile("文件为空 / the file is empty")
        self.encoding_kind = "text"
        self._fh = open(self.path, "rb")
        self._raw = RawBlocks(self._fh, self.chunk_bytes, self._on_bytes)
        self.decoder = Decoder(self.name, encoding)
        size = min(self.chunk_bytes, 1 << 20)
        head = self._raw.head(size)
        stripped = self.decoder.start(head)
        if len(stripped) != len(head):
            self._raw.drop(len(head) - len(stripped))
        buf = self._raw.buf
        while True:
            cut = buf.rfind(b"\n")
            newlines = buf.count(b"\n", 0, cut + 1) if cut >= 0 else 0
            if self._raw.eof or newlines > HEADER_SEARCH_ROWS or len(buf) >= self.chunk_bytes * 4:
                break
            size *= 2
            self._raw.head(size)
            buf = self._raw.buf
        region = buf if (self._raw.eof or cut < 0) else buf[: cut + 1]
        if not region.strip():
            raise EmptyFile("文件没有表头 / the file has no header row")
        self.decoder.to_utf8(region, 1)  # fixes the encoding; raises on bad bytes
        codec = self.decoder.encoding if self.decoder.encoding in ("gbk", "gb18030") else "utf-8"
        # candidate header records: physical lines (ended by \n, \r\n or \r) joined while a quote is open
        spans = []  # (start, end of text, end after the line break)
        pos = 0
        for m in _LINE_BREAK.finditer(region):
            spans.append((pos, m.start(), m.end()))
            pos = m.end()
            if len(spans) > HEADER_SEARCH_ROWS * 4:
                break
        else:
            if pos < len(region):
                spans.append((pos, len(region), len(region)))
        records: list[tuple[int, int, str, int]] = []  # (first line index, byte end, text, lines)
        i = 0
        while i < len(spans) and len(records) < HEADER_SEARCH_ROWS:
            start_i = i
            s0, e0, end = spans[i]
            i += 1
            while region[s0:e0].count(b'"') % 2 == 1 and i < len(spans):
                e0, end = spans[i][1], spans[i][2]
                i += 1
            records.append((start_i, end, region[s0:e0].decode(codec, errors="strict"), i - start_i))
        cells = []
        for _, _, text, _ in records:
            cells.append(split_header(text, sniff_delimiter(text)) if text.strip() else [])
        idx, spec = _choose_header(cells, wanted, self.kind, self.mapping)
        line_idx, end, text, nlines = records[idx]
        self.delimiter = sniff_delimiter(text)
        self.headers = split_header(text, self.delimiter)
        self.spec = spec
        self.plan = plan_columns(spec, self.headers, self.mapping)
        if self.require_columns:
            _check_required(self.plan, spec, self.name)
        self._raw.drop(end)
        self._first_line = line_idx + nlines + 1  # the line after the header (1-based)

    def _open_workbook(self, wanted: Optional[TableSpec], workbook, data: Optional[bytes]) -> None:
        self.encoding_kind = "xlsx"
        self.decoder = None
        if data is None:
            if self.size == 0:
                raise EmptyFile("文件为空 / the file is empty")
            data = self.path.read_bytes()
        self._on_bytes(data)
        wb = workbook if workbook is not None else X.open_workbook(data, self.name)
        names = X.sheet_names(wb)
        contract = load_contract()
        order: list[str] = []
        if self.sheet:
            order = [self.sheet]
        else:
            named = [n for n in names if (wanted and wanted.matches_name(n)) or (
                not wanted and (s := contract.table_for_name(n)) is not None and (self.kind is None or s.kind == self.kind))]
            order = named + [n for n in names if n not in named]
        last_error: Optional[Exception] = None
        passes = [(n, True) for n in order] + ([(order[0], False)] if wanted is not None and order else [])
        for n, strict in passes:
            sheet = X.read_sheet(wb, n)
            sheet_spec = wanted
            if sheet_spec is None:
                s = contract.table_for_name(n)
                sheet_spec = s if s is not None and (self.kind is None or s.kind == self.kind) else None
            try:
                idx, spec = _choose_header(sheet.rows, sheet_spec, self.kind, self.mapping,
                                           strict=strict and not (self.sheet or (wanted and wanted.matches_name(n))))
            except (NotATable, EmptyFile) as exc:
                last_error = exc
                continue
            self.sheet = n
            self.spec = spec
            self.headers = [c.strip() for c in sheet.rows[idx]]
            width = max((len(r) for r in sheet.rows), default=0)
            self.headers += [""] * (width - len(self.headers))
            self.plan = plan_columns(spec, self.headers, self.mapping)
            if self.require_columns:
                _check_required(self.plan, spec, f"{self.name}[{n}]")
            self._sheet_rows = sheet.rows
            self._header_index = idx
            return
        if isinstance(last_error, EmptyFile) and len(order) == 1:
            raise EmptyFile("工作表为空 / the sheet is empty")
        raise NotATable("没有哪个工作表有可识别的表头 / no sheet has a recognisable header row")

    # ---- reading -------------------------------------------------------------------------------
    def _on_bytes(self, data: bytes) -> None:
        self._hasher.update(data)
        self._bytes_done += len(data)

    @property
    def table(self) -> str:
        return self.spec.name

    @property
    def encoding(self) -> str:
        return "xlsx" if self.decoder is None else self.decoder.reported

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            raise RuntimeError("the file has not been read to its end yet")
        return self._sha256

    @property
    def refused(self) -> int:
        return len(self.rejected)

    @property
    def file(self) -> ImportedFile:
        return ImportedFile(
            file_name=self.name, table=self.spec.name, sha256=self.sha256, size=self.size, encoding=self.encoding,
            rows=self.rows, read=self.read, refused=self.refused, sheet=self.sheet,
        )

    @property
    def document_file(self) -> Optional[ImportedFile]:
        """The chain-of-custody record of the document files an emr_docs index named (None otherwise)."""
        return self.documents.imported_file() if self.documents is not None else None

    @property
    def files(self) -> list[ImportedFile]:
        """The file itself and, for an emr_docs index, the record of the document files it named."""
        doc = self.document_file
        return [self.file] + ([doc] if doc is not None else [])

    @property
    def columns(self) -> dict[str, Optional[str]]:
        return dict(zip(self.plan.headers, self.plan.fields))

    @property
    def extra_names(self) -> tuple[str, ...]:
        return tuple(e for e in self.plan.extra_names if e)

    def __iter__(self) -> Iterator[pa.Table]:
        if self._done:
            raise RuntimeError("a FileStream can be read once")
        try:
            if self.decoder is None:
                yield from self._iter_sheet()
            else:
                yield from self._iter_text()
        finally:
            fh = getattr(self, "_fh", None)
            if fh is not None:
                fh.close()
            if self.documents is not None:
                self.documents.close()  # the OCR workers, when pages were read
        self._done = True
        self._sha256 = self._hasher.hexdigest()
        self.rejected.sort(key=lambda r: r.line)
        assert self.rows == self.read + self.refused, "row accounting"

    def close(self) -> None:
        fh = getattr(self, "_fh", None)
        if fh is not None:
            fh.close()
        documents = getattr(self, "documents", None)
        if documents is not None:
            documents.close()

    def _parsed_blocks(self) -> Iterator:
        """Read, hash, decode and parse the blocks (runs ahead in a worker thread)."""
        line = self._first_line
        ncols = len(self.headers)
        for block, last in self._raw.blocks(self.delimiter.encode()):
            # where the block ends in the file (this thread reads: the count matches what is buffered)
            end = self._bytes_done if last else self._bytes_done - len(self._raw.buf)
            span = (end - len(block), end)
            data = self.decoder.to_utf8(block, line, validate_utf8=False)
            try:
                parsed = parse_block(data, ncols, self.delimiter, line, last=last)
            except pa.ArrowInvalid as exc:
                if "utf8" not in str(exc).lower():
                    raise NotATable(f"{self.name}: 第 {line} 行起无法按 CSV 解析 / cannot parse as CSV from line {line}: {exc}") from None
                data = self.decoder.utf8_failed(block, line)
                parsed = parse_block(data, ncols, self.delimiter, line, last=last)
            del data, block
            line += parsed.line_count
            parsed.span = span
            yield parsed

    def _iter_text(self) -> Iterator[pa.Table]:
        for parsed in prefetch(self._parsed_blocks(), depth=PREFETCH_BLOCKS):
            check_cancelled(self.cancelled)
            for ln, reason, text in parsed.invalid:
                self.rejected.append(RejectedRow(self.name, ln, "", text[:MAX_REJECT_TEXT], reason))
            self.rows += parsed.records
            self._block = (parsed.span, parsed.records, 0)
            for cols, lines in parsed.batches():
                for chunk in self._validated(cols, lines):
                    if chunk.num_rows:
                        yield chunk
            # an index naming files: the position read so far (the reader runs ahead of the documents)
            done = parsed.span[1] if self.documents is not None else self._bytes_done
            report(self.progress, done, self.size, f"{self.name}: {self.rows} 行 / rows")
        self._fh.close()

    def _iter_sheet(self) -> Iterator[pa.Table]:
        rows = self._sheet_rows
        ncols = len(self.headers)
        data_rows = rows[self._header_index + 1:]
        step = 200_000
        for start in range(0, len(data_rows), step):
            check_cancelled(self.cancelled)
            part = data_rows[start:start + step]
            keep = [i for i, r in enumerate(part) if any(c.strip() for c in r)]
            lines = np.array([self._header_index + 2 + start + i for i in keep], dtype=np.int64)
            cols = [pa.array([(part[i][j] if j < len(part[i]) else "") for i in keep], pa.string()) for j in range(ncols)]
            self.rows += len(keep)
            self._block = ((0, self.size), len(data_rows), start)
            for chunk in self._validated(cols, lines):
                if self.documents is None:  # (an index's documents report as they are read)
                    report(self.progress, self._bytes_done, self.size, f"{self.name}: {self.rows} 行 / rows")
                if chunk.num_rows:
                    yield chunk

    def _validated(self, columns: list, lines: np.ndarray) -> Iterator[pa.Table]:
        """Typed chunks of one parsed batch; for an emr_docs index, the named files are read one by one
        and the batch is cut so that a chunk holds at most ``batch_rows`` documents read from files or
        ``batch_bytes`` of their text (a 20 MB document, or 200,000 small ones, in bounded memory). The rows
        that name no file to read (their text is in the index) are found in bulk and cost nothing here."""
        if self.documents is None:
            yield self._validate(columns, lines)
            return
        limits = self.documents.limits
        columns = [c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in columns]
        fields = self.plan.fields
        file_col = columns[fields.index("file")]
        given = columns[fields.index("text")] if "text" in fields else pa.nulls(len(file_col), pa.string())
        need = files_to_read(file_col, given)
        files = pc.take(file_col, pa.array(need, pa.int64())).to_pylist() if len(need) else []
        n = len(file_col)
        start = 0
        k = 0  # the next file to read: row need[k]
        while start < n:
            reads: list = []  # (row in this chunk, DocumentRead)
            used = 0
            while k < len(need) and len(reads) < limits.batch_rows and used < limits.batch_bytes:
                if reads and len(reads) % 64 == 0:
                    check_cancelled(self.cancelled)
                    report(self.progress, self._position(int(need[k])), self.size,
                           f"{self.name}: {self.documents.named} 个文书文件 / document files")
                elif not reads:
                    check_cancelled(self.cancelled)
                got = self.documents.read_one(files[k])
                reads.append((int(need[k]) - start, got))
                used += (len(got.text or "") + len(got.ocr_lines or "")) * 3
                k += 1
            end = int(need[k]) if k < len(need) else n  # the chunk ends before the next file not read yet
            m = end - start
            masks = []
            problems: dict[str, list[int]] = {}
            for row, got in reads:
                if got.problem:
                    problems.setdefault(got.problem, []).append(row)
            for reason, rows in problems.items():
                mask = np.zeros(m, dtype=bool)
                mask[rows] = True
                masks.append((mask, "file", reason))
            rows = [row for row, _ in reads]
            got_all = [got for _, got in reads]
            text = given.slice(start, m)
            if reads:
                text = _scatter(text, rows, [g.text for g in got_all], pa.string())
            custody = {
                "_file_sha256": _scatter(m, rows, [g.sha256 for g in got_all], pa.string()),
                "_file_size": _scatter(m, rows, [g.size for g in got_all], pa.int64()),
                "_file_format": _scatter(m, rows, [g.source or None for g in got_all], pa.string()),
                "_ocr_confidence": _scatter(m, rows, [g.ocr_confidence for g in got_all], pa.float64()),
                "_ocr_lines": _scatter(m, rows, [g.ocr_lines for g in got_all], pa.string()),
            }
            sub = [c.slice(start, m) for c in columns]
            yield self._validate(sub, lines[start:end], text=text, row_problems=masks, custody=custody)
            if reads:
                report(self.progress, self._position(end), self.size,
                       f"{self.name}: {self.documents.named} 个文书文件 / document files")
            start = end
        span, records, before = self._block
        self._block = (span, records, before + n)

    def _position(self, rows: int) -> int:
        """Bytes of the index read as far as its documents are: the current block's start plus its share
        of the rows whose files were read (``rows`` of the current parsed batch)."""
        (begin, end), records, before = self._block
        return begin + (end - begin) * min(records, before + rows) // max(1, records)

    def _validate(self, columns: list[pa.Array], lines: np.ndarray, *, text: Optional[pa.Array] = None,
                  row_problems=None, custody: Optional[dict] = None) -> pa.Table:
        raw: dict[str, pa.Array] = {}
        extras: dict[str, pa.Array] = {}
        for col, f, extra in zip(columns, self.plan.fields, self.plan.extra_names):
            if f:
                raw[f] = col
            else:
                extras[extra] = col
        if text is not None:
            raw["text"] = text
        label = f"{self.name}[{self.sheet}]" if self.sheet and self.label_sheet else self.name
        typed, rejected, ok = validate_chunk(self.state, raw, extras, lines, file_name=label, batch_id=self.batch_id,
                                             row_problems=row_problems)
        self.rejected.extend(rejected)
        self.read += typed.num_rows
        if self.spec.name == DOCUMENT_TABLE:  # the files' custody per document (null for a text in the index)
            keep = pa.array(ok)
            for name in CUSTODY_COLUMNS + OCR_COLUMNS:
                col = custody[name] if custody else pa.nulls(len(lines), _DOC_COLUMN_TYPES.get(name, pa.string()))
                typed = typed.append_column(name, col.filter(keep))
        return typed

    def empty(self) -> pa.Table:
        table = empty_table(self.spec, self.extra_names)
        if self.spec.name == DOCUMENT_TABLE:
            for name in CUSTODY_COLUMNS + OCR_COLUMNS:
                table = table.append_column(name, pa.array([], _DOC_COLUMN_TYPES.get(name, pa.string())))
        return table


_DOC_COLUMN_TYPES = {"_file_size": pa.int64(), "_ocr_confidence": pa.float64()}
# the characters ``str.strip()`` takes away (Unicode whitespace as Python sees it), as an RE2 class
_BLANK_CLASS = "[" + "".join(f"\\x{{{c:x}}}" for c in range(0x110000) if chr(c).isspace()) + "]"


def _blank(values: pa.Array) -> np.ndarray:
    """Per value: null, or nothing but whitespace (``not value.strip()`` in Python), in bulk."""
    filled = pc.fill_null(values, "")
    return np.asarray(pc.invert(pc.match_substring_regex(filled, "[^" + _BLANK_CLASS[1:])).to_numpy(
        zero_copy_only=False), dtype=bool)


def files_to_read(files: pa.Array, texts: pa.Array) -> np.ndarray:
    """Rows of an emr_docs index whose file is read: a file named and no text given in the index."""
    return np.flatnonzero(~_blank(files) & _blank(texts))


def _scatter(base, rows: list[int], values: list, type: pa.DataType) -> pa.Array:
    """``base`` (an array, or a length: that many nulls) with ``values`` at ``rows``."""
    if not isinstance(base, pa.Array):
        base = pa.nulls(base, type)
    if not rows:
        return base
    mask = np.zeros(len(base), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(base, pa.array(mask), pa.array(values, type))


def prefetch(items: Iterator, depth: int = 1) -> Iterator:
    """Run an iterator one step ahead in a worker thread (bounded: ``depth`` items wait at most), so that
    reading and parsing the next block overlaps validating and storing this one. Errors are re-raised
    here; leaving early stops the worker before returning."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in items:
                if not put(("item", item)):
                    return
            put(("end", None))
        except BaseException as exc:  # handed to the consumer
            put(("error", exc))

    worker = threading.Thread(target=run, name="feijian-ingest-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = q.get()
            if kind == "item":
                yield value
            elif kind == "end":
                return
            else:
                raise value
    finally:
        stop.set()
        while worker.is_alive():
            try:
                q.get(timeout=0.05)
            except queue.Empty:
                pass
        worker.join()


def iter_file(path, **kwargs) -> FileStream:
    """Stream a file as typed chunks: ``for chunk in stream: …``; then ``stream.file`` / ``stream.rejected``.
    Keywords: ``table, mapping, kind, encoding, batch_id, chunk_bytes, progress, cancelled``."""
    return FileStream(path, **kwargs)


def read_file(path, *, table=None, mapping=None, progress=None, cancelled=None, **kwargs) -> TableRead:
    """Read a whole file into one typed contract table."""
    stream = FileStream(path, table=table, mapping=mapping, progress=progress, cancelled=cancelled, **kwargs)
    chunks = list(stream)
    data = pa.concat_tables(chunks, promote_options="none") if chunks else stream.empty()
    return TableRead(
        table=stream.table, data=data, file=stream.file, rejected=stream.rejected,
        columns=stream.columns, delimiter=stream.delimiter, notes=list(stream.state.notes.values()),
        document_file=stream.document_file,
    )


def open_sources(path, *, kind=None, mapping=None, table=None, **kwargs) -> list[FileStream]:
    """Every table in a file: one for a CSV; for a workbook, the sheet named by the file, else each sheet
    named like a table or with a recognisable header (a workbook may hold several tables)."""
    path = Path(path)
    if path.suffix.lower() not in X.WORKBOOK_SUFFIXES or table is not None or table_for_file_name(path, kind) is not None:
        return [FileStream(path, kind=kind, mapping=mapping, table=table, **kwargs)]
    if path.stat().st_size == 0:
        raise EmptyFile(f"{path.name}: 文件为空 / the file is empty")
    data = path.read_bytes()
    wb = X.open_workbook(data, path.name)
    streams: list[FileStream] = []
    seen_tables: set[str] = set()
    for n in X.sheet_names(wb):
        try:
            s = FileStream(path, kind=kind, mapping=mapping, sheet=n, _workbook=wb, _workbook_bytes=data, **kwargs)
        except (NotATable, EmptyFile):
            continue
        if s.table in seen_tables:
            raise NotATable(f"{path.name}: 多个工作表都是表 {s.table} / several sheets hold table {s.table}")
        seen_tables.add(s.table)
        streams.append(s)
    if not streams:
        raise NotATable(f"{path.name}: 没有哪个工作表有可识别的表头 / no sheet has a recognisable header row")
    for s in streams:
        s.label_sheet = len(streams) > 1
    return streams


def preview(path, *, n: int = 20, table=None, mapping=None, kind=None, encoding=None) -> dict:
    """The import assistant's preview: encoding, delimiter, sheet, header, proposed mapping and the first
    ``n`` data rows as text (nothing is validated or stored)."""
    path = Path(path)
    stream = FileStream(
        path, table=table, mapping=mapping, kind=kind, encoding=encoding, chunk_bytes=1 << 20, require_columns=False
    )
    try:
        rows: list[list[str]] = []
        if stream.decoder is None:
            for r in stream._sheet_rows[stream._header_index + 1:]:
                if len(rows) >= n:
                    break
                if any(c.strip() for c in r):
                    rows.append(list(r))
        else:
            line = stream._first_line
            for block, last in stream._raw.blocks(stream.delimiter.encode()):
                data = stream.decoder.to_utf8(block, line)
                parsed = parse_block(data, len(stream.headers), stream.delimiter, line, last=last)
                cols = [pa.chunked_array(c.chunks if isinstance(c, pa.ChunkedArray) else [c], pa.string()).to_pylist()
                        for c in parsed.columns]
                for i in range(len(parsed.lines)):
                    if len(rows) >= n:
                        break
                    rows.append([c[i] for c in cols])
                break
        proposal = propose_mapping(stream.headers, table=stream.table, mapping=mapping)
        return {
            "table": stream.table, "encoding": stream.encoding, "delimiter": stream.delimiter, "sheet": stream.sheet,
            "headers": list(stream.headers), "mapping": proposal.columns, "missing_required": proposal.missing_required,
            "rows": rows,
        }
    finally:
        stream.close()
