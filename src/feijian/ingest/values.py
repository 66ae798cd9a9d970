"""Vectorised parsing of text columns into the contract's Arrow types.

Every parser takes a ``pa.StringArray`` (already trimmed, empty → null) and returns
``(typed array, bad)`` where ``bad`` is a NumPy bool mask of the values that are present but could not be
read; those rows are refused by the validator. Nothing here loops over rows in Python.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Optional
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from feijian.domain.contract import normalise_name
from feijian.paths import resource

DECIMAL_TYPE = pa.decimal128(18, 4)
TIMESTAMP_TYPE = pa.timestamp("s")

# 1,234.50 or 1234.50 or .5; the thousands separators must be well placed
_DECIMAL_RE = r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?$"
_HAS_DIGIT_RE = r"\d"
# a non-zero digit in the fifth place or later: more than 4 decimal places
_TOO_PRECISE_RE = r"\.\d{4}\d*[1-9]"
# at most 14 integer digits fit decimal128(18, 4)
_TOO_LARGE_RE = r"^[+-]?0*\d{15,}"

_DATE_SEP_RE = (
    r"^(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?"
    r"(?:[ T]+(?P<H>\d{1,2})[:时](?P<M>\d{1,2})(?:[:分](?P<S>\d{1,2})(?:\.\d+)?秒?)?)?$"
)
_DATE_COMPACT_RE = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?$"
_SERIAL_RE = r"^\d{1,6}(?:\.\d+)?$"
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "s")


def _as_array(values) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    return values


BLANKS = b" \t\r\n\x0b\x0c"
DECIMAL_SPECIAL = b",eE"


def text_bytes(values: pa.Array) -> np.ndarray:
    """The UTF-8 bytes of a string array's values, without a copy."""
    bufs = values.buffers()
    if len(values) == 0 or bufs[2] is None or values.type != pa.string():
        return np.zeros(0, dtype=np.uint8)
    offsets = np.frombuffer(bufs[1], dtype=np.int32, count=len(values) + 1, offset=values.offset * 4)
    return np.frombuffer(bufs[2], dtype=np.uint8)[offsets[0]:offsets[-1]]


def has_non_ascii(values: pa.Array) -> bool:
    b = text_bytes(values)
    return bool(len(b)) and int(b.max()) >= 0x80


def has_any(values: pa.Array, chars: bytes) -> bool:
    """Whether any value holds one of ``chars`` (ASCII), by a byte search of the string data."""
    b = text_bytes(values)
    if not len(b):
        return False
    raw = memoryview(b).cast("B").tobytes() if not b.flags.c_contiguous else b.tobytes()
    return any(bytes((c,)) in raw for c in chars)


def normalise_width(values: pa.Array) -> pa.Array:
    """NFKC (full-width digits, commas, points → ASCII), applied only where a value is not ASCII."""
    values = _as_array(values)
    ascii_mask = pc.string_is_ascii(values)
    if pc.all(pc.fill_null(ascii_mask, True)).as_py():
        return values
    return pc.if_else(ascii_mask, values, pc.utf8_normalize(values, "NFKC"))


def _mask(arr) -> np.ndarray:
    """A boolean Arrow array as a NumPy mask, null → False."""
    return np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)


def _all(mask_arr) -> bool:
    return bool(pc.all(pc.fill_null(mask_arr, True)).as_py())


def _fast_decimal(values: pa.Array) -> Optional[pa.Array]:
    """The common case in one cast: ASCII, no thousands separators, no exponent, ≤ 4 places. None when
    any value needs the careful path."""
    if len(values) == 0 or has_non_ascii(values) or has_any(values, DECIMAL_SPECIAL):  # separators, exponents
        return None
    try:
        return pc.cast(values, DECIMAL_TYPE)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def parse_decimal(values: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Text → decimal128(18, 4). Returns (typed, bad, too_precise)."""
    values = _as_array(values)
    n = len(values)
    fast = _fast_decimal(values)
    if fast is not None:
        none = np.zeros(n, dtype=bool)
        return fast, none, none
    values = normalise_width(values)
    ok = pc.and_(pc.match_substring_regex(values, _DECIMAL_RE), pc.match_substring_regex(values, _HAS_DIGIT_RE))
    too_precise = pc.and_(ok, pc.match_substring_regex(values, _TOO_PRECISE_RE))
    too_large = pc.and_(ok, pc.match_substring_regex(values, _TOO_LARGE_RE))
    good = pc.and_(ok, pc.invert(pc.or_(too_precise, too_large)))
    good_np = _mask(good)
    present = _mask(pc.is_valid(values))
    bad = present & ~good_np
    cleaned = pc.if_else(good, pc.replace_substring(values, ",", ""), pa.scalar(None, pa.string()))
    typed = pc.cast(cleaned, DECIMAL_TYPE) if n else pa.array([], DECIMAL_TYPE)
    return typed, bad, _mask(too_precise)


def _int_field(struct: pa.Array, name: str) -> np.ndarray:
    col = pc.struct_field(struct, name)
    col = pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)
    return np.asarray(pc.fill_null(pc.cast(col, pa.int64()), -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _compose(y, m, d, hh, mm, ss) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since the epoch from parts, and a mask of impossible dates/times."""
    valid = (y >= 1) & (m >= 1) & (m <= 12) & (d >= 1) & (hh < 24) & (mm < 60) & (ss < 60)
    ys = np.where(valid, y, 1970)
    ms = np.where(valid, m, 1)
    ds = np.where(valid, d, 1)
    month = ((ys - 1970) * 12 + (ms - 1)).astype("datetime64[M]")
    day = month.astype("datetime64[D]") + (ds - 1)
    # the day must stay in its month: 2024-02-30 is impossible
    valid &= day.astype("datetime64[M]") == month
    secs = day.astype("datetime64[s]") + np.maximum(hh, 0) * 3600 + np.maximum(mm, 0) * 60 + np.maximum(ss, 0)
    return secs.astype(np.int64), ~valid


# (length, strptime format, where the day is) for the usual spellings, parsed by Arrow in C++
_FAST_FORMATS = (
    (19, "%Y-%m-%d %H:%M:%S", 8), (19, "%Y/%m/%d %H:%M:%S", 8), (16, "%Y-%m-%d %H:%M", 8),
    (16, "%Y/%m/%d %H:%M", 8), (10, "%Y-%m-%d", 8), (10, "%Y/%m/%d", 8), (14, "%Y%m%d%H%M%S", 6), (8, "%Y%m%d", 6),
)


# (byte length, positions of year, month, day, hour, minute, second digits, separators) of the usual
# fixed-width spellings; read straight from the string bytes with NumPy
_FIXED_LAYOUTS = (
    (19, (0, 5, 8, 11, 14, 17), {4: b"-/", 7: b"-/", 10: b" ", 13: b":", 16: b":"}),
    (16, (0, 5, 8, 11, 14, None), {4: b"-/", 7: b"-/", 10: b" ", 13: b":"}),
    (10, (0, 5, 8, None, None, None), {4: b"-/", 7: b"-/"}),
    (14, (0, 4, 6, 8, 10, 12), {}),
    (8, (0, 4, 6, None, None, None), {}),
)


def _fixed_width_times(values: pa.Array, present: np.ndarray, secs: np.ndarray, parsed: np.ndarray) -> None:
    """The usual fixed-width spellings read from the string bytes with NumPy (no strptime, no copies of
    the column): digits where the layout has digits, its separators (``-`` or ``/``, the same twice)
    elsewhere, a possible date and time. Values that do not pass are left for the careful paths, which
    tell an impossible date from an unreadable one."""
    bufs = values.buffers()
    if len(values) == 0 or values.type != pa.string() or bufs[2] is None or not present.any():
        return
    offsets = np.frombuffer(bufs[1], dtype=np.int32, count=len(values) + 1, offset=values.offset * 4)
    data = np.frombuffer(bufs[2], dtype=np.uint8)
    lengths = np.diff(offsets)
    for length, (yp, mp, dp, hp, mip, sp), seps in _FIXED_LAYOUTS:
        todo = present & ~parsed & (lengths == length)
        if not todo.any():
            continue
        idx = np.flatnonzero(todo)
        starts = offsets[:-1][idx]
        if len(idx) == len(values) and (len(idx) < 2 or bool(np.all(np.diff(starts) == length))):
            raw = data[starts[0]: starts[0] + len(idx) * length].reshape(len(idx), length)  # a view, no copy
        else:
            raw = data[starts[:, None] + np.arange(length, dtype=np.int32)]  # (rows, length) bytes
        ok = np.ones(len(idx), dtype=bool)
        digits = {}
        for i in range(length):
            col = raw[:, i]
            if i in seps:
                allowed = seps[i]
                ok &= (col == allowed[0]) if len(allowed) == 1 else ((col == allowed[0]) | (col == allowed[1]))
            else:
                dv = col - np.uint8(0x30)  # wraps below '0': one comparison checks the digit
                ok &= dv <= 9
                digits[i] = dv
        if 4 in seps:
            ok &= raw[:, 4] == raw[:, 7]
        if not ok.any():
            continue

        def num(at, width=2):
            if at is None:
                return np.zeros(len(idx), dtype=np.int64)
            out = digits[at].astype(np.int64)
            for k in range(1, width):
                out = out * 10 + digits[at + k]
            return out

        y, m, d = num(yp, 4), num(mp), num(dp)
        hh, mm, ss = num(hp), num(mip), num(sp)
        s, impossible = _compose(y, m, d, hh, mm, ss)
        ok &= ~impossible
        secs[idx[ok]] = s[ok]
        parsed[idx[ok]] = True


def _fast_times(values: pa.Array, present: np.ndarray, secs: np.ndarray, parsed: np.ndarray) -> None:
    """Parse the values in the usual fixed-width forms; the rest is left for the regex path. Arrow's
    strptime rolls 2024-02-30 over to March, so the day is checked against the text."""
    if not present.any():
        return
    lengths = np.asarray(pc.fill_null(pc.utf8_length(values), 0).to_numpy(zero_copy_only=False))
    for length, fmt, day_at in _FAST_FORMATS:
        todo = present & ~parsed & (lengths == length)
        if not todo.any():
            continue
        idx = np.flatnonzero(todo)
        sub = values if len(idx) == len(values) else pc.take(values, pa.array(idx))
        ts = pc.strptime(sub, format=fmt, unit="s", error_is_null=True)
        day_text = pc.utf8_slice_codeunits(sub, day_at, day_at + 2)
        ok = pc.and_(pc.is_valid(ts), pc.equal(pc.cast(pc.day(ts), pa.string()), pc.utf8_ltrim(day_text, characters="0")))
        if fmt.endswith("%S"):  # strptime takes seconds 60 and 61 and rolls 08:30:60 over to 08:31:00
            ok = pc.and_(ok, pc.less(pc.utf8_slice_codeunits(sub, length - 2, length), "60"))
        # strptime lets a blank stand for a digit ("20240105 83000"): only the format's own blank is allowed
        ok = pc.and_(ok, pc.equal(pc.count_substring(sub, " "), fmt.count(" ")))
        ok_np = _mask(ok)
        if not ok_np.any():
            continue
        secs[idx[ok_np]] = np.asarray(pc.cast(pc.filter(ts, ok), pa.int64()).to_numpy(zero_copy_only=False))
        parsed[idx[ok_np]] = True


@dataclass
class TimeParse:
    typed: pa.Array
    bad: np.ndarray  # unreadable
    impossible: np.ndarray  # readable form, impossible date (2024-02-30)
    has_time: np.ndarray  # a time of day other than midnight was given


def parse_datetime(values: pa.Array, *, as_date: bool = False) -> TimeParse:
    """Text → timestamp[s] (or date32 when ``as_date``): ``YYYY-MM-DD HH:MM[:SS]``, ``YYYY/MM/DD …``,
    ``YYYYMMDD[HHMM[SS]]``, the date alone (midnight) and Excel serial dates (days since 1899-12-30)."""
    values = normalise_width(_as_array(values))
    n = len(values)
    present = _mask(pc.is_valid(values))
    secs = np.zeros(n, dtype=np.int64)
    parsed = np.zeros(n, dtype=bool)
    impossible = np.zeros(n, dtype=bool)
    has_time = np.zeros(n, dtype=bool)
    _fixed_width_times(values, present, secs, parsed)
    _fast_times(values, present, secs, parsed)
    for pattern in (_DATE_SEP_RE, _DATE_COMPACT_RE):
        todo = present & ~parsed & ~impossible
        if not todo.any():
            break
        matched = _mask(pc.match_substring_regex(values, pattern)) & todo
        if not matched.any():
            continue
        sub = pc.filter(values, pa.array(matched))
        parts = pc.extract_regex(sub, pattern)
        y, m, d = (_int_field(parts, k) for k in ("y", "m", "d"))
        hh, mm, ss = (_int_field(parts, k) for k in ("H", "M", "S"))
        s, imp = _compose(y, m, d, hh, mm, ss)
        idx = np.flatnonzero(matched)
        secs[idx] = s
        impossible[idx] = imp
        parsed[idx] = ~imp
        has_time[idx] = (np.maximum(hh, 0) + np.maximum(mm, 0) + np.maximum(ss, 0)) > 0
    todo = present & ~parsed & ~impossible
    if todo.any():
        matched = _mask(pc.match_substring_regex(values, _SERIAL_RE)) & todo
        if matched.any():
            nums = np.asarray(pc.cast(pc.filter(values, pa.array(matched)), pa.float64()).to_numpy(), dtype=np.float64)
            ok = (nums >= 1) & (nums < 2958466)  # 1900-01-01 … 9999-12-31
            s = (_EXCEL_EPOCH + np.round(np.where(ok, nums, 0) * 86400).astype("timedelta64[s]")).astype(np.int64)
            idx = np.flatnonzero(matched)
            secs[idx] = s
            parsed[idx] = ok
            impossible[idx] = ~ok
            frac = np.where(ok, nums - np.floor(nums), 0)
            has_time[idx] = np.round(frac * 86400) > 0
    bad = present & ~parsed & ~impossible
    has_time |= parsed & (secs % 86400 != 0)
    keep = pa.array(parsed)
    ts = pa.array(secs, type=pa.int64()).cast(TIMESTAMP_TYPE)
    typed = pc.if_else(keep, ts, pa.scalar(None, TIMESTAMP_TYPE))
    if as_date:
        typed = pc.cast(typed, pa.date32())
    return TimeParse(typed=typed, bad=bad, impossible=impossible, has_time=has_time & parsed)


@lru_cache(maxsize=1)
def _codes() -> dict:
    with open(resource("contract", "codes.toml"), "rb") as fh:
        return tomllib.load(fh)


def code_fields() -> frozenset[str]:
    return frozenset(k for k in _codes() if k != "bool")


def _lookup(values: pa.Array, table: dict[str, str]) -> tuple[pa.Array, np.ndarray]:
    """Map spelled values to canonical codes; returns (codes with unknown → null, unknown mask)."""
    keys = pa.array(list(table.keys()), pa.string())
    canon = pa.array(list(table.values()), pa.string())
    idx = pc.index_in(values, value_set=keys)  # exact spellings: the usual case, no normalising
    if idx.null_count == values.null_count:
        return pc.take(canon, idx), np.zeros(len(values), dtype=bool)
    norm = pc.utf8_lower(normalise_width(values))
    norm = pc.replace_substring_regex(norm, r"\s+", "")
    idx = pc.index_in(norm, value_set=keys)
    mapped = pc.take(canon, idx)
    unknown = _mask(pc.and_(pc.is_valid(values), pc.is_null(idx)))
    return mapped, unknown


@lru_cache(maxsize=None)
def _code_table(field: str) -> tuple[dict[str, str], bool]:
    spec = _codes()[field]
    table = {}
    for code, spellings in spec["codes"].items():
        for s in spellings:
            table[normalise_name(s)] = code
    return table, bool(spec.get("strict", True))


def code_is_strict(field: str) -> bool:
    """Whether an unknown value of ``field`` refuses its row (codes.toml ``strict``) or is kept and noted."""
    return _code_table(field)[1]


def normalise_code(field: str, values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Codes of ``field`` (gend, list_type …) to their canonical form; returns (codes, unknown). An unknown
    value of a strict field becomes null; of a non-strict field it is kept as it was written."""
    values = _as_array(values)
    table, strict = _code_table(field)
    mapped, unknown = _lookup(values, table)
    if not strict and unknown.any():
        return pc.if_else(pa.array(unknown), values, mapped), unknown
    return mapped, unknown


def parse_bool(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    values = _as_array(values)
    spec = _codes()["bool"]
    table = {normalise_name(s): "1" for s in spec["true"]} | {normalise_name(s): "0" for s in spec["false"]}
    mapped, unknown = _lookup(values, table)
    return pc.equal(mapped, "1"), unknown
