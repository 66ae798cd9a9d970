"""Clue lists (线索核查): a bureau's clues verified one by one and answered in the same layout.

``import_clues`` reads a CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or XLSX clue list, matches its headers to
``clue_id, clue_type, psn_no, mdtrt_id, med_list_codg, period_start, period_end, description,
suspected_amount`` (Chinese aliases in ``resources/casework/clues.toml``) and records the whole list —
headers and every cell as read — in a ``clue.list.imported`` event inside the encrypted case. Each clue's
result (属实 / 部分属实 / 不属实 / 无法核实, verified amount, explanation, evidence) is the
``(clue, clue_id, result)`` register. ``export_feedback`` writes the list back with the result columns
added, one row per input row in the same order.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import tomllib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

import numpy as np
import pandas as pd
import pyarrow as pa

from feijian.casework.changes import Change, PendingWrites, commit
from feijian.casework.findings import money_str, to_decimal
from feijian.domain import formatting
from feijian.domain.errors import InputError
from feijian.domain.events import uuid7
from feijian.paths import resource

CLUE_LIST_IMPORTED = "clue.list.imported"  # [list_id, file_name, sha256, format, encoding, headers, rows, fields]
CLUE_RESULT = "clue.result"  # writes (clue, clue_id, result)
FIELDS = ("clue_id", "clue_type", "psn_no", "mdtrt_id", "med_list_codg", "period_start", "period_end",
          "description", "suspected_amount")


@lru_cache(maxsize=1)
def _config() -> dict:
    return tomllib.loads(resource("casework", "clues.toml").read_text(encoding="utf-8"))


def result_labels() -> dict[str, str]:
    """``{code: label}``: confirmed 属实, partly 部分属实, unfounded 不属实, unverifiable 无法核实."""
    return dict(_config()["results"])


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip().lower()


def _field_of_header(header: str) -> Optional[str]:
    h = _norm(header)
    for name, aliases in _config()["fields"].items():
        if h == name or h in {_norm(a) for a in aliases}:
            return name
    return None


@dataclass(frozen=True)
class Clue:
    clue_id: str
    list_id: str
    row: int  # 1-based data row in the list
    clue_type: str = ""
    psn_no: str = ""
    mdtrt_id: str = ""
    med_list_codg: str = ""
    period_start: Optional[dt.date] = None
    period_end: Optional[dt.date] = None
    description: str = ""
    suspected_amount: Decimal = Decimal("0")
    result: str = ""  # code; "" = not yet answered
    verified_amount: Decimal = Decimal("0")
    explanation: str = ""
    evidence_ids: tuple[str, ...] = ()

    @property
    def cleared(self) -> bool:
        return bool(self.result)

    @property
    def result_label(self) -> str:
        return result_labels().get(self.result, "")


@dataclass(frozen=True)
class ClueList:
    list_id: str
    file_name: str
    sha256: str
    format: str  # csv / xlsx
    encoding: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    fields: dict  # field -> column index
    blank_rows: int = 0


# --------------------------------------------------------------------------- reading
def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise InputError("线索清单编码无法识别（应为 UTF-8 或 GBK） / the clue list is neither UTF-8 nor GBK") from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_rows(data: bytes, file_name: str) -> tuple[list[list[str]], str, str]:
    if data[:4] == b"PK\x03\x04":
        from python_calamine import CalamineWorkbook

        try:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet = wb.get_sheet_by_index(0).to_python()
        except Exception as exc:  # calamine raises its own error types for damaged workbooks
            raise InputError(f"无法读取 XLSX 线索清单 / cannot read the XLSX clue list {file_name}: {exc}") from None
        return [[_cell(v) for v in row] for row in sheet], "xlsx", "xlsx"
    text, encoding = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max([",", "\t", ";", "|"], key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return rows, "csv", encoding


def _parse_date(text: str, line: int, name: str) -> Optional[dt.date]:
    t = unicodedata.normalize("NFKC", text).strip()
    if not t:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    raise InputError(f"线索清单第 {line} 行 {name} 不是日期 / line {line}: {name} is not a date: {text!r}")


def read_clue_list(source: Path | bytes, *, file_name: str = "") -> ClueList:
    """Read and check a clue list without recording it."""
    if isinstance(source, (str, Path)):
        p = Path(source)
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(f"无法读取线索清单 / cannot read the clue list {p}: {exc.strerror}") from None
        file_name = file_name or p.name
    else:
        data = bytes(source)
    rows, fmt, encoding = _read_rows(data, file_name)
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise InputError(f"线索清单为空 / the clue list is empty: {file_name}")
    headers = [h.strip() for h in rows[0]]
    fields: dict[str, int] = {}
    for i, h in enumerate(headers):
        f = _field_of_header(h)
        if f and f not in fields:
            fields[f] = i
    missing = [f for f in _config()["required"] if f not in fields]
    if missing:
        raise InputError(f"线索清单缺少列：{', '.join(missing)}（线索编号） / the clue list lacks column(s): {', '.join(missing)}")
    data_rows, blank = [], 0
    width = len(headers)
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            blank += 1
            continue
        if len(row) > width and any(c.strip() for c in row[width:]):
            raise InputError(f"线索清单第 {line} 行的列数多于表头 / line {line} has more cells than the header")
        data_rows.append((line, tuple((row + [""] * width)[:width])))
    if not data_rows:
        raise InputError(f"线索清单没有线索 / the clue list has no clues: {file_name}")
    seen: dict[str, int] = {}
    for line, row in data_rows:
        cid = row[fields["clue_id"]].strip()
        if not cid:
            raise InputError(f"线索清单第 {line} 行缺少线索编号 / line {line}: no clue id")
        if cid in seen:
            raise InputError(f"线索编号 {cid} 重复（第 {seen[cid]} 行与第 {line} 行） / clue id {cid} repeats on lines {seen[cid]} and {line}")
        seen[cid] = line
        for name in ("period_start", "period_end"):
            if name in fields:
                _parse_date(row[fields[name]], line, name)
        if "suspected_amount" in fields:
            try:
                to_decimal(row[fields["suspected_amount"]] or "0", f"第 {line} 行疑似金额 / line {line} suspected_amount")
            except InputError as exc:
                raise InputError(str(exc)) from None
    return ClueList(
        list_id="", file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), format=fmt, encoding=encoding,
        headers=tuple(headers), rows=tuple(r for _, r in data_rows), fields=fields, blank_rows=blank,
    )


# --------------------------------------------------------------------------- the case's clue lists
def clue_lists(store) -> list[ClueList]:
    out = []
    for e in store.events():
        if e.type == CLUE_LIST_IMPORTED:
            p = e.payload
            out.append(ClueList(p["list_id"], p["file_name"], p["sha256"], p["format"], p["encoding"], tuple(p["headers"]),
                                tuple(tuple(r) for r in p["rows"]), dict(p["fields"]), int(p.get("blank_rows", 0))))
    return out


def import_clues(store, source: Path | bytes, *, file_name: str = "", origin: Optional[Mapping] = None,
                 checked=None) -> ClueList:
    """Read a clue list and record it in the case. A list already imported (same SHA-256), or a clue id
    already in the case, is refused. ``origin`` (who signed it, see ``casework/signed_clues.py``) is
    recorded with it; ``checked(cl)`` may refuse the list after it was read and before it is recorded."""
    cl = read_clue_list(source, file_name=file_name)
    if checked is not None:
        checked(cl)
    known = {}
    for other in clue_lists(store):
        if other.sha256 == cl.sha256:
            raise InputError(f"该线索清单已导入 / this clue list is already imported: {other.file_name}")
        for row in other.rows:
            known[row[other.fields["clue_id"]].strip()] = other.file_name
    clash = [r[cl.fields["clue_id"]].strip() for r in cl.rows if r[cl.fields["clue_id"]].strip() in known]
    if clash:
        raise InputError(f"线索编号已在案件中：{', '.join(clash[:5])} / clue ids already in the case")
    cl = ClueList(**{**cl.__dict__, "list_id": uuid7()})
    store.append_event(CLUE_LIST_IMPORTED, {
        "list_id": cl.list_id, "file_name": cl.file_name, "sha256": cl.sha256, "format": cl.format,
        "encoding": cl.encoding, "headers": list(cl.headers), "rows": [list(r) for r in cl.rows],
        "fields": cl.fields, "blank_rows": cl.blank_rows, "count": len(cl.rows),
        **({"origin": dict(origin)} if origin else {}),
    })
    return cl


def _clue_of(cl: ClueList, i: int, row: tuple[str, ...], result: Mapping | None) -> Clue:
    def get(name: str) -> str:
        j = cl.fields.get(name)
        return row[j].strip() if j is not None else ""

    r = result or {}
    return Clue(
        clue_id=get("clue_id"), list_id=cl.list_id, row=i + 1, clue_type=get("clue_type"), psn_no=get("psn_no"),
        mdtrt_id=get("mdtrt_id"), med_list_codg=get("med_list_codg"),
        period_start=_parse_date(get("period_start"), i + 2, "period_start"),
        period_end=_parse_date(get("period_end"), i + 2, "period_end"), description=get("description"),
        suspected_amount=to_decimal(get("suspected_amount") or "0"), result=r.get("result") or "",
        verified_amount=to_decimal(r.get("verified_amount") or "0"), explanation=r.get("explanation") or "",
        evidence_ids=tuple(r.get("evidence_ids") or ()),
    )


def clues(store, list_id: str | None = None) -> list[Clue]:
    """Every clue of the case (or of one list) in list and row order, with its current result."""
    state = store.state()
    out = []
    for cl in clue_lists(store):
        if list_id and cl.list_id != list_id:
            continue
        for i, row in enumerate(cl.rows):
            cid = row[cl.fields["clue_id"]].strip()
            out.append(_clue_of(cl, i, row, state.get("clue", cid, "result")))
    return out


def get_clue(store, clue_id: str) -> Clue:
    for c in clues(store):
        if c.clue_id == clue_id:
            return c
    raise InputError(f"没有这条线索 / no such clue: {clue_id}")


def _result_code(result: str) -> str:
    labels = result_labels()
    r = (result or "").strip()
    if r in labels:
        return r
    for code, label in labels.items():
        if r == label:
            return code
    raise InputError(f"核查结果须为 {' / '.join(labels.values())} / the result must be one of {', '.join(labels)}: {result!r}")


def record_clue_result(store, clue_id: str, result: str, verified_amount: Any = "0", explanation: str = "",
                       evidence_ids: Iterable[str] = ()) -> Change:
    """Record (or change) a clue's result. ``result`` is a code or its Chinese label. An explanation is
    required; 不属实 and 无法核实 carry no verified amount."""
    get_clue(store, clue_id)
    code = _result_code(result)
    amount = to_decimal(verified_amount, "核实金额 / verified amount")
    if amount < 0:
        raise InputError("核实金额不能为负 / the verified amount cannot be negative")
    if code in ("unfounded", "unverifiable") and amount:
        raise InputError("“不属实”或“无法核实”的线索核实金额应为 0 / an unfounded or unverifiable clue has no verified amount")
    if not (explanation or "").strip():
        raise InputError("请填写核查说明 / an explanation is required")
    ids = [str(e) for e in evidence_ids]
    items = getattr(store, "evidence_items", None)
    if ids and items is not None:
        known = {e.evidence_id for e in items()}
        unknown = [e for e in ids if e not in known]
        if unknown:
            raise InputError(f"没有这些证据 / no such evidence: {', '.join(unknown)}")
    pending = PendingWrites(store.state())
    pending.set("clue", clue_id, "result", {"result": code, "verified_amount": money_str(amount),
                                            "explanation": explanation.strip(), "evidence_ids": ids})
    return commit(store, CLUE_RESULT, pending.changed(), {"clue_id": clue_id}, f"线索核查结果 / clue result {clue_id}")


@dataclass(frozen=True)
class ClueProgress:
    total: int
    cleared: int
    by_result: dict = field(default_factory=dict)  # label -> count
    suspected_amount: Decimal = Decimal("0")
    verified_amount: Decimal = Decimal("0")

    @property
    def text(self) -> str:
        return f"线索已清 {self.cleared}/{self.total} / clues cleared {self.cleared} of {self.total}"


def clue_progress(store) -> ClueProgress:
    cs = clues(store)
    labels = result_labels()
    by = {label: 0 for label in labels.values()}
    for c in cs:
        if c.result:
            by[labels[c.result]] += 1
    return ClueProgress(len(cs), sum(1 for c in cs if c.cleared), by, sum((c.suspected_amount for c in cs), Decimal("0")),
                        sum((c.verified_amount for c in cs), Decimal("0")))


# --------------------------------------------------------------------------- links to case data and hits
@dataclass(frozen=True)
class ClueLinks:
    encounters: tuple[str, ...]  # mdtrt_id
    lines: int  # fee lines matching the clue's encounter/person, item and period
    line_amount: Decimal
    hit_ids: tuple[str, ...]


class CaseIndex:
    """The case data clues are linked to, indexed once (by encounter, item and person) so that linking a
    list of clues reads the fee table once rather than once per clue."""

    def __init__(self, store) -> None:
        from feijian.casework.sampling import _strings

        self.fees = store.read_table("fees")
        visits = store.read_table("visits")
        if self.fees is not None:
            self.mdtrt = _strings(self.fees, "mdtrt_id")
            self.sn = _strings(self.fees, "feedetl_sn")
            self.item = _strings(self.fees, "med_list_codg")
            if "fee_ocur_time" in self.fees.column_names:
                t = self.fees.column("fee_ocur_time")
                self.day = pd.to_datetime(pd.Series(t.to_pandas() if hasattr(t, "to_pandas") else t), errors="coerce").dt.date.to_numpy()
            else:
                self.day = np.full(self.fees.num_rows, None, dtype=object)
            frame = pd.DataFrame({"m": self.mdtrt, "i": self.item})
            self.by_enc = frame.groupby("m", sort=False).indices
            self.by_item = frame.groupby("i", sort=False).indices
        else:
            self.by_enc, self.by_item = {}, {}
        self.by_person: dict[str, list[str]] = {}
        if visits is not None and "psn_no" in visits.column_names:
            for m, p in zip(_strings(visits, "mdtrt_id"), _strings(visits, "psn_no")):
                self.by_person.setdefault(p, []).append(m)
        hits = store.hits()
        self.hits = hits if hits is not None and not hits.empty else None
        self.hits_by_line: dict[tuple[str, str], list[str]] = {}
        if self.hits is not None:
            lines = store.hit_lines()
            if lines is not None and not lines.empty:
                for h, m, sn in zip(lines["hit_id"].astype(str), lines["mdtrt_id"].astype(str), lines["feedetl_sn"].astype(str)):
                    self.hits_by_line.setdefault((m, sn), []).append(h)
            self.hit_keys = list(zip(self.hits["hit_id"].astype(str),
                                     self.hits["mdtrt_id"].astype(str) if "mdtrt_id" in self.hits else [""] * len(self.hits),
                                     self.hits["med_list_codg"].fillna("").astype(str) if "med_list_codg" in self.hits else [""] * len(self.hits)))


def link_clue(store, clue: Clue | str, *, index: CaseIndex | None = None) -> ClueLinks:
    """The case data a clue points at: its encounters (by ``mdtrt_id``, or every encounter of ``psn_no``),
    the fee lines of those encounters (or of the whole case when the clue names only an item) restricted to the
    item and period, and the latest run's hits on those lines, or on those encounters (and item)."""
    c = get_clue(store, clue) if isinstance(clue, str) else clue
    ix = index or CaseIndex(store)
    encounters: set[str] = set()
    if c.mdtrt_id:
        encounters.add(c.mdtrt_id)
    if c.psn_no:
        encounters.update(ix.by_person.get(c.psn_no, ()))
    keyed = bool(c.mdtrt_id or c.psn_no)
    rows = np.zeros(0, dtype=np.int64)
    if ix.fees is not None and (keyed or c.med_list_codg):
        if keyed:
            parts = [ix.by_enc[m] for m in sorted(encounters) if m in ix.by_enc]
            rows = np.sort(np.concatenate(parts)) if parts else rows
            if c.med_list_codg and len(rows):
                rows = rows[ix.item[rows] == c.med_list_codg]
        else:
            rows = np.sort(ix.by_item.get(c.med_list_codg, rows))
        if len(rows) and (c.period_start or c.period_end):
            days = ix.day[rows]
            keep = np.array([d is None or d != d or ((not c.period_start or d >= c.period_start) and
                                                     (not c.period_end or d <= c.period_end)) for d in days], dtype=bool)
            rows = rows[keep]
    line_keys = {(ix.mdtrt[r], ix.sn[r]) for r in rows}
    amount = Decimal("0")
    if len(rows):
        for v in ix.fees.column("det_item_fee_sumamt").take(pa.array(rows, pa.int64())).to_pylist():
            amount += to_decimal(v)
    if not keyed:
        encounters.update(ix.mdtrt[r] for r in rows)
    hit_ids: list[str] = []
    for key in sorted(line_keys):
        hit_ids += ix.hits_by_line.get(key, [])
    if ix.hits is not None and keyed:
        for h, m, code in ix.hit_keys:
            if m in encounters and (not c.med_list_codg or not code or code == c.med_list_codg):
                hit_ids.append(h)
    return ClueLinks(tuple(sorted(encounters)), int(len(rows)), amount, tuple(dict.fromkeys(hit_ids)))


# --------------------------------------------------------------------------- feedback file
def feedback_rows(store, list_id: str | None = None) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the feedback file: the list's own columns, as imported, then the result columns."""
    lists = clue_lists(store)
    if not lists:
        raise InputError("案件中没有线索清单 / the case has no clue list")
    if list_id is None:
        if len(lists) > 1:
            raise InputError("案件中有多份线索清单，请指定 / several clue lists: name one")
        cl = lists[0]
    else:
        matches = [x for x in lists if x.list_id == list_id or x.file_name == list_id]
        if not matches:
            raise InputError(f"没有这份线索清单 / no such clue list: {list_id}")
        cl = matches[0]
    cfg = _config()["feedback_columns"]
    chinese = any(ord(ch) > 127 for ch in cl.headers[cl.fields["clue_id"]])
    extra = cfg["zh"] if chinese else cfg["en"]
    headers = list(cl.headers) + extra
    state = store.state()
    index = CaseIndex(store)
    out = []
    for i, row in enumerate(cl.rows):
        c = _clue_of(cl, i, row, state.get("clue", row[cl.fields["clue_id"]].strip(), "result"))
        linked = len(link_clue(store, c, index=index).hit_ids) if c.mdtrt_id or c.psn_no or c.med_list_codg else 0
        out.append(list(row) + [
            c.result_label if chinese else c.result, str(formatting.cents(c.verified_amount)) if c.result else "",
            c.explanation, ";".join(c.evidence_ids), str(linked),
        ])
    return headers, out


def export_feedback(store, out: Path, list_id: str | None = None) -> Path:
    """Write the feedback file: ``.xlsx`` through openpyxl, otherwise CSV in UTF-8 with BOM (Excel opens it).
    Rows match the imported list one to one, in the same order. The file holds the clue list's data: it is
    an export the user asked for."""
    headers, rows = feedback_rows(store, list_id)
    out = Path(out)
    if out.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "线索核查反馈"
        ws.append(headers)
        for r in rows:
            ws.append(r)
        wb.save(out)
        return out
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(headers)
        w.writerows(rows)
    return out


# --------------------------------------------------------------------------- results proposed from the review
def record_results_from_hits(store, *, overwrite: bool = False) -> int:
    """Answer clues from the hit review already done: a clue whose linked hits are all confirmed is 属实,
    some confirmed 部分属实, all dismissed 不属实 (verified amount: the confirmed hits' lines, each once);
    a clue that matches no encounter or fee line of the case is 无法核实. Clues with open (unreviewed) linked
    hits, and clues already answered (unless ``overwrite``), are left alone. The explanation says the result
    was filled in from the review, for the inspector to check. Returns the number of results recorded."""
    from feijian.casework.changes import transaction
    from feijian.casework.findings import amount_of_hits
    from feijian.casework.review import hit_reviews

    index = CaseIndex(store)
    reviews = hit_reviews(store.state())
    done = 0
    with transaction(store):
        for c in clues(store):
            if c.result and not overwrite:
                continue
            links = link_clue(store, c, index=index)
            status = [reviews.get(h, ("open", ""))[0] for h in links.hit_ids]
            if not links.encounters and not links.lines:
                record_clue_result(store, c.clue_id, "unverifiable", "0",
                                   "案件数据中未找到对应的就诊或费用（依据数据自动填写，请复核）")
            elif not status or "open" in status:
                continue
            else:
                confirmed = [h for h, s in zip(links.hit_ids, status) if s == "confirmed"]
                dismissed = len(status) - len(confirmed)
                code = "unfounded" if not confirmed else ("confirmed" if not dismissed else "partly")
                amount = amount_of_hits(store, confirmed) if confirmed else Decimal("0")
                record_clue_result(store, c.clue_id, code, amount,
                                   f"依据疑点核查结论：确认 {len(confirmed)} 条、排除 {dismissed} 条（自动填写，请复核）")
            done += 1
    return done


progress = clue_progress  # the short name
