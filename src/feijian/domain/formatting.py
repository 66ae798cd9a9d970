"""Numbers, dates and codes written as people write them — one place for rule details, screens, documents
and CSV exports.

Pure functions, no Qt: quantities without a trailing ``.0`` (fractions kept), ages and age ranges
(``≤ 14 岁``, ``≥ 18 岁``, ``18–65 岁``), money (``4,302.97 元``, ``43.03 万元``), dates and times in local time
(``2026年12月6日``, ``2026-12-06 10:42``, from ISO UTC timestamps such as ``2026-12-06T02:42:05.579Z``),
durations and working days, and codes with their names (``5 死亡``). :func:`tidy_detail` rewrites the float
artefacts of details stored by older versions (``限 –14.0 岁`` → ``限 ≤ 14 岁``) when they are shown; the
stored value itself never changes.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Mapping, Optional

CENT = Decimal("0.01")
EN_DASH = "–"


def _decimal(value: Any) -> Optional[Decimal]:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None


def _missing(value: Any) -> bool:
    if value is None or value == "":
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):  # pd.NA
        return True


def text_or_blank(value: Any) -> str:
    """A value as people read it in a field: ``""`` for None, NaN, NaT or pd.NA (never ``nan``), else its text."""
    return "" if _missing(value) else str(value).strip()


# ---- quantities ------------------------------------------------------------------------------------------


def quantity(value: Any, *, places: int = 4) -> str:
    """``5.0`` → ``5``, ``2.50`` → ``2.5``, ``0.3333333`` → ``0.3333``, ``1234`` → ``1234``; None → ``""``.

    Counts are not grouped with commas (a dose of 1200 reads 1200); at most ``places`` decimals are kept."""
    d = _decimal(value)
    if d is None:
        return "" if _missing(value) else str(value)
    if not d.is_finite():
        return str(value)
    d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) if d.as_tuple().exponent < -places else d
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def count(value: Any) -> str:
    """A whole count with thousands separators: ``12345`` → ``12,345``."""
    d = _decimal(value)
    if d is None:
        return ""
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return quantity(d)


def machine_number(value: Any, *, bits: int = 64) -> str:
    """A number as a machine-readable file (CSV) writes it, read back to the same value: a Decimal exactly, in
    positional notation with its scale (``Decimal("12.5000")`` → ``12.5000``, ``Decimal("1E+3")`` → ``1000``); a
    float as the shortest text that reads back to the same ``bits``-wide binary float — Python's ``repr`` for
    a double (``0.1 + 0.2`` → ``0.30000000000000004``, that double's own shortest text: ``0.3`` is another
    double), the float32 or float16 value's own shortest text for a narrower column (``REAL 0.1`` → ``0.1``, not
    its widening ``0.10000000149011612``); ``nan``, ``inf``, ``-inf`` as Python and pandas read them; None → ``""``.
    No thousands separators, no rounding."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or bits == 64:
            return repr(value)
        code = {32: "f", 16: "e"}[bits]
        narrow = struct.unpack(code, struct.pack(code, value))[0]
        for digits in range(1, 18):
            text = f"{value:.{digits}g}"
            if struct.unpack(code, struct.pack(code, float(text)))[0] == narrow:
                return repr(float(text))
        return repr(value)
    raise TypeError(f"not a number: {value!r}")


# ---- ages ------------------------------------------------------------------------------------------------


def age(value: Any) -> str:
    """``14.0`` → ``14 岁``."""
    q = quantity(value)
    return f"{q} 岁" if q else ""


def age_range(low: Any, high: Any) -> str:
    """An item's age limits: ``(None, 14)`` → ``≤ 14 岁``, ``(18, None)`` → ``≥ 18 岁``, ``(18, 65)`` →
    ``18–65 岁``, ``(None, None)`` → ``""``."""
    lo, hi = quantity(low), quantity(high)
    if lo and hi:
        return f"{lo}{EN_DASH}{hi} 岁"
    if hi:
        return f"≤ {hi} 岁"
    if lo:
        return f"≥ {lo} 岁"
    return ""


# ---- money -----------------------------------------------------------------------------------------------


def cents(value: Any) -> Decimal:
    """An amount as a Decimal rounded half-up to cents (None / NaN → 0.00)."""
    d = _decimal(value)
    if d is None:
        if _missing(value):
            return Decimal("0.00")
        raise ValueError(f"not an amount: {value!r}")
    d = d.quantize(CENT, rounding=ROUND_HALF_UP)
    return d if d else Decimal("0.00")  # -0.004 rounds to 0.00, not -0.00


def amount(value: Any) -> str:
    """``4302.966`` → ``4,302.97`` (no unit: for table cells headed 金额（元）)."""
    return f"{cents(value):,.2f}"


def money(value: Any) -> str:
    """``4302.966`` → ``4,302.97 元``."""
    return f"{amount(value)} 元"


# contract fields of type decimal that hold money (the others are quantities, ages and ratios)
_MONEY_FIELD = re.compile(r"(?:amt|pay|pric|price|fee|sumamt)(?:_|$)|^price_cap")


def is_money_field(name: str) -> bool:
    """``det_item_fee_sumamt``, ``hifp_pay``, ``pric``, ``price_cap_l1`` are money; ``cnt``, ``age``,
    ``max_units_per_day``, ``pack_ratio`` are not."""
    return bool(_MONEY_FIELD.search(str(name)))


def money_wan(value: Any, *, places: int = 2) -> str:
    """``1234567.8`` → ``123.46 万元`` (the documents' form for large sums)."""
    d = (cents(value) / Decimal(10000)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{d:,.{places}f} 万元"


def money_auto(value: Any, *, threshold: Decimal = Decimal(100000)) -> str:
    """Money in 元 below ``threshold``, in 万元 from it: ``4,302.97 元`` / ``123.46 万元``."""
    return money_wan(value) if abs(cents(value)) >= threshold else money(value)


def money_axis(value: Any) -> str:
    """A chart's axis or bar label: ``3,500`` / ``12.5 万`` / ``1.20 亿`` (short; the unit 元 is the axis title's)."""
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if abs(d) >= Decimal("1e8"):
        return f"{(d / Decimal('1e8')).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)} 亿"
    if abs(d) >= Decimal("1e4"):
        return f"{(d / Decimal('1e4')).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} 万"
    return f"{d.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


# ---- dates and times -------------------------------------------------------------------------------------


def parse_time(value: Any) -> Optional[dt.datetime]:
    """A datetime from an ISO string (``Z`` or offset, or naive), a datetime, a date or a pandas Timestamp."""
    if _missing(value):
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = str(value).strip()
    if not text:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def local_time(value: Any, tz: Optional[dt.tzinfo] = None) -> Optional[dt.datetime]:
    """The moment in local time (``tz`` or the machine's zone); naive values are taken as local already."""
    t = parse_time(value)
    if t is None or t.tzinfo is None:
        return t
    return t.astimezone(tz) if tz is not None else t.astimezone()


def date_zh(value: Any, tz: Optional[dt.tzinfo] = None) -> str:
    """``2026-12-06`` → ``2026年12月6日``."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        d = value
    else:
        t = local_time(value, tz)
        if t is None:
            return "" if _missing(value) else str(value)
        d = t.date()
    return f"{d.year}年{d.month}月{d.day}日"


def date_iso(value: Any, tz: Optional[dt.tzinfo] = None) -> str:
    """``2026-12-06`` (a day, e.g. in tables and CSV)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    t = local_time(value, tz)
    if t is None:
        return "" if _missing(value) else str(value)
    return t.date().isoformat()


def date_time(value: Any, tz: Optional[dt.tzinfo] = None, *, seconds: bool = False) -> str:
    """``2026-12-06T02:42:05.579Z`` → ``2026-12-06 10:42`` in Beijing time (the machine's local zone)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    t = local_time(value, tz)
    if t is None:
        return "" if _missing(value) else str(value)
    return t.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def date_time_zh(value: Any, tz: Optional[dt.tzinfo] = None) -> str:
    """``2026年12月6日 10:42``."""
    t = local_time(value, tz)
    if t is None:
        return "" if _missing(value) else str(value)
    return f"{date_zh(t.date())} {t:%H:%M}"


def period_zh(start: Any, end: Any) -> str:
    """``2025年1月1日至2025年12月31日``; an open end → ``2025年1月1日起``; neither → ``""``."""
    s, e = date_zh(start) if not _missing(start) else "", date_zh(end) if not _missing(end) else ""
    if s and e:
        return f"{s}至{e}"
    if s:
        return f"{s}起"
    if e:
        return f"{e}止"
    return ""


def time_span(start: Any, end: Any, tz: Optional[dt.tzinfo] = None) -> str:
    """``2026-12-06 10:42 至 10:44`` (same day) or ``… 至 2026-12-07 09:00``."""
    a, b = local_time(start, tz), local_time(end, tz)
    if a is None:
        return date_time(end, tz)
    if b is None:
        return date_time(a)
    if a.date() == b.date():
        return f"{a:%Y-%m-%d %H:%M} 至 {b:%H:%M}"
    return f"{a:%Y-%m-%d %H:%M} 至 {b:%Y-%m-%d %H:%M}"


# ---- durations and days ----------------------------------------------------------------------------------


def duration(seconds: Any) -> str:
    """``0.42`` → ``0.4 秒``, ``42`` → ``42 秒``, ``3725`` → ``1 小时 2 分``, ``90061`` → ``1 天 1 小时``."""
    d = _decimal(seconds)
    if d is None:
        return ""
    s = float(d)
    if s < 10:
        return f"{quantity(round(s, 1))} 秒"
    s = int(round(s))
    if s < 60:
        return f"{s} 秒"
    days, rest = divmod(s, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} 天" + (f" {hours} 小时" if hours else "")
    if hours:
        return f"{hours} 小时" + (f" {minutes} 分" if minutes else "")
    return f"{minutes} 分" + (f" {secs} 秒" if secs else "")


def days(n: Any) -> str:
    """``3`` → ``3 天``."""
    q = quantity(n)
    return f"{q} 天" if q else ""


def working_days(n: Any) -> str:
    """``5`` → ``5 个工作日``."""
    q = quantity(n)
    return f"{q} 个工作日" if q else ""


# ---- codes -----------------------------------------------------------------------------------------------


def coded(code: Any, name: Any = None) -> str:
    """A code with its name: ``("5", "死亡")`` → ``5 死亡``; no name → the code; no code → the name."""
    c, n = text_or_blank(code), text_or_blank(name)
    if c and n and n != c:
        return f"{c} {n}"
    return c or n


def code_with_name(field: str, code: Any) -> str:
    """A contract code (``dscg_way`` ``5``) with its name from ``resources/contract/codes.toml``: ``5 死亡``."""
    from feijian.domain.codes import code_names

    if _missing(code):
        return ""
    try:
        names = code_names(field)
    except KeyError:
        return str(code)
    return coded(code, names.get(str(code)))


def medins_level(value: Any) -> str:
    """An institution's level as people write it: ``3`` → ``三级`` (``resources/contract/code_names.toml``);
    a level already written out (``三级``) or one the table does not name, as it is."""
    from feijian.domain.codes import code_names

    return code_names("medins_lv").get(text_or_blank(value), text_or_blank(value))


_ENGLISH_HALF = re.compile(r"\s*/\s*[^\u4e00-\u9fff]*$")


def chinese_part(text: Any) -> str:
    """A bilingual note written by the program (``病历文书 X 原件（文字识别）/ original of record document X
    (OCR)``) as its Chinese half; a text with Chinese after the last `` / `` or none before it stays whole."""
    if _missing(text):
        return ""
    s = str(text)
    head = _ENGLISH_HALF.sub("", s)
    return head if head != s and re.search("[\u4e00-\u9fff]", head) and re.search("[A-Za-z]", s[len(head):]) else s


# ---- details stored by older versions --------------------------------------------------------------------

# a quantity written as 5.0 (a double) or 5.0000 (a DECIMAL(18, 4)); two decimals are money and stay
_TRAILING_ZERO = re.compile(r"(?<![\d.])(\d+)\.(?:0|000+)(?![\d])")
_FRACTION_ZEROS = re.compile(r"(?<![\d.])(\d+\.(?=\d{3,}(?!\d))\d*?[1-9])0+(?![\d])")
_UNIT_QTY = re.compile(r"(?<![\d.])(\d+\.\d+)(?= ?(?:个|岁|天|次))")
_OPEN_LOW = re.compile(r"限 ?[–−-] ?(\d+(?:\.\d+)?) ?岁")
_OPEN_HIGH = re.compile(r"限 ?(\d+(?:\.\d+)?) ?[–−-] ?岁")
_ISO_TIME = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(?::\d\d(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)?")
# an amount before 元 written without grouping or cents (``3029.0 元``, ``3668.88 元``): written as money
_YUAN = re.compile(r"(?<![\d.,])(-?\d[\d,]*(?:\.\d+)?) ?元")


def tidy_detail(text: Any) -> str:
    """A hit's stored detail as people read it: float artefacts and open age ranges rewritten
    (``共 5.0 个单位`` → ``共 5 个单位``, ``限 –14.0 岁`` → ``限 ≤ 14 岁``, ``限 65.0– 岁`` → ``限 ≥ 65 岁``),
    ISO timestamps as local ``YYYY-MM-DD HH:MM``. Details already written well pass unchanged."""
    if _missing(text):
        return ""
    s = str(text)
    s = _TRAILING_ZERO.sub(r"\1", s)
    s = _FRACTION_ZEROS.sub(r"\1", s)
    s = _UNIT_QTY.sub(lambda m: quantity(m.group(1)), s)
    s = _OPEN_LOW.sub(r"限 ≤ \1 岁", s)
    s = _OPEN_HIGH.sub(r"限 ≥ \1 岁", s)

    def _iso(m: re.Match) -> str:
        if m.group(3):
            return date_time(m.group(0))
        return f"{m.group(1)} {m.group(2)}"

    s = _ISO_TIME.sub(_iso, s)
    return _YUAN.sub(lambda m: money(m.group(1)), s)


# a code in a detail: letters and digits (``001203000010000``, ``D0301014``), not part of a longer token
_CODE_TOKEN = re.compile(r"(?<![A-Za-z0-9_.])([A-Za-z0-9]{4,})(?![A-Za-z0-9_])")
_DEPT_TOKEN = re.compile(r"科室 ?([A-Za-z0-9]{2,})(?![A-Za-z0-9_（(])")
_MED_TYPE = re.compile(r"医疗类别 ?(\d+)(?![\d\u4e00-\u9fff]| [\u4e00-\u9fff])")


def with_names(text: Any, *, items: Optional[Mapping[str, str]] = None, staff: Optional[Mapping[str, str]] = None,
               depts: Optional[Mapping[str, str]] = None) -> str:
    """A detail with each known code followed by its name: items and staff as ``001203000010000（诊查费）``,
    ``D0301014（李秀静）``, a department after 科室 as ``科室 0303 心血管内科``. An item code already followed by
    a bracket (the rule named it), a staff code already followed by its name and codes not in the maps stay as
    they are; a 医疗类别 gets its name (``医疗类别 11 普通门诊``). The text is not otherwise changed."""
    if _missing(text):
        return ""
    s = str(text)
    if items or staff:
        def _code(m: re.Match) -> str:
            code, after = m.group(1), s[m.end():m.end() + 1]
            item = (items or {}).get(code)
            if item:  # a rule that names an item writes the name in brackets right after the code
                return code if (after and after in "（(") or item == code else f"{code}（{item}）"
            name = (staff or {}).get(code)
            if not name or name == code or s.startswith((f"（{name}", f"({name}"), m.end()):
                return code
            return f"{code}（{name}）"

        s = _CODE_TOKEN.sub(_code, s)
    if depts:
        def _dept(m: re.Match) -> str:
            name = depts.get(m.group(1))
            return f"{m.group(0)} {name}" if name and name != m.group(1) else m.group(0)

        s = _DEPT_TOKEN.sub(_dept, s)
    return _MED_TYPE.sub(lambda m: f"医疗类别 {code_with_name('med_type', m.group(1))}", s)


# SQL mirrors of quantity() and age_range() for the rule engine's DuckDB details (tests hold them equal).
SQL_MACROS = r"""
CREATE MACRO qty(x) AS CASE WHEN x IS NULL THEN NULL ELSE
    regexp_replace(regexp_replace(format('{}', CAST(round(CAST(x AS DECIMAL(38, 10)), 4) AS DECIMAL(38, 4))),
                                  '([.][0-9]*?)0+$', '\1'), '[.]$', '') END;
CREATE MACRO age_range(lo, hi) AS CASE
    WHEN lo IS NOT NULL AND hi IS NOT NULL THEN qty(lo) || '–' || qty(hi) || ' 岁'
    WHEN hi IS NOT NULL THEN '≤ ' || qty(hi) || ' 岁'
    WHEN lo IS NOT NULL THEN '≥ ' || qty(lo) || ' 岁'
    ELSE '' END;
"""
