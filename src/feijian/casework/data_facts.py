"""What the imported tables say about the case, for documents and screens that need it when the user has not
set it: the data period, the number of encounters and fee lines, the amounts billed, settled and paid by the
fund. Read column by column, chunk by chunk (never a whole table in memory), and cached per store until the
next import."""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass
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


def _columns(store, table: str, wanted: list[str]) -> Optional[list[str]]:
    if not store.has_table(table):
        return None
    for chunk in store.iter_table(table):
        return [c for c in wanted if c in chunk.column_names]
    return None


def _compute(store) -> DataFacts:
    out: dict = {}
    periods: dict[str, _Range] = {}

    cols = _columns(store, "settlements", ["setl_time", "medfee_sumamt", "hifp_pay"])
    if cols:
        rng, n, settled, fund = _Range(), 0, Decimal(0), Decimal(0)
        has_fund = "hifp_pay" in cols
        for chunk in store.iter_table("settlements", cols):
            n += chunk.num_rows
            if "setl_time" in cols:
                rng.add(chunk["setl_time"])
            if "medfee_sumamt" in cols:
                settled += _sum(chunk["medfee_sumamt"])
            if has_fund:
                fund += _sum(chunk["hifp_pay"])
        periods["settlements.setl_time"] = rng
        out.update(settlements=n, settled_amount=settled if "medfee_sumamt" in cols else None,
                   fund_paid=fund if has_fund else None)

    cols = _columns(store, "visits", ["mdtrt_id", "psn_no", "begntime", "endtime"])
    if cols:
        rng, ids, people = _Range(), set(), set()
        for chunk in store.iter_table("visits", cols):
            if "mdtrt_id" in cols:
                ids.update(pc.unique(chunk["mdtrt_id"]).to_pylist())
            if "psn_no" in cols:
                people.update(pc.unique(chunk["psn_no"]).to_pylist())
            if "begntime" in cols:
                rng.add(chunk["begntime"])
            if "endtime" in cols:
                end = _Range()
                end.add(chunk["endtime"])
                if end.hi is not None and (rng.hi is None or end.hi > rng.hi):
                    rng.hi = end.hi
        ids.discard(None)
        people.discard(None)
        periods["visits.begntime"] = rng
        out.update(encounters=len(ids), patients=len(people))

    cols = _columns(store, "fees", ["fee_ocur_time", "det_item_fee_sumamt"])
    if cols:
        rng, n, total = _Range(), 0, Decimal(0)
        for chunk in store.iter_table("fees", cols):
            n += chunk.num_rows
            if "fee_ocur_time" in cols:
                rng.add(chunk["fee_ocur_time"])
            if "det_item_fee_sumamt" in cols:
                total += _sum(chunk["det_item_fee_sumamt"])
        periods["fees.fee_ocur_time"] = rng
        out.update(fee_lines=n, fee_amount=total if "det_item_fee_sumamt" in cols else None)

    # the extraction runs by settlement date (数据调取的惯例), so settlements decide when they have times
    for source in ("settlements.setl_time", "visits.begntime", "fees.fee_ocur_time"):
        rng = periods.get(source)
        if rng is not None and rng.lo is not None:
            out.update(period_start=_day(rng.lo), period_end=_day(rng.hi), period_source=source)
            break
    return DataFacts(**out)
