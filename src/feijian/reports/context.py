"""Everything a document needs, gathered once: :class:`ReportContext`.

Every document renders from a ``ReportContext`` and nothing else, so documents can be built and tested
from contexts constructed in memory. :func:`build_context` fills one from an open ``CaseStore``.

Typed evidence records (``store.add_record(kind, record)``) are read as JSON objects; the fields the
documents use are listed in :mod:`feijian.reports.onsite_record` and :mod:`feijian.reports.interview`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Iterable, Mapping, Optional

import pandas as pd

from feijian.domain.formatting import quantity
from feijian.casework.data_facts import DataFacts, data_facts
from feijian.casework.name_directory import NameDirectory, name_directory
from feijian.domain import formatting
from feijian.domain.errors import InputError
from feijian.domain.records import (
    CaseInfo,
    EvidenceItem,
    Finding,
    ImportBatch,
    RuleMeta,
    ScreeningRun,
)

HIT_COLUMNS = (
    "hit_id", "rule_code", "grain", "mdtrt_id", "feedetl_sn", "med_list_codg", "date", "drord_no",
    "period_start", "subject", "amount", "detail",
)
HIT_LINE_COLUMNS = ("hit_id", "mdtrt_id", "feedetl_sn", "amount")
# Columns the documents show for each line behind a hit (all optional beyond HIT_LINE_COLUMNS).
LINE_DETAIL_COLUMNS = HIT_LINE_COLUMNS + (
    "fee_ocur_time", "med_list_codg", "med_list_name", "cnt", "pric", "dept",
)

VERDICTS = ("确认", "部分确认", "不确认")
STATUS_TO_VERDICT = {"agreed": "确认", "partly_agreed": "部分确认", "disputed": "不确认"}

DEFAULT_DOC_NO_PATTERN = "{prefix}{seq}号"


@dataclass(frozen=True)
class Response:
    """The inspected institution's response to one finding (问题清单的反馈栏)."""

    verdict: str = ""  # 确认 / 部分确认 / 不确认; "" = not yet answered
    reason: str = ""
    materials: str = ""  # supplementary materials submitted
    handling: str = ""  # how the team decided (采纳/部分采纳/不采纳 and why)


@dataclass(frozen=True)
class PenaltyRange:
    """A penalty range under the 条例 for a group of findings — a range, never a decision."""

    article: int
    conduct: str  # what the article covers
    base_amount: Decimal  # the loss or defrauded amount the multiple applies to
    low: Decimal
    high: Decimal
    kind: str  # "multiple" (1–2×, 2–5×) or "fixed" (¥10,000–50,000)
    finding_ids: tuple[str, ...] = ()
    multiple: str = ""  # "1–2 倍", "2–5 倍" for multiples


@dataclass(frozen=True)
class TypedRecord:
    """A typed evidence record: ``interview`` (询问笔录) or ``onsite_record`` (现场检查笔录)."""

    evidence_id: str
    kind: str
    data: Mapping[str, Any]
    sha256: str = ""
    added_at: str = ""
    finding_id: str = ""


@dataclass
class ReportContext:
    info: CaseInfo
    generated_at: dt.datetime
    doc_no: str = ""
    authority: str = ""  # 检查组织机关, e.g. 某省医疗保障局
    contact: str = ""  # 联系人及电话
    batches: tuple[ImportBatch, ...] = ()
    run: Optional[ScreeningRun] = None
    rules: Mapping[str, RuleMeta] = field(default_factory=dict)
    hits: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(HIT_COLUMNS)))
    hit_lines: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(LINE_DETAIL_COLUMNS)))
    hit_reviews: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # hit_id -> (status, reason)
    findings: tuple[Finding, ...] = ()
    penalties: tuple[PenaltyRange, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    records: tuple[TypedRecord, ...] = ()
    responses: Mapping[str, Response] = field(default_factory=dict)  # finding_id -> Response
    response_summary: str = ""  # the institution's overall feedback and how it was handled
    hit_filter: str = ""  # how the hit list was chosen, shown on the hit list
    method_notes: str = ""  # sampling and other method notes for the report
    options: dict = field(default_factory=dict)
    facts: DataFacts = field(default_factory=DataFacts)  # what the imported tables say
    names: NameDirectory = field(default_factory=NameDirectory)  # the imported tables' names of codes
    # 自查自纠 comparison (casework/self_inspection.py): None when no self-inspection package was imported
    self_status: Optional[Mapping[str, str]] = None  # hit_id -> declared / not_declared
    self_split: Optional[Any] = None  # self_inspection.Split over all the case's hits
    self_packages: tuple = ()  # the imported packages' contents

    # ---- derived figures, so every document states them the same way -------------------------------
    @property
    def total_amount(self) -> Decimal:
        return sum((money(f.amount) for f in self.findings), Decimal("0.00"))

    def rule_name(self, code: str) -> str:
        meta = self.rules.get(code)
        return meta.name_zh if meta else ""

    def records_of(self, kind: str) -> list[TypedRecord]:
        return [r for r in self.records if r.kind == kind]

    def evidence_index(self) -> dict[str, str]:
        """evidence_id -> its number in the evidence catalogue (证据1, 证据2, …), in catalogue order."""
        return {e.evidence_id: f"证据{i}" for i, e in enumerate(self.evidence, start=1)}

    def finding_evidence(self, finding: Finding) -> list[str]:
        """Evidence ids of a finding: those it names and those attached to it."""
        ids = list(finding.evidence_ids)
        for e in self.evidence:
            if e.finding_id == finding.finding_id and e.evidence_id not in ids:
                ids.append(e.evidence_id)
        return ids

    def finding_lines(self, finding: Finding) -> pd.DataFrame:
        if self.hit_lines is None or self.hit_lines.empty or not finding.hit_ids:
            return self.hit_lines.iloc[0:0] if self.hit_lines is not None else pd.DataFrame()
        cache = self.__dict__.setdefault("_line_cache", {})
        key = (id(self.hit_lines), finding.hit_ids)
        if key not in cache:  # documents ask several times per finding; filter once
            by_hit = self.__dict__.get("_by_hit")
            if by_hit is None or by_hit[0] is not self.hit_lines:
                groups = self.hit_lines.groupby("hit_id", sort=False).indices
                by_hit = (self.hit_lines, groups)
                self.__dict__["_by_hit"] = by_hit
            rows = [i for h in finding.hit_ids for i in by_hit[1].get(h, ())]
            cache[key] = self.hit_lines.iloc[sorted(rows)]
        return cache[key]

    def finding_counts(self, finding: Finding) -> tuple[int, int]:
        """(encounters, lines) behind a finding, from its hits' lines (or its hits when no lines)."""
        lines = self.finding_lines(finding)
        if not lines.empty:
            return int(lines["mdtrt_id"].nunique()), int(len(lines))
        hits = self.hits[self.hits["hit_id"].isin(set(finding.hit_ids))] if not self.hits.empty else self.hits
        return (int(hits["mdtrt_id"].replace("", pd.NA).dropna().nunique()) if len(hits) else 0), 0


# ---- small helpers shared by documents ------------------------------------------------------------------

CENT = Decimal("0.01")


def money(value: Any) -> Decimal:
    """Any amount (Decimal, str, float, int, None) as a Decimal rounded half-up to cents."""
    if value is None or (isinstance(value, float) and value != value):
        return Decimal("0.00")
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except InvalidOperation:
            raise InputError(f"金额无效 / not an amount: {value!r}") from None
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_money(value: Any) -> str:
    """``1234567.5`` → ``1,234,567.50``."""
    return formatting.amount(money(value))


_DIGITS = "零一二三四五六七八九"


def article_zh(n: int) -> str:
    """38 → 第三十八条 (1–99)."""
    if n <= 0:
        return ""
    tens, ones = divmod(int(n), 10)
    if tens == 0:
        text = _DIGITS[ones]
    else:
        text = ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return f"第{text}条"


def default_doc_no_prefix(store, year: int) -> str:
    """The case's own prefix, else 飞检〔year〕 — or 自查〔year〕 when the case is an institution's self-inspection,
    whose documents are the institution's, not the inspection's."""
    from feijian.casework import self_inspection

    if store.info.doc_no_prefix:
        return store.info.doc_no_prefix
    return f"自查〔{year}〕" if self_inspection.is_self_inspection(store) else f"飞检〔{year}〕"


def format_doc_no(pattern: str, *, prefix: str, seq: int, year: int, doc: str = "") -> str:
    try:
        return pattern.format(prefix=prefix, seq=seq, year=year, doc=doc)
    except (KeyError, IndexError, ValueError) as exc:
        raise InputError(f"文号模板无效 / bad document number pattern {pattern!r}: {exc}") from None


# ---- penalty ranges under the 条例 (Art. 38: 1–2×; Art. 39: ¥10,000–50,000; Art. 40: 2–5×) -------------
# Used when casework.penalties is not available; the figures are ranges only, never a decision.
_ARTICLE_RANGES = {
    38: ("multiple", Decimal(1), Decimal(2), "违规使用医保基金（分解住院、过度诊疗、重复/超标准/分解收费、串换等）"),
    39: ("fixed", Decimal(10000), Decimal(50000), "内部管理、数据传送、资料保管等违规，逾期不改正"),
    40: ("multiple", Decimal(2), Decimal(5), "骗取医保基金（虚构服务、伪造资料、虚假就医等）"),
}


def penalty_ranges(findings: Iterable[Finding]) -> tuple[PenaltyRange, ...]:
    by_article: dict[int, list[Finding]] = {}
    for f in findings:
        if f.article in _ARTICLE_RANGES:
            by_article.setdefault(f.article, []).append(f)
    out = []
    for article in sorted(by_article):
        kind, lo, hi, conduct = _ARTICLE_RANGES[article]
        group = by_article[article]
        base = sum((money(f.amount) for f in group), Decimal("0.00"))
        if kind == "multiple":
            low, high, mult = money(base * lo), money(base * hi), f"{quantity(lo)}–{quantity(hi)} 倍"
        else:
            low, high, mult = money(lo), money(hi), ""
        out.append(PenaltyRange(article, conduct, base, low, high, kind, tuple(f.finding_id for f in group), mult))
    return tuple(out)


# ---- building a context from a case --------------------------------------------------------------------


def build_context(
    store,
    *,
    doc: str = "",
    generated_at: Optional[dt.datetime] = None,
    doc_no: Optional[str] = None,
    doc_no_pattern: str = DEFAULT_DOC_NO_PATTERN,
    authority: str = "",
    contact: str = "",
    rules: Optional[Iterable[str]] = None,
    statuses: Optional[Iterable[str]] = None,
    responses: Optional[Mapping[str, Response]] = None,
    response_summary: str = "",
    method_notes: str = "",
    with_line_details: bool = True,
    **options: Any,
) -> ReportContext:
    """A :class:`ReportContext` from an open ``CaseStore``.

    ``rules`` / ``statuses`` filter the hits (the hit list's 规则集或筛选条件); ``doc_no`` overrides the
    document number, otherwise ``doc_no_pattern`` is filled with the case's prefix and the next sequence
    number among the documents already issued in the case.
    """
    from feijian.casework import discretion_conditions, self_inspection
    from feijian.casework.findings import findings as case_findings
    from feijian.rules.catalogue import load_catalogue

    info: CaseInfo = store.info
    now = generated_at or dt.datetime.now().replace(microsecond=0)
    if doc_no is None:
        prefix = default_doc_no_prefix(store, now.year)
        seq = len(list(store.documents())) + 1
        doc_no = format_doc_no(doc_no_pattern, prefix=prefix, seq=seq, year=now.year, doc=doc)

    state = store.state()
    hits = store.hits()
    if hits is None or "hit_id" not in hits.columns:
        hits = pd.DataFrame(columns=list(HIT_COLUMNS))
    hits = _plain_values(hits)
    reviews = _hit_reviews(state)
    rule_set = {r.strip().upper() for r in rules} if rules else None
    status_set = {s.strip() for s in statuses} if statuses else None
    filters = []
    if rule_set:
        hits = hits[hits["rule_code"].isin(rule_set)]
        filters.append("规则 " + "、".join(sorted(rule_set)))
    if status_set:
        hits = hits[hits["hit_id"].map(lambda h: reviews.get(h, ("open", ""))[0]).isin(status_set)]
        filters.append("状态 " + "、".join(sorted(status_set)))
    found = tuple(f for f in case_findings(store) if not getattr(f, "deleted", False))
    wanted_ids = set(hits["hit_id"]) | {h for f in found for h in f.hit_ids}
    lines = store.hit_lines(sorted(wanted_ids)) if wanted_ids else None
    if lines is None or len(lines) == 0 or "hit_id" not in lines.columns:
        lines = pd.DataFrame(columns=list(HIT_LINE_COLUMNS))
    lines = _plain_values(lines)
    if with_line_details and len(lines):
        lines = _with_line_details(store, lines)

    evidence = tuple(store.evidence_items())
    records = []
    for item in evidence:
        if item.kind in ("interview", "onsite_record"):
            try:
                data = json.loads(store.read_evidence(item.evidence_id).decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                raise InputError(f"证据记录无法读取 / typed record {item.evidence_id} is not JSON") from None
            records.append(TypedRecord(item.evidence_id, item.kind, data, item.sha256, item.added_at, item.finding_id))

    resp = dict(responses or {})
    for f in found:
        if f.finding_id in resp:
            continue
        stored = state.get("finding", f.finding_id, "response")
        if isinstance(stored, dict):
            resp[f.finding_id] = Response(**{k: str(stored.get(k, "")) for k in ("verdict", "reason", "materials", "handling")})
        elif f.status in STATUS_TO_VERDICT:
            resp[f.finding_id] = Response(STATUS_TO_VERDICT[f.status])

    # the discretion conditions come from the case (set conditions, self-inspection comparison) unless given
    opts = dict(options)
    if "finding_conditions" not in opts:
        opts["finding_conditions"] = discretion_conditions.finding_conditions(store, found)
    if doc == "self-report" and self_inspection.is_self_inspection(store) and "self_report" not in opts:
        opts["self_report"] = self_inspection.self_report(store)
    if doc == "report" and "doctor_points" not in opts and found:
        from feijian.casework.penalties import penalty_summary

        opts["doctor_points"] = penalty_summary(store).by_doctor
    if doc == "transfer" and "transfer" not in opts and opts.get("transfer_to"):
        opts["transfer"] = _transfer_option(store, found, opts)
    annexes = tuple(opts.get("annexes") or ())
    unknown = [a for a in annexes if a != "analysis-log"]
    if unknown:
        raise InputError(f"没有这种附件 / unknown annex {unknown[0]!r} (annexes: analysis-log)")
    if "analysis-log" in annexes and "analysis_log" not in opts:
        from feijian.casework.analysis_evidence import command_log

        opts["analysis_log"] = command_log(store)

    return ReportContext(
        info=info,
        generated_at=now,
        doc_no=doc_no,
        authority=authority,
        contact=contact,
        batches=tuple(store.import_batches()),
        run=store.latest_run(),
        rules=load_catalogue(),
        hits=hits.reset_index(drop=True),
        hit_lines=lines.reset_index(drop=True),
        hit_reviews=reviews,
        findings=found,
        penalties=_penalties(found),
        evidence=evidence,
        records=tuple(records),
        responses=resp,
        response_summary=response_summary,
        hit_filter="；".join(filters) or "全部疑点",
        method_notes=method_notes,
        options=opts,
        facts=data_facts(store),
        names=name_directory(store),
        self_status=self_inspection.hit_statuses(store),
        self_split=self_inspection.split_hits(store),
        self_packages=tuple(p["content"] for p in self_inspection.imported_packages(state)),
    )


def _transfer_option(store, found, opts: dict) -> dict:
    """The transfer letter's authority, recipient, findings (given, else those the conditions point to) and
    each finding's reasons."""
    from feijian.casework import transfers

    kind = str(opts["transfer_to"])
    entry = transfers.authority(kind)
    state = store.state()
    reasons = {f.finding_id: transfers.reasons_for(kind, f, transfers.flags_of(state, f.finding_id)) for f in found}
    given = [str(x) for x in (opts.get("transfer_findings") or ())]
    known = {f.finding_id for f in found}
    bad = [x for x in given if x not in known]
    if bad:
        raise InputError(f"没有此问题 / no finding {', '.join(bad)}")
    ids = given or [f.finding_id for f in found if reasons[f.finding_id]]
    if not ids:
        raise InputError(f"没有问题符合移送{entry['name']}的条件；可用 --findings 指定 / no finding meets the "
                         f"conditions for {kind}: name them with --findings")
    return {"kind": kind, "entry": entry, "recipient": str(opts.get("recipient") or ""), "finding_ids": ids,
            "reasons": reasons}


def _hit_reviews(state) -> dict[str, tuple[str, str]]:
    try:
        from feijian.casework.review import hit_reviews

        return dict(hit_reviews(state))
    except ImportError:
        return {
            hid: (str(v.get("review", {}).get("status", "open")), str(v.get("review", {}).get("reason", "")))
            for hid, v in state.entities("hit").items()
        }


def _penalties(found: tuple[Finding, ...]) -> tuple[PenaltyRange, ...]:
    """Penalty ranges from casework.penalties when it offers ``penalty_ranges(findings)``, else our own."""
    try:
        from feijian.casework import penalties as cp
    except ImportError:
        return penalty_ranges(found)
    fn = getattr(cp, "penalty_ranges", None)
    if fn is None:
        return penalty_ranges(found)
    out = []
    for r in fn(found):
        if isinstance(r, PenaltyRange):
            out.append(r)
        else:  # adapt a casework record with the same field names
            out.append(PenaltyRange(
                article=int(getattr(r, "article")), conduct=str(getattr(r, "conduct", "")),
                base_amount=money(getattr(r, "base_amount", 0)), low=money(getattr(r, "low")),
                high=money(getattr(r, "high")), kind=str(getattr(r, "kind", "multiple")),
                finding_ids=tuple(getattr(r, "finding_ids", ())), multiple=str(getattr(r, "multiple", "")),
            ))
    return tuple(out)


def _with_line_details(store, lines: pd.DataFrame) -> pd.DataFrame:
    """Join the fee lines behind the hits (time, item, count, price, department) from the case's data."""
    cols = ["mdtrt_id", "feedetl_sn", "fee_ocur_time", "med_list_codg", "med_list_name", "cnt", "pric", "bilg_dept_codg"]
    if not store.has_table("fees"):
        return lines
    import pyarrow as pa
    import pyarrow.compute as pc

    fees = store.read_table("fees", columns=cols)
    if fees is None:
        return lines
    keep = pc.is_in(fees["mdtrt_id"], value_set=pa.array(sorted(set(lines["mdtrt_id"].astype(str))), pa.string()))
    fees = fees.filter(keep).to_pandas()
    fees = fees.rename(columns={"bilg_dept_codg": "dept"})
    if store.has_table("visits"):
        visits = store.read_table("visits", columns=["mdtrt_id", "adm_dept_name"])
        if visits is not None:
            vd = visits.to_pandas().drop_duplicates("mdtrt_id")
            fees = fees.merge(vd, on="mdtrt_id", how="left")
            fees["dept"] = fees["adm_dept_name"].where(fees["adm_dept_name"].notna(), fees["dept"])
            fees = fees.drop(columns=["adm_dept_name"])
    merged = lines.merge(fees, on=["mdtrt_id", "feedetl_sn"], how="left", suffixes=("", "_fee"))
    return merged


def _plain_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Documents read cells as plain Python values: missing values (pd.NA from Arrow-backed frames) become None."""
    out = frame.astype(object)
    return out.where(frame.notna(), None)
