"""The command log of the inspector's own analyses and queries, as the audit tools keep one: every run is a
case event saying what was asked (the SQL text, or the analysis and its parameters), when, by whom, how
many rows the result had and the SHA-256 of the result, so the work can be reviewed and rerun.

The result hash is of the result's rows as a multiset (:data:`MULTISET`): the rows are put in one canonical
order — sorted on every column, floats on their bit patterns, so rows that sort equal are the same bytes — and
hashed as Arrow IPC in fixed slices of ``HASH_SLICE`` rows. The same rows give the same hash in whatever order
the query returned them (an ORDER BY with ties may return tied rows in any order) and however DuckDB cut its
batches. Events written before it (no ``hash_scheme``) hold the older hash of the rows in the order returned
(:data:`ORDERED`); a rerun is compared with a logged run by the logged run's scheme (:func:`same_result`), so
the log of an older case still compares, as order-sensitively as it always did, and the rerun is logged with
the multiset hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Optional

import pyarrow as pa
import pyarrow.compute as pc

ANALYSIS_QUERY = "analysis.query"  # [sql, rows, sha256, hash_scheme, columns, by]
ANALYSIS_RUN = "analysis.run"  # [kind, params, rows, sha256, hash_scheme, columns, by]
HASH_SLICE = 65_536
MULTISET = "rows-multiset-v1"  # the rows in canonical order (ResultHasher.hexdigest)
ORDERED = "rows-ordered"  # the rows in the order returned (events without hash_scheme)
_MULTISET_PREFIX = b"feijian result rows multiset v1\n"


class _OrderedHasher:
    """SHA-256 of a stream of record batches in their order, independent of how the stream is chunked."""

    def __init__(self, schema: pa.Schema, prefix: bytes = b"") -> None:
        self.schema = schema
        self._h = hashlib.sha256(prefix)
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


def _bits(arr: pa.Array) -> pa.Array:
    """A float array as the unsigned integers of its bit patterns (-0.0 and 0.0 differ, as their bytes do)."""
    unsigned = {16: pa.uint16(), 32: pa.uint32(), 64: pa.uint64()}[arr.type.bit_width]
    return pa.Array.from_buffers(unsigned, len(arr), [arr.buffers()[0], arr.buffers()[1]], offset=arr.offset)


def _sortable(t: pa.DataType) -> bool:
    return (pa.types.is_integer(t) or pa.types.is_decimal(t) or pa.types.is_temporal(t) or pa.types.is_boolean(t)
            or pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t)
            or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t)) and not pa.types.is_interval(t)


def _sort_key(column: pa.ChunkedArray) -> Optional[pa.ChunkedArray]:
    """What a column is sorted on in the canonical order: itself, the bits of a float, or for a type Arrow
    cannot sort (lists, structs, maps, intervals) the text of each value; None for a column of nulls only."""
    t = column.type
    if pa.types.is_null(t):
        return None
    if pa.types.is_floating(t):
        return pa.chunked_array([_bits(c) for c in column.chunks], {16: pa.uint16(), 32: pa.uint32(),
                                                                     64: pa.uint64()}[t.bit_width])
    if _sortable(t):
        return column
    return pa.chunked_array([pa.array([None if v is None else repr(v) for v in column.to_pylist()], pa.string())])


def canonical(table: pa.Table) -> pa.Table:
    """The rows in the canonical order: sorted on every column (nulls last), dictionary columns decoded; rows
    that sort equal are equal byte for byte, so the order of the input does not show."""
    columns = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    fields = [pa.field(f.name, c.type, f.nullable) for f, c in zip(table.schema, columns)]
    plain = pa.Table.from_arrays(columns, schema=pa.schema(fields))
    if plain.num_rows < 2:
        return plain
    keys = {f"k{i}": k for i, c in enumerate(columns) if (k := _sort_key(c)) is not None}
    if not keys:
        return plain
    order = pc.sort_indices(pa.table(keys), sort_keys=[(k, "ascending", "at_end") for k in keys])
    return plain.take(order)


def _stream_hash(table: pa.Table, prefix: bytes = b"") -> str:
    h = _OrderedHasher(table.schema, prefix)
    for batch in table.to_batches():
        h.update(batch)
    return h.hexdigest()


def _multiset_hash(table: pa.Table) -> str:
    return _stream_hash(canonical(table), _MULTISET_PREFIX)


class ResultHasher:
    """The multiset SHA-256 of a stream of record batches (:data:`MULTISET`), and beside it the older hash of the
    rows in the order they came (:data:`ORDERED`, to compare with runs logged before). The multiset needs every
    row: the batches are kept (in memory, never on disk) until :meth:`hexdigest`."""

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self._ordered = _OrderedHasher(schema)
        self._batches: list[pa.RecordBatch] = []
        self._digest: Optional[str] = None
        self.rows = 0

    def update(self, batch: pa.RecordBatch) -> None:
        if batch.num_rows == 0:
            return
        self._ordered.update(batch)
        self._batches.append(batch)
        self.rows += batch.num_rows

    def hexdigest(self) -> str:
        if self._digest is None:
            self._digest = _multiset_hash(pa.Table.from_batches(self._batches, self.schema))
            self._batches = []
        return self._digest

    def ordered_hexdigest(self) -> str:
        return self._ordered.hexdigest()


def table_hashes(table: pa.Table) -> tuple[str, str]:
    """(the multiset hash, the ordered hash) of a table."""
    return _multiset_hash(table), _stream_hash(table)


def table_hash(table: pa.Table) -> str:
    """The multiset hash of a table's rows (:data:`MULTISET`)."""
    return _multiset_hash(table)


def ordered_table_hash(table: pa.Table) -> str:
    """The older hash of a table's rows in their order (:data:`ORDERED`)."""
    return _stream_hash(table)


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
    hash_scheme: str = MULTISET  # what sha256 is of: MULTISET, or ORDERED for runs logged before it

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
    """Logs a query whose result has the multiset hash ``sha256``."""
    return store.append_event(ANALYSIS_QUERY, {"sql": sql, "rows": int(rows), "sha256": sha256,
                                               "hash_scheme": MULTISET, "columns": list(columns), "by": _by(store)})


def record_analysis(store, kind: str, params: dict, rows: int, sha256: str, columns: Iterable[str]):
    """Logs an analysis whose result has the multiset hash ``sha256``."""
    return store.append_event(ANALYSIS_RUN, {"kind": kind, "params": params, "rows": int(rows), "sha256": sha256,
                                             "hash_scheme": MULTISET, "columns": list(columns), "by": _by(store)})


def scheme_of(payload: dict) -> str:
    """The hash scheme an event's ``sha256`` is in: events written before the multiset hash carry none."""
    return payload.get("hash_scheme") or ORDERED


def same_result(run: LoggedRun, rows: int, sha256: str, ordered_sha256: str) -> bool:
    """Whether a result (its row count, multiset hash and ordered hash) is the logged run's result, compared
    in the scheme the run was logged with."""
    logged = ordered_sha256 if run.hash_scheme == ORDERED else sha256
    return rows == run.rows and logged == run.sha256


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
                             p.get("sha256", ""), tuple(p.get("columns") or ()), scheme_of(p)))
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
