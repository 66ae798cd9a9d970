"""Amounts and penalty ranges (金额与处罚幅度) under the 条例, with totals per institution, department and doctor.

Per finding: the amount basis (gross: the fee lines' money as the rules assign it; in scope: scaled by each
line's ``inscp_scp_amt`` share), the amount to recover, and the fine's range — Art. 38: 1–2× the loss,
Art. 40 (fraud): 2–5× the defrauded amount, Art. 39: a fixed ¥10,000–50,000 — read from
``resources/casework/penalties.toml``. Totals count each fee line once: a line in several findings belongs
to the one that assigns it the largest amount (rules.md's case-total rule), and a finding's amount set by
hand beyond its lines' money is kept as an "unattributed" adjustment. Department and doctor come from the
fee line (``bilg_dept_codg``, ``bilg_dr_codg``), else from the encounter (``adm_dept_codg``, ``atddr_no``).
医保医师记分 points per doctor come from the same file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Optional

import pandas as pd
import pyarrow as pa

from feijian.casework.findings import findings, to_decimal
from feijian.domain.records import Finding
from feijian.paths import resource

UNATTRIBUTED = "（未归属）"
BASES = ("gross", "in-scope")
ZERO = Decimal("0")


@lru_cache(maxsize=1)
def penalty_rules() -> dict:
    return tomllib.loads(resource("casework", "penalties.toml").read_text(encoding="utf-8"))


def article_rule(article: int) -> Optional[dict]:
    rules = penalty_rules()
    a = int(article or 0)
    a = int(rules.get("article_aliases", {}).get(str(a), a))
    rule = rules["articles"].get(str(a))
    return None if rule is None else {**rule, "article": a}


def penalty_range(article: int, amount: Decimal) -> tuple[Decimal, Decimal]:
    """The fine's range for a finding of ``amount`` under ``article`` (0, 0 when the article sets none)."""
    rule = article_rule(article)
    if rule is None:
        return ZERO, ZERO
    if rule["kind"] == "fixed":
        return Decimal(str(rule["min"])), Decimal(str(rule["max"]))
    return amount * Decimal(str(rule["min"])), amount * Decimal(str(rule["max"]))


def points_range(category: str, article: int) -> tuple[int, int]:
    dp = penalty_rules()["doctor_points"]
    if category in dp.get("by_category", {}):
        lo, hi = dp["by_category"][category]
        return int(lo), int(hi)
    rule = article_rule(article)
    key = str(rule["article"]) if rule else str(article)
    lo, hi = dp.get("by_article", {}).get(key, (0, 0))
    return int(lo), int(hi)


@dataclass(frozen=True)
class Assessment:
    finding_id: str
    title: str
    rule_code: str
    category: str
    article: int  # the article the penalty follows (aliases resolved); 0 = not yet qualified
    legal_basis: str
    amount_gross: Decimal
    amount_in_scope: Decimal
    basis: str
    amount_to_recover: Decimal
    penalty_min: Decimal
    penalty_max: Decimal
    penalty_text: str = ""

    @property
    def fixed_penalty(self) -> bool:
        rule = article_rule(self.article)
        return bool(rule and rule["kind"] == "fixed")


@dataclass(frozen=True)
class PenaltySummary:
    basis: str
    assessments: tuple[Assessment, ...]
    total_recover: Decimal  # each line once
    total_penalty_min: Decimal
    total_penalty_max: Decimal
    by_department: pd.DataFrame
    by_doctor: pd.DataFrame  # with points_min / points_max / status
    overlap: Decimal = ZERO  # money counted in more than one finding, deducted from the total
    notes: tuple[str, ...] = field(default=())


def _line_attribution(store, keys: pd.DataFrame) -> pd.DataFrame:
    """``mdtrt_id, feedetl_sn → department, doctor, scope_ratio`` for the lines in ``keys``."""
    from feijian.casework.sampling import _strings

    cols = ["mdtrt_id", "feedetl_sn", "department", "doctor", "scope_ratio"]
    fees = store.read_table("fees")
    if fees is None or keys.empty:
        return pd.DataFrame(columns=cols)
    wanted = keys[["mdtrt_id", "feedetl_sn"]].drop_duplicates()
    df = pd.DataFrame({
        "mdtrt_id": _strings(fees, "mdtrt_id"), "feedetl_sn": _strings(fees, "feedetl_sn"),
        "_row": range(fees.num_rows),
    }).merge(wanted, on=["mdtrt_id", "feedetl_sn"], how="inner").drop_duplicates(["mdtrt_id", "feedetl_sn"])
    sub = fees.take(pa.array(df["_row"].to_numpy(), pa.int64()))

    def col(t, name):
        return t.column(name).to_pylist() if name in t.column_names else [None] * t.num_rows

    df["department"] = [x or "" for x in col(sub, "bilg_dept_codg")]
    df["doctor"] = [x or "" for x in col(sub, "bilg_dr_codg")]
    gross = [to_decimal(x) for x in col(sub, "det_item_fee_sumamt")]
    scope = col(sub, "inscp_scp_amt")
    df["scope_ratio"] = [(to_decimal(sc) / g) if (sc is not None and g) else Decimal("1") for sc, g in zip(scope, gross)]
    visits = store.read_table("visits")
    if visits is not None:
        v = pd.DataFrame({"mdtrt_id": _strings(visits, "mdtrt_id"), "v_dept": _strings(visits, "adm_dept_codg"),
                          "v_doctor": _strings(visits, "atddr_no")}).drop_duplicates("mdtrt_id")
        df = df.merge(v, on="mdtrt_id", how="left")
        df["department"] = [d or (vd if isinstance(vd, str) else "") for d, vd in zip(df["department"], df["v_dept"])]
        df["doctor"] = [d or (vd if isinstance(vd, str) else "") for d, vd in zip(df["doctor"], df["v_doctor"])]
    return df[cols]


def _finding_lines(store, fs: list[Finding]) -> pd.DataFrame:
    """One row per (finding, line): the largest amount the finding's hits assign to the line."""
    ids = sorted({h for f in fs for h in f.hit_ids})
    lines = store.hit_lines(ids) if ids else pd.DataFrame()
    rows = []
    if lines is not None and not lines.empty:
        owner: dict[str, list[str]] = {}
        for f in fs:
            for h in f.hit_ids:
                owner.setdefault(h, []).append(f.finding_id)
        for h, m, sn, amt in zip(lines["hit_id"], lines["mdtrt_id"], lines["feedetl_sn"], lines["amount"]):
            for fid in owner.get(str(h), ()):
                rows.append((fid, str(m), str(sn), to_decimal(amt)))
    df = pd.DataFrame(rows, columns=["finding_id", "mdtrt_id", "feedetl_sn", "amount"])
    if df.empty:
        return df
    return df.groupby(["finding_id", "mdtrt_id", "feedetl_sn"], sort=True)["amount"].apply(lambda s: max(s)).reset_index()


def penalty_summary(store, *, basis: str = "gross") -> PenaltySummary:
    """Assess every finding and total recoveries, fines and doctor points."""
    if basis not in BASES:
        from feijian.domain.errors import InputError

        raise InputError(f"金额口径须为 gross 或 in-scope / the basis must be gross or in-scope: {basis!r}")
    fs = findings(store)
    by_id = {f.finding_id: f for f in fs}
    lines = _finding_lines(store, fs)
    attr = _line_attribution(store, lines)
    if not lines.empty:
        lines = lines.merge(attr, on=["mdtrt_id", "feedetl_sn"], how="left")
        lines["department"] = lines["department"].fillna("").replace("", UNATTRIBUTED)
        lines["doctor"] = lines["doctor"].fillna("").replace("", UNATTRIBUTED)
        lines["scope_ratio"] = [r if isinstance(r, Decimal) else Decimal("1") for r in lines["scope_ratio"]]
    else:
        lines = pd.DataFrame(columns=["finding_id", "mdtrt_id", "feedetl_sn", "amount", "department", "doctor", "scope_ratio"])

    assessments = []
    for f in fs:
        own = lines[lines["finding_id"] == f.finding_id]
        line_gross = sum(own["amount"], ZERO)
        line_scope = sum((a * r for a, r in zip(own["amount"], own["scope_ratio"])), ZERO)
        adjustment = f.amount - line_gross  # an amount set by hand beyond the lines' money
        gross = f.amount
        in_scope = line_scope + adjustment
        recover = gross if basis == "gross" else in_scope
        rule = article_rule(f.article)
        pmin, pmax = penalty_range(f.article, recover)
        assessments.append(Assessment(
            f.finding_id, f.title, f.rule_code, f.category, rule["article"] if rule else int(f.article or 0),
            f.legal_basis or (rule["title"] if rule else ""), gross, in_scope, basis, recover, pmin, pmax,
            rule["text"] if rule else "未定性：无处罚幅度 / not qualified: no penalty range",
        ))

    # each line once: the finding assigning it the largest amount owns it (ties: the harsher article, then id)
    def harsh(fid):
        rule = article_rule(by_id[fid].article)
        return float(rule["max"]) if rule and rule["kind"] == "multiple" else 0.0

    if not lines.empty:
        lines["_harsh"] = [harsh(fid) for fid in lines["finding_id"]]
        owned = (lines.sort_values(["mdtrt_id", "feedetl_sn", "amount", "_harsh", "finding_id"],
                                   ascending=[True, True, False, False, True], kind="mergesort")
                 .drop_duplicates(["mdtrt_id", "feedetl_sn"]))
    else:
        owned = lines
    overlap = sum(lines["amount"], ZERO) - sum(owned["amount"], ZERO)

    alloc = []  # (department, doctor, finding_id, recover, pmin, pmax)
    for fid, dept, doctor, amt, ratio in zip(owned["finding_id"], owned["department"], owned["doctor"], owned["amount"], owned["scope_ratio"]):
        money = amt if basis == "gross" else amt * ratio
        rule = article_rule(by_id[fid].article)
        lo, hi = penalty_range(by_id[fid].article, money) if rule and rule["kind"] == "multiple" else (ZERO, ZERO)
        alloc.append((dept, doctor, fid, money, lo, hi))
    for a in assessments:
        f = by_id[a.finding_id]
        own = lines[lines["finding_id"] == a.finding_id]
        adj_gross = f.amount - sum(own["amount"], ZERO)
        adj = adj_gross if basis == "gross" else a.amount_in_scope - sum(
            (x * r for x, r in zip(own["amount"], own["scope_ratio"])), ZERO)
        lo, hi = (penalty_range(a.article, adj) if not a.fixed_penalty else (ZERO, ZERO))
        if a.fixed_penalty:
            lo, hi = penalty_range(a.article, ZERO)
        if adj or a.fixed_penalty:
            alloc.append((UNATTRIBUTED, UNATTRIBUTED, a.finding_id, adj, lo, hi))
    table = pd.DataFrame(alloc, columns=["department", "doctor", "finding_id", "recover", "penalty_min", "penalty_max"])

    def totals(by: str) -> pd.DataFrame:
        if table.empty:
            return pd.DataFrame(columns=[by, "recover", "penalty_min", "penalty_max", "findings"])
        g = table.groupby(by, sort=True)
        out = pd.DataFrame({
            "recover": g["recover"].apply(lambda s: sum(s, ZERO)),
            "penalty_min": g["penalty_min"].apply(lambda s: sum(s, ZERO)),
            "penalty_max": g["penalty_max"].apply(lambda s: sum(s, ZERO)),
            "findings": g["finding_id"].nunique(),
        }).reset_index()
        return out

    by_doctor = totals("doctor")
    dp = penalty_rules()["doctor_points"]
    pts_lo, pts_hi, status = [], [], []
    for doctor in by_doctor["doctor"]:
        fids = sorted(set(table.loc[table["doctor"] == doctor, "finding_id"]))
        lo = hi = 0
        if doctor != UNATTRIBUTED:
            for fid in fids:
                a, b = points_range(by_id[fid].category, by_id[fid].article)
                lo, hi = lo + a, hi + b
        pts_lo.append(lo)
        pts_hi.append(hi)
        status.append("终止资格风险" if hi >= dp["terminate_at"] else "暂停资格风险" if hi >= dp["suspend_at"] else "")
    by_doctor["points_min"], by_doctor["points_max"], by_doctor["status"] = pts_lo, pts_hi, status

    notes = []
    if overlap:
        notes.append(f"{overlap} 元在多个问题中重复出现，合计时只计一次 / counted once in the totals")
    return PenaltySummary(
        basis, tuple(assessments), sum(table["recover"], ZERO) if not table.empty else ZERO,
        sum(table["penalty_min"], ZERO) if not table.empty else ZERO,
        sum(table["penalty_max"], ZERO) if not table.empty else ZERO,
        totals("department"), by_doctor, overlap, tuple(notes),
    )
