"""A folder of extracts: every file recognised, read in table order (visits before fees), keys checked
across files of one table, and the referential checks reported (not refused): fee lines whose encounter
is missing, refunds whose original line is missing, and the like."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from feijian.domain.contract import load_contract
from feijian.domain.events import uuid7
from feijian.domain.progress import CancelledFn, ProgressFn, report
from feijian.domain.records import ImportedFile, RejectedRow
from feijian.ingest import xlsx as X
from feijian.ingest.errors import EmptyFile, EncodingProblem, NotATable
from feijian.ingest.keys import KeyIndex, hash_keys
from feijian.ingest.mapping import MappingDict
from feijian.ingest.reader import TEXT_SUFFIXES, FileStream, open_sources, table_for_file_name
from feijian.ingest.validate import TableState

# (child table, child fields, parent table, what it means)
REFERENCES = (
    ("fees", ("mdtrt_id",), "visits", "费用明细的就诊不存在 / fee lines whose encounter is missing"),
    ("orders", ("mdtrt_id",), "visits", "医嘱的就诊不存在 / orders whose encounter is missing"),
    ("diagnoses", ("mdtrt_id",), "visits", "诊断的就诊不存在 / diagnoses whose encounter is missing"),
    ("operations", ("mdtrt_id",), "visits", "手术的就诊不存在 / operations whose encounter is missing"),
    ("settlements", ("mdtrt_id",), "visits", "结算的就诊不存在 / settlements whose encounter is missing"),
    ("trace_codes", ("mdtrt_id", "feedetl_sn"), "fees", "追溯码对应的费用明细不存在 / trace codes whose fee line is missing"),
)
REFUND = ("fees", ("mdtrt_id", "init_feedetl_sn"), "fees", "退费行的原费用明细不存在 / refunds whose original line is missing")
MAX_EXAMPLES = 20


@dataclass
class ReferentialProblem:
    table: str
    fields: tuple[str, ...]
    parent: str
    message: str
    count: int = 0
    examples: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, value)
    kind: str = "referential"  # or "note": rows imported as written that break a contract expectation

    def as_rejected(self) -> list[RejectedRow]:
        """The examples in the shape of report rows (for display; these rows were not refused)."""
        return [RejectedRow(f, line, "+".join(self.fields), v, self.message) for f, line, v in self.examples]


@dataclass
class FolderRead:
    batch_id: str
    tables: dict[str, pa.Table]
    files: list[ImportedFile]
    rejected: list[RejectedRow]
    unrecognised: list[tuple[str, str]]  # (file name, why)
    referential: list[ReferentialProblem]
    not_checked: list[str] = field(default_factory=list)
    missing_tables: list[str] = field(default_factory=list)


class _Refs:
    def __init__(self, tables_present: set[str], existing: dict[str, pa.Table]) -> None:
        self.parents: dict[str, KeyIndex] = {}
        for parent, tbl in existing.items():
            spec = load_contract().table(parent)
            if tbl is not None and all(k in tbl.column_names for k in spec.key):
                idx = KeyIndex()
                idx.add(np.unique(hash_keys([_text(tbl.column(k)) for k in spec.key])))
                self.parents[parent] = idx
        self.present = tables_present
        self.problems: dict[tuple, ReferentialProblem] = {}
        self.not_checked: list[str] = []
        self.refunds: list[tuple[np.ndarray, pa.Table, str]] = []

    def parent_index(self, parent: str, states: dict[str, TableState]) -> Optional[KeyIndex]:
        if parent in self.present and parent in states:
            seeded = self.parents.get(parent)
            own = states[parent].keys
            if seeded is None:
                return own
            merged = KeyIndex()
            merged._parts = list(own._parts) + list(seeded._parts)
            return merged
        return self.parents.get(parent)

    def check(self, stream: FileStream, chunk: pa.Table, states: dict[str, TableState]) -> None:
        table = stream.table
        for child, fields, parent, message in REFERENCES:
            if child != table:
                continue
            idx = self.parent_index(parent, states)
            if idx is None:
                note = f"{child} → {parent}: 未检查，未导入 {parent} / not checked, {parent} not imported"
                if note not in self.not_checked:
                    self.not_checked.append(note)
                continue
            cols = [_text(chunk.column(f)) for f in fields]
            missing = ~idx.contains(hash_keys(cols))
            self._add((child, fields, parent, message), stream, chunk, fields, missing)
        if table == "fees":
            init = chunk.column("init_feedetl_sn")
            has = np.asarray(pc.is_valid(init).to_numpy(zero_copy_only=False), dtype=bool)
            if has.any():
                sub = chunk.filter(pa.array(has))
                h = hash_keys([_text(sub.column("mdtrt_id")), _text(sub.column("init_feedetl_sn"))])
                keep = sub.select(["mdtrt_id", "init_feedetl_sn", "_line"])  # compact, for the examples
                self.refunds.append((h, keep, stream.name))

    def _add(self, ref, stream, chunk, fields, missing: np.ndarray) -> None:
        if not missing.any():
            return
        child, fields, parent, message = ref
        p = self.problems.setdefault(ref, ReferentialProblem(child, fields, parent, message))
        p.count += int(missing.sum())
        if len(p.examples) < MAX_EXAMPLES:
            idx = np.flatnonzero(missing)[: MAX_EXAMPLES - len(p.examples)]
            sub = chunk.take(pa.array(idx))
            lines = sub.column("_line").to_pylist()
            values = ["|".join("" if v is None else str(v) for v in t) for t in zip(*(sub.column(f).to_pylist() for f in fields))]
            p.examples.extend((stream.name, ln, v) for ln, v in zip(lines, values))

    def finish(self, states: dict[str, TableState]) -> list[ReferentialProblem]:
        if self.refunds and "fees" in states:
            idx = self.parent_index("fees", states)
            child, fields, parent, message = REFUND
            for h, rows, name in self.refunds:
                missing = ~idx.contains(h)
                if not missing.any():
                    continue
                p = self.problems.setdefault(REFUND, ReferentialProblem(child, fields, parent, message))
                p.count += int(missing.sum())
                need = np.flatnonzero(missing)[: max(0, MAX_EXAMPLES - len(p.examples))]
                if len(need):
                    ex = rows.take(pa.array(need))
                    for a, b, ln in zip(*(ex.column(c).to_pylist() for c in ("mdtrt_id", "init_feedetl_sn", "_line"))):
                        p.examples.append((name, int(ln), f"{a}|{b}"))
        return list(self.problems.values())


def row_notes(states: dict[str, TableState]) -> list[ReferentialProblem]:
    """The rows imported with a note (validate.RowNote), in the shape of the other problems of an import."""
    return [ReferentialProblem(n.table, (n.field,), "", n.reason, n.count, list(n.examples), kind="note")
            for st in states.values() for n in st.notes.values()]


def _text(col) -> pa.Array:
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    return col if col.type == pa.string() else pc.cast(col, pa.string())


class FolderImport:
    """The files of a folder opened as streams, in table order; iterate to read them chunk by chunk."""

    def __init__(
        self,
        folder,
        *,
        kind: Optional[str] = "case",
        mapping: Optional[MappingDict] = None,
        batch_id: Optional[str] = None,
        chunk_bytes: Optional[int] = None,
        progress: Optional[ProgressFn] = None,
        cancelled: Optional[CancelledFn] = None,
        existing: Optional[dict[str, pa.Table]] = None,
        encoding: Optional[str] = None,
    ) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            from feijian.domain.errors import InputError

            raise InputError(f"不是文件夹 / not a folder: {self.folder}")
        self.batch_id = batch_id or uuid7()
        self.kind = kind
        self.progress = progress
        self.cancelled = cancelled
        self.states: dict[str, TableState] = {}
        self.streams: list[FileStream] = []
        self.unrecognised: list[tuple[str, str]] = []
        contract = load_contract()
        paths = sorted(p for p in self.folder.iterdir() if p.is_file() and not p.name.startswith("."))
        self.total_bytes = 0
        self._done_before = 0
        extra = {"chunk_bytes": chunk_bytes} if chunk_bytes else {}
        if encoding:
            extra["encoding"] = encoding
        for p in paths:
            suffix = p.suffix.lower()
            if suffix not in TEXT_SUFFIXES and suffix not in X.WORKBOOK_SUFFIXES:
                self.unrecognised.append((p.name, "不是 CSV/XLSX 文件 / not a CSV or XLSX file"))
                continue
            try:
                streams = open_sources(
                    p, kind=kind, mapping=mapping, batch_id=self.batch_id, progress=self._progress,
                    cancelled=cancelled, **extra,
                )
            except (NotATable, EmptyFile, EncodingProblem) as exc:
                if table_for_file_name(p, kind) is not None:
                    raise
                self.unrecognised.append((p.name, str(exc)))
                continue
            for s in streams:
                s.state = self.states.setdefault(s.table, TableState(s.spec))
                self.streams.append(s)
            self.total_bytes += p.stat().st_size
        order = {name: i for i, name in enumerate(contract.tables)}
        self.streams.sort(key=lambda s: order[s.table])
        present = {s.table for s in self.streams}
        self.refs = _Refs(present, existing or {})
        wanted = contract.case_tables if kind == "case" else contract.kb_tables if kind == "kb" else ()
        self.missing_tables = [t for t in wanted if contract.table(t).required_table and t not in present]
        self.referential: list[ReferentialProblem] = []

    def parents_needed(self) -> list[str]:
        """Parent tables that referential checks need but this folder does not hold (the caller may seed
        them from tables already in the case with :meth:`seed_parents`)."""
        present = {s.table for s in self.streams}
        wanted = []
        for child, _, parent, _ in REFERENCES:
            if child in present and parent not in present and parent not in wanted:
                wanted.append(parent)
        return wanted

    def seed_parents(self, existing: dict[str, pa.Table]) -> None:
        self.refs = _Refs({s.table for s in self.streams}, existing)

    def _progress(self, done: int, total: int, message: str) -> None:
        report(self.progress, self._done_before + done, self.total_bytes, message)

    def __iter__(self) -> Iterator[tuple[FileStream, pa.Table]]:
        seen_files: set[str] = set()
        for s in self.streams:
            for chunk in s:
                self.refs.check(s, chunk, self.states)
                yield s, chunk
            if s.path.name not in seen_files:
                seen_files.add(s.path.name)
                self._done_before += s.size
        self.referential = self.refs.finish(self.states) + row_notes(self.states)
        # document files an emr_docs index named directly in this folder are not "unrecognised"
        named = set().union(*(s.documents.top_level for s in self.streams if s.documents is not None))
        if named:
            self.unrecognised = [(n, why) for n, why in self.unrecognised if n not in named]

    def close(self) -> None:
        for s in self.streams:
            s.close()

    @property
    def files(self) -> list[ImportedFile]:
        return [f for s in self.streams for f in s.files]

    @property
    def rejected(self) -> list[RejectedRow]:
        return [r for s in self.streams for r in s.rejected]


def scan_folder(folder, **kwargs) -> FolderImport:
    """Open every file of a folder (head only): tables recognised, nothing read yet."""
    return FolderImport(folder, **kwargs)


def read_folder(
    folder,
    *,
    kind: str = "case",
    mapping: Optional[MappingDict] = None,
    progress: Optional[ProgressFn] = None,
    cancelled: Optional[CancelledFn] = None,
    batch_id: Optional[str] = None,
    existing: Optional[dict[str, pa.Table]] = None,
    chunk_bytes: Optional[int] = None,
    encoding: Optional[str] = None,
) -> FolderRead:
    """Read every extract of a folder into typed tables (in memory). ``encoding`` declares the encoding of
    every text file (checked strictly); without it each file's encoding is detected."""
    fi = FolderImport(
        folder, kind=kind, mapping=mapping, batch_id=batch_id, progress=progress, cancelled=cancelled,
        existing=existing, chunk_bytes=chunk_bytes, encoding=encoding,
    )
    try:
        parts: dict[str, list[pa.Table]] = {}
        for s, chunk in fi:
            parts.setdefault(s.table, []).append(chunk)
    finally:
        fi.close()
    tables: dict[str, pa.Table] = {}
    for s in fi.streams:
        chunks = parts.get(s.table, [])
        if s.table not in tables:
            tables[s.table] = (
                pa.concat_tables(chunks, promote_options="permissive") if chunks else s.empty()
            )
    return FolderRead(
        batch_id=fi.batch_id, tables=tables, files=fi.files, rejected=fi.rejected, unrecognised=fi.unrecognised,
        referential=fi.referential, not_checked=fi.refs.not_checked, missing_tables=fi.missing_tables,
    )
