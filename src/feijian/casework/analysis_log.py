"""The command log of the inspector's own analyses and queries, as the audit tools keep one: every run is a
case event saying what was asked (the SQL text, or the analysis and its parameters), when, by whom, how
many rows the result had and the SHA-256 of the result, so the work can be reviewed and rerun.

The result hash is over the result rows as Arrow IPC in fixed slices of ``HASH_SLICE`` rows, so the same
rows in the same order hash the same however DuckDB happened to cut its batches.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Optional

import pyarrow as pa

ANALYSIS_QUERY = "analysis.query"  # [sql, rows, sha256, columns, by]
ANALYSIS_RUN = "analysis.run"  # [kind, params, rows, sha256, columns, by]
HASH_SLICE = 65_536


class ResultHasher:
    """SHA-256 of a stream of record batches, independent of how the stream is chunked."""

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self._h = hashlib.sha256()
        self._pending: list[pa.RecordBatch] = []
        self._pending_rows = 0
        self.rows = 0

    def update(self, batch: pa.RecordBatch) -> None:
        if batch.num_rows == 0:
            return
        self.rows += batch.num_rows
        self._pending.append(batch)
        self._pending_rows += batch.num_rows
        while self._pending_rows >= HASH_SLICE:
            table = pa.Table.from_batches(self._pending, self.schema)
            self._emit(table.slice(0, HASH_SLICE))
            rest = table.slice(HASH_SLICE)
            self._pending = rest.combine_chunks().to_batches() if rest.num_rows else []
            self._pending_rows = rest.num_rows

    def _emit(self, table: pa.Table) -> None:
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, self.schema) as writer:
            writer.write_table(table.combine_chunks(), max_chunksize=HASH_SLICE)
        self._h.update(sink.getvalue().to_pybytes())

    def hexdigest(self) -> str:
        if self._pending_rows or self.rows == 0:
            self._emit(pa.Table.from_batches(self._pending, self.schema))
            self._pending, self._pending_rows = [], 0
        return self._h.hexdigest()


def table_hash(table: pa.Table) -> str:
    h = ResultHasher(table.schema)
    for batch in table.to_batches():
        h.update(batch)
    return h.hexdigest()


@dataclass(frozen=True)
class LoggedRun:
    event_id: str
    time: str  # UTC ISO 8601
    author: str  # key id of the author's signing key
    by: str  # name and staff number of the inspector, when the store knows them
    kind: str  # "query" or an analysis kind
    request: dict  # {"sql": …} or the analysis parameters
    rows: int
    sha256: str
    columns: tuple[str, ...]

    @property
    def text(self) -> str:
        """The request as one line: the SQL, or the analysis and its parameters."""
        if self.kind == "query":
            return self.request.get("sql", "")
        params = ", ".join(f"{k}={v}" for k, v in sorted(self.request.items()) if v not in (None, "", [], ()))
        return f"{self.kind}({params})"


def _by(store) -> dict:
    ident = getattr(store, "identity", None)
    public = getattr(ident, "public", None)
    if public is None:
        return {}
    return {"name": public.name, "staff_no": public.staff_no}


def record_query(store, sql: str, rows: int, sha256: str, columns: Iterable[str]):
    return store.append_event(ANALYSIS_QUERY, {"sql": sql, "rows": int(rows), "sha256": sha256,
                                               "columns": list(columns), "by": _by(store)})


def record_analysis(store, kind: str, params: dict, rows: int, sha256: str, columns: Iterable[str]):
    return store.append_event(ANALYSIS_RUN, {"kind": kind, "params": params, "rows": int(rows), "sha256": sha256,
                                             "columns": list(columns), "by": _by(store)})


def history(store, *, kind: Optional[str] = None) -> list[LoggedRun]:
    """The case's logged queries and analyses, oldest first."""
    out = []
    for e in store.events():
        if e.type not in (ANALYSIS_QUERY, ANALYSIS_RUN):
            continue
        p = e.payload
        k = "query" if e.type == ANALYSIS_QUERY else p.get("kind", "")
        if kind is not None and k != kind:
            continue
        by = p.get("by") or {}
        who = f"{by.get('name', '')}（{by.get('staff_no', '')}）" if by else e.author
        request = {"sql": p.get("sql", "")} if e.type == ANALYSIS_QUERY else dict(p.get("params") or {})
        out.append(LoggedRun(e.event_id, e.time, e.author, who, k, request, int(p.get("rows", 0)),
                             p.get("sha256", ""), tuple(p.get("columns") or ())))
    return out


def get_run(store, event_id: str) -> LoggedRun:
    from feijian.domain.errors import InputError

    runs = history(store)
    exact = [r for r in runs if r.event_id == event_id]
    matches = exact or [r for r in runs if event_id and r.event_id.endswith(event_id)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InputError(f"{event_id} 对应多条记录，请写完整编号 / {event_id} matches {len(matches)} runs: give the whole id")
    raise InputError(f"命令记录中没有 {event_id} / no logged query or analysis {event_id}")
