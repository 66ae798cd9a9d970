"""Bar charts for the report (reportlab graphics): amounts by rule, by department, by month.

The series are computed from the context: finding amounts by rule; the fee lines behind the findings by
department and by month (or the hits' dates when the lines carry no time).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Sequence

import pandas as pd
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from feijian.reports.context import ReportContext, money
from feijian.reports.fonts import register_fonts

BAR = colors.HexColor("#3A6EA5")
OTHER = "其他"


def amounts_by_rule(ctx: ReportContext) -> list[tuple[str, Decimal]]:
    totals: dict[str, Decimal] = {}
    for f in ctx.findings:
        key = f.rule_code or "（无规则）"
        totals[key] = totals.get(key, Decimal(0)) + money(f.amount)
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))


def _finding_lines(ctx: ReportContext) -> pd.DataFrame:
    ids = {h for f in ctx.findings for h in f.hit_ids}
    lines = ctx.hit_lines
    if lines is None or lines.empty:
        return pd.DataFrame(columns=["hit_id", "amount"])
    return lines[lines["hit_id"].isin(ids)] if ids else lines.iloc[0:0]


def amounts_by_dept(ctx: ReportContext) -> list[tuple[str, Decimal]]:
    lines = _finding_lines(ctx)
    if lines.empty or "dept" not in lines.columns:
        return []
    totals: dict[str, Decimal] = {}
    for dept, amount in zip(lines["dept"], lines["amount"]):
        key = str(dept) if dept is not None and dept == dept and str(dept) else "（未知科室）"
        totals[key] = totals.get(key, Decimal(0)) + money(amount)
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))


def amounts_by_month(ctx: ReportContext) -> list[tuple[str, Decimal]]:
    lines = _finding_lines(ctx)
    totals: dict[str, Decimal] = {}
    if not lines.empty and "fee_ocur_time" in lines.columns:
        months = pd.to_datetime(lines["fee_ocur_time"], errors="coerce").dt.strftime("%Y-%m")
        for m, amount in zip(months, lines["amount"]):
            if isinstance(m, str):
                totals[m] = totals.get(m, Decimal(0)) + money(amount)
    else:
        ids = {h for f in ctx.findings for h in f.hit_ids}
        hits = ctx.hits[ctx.hits["hit_id"].isin(ids)] if len(ctx.hits) else ctx.hits
        if len(hits) and "date" in hits.columns:
            months = pd.to_datetime(hits["date"], errors="coerce").dt.strftime("%Y-%m")
            for m, amount in zip(months, hits["amount"]):
                if isinstance(m, str):
                    totals[m] = totals.get(m, Decimal(0)) + money(amount)
    return sorted(totals.items())


def top(series: Sequence[tuple[str, Decimal]], n: int) -> list[tuple[str, Decimal]]:
    """The first ``n - 1`` entries and the rest summed as 其他 (when longer than ``n``)."""
    series = list(series)
    if len(series) <= n:
        return series
    rest = sum((v for _, v in series[n - 1:]), Decimal(0))
    return series[: n - 1] + [(OTHER, rest)]


def _title(d: Drawing, text: str, width: float, font: str) -> None:
    d.add(String(width / 2, d.height - 12, text, fontName=font, fontSize=10, textAnchor="middle"))


def _no_data(d: Drawing, width: float, font: str) -> Drawing:
    d.add(String(width / 2, d.height / 2, "（无数据）", fontName=font, fontSize=9, textAnchor="middle"))
    return d


def _style_values(chart, font: str) -> None:
    """The value axis from 0 with thousands separators, and the bars' colour: the same in both charts."""
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None


def horizontal_bars(title: str, series: Sequence[tuple[str, Decimal]], width: float, *, max_bars: int = 12) -> Drawing:
    """Labelled horizontal bars (for rules and departments, whose labels are long)."""
    font = register_fonts()
    data = top(series, max_bars)
    bar_h = 14
    height = 30 + bar_h * max(1, len(data)) + 20
    d = Drawing(width, height, initialFontName=font)
    _title(d, title, width, font)
    if not data:
        return _no_data(d, width, font)
    chart = HorizontalBarChart()
    chart.x, chart.y = 130, 20
    chart.width, chart.height = width - 130 - 60, bar_h * len(data)
    chart.data = [[float(v) for _, v in reversed(data)]]
    chart.categoryAxis.categoryNames = [label[:15] for label, _ in reversed(data)]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    _style_values(chart, font)
    chart.barLabelFormat = lambda v: f"{v:,.2f}"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    return d


def vertical_bars(title: str, series: Sequence[tuple[str, Decimal]], width: float, *, height: float = 60 * mm) -> Drawing:
    """Vertical bars (for months)."""
    font = register_fonts()
    d = Drawing(width, height, initialFontName=font)
    _title(d, title, width, font)
    if not series:
        return _no_data(d, width, font)
    chart = VerticalBarChart()
    chart.x, chart.y = 50, 28
    chart.width, chart.height = width - 70, height - 55
    chart.data = [[float(v) for _, v in series]]
    chart.categoryAxis.categoryNames = [label for label, _ in series]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30 if len(series) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(series) > 8 else "n"
    _style_values(chart, font)
    d.add(chart)
    return d
