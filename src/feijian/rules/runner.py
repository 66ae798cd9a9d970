"""Run the rules: all or chosen ones, with progress and cancel between rules, "not run: needs X" for
missing tables, a run record that makes the result reproducible, the fee lines behind each hit, the case
total (each fee line's money once) and the hits file of rules.md."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401

from feijian.domain import formatting
from feijian.domain.errors import FeijianError, InputError
from feijian.domain.events import utc_now, uuid7
from feijian.domain.progress import CancelledFn, ProgressFn, check_cancelled, report
from feijian.domain.records import ScreeningRun
from feijian.rules.catalogue import RULESET_VERSION, load_catalogue
from feijian.rules.background import Background
from feijian.rules.engine import prepare
from feijian.rules.knowledge_base import KnowledgeBase
from feijian.rules.record_ocr import RECORD_RULES, mark_ocr_review
from feijian.rules.registry import HIT_SQL_COLUMNS, NotRunnable
from feijian.rules.rule_set import load_rules

HIT_COLUMNS = ("hit_id", "rule_code", "grain", "mdtrt_id", "feedetl_sn", "med_list_codg", "date", "drord_no",
               "period_start", "subject", "amount", "detail")
HIT_LINE_COLUMNS = ("hit_id", "mdtrt_id", "feedetl_sn", "amount")  # amounts decimal128(38, 10)
CSV_COLUMNS = ("rule_code", "grain", "mdtrt_id", "feedetl_sn", "med_list_codg", "date", "drord_no",
               "period_start", "amount", "detail")
ALWAYS_NEEDED = ("visits", "fees")
CENT = Decimal("0.01")

# the key of each grain (rules.md); statistical grains use `subject` (department / doctor code)
GRAIN_KEYS = {
    "line": ("mdtrt_id", "feedetl_sn"),
    "item-day": ("mdtrt_id", "med_list_codg", "date"),
    "item-visit": ("mdtrt_id", "med_list_codg"),
    "order": ("mdtrt_id", "drord_no"),
    "item-period": ("med_list_codg", "period_start"),
    "visit": ("mdtrt_id",),
    "department-month": ("subject", "period_start"),
    "doctor": ("subject",),
    "doctor-item": ("subject", "med_list_codg"),
}
# how the fee lines behind a group hit are found (original lines; refunds are never hit lines)
LINE_JOINS = {
    "item-day": "o.eid = h.eid AND o.iid = h.iid AND o.fee_date = h.date",
    "item-visit": "o.eid = h.eid AND o.iid = h.iid",
    "order": "o.eid = h.eid AND o.did = h.did",
    "item-period": "o.iid = h.iid AND o.fee_date BETWEEN h.period_start AND h.period_end",
    "visit": "o.eid = h.eid",
}
_SQL_TYPES = {"date": "DATE", "period_start": "DATE", "period_end": "DATE",
              "amount_num": "DECIMAL(38, 10)", "amount_den": "DECIMAL(38, 10)"}


class ScreeningError(FeijianError):
    """The engine could not finish a rule (e.g. out of memory)."""


@dataclass
class ScreeningResult:
    run: ScreeningRun
    hits: pd.DataFrame
    hit_lines: pd.DataFrame
    not_run: dict = field(default_factory=dict)  # rule code -> reason


def money(value: Optional[Decimal]) -> Decimal:
    """Round half up to 0.01 — for display and files only."""
    return Decimal(0).quantize(CENT) if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def select_rules(rules: Optional[Iterable[str]]) -> list[str]:
    catalogue = load_catalogue()
    registry = load_rules()
    if rules is None:
        return [c for c in catalogue if c in registry]
    chosen = []
    for code in rules:
        c = str(code).strip().upper()
        if not c:
            continue
        if c not in catalogue or c not in registry:
            raise InputError(f"没有规则 {code} / no rule {code}; known: {', '.join(catalogue)}")
        if c not in chosen:
            chosen.append(c)
    if not chosen:
        raise InputError("没有选择任何规则 / no rules chosen")
    return chosen


def _hit_sql(con: duckdb.DuckDBPyConnection, code: str, grain: str, sql: str) -> None:
    """The rule's hits as temp table ``hu``: the common columns (absent ones null), the stable hit id, the
    exact amount in integer units (``amount_u``) and, for grains keyed by encounter, its ``eid``."""
    cols = set(con.sql(sql).columns)  # bound, not run
    keys = GRAIN_KEYS[grain]
    kept = set(keys) | {"subject", "amount_num", "amount_den", "detail"}
    if grain == "item-period":
        kept.add("period_end")
    exprs = []
    for c in HIT_SQL_COLUMNS:
        typ = _SQL_TYPES.get(c, "VARCHAR")
        exprs.append(f"CAST({c if c in cols and c in kept else 'NULL'} AS {typ}) AS {c}")
    key_text = " || '|' || ".join(f"coalesce(CAST(h.{k} AS VARCHAR), '')" for k in keys)
    num_u = _UNITS.format(x="amount_num")
    den_u = _UNITS.format(x="amount_den")
    amount_u = (f"CASE WHEN amount_num IS NULL OR amount_num = 0 THEN CAST(0 AS HUGEINT) "
                f"WHEN amount_den IS NULL OR amount_den = 1 THEN {num_u} "
                f"WHEN amount_den = 0 THEN CAST(0 AS HUGEINT) "
                f"ELSE {_div_half_up(num_u + ' * 10000000000', den_u)} END")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE hu AS
        SELECT left(sha256('{code}|{grain}|' || {key_text}), 16) AS hit_id, h.*, {amount_u.replace("amount_", "h.amount_")} AS amount_u,
               e.eid, i.iid, d.did
        FROM (SELECT {', '.join(exprs)} FROM ({sql})) h
        LEFT JOIN enc_ids e ON e.mdtrt_id = h.mdtrt_id
        LEFT JOIN item_ids i ON i.med_list_codg = h.med_list_codg
        LEFT JOIN order_ids d ON d.drord_no = h.drord_no
    """)


# Exact money in DuckDB: amounts as HUGEINT units of 1e-10; a division rounds half up at the 10th decimal.
_UNITS = "CAST(CAST({x} AS DECIMAL(38, 10)) * 10000000000 AS HUGEINT)"
_FROM_UNITS = "CAST(CAST({x} AS DECIMAL(38, 0)) * CAST(0.0000000001 AS DECIMAL(11, 10)) AS DECIMAL(38, 10))"


def _div_half_up(num: str, den: str) -> str:
    """SQL: num / den for HUGEINTs, rounded half up (away from zero at .5) to an integer."""
    return (f"(sign({num}) * sign({den}) * ((2 * abs({num}) + abs({den})) // (2 * abs({den}))))")


def _run_rule(con, code: str, grain: str, sql: str) -> tuple[pa.Table, pa.Table]:
    _hit_sql(con, code, grain, sql)
    keys = GRAIN_KEYS[grain]
    hits = con.sql(f"""
        SELECT hit_id, '{code}' AS rule_code, '{grain}' AS grain, mdtrt_id, feedetl_sn, med_list_codg, date, drord_no,
               period_start, subject, {_FROM_UNITS.format(x="amount_u")} AS amount, detail
        FROM hu ORDER BY {", ".join(keys)}""").to_arrow_table()
    if grain == "line":
        lines = con.sql(f"""SELECT hit_id, mdtrt_id, feedetl_sn, {_FROM_UNITS.format(x="amount_u")} AS amount
                            FROM hu ORDER BY mdtrt_id, feedetl_sn""").to_arrow_table()
    elif grain in LINE_JOINS:
        w_u = _UNITS.format(x="greatest(o.net_amt, 0)")
        share = (f"CASE WHEN h.amount_u = 0 THEN CAST(0 AS HUGEINT) "
                 f"WHEN wt > 0 THEN {_div_half_up('h.amount_u * w', 'wt')} "
                 f"ELSE {_div_half_up('h.amount_u', 'CAST(n AS HUGEINT)')} END")
        lines = con.sql(f"""
            WITH l AS (
              SELECT h.hit_id, h.amount_u, e.mdtrt_id, o.feedetl_sn, {w_u} AS w
              FROM hu h JOIN orig_net o ON {LINE_JOINS[grain]} JOIN enc_ids e ON e.eid = o.eid
            ),
            t AS (SELECT *, sum(w) OVER (PARTITION BY hit_id) AS wt, count(*) OVER (PARTITION BY hit_id) AS n FROM l)
            SELECT hit_id, mdtrt_id, feedetl_sn, {_FROM_UNITS.format(x=share.replace("h.amount_u", "amount_u"))} AS amount
            FROM t ORDER BY hit_id, mdtrt_id, feedetl_sn
        """).to_arrow_table()
    else:
        lines = _EMPTY_LINES
    con.execute("DROP TABLE hu")
    return hits, lines


_EMPTY_LINES = pa.table({"hit_id": pa.array([], pa.string()), "mdtrt_id": pa.array([], pa.string()),
                         "feedetl_sn": pa.array([], pa.string()), "amount": pa.array([], pa.decimal128(38, 10))})
_HITS_SCHEMA = pa.schema([("hit_id", pa.string()), ("rule_code", pa.string()), ("grain", pa.string()),
                          ("mdtrt_id", pa.string()), ("feedetl_sn", pa.string()), ("med_list_codg", pa.string()),
                          ("date", pa.date32()), ("drord_no", pa.string()), ("period_start", pa.date32()),
                          ("subject", pa.string()), ("amount", pa.decimal128(38, 10)), ("detail", pa.string())])


def _frame(parts: list[pa.Table], schema: pa.Schema) -> pd.DataFrame:
    """Arrow-backed frame: amounts stay exact decimals and nothing becomes a Python object per row."""
    t = pa.concat_tables([p.cast(schema) for p in parts]) if parts else schema.empty_table()
    return t.to_pandas(types_mapper=pd.ArrowDtype)


def _run_rules(ctx, codes: Sequence[str], cancelled: Optional[CancelledFn]) -> dict:
    """``{code: (hits, lines) or NotRunnable}`` for ``codes`` run in turn on ``ctx.con`` (a cancel checked
    before each); a rule that fails raises :class:`ScreeningError` naming it."""
    catalogue, registry, out = load_catalogue(), load_rules(), {}
    for code in codes:
        check_cancelled(cancelled)
        try:
            try:
                sql = registry[code].fn(ctx)
            except NotRunnable as exc:
                out[code] = exc
                continue
            hits, lines = _run_rule(ctx.con, code, catalogue[code].grain, sql)
            out[code] = (mark_ocr_review(ctx, code, hits), lines)  # R24–R29 on text read with OCR: 「OCR 待核」
        except duckdb.OutOfMemoryException as exc:
            raise ScreeningError(f"筛查 {code} 内存不足 / screening {code} ran out of memory: {str(exc).splitlines()[0]}") from None
        except duckdb.Error as exc:
            raise ScreeningError(f"规则 {code} 筛查失败 / rule {code} failed: {str(exc).splitlines()[0]}") from None
    return out


def screen(tables: Mapping[str, object], kb: KnowledgeBase, *, rules: Optional[Iterable[str]] = None,
           progress: Optional[ProgressFn] = None, cancelled: Optional[CancelledFn] = None,
           batch_hashes: Sequence[str] = (), memory_limit: Optional[str] = None,
           overlap: bool = True) -> ScreeningResult:
    """Screen the case tables (``{table name: Arrow table or chunked source}``, see ``engine.prepare``;
    absent or None = not imported) with the knowledge base. Raises :class:`Cancelled` when ``cancelled()`` turns true (checked between rules).

    ``overlap``: R24–R29 (with the loading and reading of the record documents) run beside the other rules,
    in a thread on a cursor of the run's connection (:mod:`feijian.rules.background`); False: in their turn.
    The hits, their order and the errors raised are the same."""
    started = utc_now()
    codes = select_rules(rules)
    catalogue = load_catalogue()
    registry = load_rules()
    present = {n for n, t in tables.items() if t is not None}
    not_run: dict[str, str] = {}
    runnable = []
    for code in codes:
        needs = list(ALWAYS_NEEDED) + list(catalogue[code].needs) + list(registry[code].needs_extra)
        missing = [n for n in dict.fromkeys(needs) if n not in present]
        if missing:
            not_run[code] = f"缺少表 {', '.join(missing)} / not run: needs {', '.join(missing)}"
        else:
            runnable.append(code)

    results: dict[str, tuple[pa.Table, pa.Table]] = {}  # code -> hits, lines (assembled in rule order)
    total = len(codes)
    report(progress, 0, total, "准备数据 / preparing")
    check_cancelled(cancelled)
    con = job = None
    try:
        if runnable:
            kwargs = {"memory_limit": memory_limit} if memory_limit else {}
            from feijian.rules.engine import connect

            con = connect(**kwargs)
            try:
                ctx = prepare(tables, kb, con, cancelled=cancelled,
                              note=lambda message: report(progress, 0, total, message))
            except duckdb.OutOfMemoryException as exc:
                raise ScreeningError(f"筛查准备数据内存不足 / preparing the screening ran out of memory: "
                                     f"{str(exc).splitlines()[0]}") from None
            except duckdb.Error as exc:
                raise ScreeningError(f"筛查准备数据失败 / preparing the screening failed: {str(exc).splitlines()[0]}") from None
            beside = [c for c in runnable if c in RECORD_RULES] if overlap else []
            if beside:
                job = Background(con, lambda cursor, stop: _run_rules(ctx.on(cursor, stop), beside, stop), cancelled)
        done = len(codes) - len(runnable)
        for code in runnable:
            if job is not None and code in beside:
                continue
            check_cancelled(cancelled)
            report(progress, done, total, f"{code} {catalogue[code].name_zh}")
            try:
                results.update(_run_rules(ctx, [code], cancelled))
            except Exception:
                if job is not None and runnable.index(code) > runnable.index(beside[0]):
                    job.result(cancelled)  # serially the record rule before it would have raised first: its error
                raise
            done += 1
        if job is not None:
            report(progress, done, total, f"{beside[0]} {catalogue[beside[0]].name_zh}")
            results.update(job.result(cancelled))
            job = None
        report(progress, total, total, "完成 / done")
    finally:
        if job is not None:
            job.stop()
        if con is not None:
            con.close()

    for code in runnable:
        result = results[code]
        if isinstance(result, NotRunnable):
            not_run[code] = str(result)
    rules_run = [c for c in runnable if not isinstance(results[c], NotRunnable)]
    hit_parts = [results[c][0] for c in rules_run]
    line_parts = [results[c][1] for c in rules_run]
    hits_df = _frame(hit_parts, _HITS_SCHEMA)
    lines_df = _frame(line_parts, _EMPTY_LINES.schema)
    run = ScreeningRun(
        run_id=uuid7(), ruleset_version=RULESET_VERSION, kb_hash=kb.hash, batch_hashes=tuple(batch_hashes),
        started_at=started, finished_at=utc_now(), rules_run=tuple(rules_run),
        not_run=dict(sorted(not_run.items())), hit_count=len(hits_df), total_amount=case_total(lines_df),
    )
    return ScreeningResult(run=run, hits=hits_df, hit_lines=lines_df, not_run=run.not_run)


def case_total(hit_lines: pd.DataFrame) -> Decimal:
    """The case's amount: each fee line's money at most once (the largest amount any hit assigns to it),
    rounded half up to 0.01."""
    if len(hit_lines) == 0:
        return money(Decimal(0))
    t = pa.table({"m": pa.array(hit_lines["mdtrt_id"], pa.string()), "s": pa.array(hit_lines["feedetl_sn"], pa.string()),
                  "a": pa.array(hit_lines["amount"]).cast(pa.decimal128(38, 10))})
    best = t.group_by(["m", "s"]).aggregate([("a", "max")])
    total = pa.compute.sum(best.column("a_max")).as_py()
    return money(total or Decimal(0))


def _cell(value) -> str:
    """A CSV cell as people read it (domain/formatting.py): days YYYY-MM-DD, quantities without ``.0``."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, (dt.date, pd.Timestamp)):
        return formatting.date_iso(value)
    if isinstance(value, (float, Decimal)):
        return formatting.quantity(value)
    return str(value)


def write_hits_csv(hits: pd.DataFrame, path, extra: Optional[Mapping[str, Mapping[str, str]]] = None) -> int:
    """The hits file of rules.md: UTF-8 with BOM, one row per hit, dates YYYY-MM-DD, amounts with two
    decimals. ``extra`` adds columns after the file's own, each ``name -> {hit_id: value}`` (empty where a
    hit has none), e.g. the self-inspection status. Returns the number of rows written."""
    path = Path(path)
    extra = dict(extra or {})
    clash = set(extra) & set(CSV_COLUMNS)
    if clash:
        raise ValueError(f"extra columns clash with the hits file's own: {sorted(clash)}")
    ids = [str(h) for h in hits["hit_id"]] if extra else []
    try:
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(list(CSV_COLUMNS) + list(extra))
            n = 0
            for row in hits[list(CSV_COLUMNS)].itertuples(index=False, name=None):
                cells = [_cell(v) for v in row]
                cells[8] = str(formatting.cents(row[8]))
                cells[9] = formatting.tidy_detail(row[9])
                if extra:
                    cells += [str(col.get(ids[n], "")) for col in extra.values()]
                w.writerow(cells)
                n += 1
    except OSError as exc:
        raise InputError(f"无法写入命中文件 / cannot write {path}: {exc.strerror}") from None
    return n
