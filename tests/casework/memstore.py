"""A minimal case store for casework tests while ``feijian.store`` is built in parallel: it really stores
events in a list (hash-chained with ``make_event``) and folds them, and holds hits, hit lines, case tables,
import batches, evidence and documents in memory. It implements the part of ``CaseStore``'s API
(docs/interfaces.md) that casework uses; it is not a mock of any feijian function."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Optional

import pandas as pd
import pyarrow as pa

from feijian.domain.events import EVIDENCE_ADDED, Event, make_event, write
from feijian.domain.projection import fold
from feijian.domain.records import CaseInfo, EvidenceItem, ImportBatch, ScreeningRun, TeamMember


@dataclass
class MemoryCaseStore:
    info: CaseInfo
    author: str = "a1b2c3d4e5f60718"
    device: str = "dev-1"
    _events: list = field(default_factory=list)
    _hits: Optional[pd.DataFrame] = None
    _hit_lines: Optional[pd.DataFrame] = None
    _tables: dict = field(default_factory=dict)
    _batches: list = field(default_factory=list)
    _run: Optional[ScreeningRun] = None
    _evidence: dict = field(default_factory=dict)
    _documents: list = field(default_factory=list)
    identity: object = None

    # events
    def append_event(self, type: str, payload: dict) -> Event:
        prev = self._events[-1].hash if self._events else ""
        ev = make_event(case_id=self.info.case_id, author=self.author, device=self.device,
                        lamport=len(self._events) + 1, type=type, payload=payload, prev_hash=prev)
        self._events.append(ev)
        return ev

    def events(self):
        return list(self._events)

    def state(self):
        return fold(self._events)

    @contextlib.contextmanager
    def transaction(self):
        n = len(self._events)
        try:
            yield
        except BaseException:
            del self._events[n:]
            raise

    # tables
    def write_table(self, batch_id: str, table: str, data: pa.Table) -> None:
        self._tables[table] = data

    def read_table(self, table: str, columns=None):
        t = self._tables.get(table)
        if t is None:
            return None
        return t.select(columns) if columns else t

    def has_table(self, table: str) -> bool:
        return table in self._tables

    def iter_table(self, table: str, columns=None):
        t = self.read_table(table, columns)
        if t is not None:
            yield t

    def record_import_batch(self, batch: ImportBatch) -> None:
        self._batches.append(batch)
        self.append_event("import.batch", {"batch_id": batch.batch_id, "files": [], "tables": []})

    def import_batches(self):
        return list(self._batches)

    # screening
    def save_screening(self, run: ScreeningRun, hits: pd.DataFrame, hit_lines: pd.DataFrame) -> None:
        self._run, self._hits, self._hit_lines = run, hits.copy(), hit_lines.copy()
        self.append_event("screen.run", {"run_id": run.run_id, "hit_count": len(hits)})

    def latest_run(self):
        return self._run

    def hits(self) -> pd.DataFrame:
        if self._hits is None:
            return pd.DataFrame({"hit_id": [], "rule_code": [], "amount": []})
        return self._hits.copy()

    def hits_table(self, columns=None):
        if self._hits is None:
            return None
        t = pa.Table.from_pandas(self._hits, preserve_index=False).replace_schema_metadata(None)
        return t.select([c for c in columns if c in t.column_names]) if columns is not None else t

    def hit_lines(self, hit_ids=None) -> pd.DataFrame:
        if self._hit_lines is None:
            return pd.DataFrame({"hit_id": [], "mdtrt_id": [], "feedetl_sn": [], "amount": []})
        if hit_ids is None:
            return self._hit_lines.copy()
        return self._hit_lines[self._hit_lines["hit_id"].isin(set(hit_ids))].copy()

    # evidence and documents
    def add_evidence(self, source: bytes, *, kind="file", original_name="", media_type="", finding_id="", note="") -> EvidenceItem:
        eid = hashlib.sha256(source + str(len(self._evidence)).encode()).hexdigest()[:16]
        item = EvidenceItem(eid, kind, original_name, hashlib.sha256(source).hexdigest(), len(source), media_type,
                            self.author, "", self.device, finding_id, note)
        self._evidence[eid] = item
        self.append_event(EVIDENCE_ADDED, {"evidence_id": eid, "writes": [
            write("evidence", eid, "finding_id", finding_id), write("evidence", eid, "note", note)]})
        return item

    def evidence_items(self):
        return list(self._evidence.values())

    def record_document(self, doc: str, doc_no: str, pdf: bytes):
        self._documents.append({"doc": doc, "doc_no": doc_no, "sha256": hashlib.sha256(pdf).hexdigest()})
        return self.append_event("document.issued", {"doc": doc, "doc_no": doc_no})

    def documents(self):
        return list(self._documents)


def make_info(**kw) -> CaseInfo:
    base = dict(case_id="0190c0de-0000-7000-8000-000000000001", name="测试案件", medins_code="H0001",
                medins_name="测试医院", medins_lv="3", data_period_start=dt.date(2025, 1, 1),
                data_period_end=dt.date(2025, 12, 31),
                team=(TeamMember("张三", "A001"), TeamMember("李四", "A002")))
    base.update(kw)
    return CaseInfo(**base)


def screened_store() -> MemoryCaseStore:
    """A store with a screening run: R01 hits h1 (line V1/1, 100) and h2 (V1/2, 50); R02 hit h3 on the same line
    as h1 (V1/1, 30) and h4 (V2/7, 20.5); S01 clue h5 with no lines."""
    store = MemoryCaseStore(make_info())
    hits = pd.DataFrame({
        "hit_id": ["h1", "h2", "h3", "h4", "h5"],
        "rule_code": ["R01", "R01", "R02", "R02", "S01"],
        "mdtrt_id": ["V1", "V1", "V1", "V2", ""],
        "amount": ["100", "50", "30", "20.5", "0"],
    })
    lines = pd.DataFrame({
        "hit_id": ["h1", "h2", "h3", "h4"],
        "mdtrt_id": ["V1", "V1", "V1", "V2"],
        "feedetl_sn": ["1", "2", "1", "7"],
        "amount": ["100", "50", "30", "20.5"],
    })
    run = ScreeningRun("run-1", "1", "kbhash", (), "", "", ("R01", "R02", "S01"), hit_count=5)
    store.save_screening(run, hits, lines)
    return store
