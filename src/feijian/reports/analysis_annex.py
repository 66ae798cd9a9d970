"""The command log as an annex (附件：数据查询与分析命令日志): each logged query and analysis of the case — when,
by whom, what was asked, how many rows the result had and its SHA-256, and the evidence it became — so a
reviewer can rerun any entry (``feijian analyse CASE --rerun N``) and compare the hash.

Added to any document when ``annexes`` includes ``"analysis-log"`` (``feijian report … --annex analysis-log``);
:func:`feijian.reports.context.build_context` puts the log in ``options["analysis_log"]``
(:func:`feijian.casework.analysis_evidence.command_log`).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from feijian.domain import formatting
from feijian.reports.layout import data_table, p, styles

ANNEX = "analysis-log"
KIND_ZH = {"query": "SQL 查询", "stats": "字段统计", "stratify": "分层", "gaps": "断号", "key_duplicates": "重号",
           "duplicates": "重复", "top": "前 N 名", "crosstab": "交叉表", "benford": "本福特"}


def annex(ctx, width: float, *, title: str) -> list[Flowable]:
    log = ctx.options["analysis_log"]  # casework.analysis_evidence.CommandLog
    st = styles()
    out: list[Flowable] = [PageBreak(), p(title, st["h1"])]
    queries = sum(1 for r in log.runs if r.kind == "query")
    out.append(p(f"本案件共记录数据查询 {queries} 次、数据分析 {len(log.runs) - queries} 次，均在加密案件库内运行，"
                 "结果未另存明文。每条记录可按序号重做（feijian analyse 案件 --rerun 序号），重做结果的行数与 SHA-256 "
                 "相同即结果相同。", st["indent"]))
    if not log.runs:
        out.append(p("（无）", st["body"]))
        return out
    index = ctx.evidence_index()
    rows = []
    for i, r in enumerate(log.runs, 1):
        what = f"{r.text}\nSHA-256 {r.sha256[:32]}\n{r.sha256[32:]}"
        refs = "、".join(index.get(e, e[:8]) for e in log.evidence.get(r.event_id, ()))
        rows.append((i, formatting.date_time(r.time, seconds=True), r.by, KIND_ZH.get(r.kind, r.kind), what,
                     f"{r.rows:,}", refs))
    w = [9 * mm, 20 * mm, 22 * mm, 15 * mm, 0, 15 * mm, 13 * mm]
    w[4] = width - sum(w)
    out.append(data_table(["序号", "时间", "操作人", "类型", "查询或分析 / 结果 SHA-256", "行数", "证据"], rows, w,
                          money_cols=[5], center_cols=[0, 3, 6], font_size=8))
    return out


__all__ = ["ANNEX", "annex"]
