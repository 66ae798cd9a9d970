"""裁量基准: a province's discretion table as data, validated, and the grade and range it suggests for a finding.

The national ranges come from ``resources/casework/penalties.toml`` (the 条例's articles) and the allowed
conditions from ``resources/casework/discretion/national.toml``; a province's table
(``resources/casework/discretion/<name>.toml``, or one imported into the data folder) gives the amount bands
and each grade's part of every article's range. ``suggest`` says which grade and range apply and which
conditions put it there — a suggestion, never a decision.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from feijian.casework.penalties import article_rule
from feijian.domain.errors import InputError
from feijian.paths import resource

TABLE_FORMAT = "feijian-discretion/v1"
DEFAULT_TABLE = "example-province"


@lru_cache(maxsize=1)
def national() -> dict:
    return tomllib.loads(resource("casework", "discretion", "national.toml").read_text(encoding="utf-8"))


def grades() -> list[str]:
    return list(national()["grades"])


@dataclass(frozen=True)
class Band:
    below: Optional[Decimal]  # None: no upper bound
    grade: str


@dataclass(frozen=True)
class DiscretionTable:
    province: str
    basis: str
    bands: tuple[Band, ...]
    ranges: dict  # article (int) -> grade -> (Decimal lo, Decimal hi)
    conditions: tuple[str, ...]
    source: str = ""


@dataclass(frozen=True)
class Suggestion:
    article: int
    grade: str
    low: Decimal  # yuan
    high: Decimal
    kind: str  # multiple / fixed
    factor_low: Decimal
    factor_high: Decimal
    reasons: tuple[str, ...]  # each step: the band, then each condition
    bases: tuple[tuple[str, str], ...] = ()  # (condition label, the text that allows it) for the conditions applied

    @property
    def text(self) -> str:
        return "；".join(self.reasons)


def _dec(value, where: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise InputError(f"裁量基准：{where} 不是数字 / {where}: {value!r} is not a number") from None
    if not d.is_finite():
        raise InputError(f"裁量基准：{where} 不是有限数 / {where} is not finite")
    return d


def parse_table(text: str, source: str = "") -> DiscretionTable:
    """Read and validate a province's table; every problem is an InputError naming the place."""
    try:
        d = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"裁量基准文件不是有效的 TOML / not valid TOML ({source}): {e}") from None
    if d.get("format") != TABLE_FORMAT:
        raise InputError(f"不是裁量基准文件 / not a discretion table ({source}): format must be {TABLE_FORMAT}")
    unknown = set(d) - {"format", "province", "basis", "amount_bands", "articles", "conditions"}
    if unknown:
        raise InputError(f"裁量基准：未知字段 / unknown keys: {', '.join(sorted(unknown))}")
    if not str(d.get("province", "")).strip():
        raise InputError("裁量基准：缺少 province / the table names no province")
    order = grades()
    bands, last = [], None
    raw_bands = d.get("amount_bands") or []
    if not raw_bands:
        raise InputError("裁量基准：缺少 amount_bands / no amount bands")
    for i, b in enumerate(raw_bands, start=1):
        if b.get("grade") not in order:
            raise InputError(f"裁量基准：金额档 {i} 的档次 {b.get('grade')!r} 不在 {order} 中 / band {i}: unknown grade")
        below = _dec(b["below"], f"金额档 {i} below") if "below" in b else None
        if below is None and i != len(raw_bands):
            raise InputError(f"裁量基准：只有最后一个金额档可以没有上限 / band {i}: only the last band may be open")
        if below is not None and last is not None and below <= last:
            raise InputError(f"裁量基准：金额档 {i} 的上限须递增 / band {i}: bounds must increase")
        if below is not None and below <= 0:
            raise InputError(f"裁量基准：金额档 {i} 的上限须大于 0 / band {i}: bound must be > 0")
        last = below if below is not None else last
        bands.append(Band(below, b["grade"]))
    if bands[-1].below is not None:
        raise InputError("裁量基准：最后一个金额档须没有上限 / the last band must have no upper bound")
    ranges = {}
    articles = d.get("articles") or {}
    for art in national()["articles"]:
        rule = article_rule(art)
        spec = articles.get(str(art))
        if spec is None:
            raise InputError(f"裁量基准：缺少第{art}条的档次 / no grades for article {art}")
        lo_nat, hi_nat = _dec(rule["min"], "national min"), _dec(rule["max"], "national max")
        if set(spec) != set(order):
            raise InputError(f"裁量基准：第{art}条须且只须有档次 {order} / article {art}: grades must be exactly {order}")
        prev_hi = lo_nat
        ranges[art] = {}
        for g in order:
            pair = spec[g]
            if not isinstance(pair, list) or len(pair) != 2:
                raise InputError(f"裁量基准：第{art}条{g} 须为 [下限, 上限] / article {art} {g}: give [low, high]")
            lo, hi = _dec(pair[0], f"第{art}条{g}下限"), _dec(pair[1], f"第{art}条{g}上限")
            if lo > hi:
                raise InputError(f"裁量基准：第{art}条{g} 下限大于上限 / article {art} {g}: low > high")
            if lo != prev_hi:
                raise InputError(f"裁量基准：第{art}条{g} 须从 {prev_hi} 接续（无空档、无重叠）/ "
                                 f"article {art} {g}: must start at {prev_hi} (no gap, no overlap)")
            prev_hi = hi
            ranges[art][g] = (lo, hi)
        if ranges[art][order[0]][0] != lo_nat or prev_hi != hi_nat:
            raise InputError(f"裁量基准：第{art}条的档次须覆盖法定幅度 {lo_nat}–{hi_nat} / article {art}: grades must "
                             f"span the national range {lo_nat}–{hi_nat}")
    known = national()["conditions"]
    conds = tuple(d.get("conditions") or ())
    bad = [c for c in conds if c not in known]
    if bad:
        raise InputError(f"裁量基准：未知情节 / unknown conditions: {', '.join(bad)} (known: {', '.join(known)})")
    return DiscretionTable(str(d["province"]), str(d.get("basis", "")), tuple(bands), ranges, conds, source)


def load_table(path: Optional[Path] = None) -> DiscretionTable:
    """A table from ``path``, else the bundled example."""
    p = Path(path) if path else resource("casework", "discretion", f"{DEFAULT_TABLE}.toml")
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"无法读取裁量基准 / cannot read the discretion table {p}: {e}") from None
    return parse_table(text, str(p))


def imported_path(home: Path) -> Path:
    return Path(home) / "discretion" / "table.toml"


def import_table(home: Path, file: Path) -> DiscretionTable:
    """Validate ``file`` and keep it as the data folder's table (the one reports use)."""
    table = load_table(file)
    dest = imported_path(home)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(Path(file).read_text(encoding="utf-8"), encoding="utf-8")
    return table


def active_table(home: Optional[Path] = None) -> DiscretionTable:
    if home is not None and imported_path(home).exists():
        return load_table(imported_path(home))
    return load_table()


def condition_label(cond: str) -> str:
    return national()["conditions"].get(cond, {}).get("label", cond)


def suggest(table: DiscretionTable, article: int, amount: Decimal, conditions: Iterable[str] = ()) -> Optional[Suggestion]:
    """The grade and range for a finding of ``amount`` under ``article`` with ``conditions``; None when the
    article has no graded range (not qualified yet, or an article the table does not grade)."""
    rule = article_rule(article)
    if rule is None or rule["article"] not in table.ranges:
        return None
    art = rule["article"]
    order = grades()
    amount = Decimal(amount)
    band_i = next(i for i, b in enumerate(table.bands) if b.below is None or amount < b.below)
    band = table.bands[band_i]
    lower = Decimal("0") if band_i == 0 else table.bands[band_i - 1].below
    upper = f"{band.below:,.0f} 元以下" if band.below is not None else "以上"
    reasons = [f"金额 {amount:,.2f} 元在 {lower:,.0f} 元{'至 ' + upper if band.below is not None else upper}档 → {band.grade}"]
    level = order.index(band.grade)
    bases: list[tuple[str, str]] = []
    known = national()["conditions"]
    for c in sorted(set(conditions), key=lambda c: list(known).index(c) if c in known else 99):
        if c not in known:
            raise InputError(f"未知情节 / unknown condition: {c} (known: {', '.join(known)})")
        if c not in table.conditions:
            reasons.append(f"{known[c]['label']}：{table.province}的基准未采用此情节，不调整")
            continue
        step = -1 if known[c]["direction"] == "lighter" else 1
        new = min(max(level + step, 0), len(order) - 1)
        reasons.append(f"{known[c]['label']} → {order[new]}" + ("" if new != level else "（已在端档）"))
        bases.append((known[c]["label"], known[c]["basis"]))
        level = new
    grade = order[level]
    lo, hi = table.ranges[art][grade]
    if rule["kind"] == "fixed":
        low, high = lo, hi
    else:
        low, high = (amount * lo).quantize(Decimal("0.01")), (amount * hi).quantize(Decimal("0.01"))
    return Suggestion(art, grade, low, high, rule["kind"], lo, hi, tuple(reasons), tuple(bases))
