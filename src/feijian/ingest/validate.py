"""Text columns → a typed contract table, with the refused rows and why (vectorised).

Checks, in the order a row's first reason is taken: field values (numbers, dates, codes of the knowledge
base's strict fields), required fields (visits: an inpatient encounter needs its discharge time), then
duplicate keys (the second and later occurrences of the contract ``key``). Each refused row yields exactly
one :class:`RejectedRow`: the contract refuses a row only when it cannot be read.

Rows that can be read but break an expectation of the contract are imported as they are and *noted*
(:class:`RowNote`: count and examples, kept in the table's :class:`TableState`): fees whose amount is not
cnt × pric ± 0.01, a negative quantity without the refunded line's number, a code value the contract does
not list (kept as written), a date field written with a time of day (its calendar date is kept). The
inspector sees them in the import summary; nothing is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from feijian.domain.contract import TableSpec
from feijian.domain.records import RejectedRow
from feijian.ingest import values as V
from feijian.ingest.keys import KeyIndex, hash_keys

ARROW_TYPES = {
    "str": pa.string(),
    "decimal": V.DECIMAL_TYPE,
    "datetime": V.TIMESTAMP_TYPE,
    "date": pa.date32(),
    "bool": pa.bool_(),
}

AMOUNT_TOLERANCE = Decimal("0.01")

R_MISSING = "缺少必填字段 / missing required field"
R_NUMBER = "无法识别的数字 / not a number"
R_PRECISION = "小数超过4位 / more than 4 decimal places"
R_DATETIME = "无法识别的日期时间 / not a date-time"
R_DATE = "无法识别的日期 / not a date"
R_IMPOSSIBLE = "不存在的日期 / impossible date"
R_DATE_HAS_TIME = "日期字段带有时间，已取其日期导入 / a date field had a time of day: its date was imported"
R_CODE = "无法识别的代码 / unknown code"
R_CODE_KEPT = "无法识别的代码，已按原值导入 / unknown code, imported as written"
R_BOOL = "无法识别的是/否值 / not a yes/no value"
R_AMOUNT = "金额与数量×单价不符，已导入 / det_item_fee_sumamt ≠ cnt × pric (±0.01), imported"
R_REFUND = "负数量但无原费用流水号，已导入 / negative cnt without init_feedetl_sn, imported"
NOTE_EXAMPLES = 20
R_ENDTIME = "住院就诊缺少出院时间 / inpatient visit without endtime"
R_DUPLICATE = "重复的键 / duplicate key"


def r_one_of(fields) -> str:
    return f"{'、'.join(fields)} 至少需填写一项 / needs one of {', '.join(fields)}"


def string_table_type(spec: TableSpec) -> pa.Schema:
    return pa.schema([(f.name, ARROW_TYPES[f.type]) for f in spec.fields])


def empty_table(spec: TableSpec, extras: tuple[str, ...] = ()) -> pa.Table:
    cols = {f.name: pa.array([], ARROW_TYPES[f.type]) for f in spec.fields}
    for e in extras:
        cols[e] = pa.array([], pa.string())
    cols["_batch"] = pa.array([], pa.string())
    cols["_line"] = pa.array([], pa.int64())
    return pa.table(cols)


def clean_text(col) -> pa.Array:
    """Trim blanks; empty → null."""
    col = V._as_array(col)
    if col.type != pa.string():
        col = pc.cast(col, pa.string())
    if V.has_non_ascii(col):
        col = pc.utf8_trim_whitespace(col)
    elif V.has_any(col, V.BLANKS):
        col = pc.ascii_trim_whitespace(col)
    present = pc.not_equal(col, "")
    if col.null_count == 0 and col.offset == 0 and present.offset == 0 and present.null_count == 0:
        # empty → null by giving the strings a validity bitmap: no copy of the text
        bufs = col.buffers()
        return pa.Array.from_buffers(pa.string(), len(col), [present.buffers()[1], bufs[1], bufs[2]])
    return pc.if_else(present, col, pa.scalar(None, pa.string()))


@dataclass
class RowNote:
    """Rows of one table imported as they are but worth a look: why, how many, the first few."""

    table: str
    field: str
    reason: str
    count: int = 0
    examples: list = field(default_factory=list)  # (file, line, value)


@dataclass
class TableState:
    """What a streamed import of one table remembers between chunks: its keys and its notes."""

    spec: TableSpec
    keys: KeyIndex = field(default_factory=KeyIndex)
    notes: dict = field(default_factory=dict)  # (field, reason) -> RowNote


@dataclass
class _Checks:
    n: int
    first: np.ndarray = None  # index of the first failing check per row, -1 = fine
    labels: list = field(default_factory=list)  # (field, reason)
    notes: list = field(default_factory=list)  # (mask, field, reason): rows kept, noted

    def __post_init__(self) -> None:
        self.first = np.full(self.n, -1, dtype=np.int32)

    def add(self, mask: np.ndarray, field_name: str, reason: str) -> None:
        if mask is None or not mask.any():
            return
        idx = len(self.labels)
        self.labels.append((field_name, reason))
        self.first[(self.first < 0) & mask] = idx

    def note(self, mask: np.ndarray, field_name: str, reason: str) -> None:
        if mask is not None and mask.any():
            self.notes.append((mask, field_name, reason))

    @property
    def ok(self) -> np.ndarray:
        return self.first < 0


def _np(mask_arr) -> np.ndarray:
    return V._mask(mask_arr)


def validate_chunk(
    state: TableState,
    raw: dict[str, pa.Array],
    extras: dict[str, pa.Array],
    lines: np.ndarray,
    *,
    file_name: str,
    batch_id: str,
    row_problems=None,
) -> tuple[pa.Table, list[RejectedRow], np.ndarray]:
    """Validate one chunk of text columns (contract field → strings; missing fields absent).
    ``row_problems``: (mask, field, reason) found by the caller (a document file that cannot be read),
    taken after the field checks and before the key check (a refused row claims no key).

    Returns the typed table of accepted rows, the refused rows, and the accepted mask."""
    spec = state.spec
    n = len(lines)
    texts: dict[str, pa.Array] = {}
    typed: dict[str, pa.Array] = {}
    checks = _Checks(n)
    for f in spec.fields:
        col = clean_text(raw[f.name]) if f.name in raw else pa.nulls(n, pa.string())
        if f.default is not None:
            col = pc.fill_null(col, f.default)
        texts[f.name] = col
        if f.type == "str":
            if f.name in V.code_fields():
                codes, unknown = V.normalise_code(f.name, col)
                if V.code_is_strict(f.name):
                    checks.add(unknown, f.name, R_CODE)
                else:
                    checks.note(unknown, f.name, R_CODE_KEPT)
                typed[f.name] = codes
            else:
                typed[f.name] = col
        elif f.type == "decimal":
            arr, bad, too_precise = V.parse_decimal(col)
            checks.add(bad & too_precise, f.name, R_PRECISION)
            checks.add(bad, f.name, R_NUMBER)
            typed[f.name] = arr
        elif f.type in ("datetime", "date"):
            tp = V.parse_datetime(col, as_date=f.type == "date")
            checks.add(tp.impossible, f.name, R_IMPOSSIBLE)
            checks.add(tp.bad, f.name, R_DATE if f.type == "date" else R_DATETIME)
            if f.type == "date":
                checks.note(tp.has_time, f.name, R_DATE_HAS_TIME)  # readable: its calendar date
            typed[f.name] = tp.typed
        elif f.type == "bool":
            arr, unknown = V.parse_bool(col)
            checks.add(unknown, f.name, R_BOOL)
            typed[f.name] = arr
    for f in spec.fields:
        if f.required:
            checks.add(_np(pc.is_null(texts[f.name])), f.name, R_MISSING)
    if spec.required_one_of:
        none = np.ones(n, dtype=bool)
        for name in spec.required_one_of:
            none &= _np(pc.is_null(texts[name]))
        checks.add(none, "/".join(spec.required_one_of), r_one_of(spec.required_one_of))
    _row_rules(spec.name, typed, texts, checks)
    for mask, fname, reason in row_problems or ():
        checks.add(mask, fname, reason)
    if spec.key and n:
        key_cols = [texts[k] for k in spec.key]
        eligible = checks.ok.copy()  # a duplicate is of a row that was read: refused rows claim no key
        for c in key_cols:
            eligible &= _np(pc.is_valid(c))
        dup = state.keys.add_new(hash_keys(key_cols), eligible)
        checks.add(dup, "+".join(spec.key), R_DUPLICATE)

    ok = checks.ok
    rejected = _rejects(checks, texts, spec, lines, file_name)
    _keep_notes(state, checks, ok, texts, typed, lines, file_name)
    keep = pa.array(ok)
    all_ok = bool(ok.all())
    cols = {}
    for f in spec.fields:
        arr = typed[f.name]
        if arr.type != ARROW_TYPES[f.type]:
            arr = pc.cast(arr, ARROW_TYPES[f.type])
        cols[f.name] = arr if all_ok else pc.filter(arr, keep)
    for name, col in extras.items():
        col = clean_text(col)
        cols[name] = col if all_ok else pc.filter(col, keep)
    kept = int(ok.sum())
    cols["_batch"] = pa.repeat(pa.scalar(batch_id, pa.string()), kept) if kept else pa.array([], pa.string())
    cols["_line"] = pa.array(lines[ok].astype(np.int64), pa.int64())
    return pa.table(cols), rejected, ok


def _row_rules(table: str, typed: dict, texts: dict, checks: _Checks) -> None:
    if table == "fees":
        cnt, pric, amt = typed["cnt"], typed["pric"], typed["det_item_fee_sumamt"]
        diff = pc.abs(pc.subtract(pc.multiply(cnt, pric), amt))
        tol = pa.scalar(AMOUNT_TOLERANCE, pa.decimal128(18, 4))
        checks.note(_np(pc.greater(diff, pc.cast(tol, diff.type))), "det_item_fee_sumamt", R_AMOUNT)
        negative = _np(pc.less(cnt, pa.scalar(Decimal(0), V.DECIMAL_TYPE)))
        no_ref = _np(pc.is_null(texts["init_feedetl_sn"]))
        checks.note(negative & no_ref, "cnt", R_REFUND)
    elif table == "visits":
        med = texts["med_type"]
        inpatient = _np(pc.starts_with(pc.fill_null(med, ""), "2"))
        checks.add(inpatient & _np(pc.is_null(typed["endtime"])), "endtime", R_ENDTIME)


def _amount_text(typed: dict, i: int, amount: str) -> str:
    c = pc.take(typed["cnt"], pa.array([i]))[0].as_py()
    p = pc.take(typed["pric"], pa.array([i]))[0].as_py()
    return f"{amount} ≠ {_fmt(c)} × {_fmt(p)} = {_fmt(c * p)}" if c is not None and p is not None else amount


def _keep_notes(state: TableState, checks: _Checks, ok: np.ndarray, texts: dict, typed: dict, lines: np.ndarray,
                file_name: str) -> None:
    """Count the noted rows that were imported (a refused row is reported as refused, not noted)."""
    for mask, fname, reason in checks.notes:
        kept = mask & ok
        n = int(kept.sum())
        if not n:
            continue
        note = state.notes.setdefault((fname, reason), RowNote(state.spec.name, fname, reason))
        note.count += n
        for i in np.flatnonzero(kept)[: max(0, NOTE_EXAMPLES - len(note.examples))]:
            value = _fmt(texts[fname][int(i)].as_py())
            if reason == R_AMOUNT:
                value = _amount_text(typed, int(i), value)
            note.examples.append((file_name, int(lines[i]), value))


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v == v.to_integral() else format(v, "f").rstrip("0").rstrip(".")
    return str(v)


def _rejects(checks: _Checks, texts: dict, spec: TableSpec, lines: np.ndarray, file_name: str) -> list[RejectedRow]:
    bad_idx = np.flatnonzero(~checks.ok)
    if len(bad_idx) == 0:
        return []
    take = pa.array(bad_idx)
    out = []
    cache: dict[str, list] = {}

    def values(name: str) -> list:
        if name not in cache:
            cache[name] = pc.take(texts[name], take).to_pylist()
        return cache[name]

    for j, i in enumerate(bad_idx):
        fname, reason = checks.labels[checks.first[i]]
        if reason == R_DUPLICATE:
            value = "|".join(_fmt(values(k)[j]) for k in spec.key)
        elif fname in texts:
            value = _fmt(values(fname)[j])
        else:  # a check over several fields (required_one_of): none had a value
            value = ""
        out.append(RejectedRow(file=file_name, line=int(lines[i]), field=fname, value=value, reason=reason))
    return out
