"""The report's 裁量基准 table: per finding, the suggested grade and range with the conditions behind it."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from reportlab.lib.units import mm

from feijian.domain.formatting import quantity
from feijian.casework import discretion as dz
from feijian.reports.context import ReportContext, article_zh, fmt_money
from feijian.reports.layout import data_table, p, styles


def finding_conditions(ctx: ReportContext, finding_id: str) -> list[str]:
    """Case-wide conditions (``discretion_conditions``) plus the finding's own (``finding_conditions``)."""
    conds = list(ctx.options.get("discretion_conditions") or ())
    conds += list((ctx.options.get("finding_conditions") or {}).get(finding_id, ()))
    return list(dict.fromkeys(conds))


def table_of(ctx: ReportContext) -> dz.DiscretionTable:
    given = ctx.options.get("discretion_table")
    if isinstance(given, dz.DiscretionTable):
        return given
    return dz.load_table(given) if given else dz.load_table()


def suggestions(ctx: ReportContext) -> list[tuple[int, object, Optional[dz.Suggestion]]]:
    table = table_of(ctx)
    return [(i, f, dz.suggest(table, f.article, Decimal(f.amount), finding_conditions(ctx, f.finding_id)))
            for i, f in enumerate(ctx.findings, 1)]


def section(ctx: ReportContext, width: float) -> list:
    st = styles()
    table = table_of(ctx)
    out = [p(f"按{table.province}裁量基准（{table.basis}），各问题的建议裁量档次和罚款区间如下，仅供参考：", st["indent"])]
    rows, bases = [], {}
    for i, f, s in suggestions(ctx):
        if s is None:
            rows.append((f"问题{i}", article_zh(f.article) if f.article else "未定性", fmt_money(f.amount), "—", "—",
                         "条款未分档或尚未定性"))
            continue
        bases.update(s.bases)
        rng = f"{fmt_money(s.low)} – {fmt_money(s.high)}"
        factor = f"{quantity(s.factor_low)}–{quantity(s.factor_high)} 倍" if s.kind == "multiple" else "固定幅度"
        rows.append((f"问题{i}", article_zh(s.article), fmt_money(f.amount), s.grade, f"{rng}\n（{factor}）", s.text))
    w = [14 * mm, 22 * mm, 22 * mm, 12 * mm, 34 * mm, 0]
    w[-1] = width - sum(w)
    out.append(data_table(["编号", "条款", "金额（元）", "档次", "建议区间（元）", "裁量理由"], rows, w,
                          money_cols=[2], center_cols=[0, 3]))
    for label, basis in bases.items():
        out.append(p(f"注：{label}——{basis}。", st["small"]))
    return out
