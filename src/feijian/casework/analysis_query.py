"""Running the inspector's own SQL and analyses over the case's tables, each run logged
(:mod:`feijian.casework.analysis_log`).

A query passes the SELECT-only gate (:mod:`feijian.casework.analysis_guard`), then runs on a locked
in-memory connection over the tables it names (:mod:`feijian.casework.analysis_source`). The result is
streamed: the first ``limit`` rows are kept for display, every row is counted and hashed, nothing is written
to disk. A cancel request interrupts DuckDB mid-query.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Optional

import duckdb
import pyarrow as pa

from feijian.casework import analyses as A
from feijian.casework.analysis_benford import benford
from feijian.casework.analysis_guard import QueryRefused, check_select
from feijian.casework.analysis_log import (LoggedRun, ResultHasher, record_analysis, record_query, same_result,
                                           table_hashes)
from feijian.casework.analysis_source import case_tables, open_case_tables, referenced
from feijian.domain.errors import Cancelled, InputError
from feijian.domain.progress import CancelledFn, ProgressFn, check_cancelled, report

DEFAULT_LIMIT = 1000
BATCH_ROWS = 65_536


@dataclass
class QueryResult:
    sql: str
    table: pa.Table  # the first ``limit`` rows
    rows: int  # every row of the result
    sha256: str  # of every row, in any order (analysis_log.ResultHasher: the multiset hash)
    seconds: float
    event_id: str = ""
    summary: dict = field(default_factory=dict)  # an analysis's summary
    ordered_sha256: str = ""  # of every row in the order returned (to compare with runs logged before)

    @property
    def truncated(self) -> bool:
        return self.rows > self.table.num_rows

    def matches(self, run: LoggedRun) -> bool:
        """Whether this is the logged run's result (same rows, compared in the run's hash scheme)."""
        return same_result(run, self.rows, self.sha256, self.ordered_sha256)


class _Interrupter:
    """Polls ``cancelled`` while DuckDB works and interrupts the connection when it turns true. A DuckDB error
    leaving the block becomes Cancelled when the interrupt (or the user) caused it, else its InputError."""

    def __init__(self, con: duckdb.DuckDBPyConnection, cancelled: Optional[CancelledFn]) -> None:
        self.con, self.cancelled = con, cancelled
        self._stop = threading.Event()
        self.fired = False
        self._thread = threading.Thread(target=self._watch, daemon=True, name="feijian-query-cancel")

    def _watch(self) -> None:
        while not self._stop.wait(0.05):
            if self.cancelled():
                self.fired = True
                self.con.interrupt()
                return

    def __enter__(self) -> "_Interrupter":
        if self.cancelled is not None:
            self._thread.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if isinstance(exc, duckdb.InterruptException) or (isinstance(exc, duckdb.Error) and self.fired):
            raise Cancelled() from None
        if isinstance(exc, duckdb.Error):
            raise _engine_error(exc) from None
        return False


def _engine_error(exc: duckdb.Error) -> InputError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, duckdb.PermissionException):
        return QueryRefused(f"查询不能读取文件、网络或扩展 / a query cannot reach files, the network or extensions: {first}")
    if isinstance(exc, duckdb.InvalidInputException) and "configuration has been locked" in first:
        return QueryRefused(f"查询不能更改设置 / a query cannot change settings: {first}")
    if isinstance(exc, duckdb.CatalogException):
        return InputError(f"查询出错 / query error: {first} (本案件的表 / the case's tables: see `feijian query CASE --tables`)")
    return InputError(f"查询出错 / query error: {first}")


def execute_select(con: duckdb.DuckDBPyConnection, sql: str, *, limit: int = DEFAULT_LIMIT,
                   cancelled: Optional[CancelledFn] = None,
                   progress: Optional[ProgressFn] = None) -> tuple[pa.Table, int, str, str]:
    """Runs one already checked SELECT: (the first ``limit`` rows, all rows, the result's multiset SHA-256, its
    ordered SHA-256). Every row is held in memory until it is hashed."""
    if limit < 0:
        raise InputError("行数上限不能为负 / the row limit cannot be negative")
    kept: list[pa.RecordBatch] = []
    kept_rows = 0
    with _Interrupter(con, cancelled) as guard:
        reader = con.sql(sql).to_arrow_reader(BATCH_ROWS)
        hasher = ResultHasher(reader.schema)
        for batch in reader:
            check_cancelled(cancelled)
            hasher.update(batch)
            if kept_rows < limit:
                piece = batch.slice(0, limit - kept_rows)
                kept.append(piece)
                kept_rows += piece.num_rows
            report(progress, hasher.rows, 0, f"{hasher.rows} 行 / rows")
        if guard.fired:
            raise Cancelled()
    return pa.Table.from_batches(kept, reader.schema), hasher.rows, hasher.hexdigest(), hasher.ordered_hexdigest()


def run_query(store, sql: str, *, limit: int = DEFAULT_LIMIT, cancelled: Optional[CancelledFn] = None,
              progress: Optional[ProgressFn] = None, log: bool = True) -> QueryResult:
    """The auditor's SELECT over the case's tables, logged as an ``analysis.query`` event."""
    text = check_select(sql)
    started = time.perf_counter()
    report(progress, 0, 0, "读取案件数据 / reading the case tables")
    con = open_case_tables(store, referenced(store, text), cancelled=cancelled)
    try:
        table, rows, digest, ordered = execute_select(con, text, limit=limit, cancelled=cancelled, progress=progress)
    finally:
        con.close()
    result = QueryResult(text, table, rows, digest, time.perf_counter() - started, ordered_sha256=ordered)
    if log:
        result.event_id = record_query(store, text, rows, digest, table.column_names).event_id
    return result


# The analyses reachable by name (CLI, GUI, rerun from the log).
def _fields(params: dict) -> list[str]:
    names = []
    for key in ("field", "value", "key", "by", "rows", "cols"):
        if params.get(key):
            names.append(params[key])
    names += list(params.get("fields") or []) + list(params.get("groups") or [])
    return list(dict.fromkeys(names))


def _call(kind: str, con, table: str, p: dict) -> A.AnalysisResult:
    if kind == "stats":
        return A.field_statistics(con, table, p["field"], top=int(p.get("top") or 10))
    if kind == "stratify":
        edges = p.get("edges")
        if not edges:
            edges = A.equal_bands(con, table, p["field"], int(p.get("bands") or 10))
            if not edges:
                raise InputError(f"字段 {p['field']} 全为空值 / field {p['field']} has only nulls")
        return A.stratify(con, table, p["field"], edges, value=p.get("value"))
    if kind == "gaps":
        return A.sequence_gaps(con, table, p["key"], groups=p.get("groups") or ())
    if kind == "key_duplicates":
        return A.sequence_duplicates(con, table, p["key"], groups=p.get("groups") or ())
    if kind == "duplicates":
        return A.duplicates(con, table, p.get("fields") or [], value=p.get("value"))
    if kind == "top":
        return A.top_n(con, table, p["by"], value=p.get("value"), n=int(p.get("n") or 10),
                       order=p.get("order") or ("sum" if p.get("value") else "count"))
    if kind == "crosstab":
        return A.crosstab(con, table, p["rows"], p["cols"], value=p.get("value"))
    if kind == "benford":
        return benford(con, table, p["field"], digits=int(p.get("digits") or 1), min_value=_amount(p.get("min_value")))
    raise InputError(f"没有这种分析 / no analysis {kind!r} (one of {', '.join(ANALYSIS_KINDS)})")


def _amount(value) -> Optional[Decimal]:
    if value is None:
        return None
    try:
        out = Decimal(str(value))
    except InvalidOperation:
        raise InputError(f"最小金额须为数字 / the minimum amount must be a number, not {value!r}") from None
    if not out.is_finite():
        raise InputError(f"最小金额须为数字 / the minimum amount must be a number, not {value!r}")
    return out


ANALYSIS_KINDS = ("stats", "stratify", "gaps", "key_duplicates", "duplicates", "top", "crosstab", "benford")
REQUIRED = {"stats": ("field",), "stratify": ("field",), "gaps": ("key",), "key_duplicates": ("key",),
            "duplicates": ("fields",), "top": ("by",), "crosstab": ("rows", "cols"), "benford": ("field",)}


def run_analysis(store, kind: str, params: dict, *, cancelled: Optional[CancelledFn] = None,
                 progress: Optional[ProgressFn] = None, log: bool = True) -> QueryResult:
    """One named analysis (``params`` holds ``table`` and the analysis's fields), logged as ``analysis.run``."""
    if kind not in ANALYSIS_KINDS:
        raise InputError(f"没有这种分析 / no analysis {kind!r} (one of {', '.join(ANALYSIS_KINDS)})")
    params = {k: v for k, v in params.items() if v not in (None, "", [], ())}
    missing = [k for k in ("table", *REQUIRED[kind]) if not params.get(k)]
    if missing:
        raise InputError(f"分析 {kind} 缺少参数 / analysis {kind} needs: {', '.join(missing)}")
    table = params["table"]
    started = time.perf_counter()
    report(progress, 0, 0, "读取案件数据 / reading the case tables")
    con = open_case_tables(store, {table: _fields(params)}, cancelled=cancelled)
    try:
        with _Interrupter(con, cancelled):
            res = _call(kind, con, table, params)
    finally:
        con.close()
    digest, ordered = table_hashes(res.table)
    out = QueryResult(kind, res.table, res.rows, digest, time.perf_counter() - started, summary=res.summary,
                      ordered_sha256=ordered)
    if log:
        out.event_id = record_analysis(store, kind, params, res.rows, digest, res.table.column_names).event_id
    return out


def rerun(store, run: LoggedRun, **kwargs) -> QueryResult:
    """A logged query or analysis run again (and logged again); ``result.matches(run)`` compares it."""
    if run.kind == "query":
        return run_query(store, run.request["sql"], **kwargs)
    return run_analysis(store, run.kind, run.request, **kwargs)


def available_tables(store) -> list[str]:
    return case_tables(store)
