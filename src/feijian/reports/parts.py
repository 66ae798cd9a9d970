"""Pieces several documents share: the team, the data period, the evidence catalogue, finding rows."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from feijian.domain import formatting
from feijian.domain.records import EVIDENCE_KIND_NAMES, Finding, Role, TeamMember
from feijian.reports.context import ReportContext, article_zh, fmt_money, money
from feijian.reports.layout import data_table

ROLE_ZH = {Role.LEAD: "组长", Role.INSPECTOR: "组员", "lead": "组长", "inspector": "组员"}


def period_text(ctx: ReportContext) -> str:
    """The case's data period as set, else as the imported data cover it (``ctx.facts``)."""
    s, e = ctx.info.data_period_start, ctx.info.data_period_end
    if not s and not e:
        s, e = ctx.facts.period_start, ctx.facts.period_end
    return formatting.period_zh(s, e) or "（未设定）"


def data_overview(ctx: ReportContext) -> str:
    """就诊 1,234 人次（参保人 987 人），费用明细 56,789 行，金额 1,234,567.89 元；结算 … — from the data."""
    f = ctx.facts
    parts = []
    if f.encounters:
        who = f"（参保人 {formatting.count(f.patients)} 人）" if f.patients else ""
        parts.append(f"就诊 {formatting.count(f.encounters)} 人次{who}")
    if f.fee_lines:
        amt = f"，金额 {formatting.money_auto(f.fee_amount)}" if f.fee_amount is not None else ""
        parts.append(f"费用明细 {formatting.count(f.fee_lines)} 行{amt}")
    if f.settlements:
        text = f"结算 {formatting.count(f.settlements)} 笔"
        if f.settled_amount is not None:
            text += f"，医疗费总额 {formatting.money_auto(f.settled_amount)}"
        if f.fund_paid is not None:
            text += f"，统筹基金支付 {formatting.money_auto(f.fund_paid)}"
        parts.append(text)
    return "；".join(parts) or "（尚未导入数据）"


def _date_zh(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def date_zh(d: dt.date | dt.datetime) -> str:
    return _date_zh(d)


def team_sorted(ctx: ReportContext) -> list[TeamMember]:
    return sorted(ctx.info.team, key=lambda m: (0 if m.role in (Role.LEAD, "lead") else 1))


def team_names(ctx: ReportContext) -> str:
    return "、".join(f"{m.name}（{ROLE_ZH.get(m.role, '组员')}）" for m in team_sorted(ctx)) or "（未登记）"


def team_table(ctx: ReportContext, width: float) -> Flowable:
    rows = [(i, m.name, ROLE_ZH.get(m.role, "组员"), m.staff_no) for i, m in enumerate(team_sorted(ctx), 1)]
    return data_table(["序号", "姓名", "职务", "执法证号"], rows, [14 * mm, 40 * mm, 30 * mm, width - 84 * mm],
                      center_cols=[0, 2])


def finding_rule(ctx: ReportContext, f: Finding) -> str:
    name = ctx.rule_name(f.rule_code)
    return f"{f.rule_code} {name}".strip()


def finding_basis(f: Finding, ctx: ReportContext | None = None) -> str:
    basis = f.legal_basis
    if not basis and ctx is not None and f.rule_code in ctx.rules:
        basis = ctx.rules[f.rule_code].legal_basis
    art = article_zh(f.article) if f.article else ""
    if art and art not in basis:
        basis = f"{basis}{art}" if basis else f"《医疗保障基金使用监督管理条例》{art}"
    return basis


def evidence_refs(ctx: ReportContext, f: Finding) -> str:
    index = ctx.evidence_index()
    return "、".join(index.get(e, e[:8]) for e in ctx.finding_evidence(f))


def evidence_catalogue(ctx: ReportContext, width: float) -> Flowable:
    index = ctx.evidence_index()
    titles = {f.finding_id: f"问题{i}" for i, f in enumerate(ctx.findings, 1)}
    kinds = EVIDENCE_KIND_NAMES
    rows = []
    for e in ctx.evidence:
        rows.append((index[e.evidence_id], e.original_name, kinds.get(e.kind, e.kind), f"{e.size:,}",
                     e.sha256, titles.get(e.finding_id, ""), formatting.chinese_part(e.note)))
    w = [16 * mm, 38 * mm, 20 * mm, 18 * mm, 0, 16 * mm, 26 * mm]
    w[4] = width - sum(w)
    return data_table(["编号", "名称", "类型", "字节", "SHA-256", "关联问题", "说明"], rows, w, money_cols=[3],
                      center_cols=[0, 2, 5])


def sha_wrapped(sha: str) -> str:
    """A 64-hex SHA-256 as two lines of 32 so it fits a narrow cell (text extraction keeps the halves)."""
    return sha if len(sha) <= 32 else f"{sha[:32]}\n{sha[32:]}"


def lines_table(rows_df, width: float, *, number_by: dict | None = None, wrap: bool = False) -> list[Flowable]:
    """The fee lines behind hits/findings: 编号, 就诊ID, 明细流水号, 时间, 项目, 数量, 单价, 金额."""
    cols = list(rows_df.columns)

    def get(r, c, default=""):
        return r[c] if c in cols and r[c] is not None and r[c] == r[c] else default

    w = [15 * mm, 25 * mm, 25 * mm, 27 * mm, 0, 10 * mm, 18 * mm, 22 * mm]
    w[4] = width - sum(w)
    rows = []
    for r in rows_df.itertuples(index=False):
        rd = r._asdict()
        when = get(rd, "fee_ocur_time")
        when = formatting.date_time(when)
        item = " ".join(x for x in (str(get(rd, "med_list_codg")), str(get(rd, "med_list_name"))) if x)
        cnt, pric = get(rd, "cnt"), get(rd, "pric")
        cells = (
            (number_by or {}).get(rd["hit_id"], rd["hit_id"][:10]), rd["mdtrt_id"], rd["feedetl_sn"], when,
            item, _num(cnt), fmt_money(pric) if pric != "" else "", fmt_money(rd["amount"]),
        )
        rows.append(cells)
    header = ["疑点/问题", "就诊ID", "明细流水号", "费用时间", "项目", "数量", "单价", "金额（元）"]
    # reportlab re-measures the rest of a table at every page break (quadratic in rows): long annexes go as
    # tables of CHUNK rows, each with its header row (repeated on every page it spans)
    return [data_table(header, rows[i:i + CHUNK], w, money_cols=[5, 6, 7], wrap=wrap)
            for i in range(0, max(len(rows), 1), CHUNK)]


CHUNK = 400


def _num(v: Any) -> str:
    if v == "" or v is None:
        return ""
    return formatting.quantity(v)


def sum_amount(values: Iterable[Any]):
    return sum((money(v) for v in values), money(0))


def columns_fit(widths: Sequence[float], width: float) -> list[float]:
    """Scale widths to the content width."""
    total = sum(widths)
    return [w * width / total for w in widths]
