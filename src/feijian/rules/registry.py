"""The rule registry: each rule is a small function registered under its code that returns the SQL of its
hits over the common views of :mod:`feijian.rules.engine`.

A rule's SQL selects any of these columns (absent ones are null): ``mdtrt_id, feedetl_sn, med_list_codg,
date, drord_no, period_start, period_end, subject, amount_num, amount_den, detail``. The hit's amount is
``amount_num / amount_den`` (``amount_den`` null = 1), divided exactly in Python so that amounts stay exact
decimals (DuckDB divides decimals in floating point).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from feijian.rules.engine import Context

HIT_SQL_COLUMNS = ("mdtrt_id", "feedetl_sn", "med_list_codg", "date", "drord_no", "period_start",
                   "period_end", "subject", "amount_num", "amount_den", "detail")


class NotRunnable(Exception):
    """A rule cannot run on this case for a reason other than a missing table (e.g. unknown level)."""


@dataclass(frozen=True)
class Rule:
    code: str
    fn: Callable[[Context], str]
    needs_extra: tuple[str, ...] = ()  # case tables needed beyond visits, fees and the catalogue's `needs`


RULES: dict[str, Rule] = {}


def rule(code: str, *, needs_extra: tuple[str, ...] = ()):
    def deco(fn: Callable[[Context], str]) -> Callable[[Context], str]:
        if code in RULES:
            raise RuntimeError(f"rule {code} registered twice")
        RULES[code] = Rule(code=code, fn=fn, needs_extra=needs_extra)
        return fn

    return deco
