"""What the imported tables say about the case, for documents and screens that need it when the user has not
set it: the data period, the number of encounters and fee lines, the amounts billed, settled and paid by the
fund. Read column by column, chunk by chunk (never a whole table in memory), and cached per store until the
next import."""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class DataFacts:
    period_start: Optional[dt.date] = None
    period_end: Optional[dt.date] = None
    period_source: str = ""  # settlements.setl_time / visits.begntime / fees.fee_ocur_time
    encounters: int = 0  # distinct mdtrt_id in visits
    patients: int = 0  # distinct psn_no in visits
    fee_lines: int = 0
    fee_amount: Optional[Decimal] = None  # sum of fees.det_item_fee_sumamt (refund lines included)
    settlements: int = 0
    settled_amount: Optional[Decimal] = None  # sum of settlements.medfee_sumamt
    fund_paid: Optional[Decimal] = None  # sum of settlements.hifp_pay

    @property
    def empty(self) -> bool:
        return not (self.encounters or self.fee_lines or self.settlements)


_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def data_facts(store) -> DataFacts:
    """The facts of the case's imported tables (cached until the next import batch)."""
    key = len(store.import_batches())
    try:
        hit = _cache.get(store)
    except TypeError:  # an object that cannot be weakly referenced: no cache
        hit = None
    if hit is not None and hit[0] == key:
        return hit[1]
    facts = _compute(store)
    try:
        _cache[store] = (key, facts)
    except TypeError:
        pass
    return facts


class _Range:
    def __init__(self) -> None:
        self.lo = None
        self.hi = None

    def add(self, arr) -> None:
        if arr is None or len(arr) == 0 or arr.null_count == len(arr):
            return
        mm = pc.min_max(arr)
        lo, hi = mm["min"].as_py(), mm["max"].as_py()
        if lo is not None and (self.lo is None or lo < self.lo):
            self.lo = lo
        if hi is not None and (self.hi is None or hi > self.hi):
            self.hi = hi


def _day(v) -> Optional[dt.date]:
    if v is None:
        return None
    return v.date() if isinstance(v, dt.datetime) else v


def _sum(arr) -> Decimal:
    if arr is None or len(arr) == 0:
        return Decimal(0)
    if not pa.types.is_decimal(arr.type):
        arr = pc.cast(arr, pa.decimal128(38, 4), safe=False)
    s = pc.sum(arr).as_py()
    return Decimal(s) if s is not None else Decimal(0)


@dataclass
class _Scan:
    """What one pass over a table gathered: its rows, the range of each time column, the sum of each amount
    column and the distinct values of each id column (only the columns the table has)."""

    columns: frozenset
    rows: int = 0
    ranges: dict = field(default_factory=dict)  # column -> _Range
    sums: dict = field(default_factory=dict)  # column -> Decimal
    distinct: dict = field(default_factory=dict)  # column -> set (None dropped)

    def has(self, column: str) -> bool:
        return column in self.columns


def _scan(store, table: str, *, times: tuple = (), sums: tuple = (), distinct: tuple = ()) -> Optional[_Scan]:
    """One pass over ``table``, chunk by chunk, reading only the wanted columns it has; None when the table
    is missing or has none of them."""
    if not store.has_table(table):
        return None
    wanted = [*distinct, *times, *sums]
    cols = None
    for chunk in store.iter_table(table):
        cols = [c for c in wanted if c in chunk.column_names]
        break
    if not cols:
        return None
    scan = _Scan(frozenset(cols))
    times, sums, distinct = ([c for c in group if c in scan.columns] for group in (times, sums, distinct))
    scan.ranges = {c: _Range() for c in times}
    scan.sums = {c: Decimal(0) for c in sums}
    scan.distinct = {c: set() for c in distinct}
    for chunk in store.iter_table(table, cols):
        scan.rows += chunk.num_rows
        for c in times:
            scan.ranges[c].add(chunk[c])
        for c in sums:
            scan.sums[c] += _sum(chunk[c])
        for c in distinct:
            scan.distinct[c].update(pc.unique(chunk[c]).to_pylist())
    for values in scan.distinct.values():
        values.discard(None)
    return scan


def _compute(store) -> DataFacts:
    out: dict = {}
    periods: dict[str, _Range] = {}

    s = _scan(store, "settlements", times=("setl_time",), sums=("medfee_sumamt", "hifp_pay"))
    if s is not None:
        periods["settlements.setl_time"] = s.ranges.get("setl_time", _Range())
        out.update(settlements=s.rows, settled_amount=s.sums.get("medfee_sumamt"), fund_paid=s.sums.get("hifp_pay"))

    s = _scan(store, "visits", times=("begntime", "endtime"), distinct=("mdtrt_id", "psn_no"))
    if s is not None:
        rng = s.ranges.get("begntime", _Range())
        end = s.ranges.get("endtime")
        if end is not None and end.hi is not None and (rng.hi is None or end.hi > rng.hi):
            rng.hi = end.hi  # the period runs to the last discharge
        periods["visits.begntime"] = rng
        out.update(encounters=len(s.distinct.get("mdtrt_id", ())), patients=len(s.distinct.get("psn_no", ())))

    s = _scan(store, "fees", times=("fee_ocur_time",), sums=("det_item_fee_sumamt",))
    if s is not None:
        periods["fees.fee_ocur_time"] = s.ranges.get("fee_ocur_time", _Range())
        out.update(fee_lines=s.rows, fee_amount=s.sums.get("det_item_fee_sumamt"))

    # the extraction runs by settlement date (数据调取的惯例), so settlements decide when they have times
    for source in ("settlements.setl_time", "visits.begntime", "fees.fee_ocur_time"):
        rng = periods.get(source)
        if rng is not None and rng.lo is not None:
            out.update(period_start=_day(rng.lo), period_end=_day(rng.hi), period_source=source)
            break
    return DataFacts(**out)
