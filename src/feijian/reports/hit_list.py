"""疑点清单 (hit list) for a chosen rule set or filter, with the lines behind each hit."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from feijian.casework.name_directory import subject_names
from feijian.reports.context import ReportContext, fmt_money, money
from feijian.reports.layout import DocSpec, content_width, data_table, field_table, p, styles, title_block
from feijian.domain import formatting
from feijian.reports.parts import lines_table, period_text

SPEC = DocSpec("hit-list", "疑点清单", landscape=True)
STATUS_ZH = {"open": "待核查", "confirmed": "已确认", "dismissed": "已排除"}
SELF_ZH = {"declared": "已申报", "not_declared": "未申报"}


def first_lines(lines) -> dict[str, dict]:
    """hit_id -> the item (code, name) and the day its fee lines share, for the columns a hit leaves empty: a
    hit whose lines bill several items (a visit's dispersion) gets no item, several days no day."""
    if lines is None or not len(lines) or "hit_id" not in lines.columns:
        return {}
    out: dict[str, dict] = {}
    frame = lines.assign(_day=pd.to_datetime(lines["fee_ocur_time"], errors="coerce").dt.date
                         if "fee_ocur_time" in lines.columns else None)
    for hid, sub in frame.groupby("hit_id", sort=False):
        row: dict = {}
        if "med_list_codg" in sub.columns and sub["med_list_codg"].nunique(dropna=True) == 1:
            row["med_list_codg"] = sub["med_list_codg"].dropna().iat[0]
            if "med_list_name" in sub.columns and sub["med_list_name"].notna().any():
                row["med_list_name"] = sub["med_list_name"].dropna().iat[0]
        if sub["_day"].nunique(dropna=True) == 1:
            row["fee_ocur_time"] = sub["_day"].dropna().iat[0]
        out[hid] = row
    return out


def hit_numbers(hits) -> dict[str, str]:
    return {hid: f"Y{i:05d}" for i, hid in enumerate(hits["hit_id"], 1)}


def build(ctx: ReportContext):
    st = styles()
    width = content_width(SPEC)
    hits = ctx.hits
    run = ctx.run
    story = title_block(SPEC, ctx)
    total = sum((money(a) for a in hits["amount"]), Decimal("0.00")) if len(hits) else Decimal("0.00")
    story.append(field_table([
        ("被检机构", f"{ctx.info.medins_name}（{ctx.info.medins_code}）"), ("数据期间", period_text(ctx)),
        ("筛查批次", run.run_id if run else "（未筛查）"), ("规则集版本", run.ruleset_version if run else ""),
        ("知识库校验值", run.kb_hash if run else ""), ("筛选条件", ctx.hit_filter or "全部疑点"),
        ("疑点数", f"{len(hits):,}"), ("疑点金额（元）", fmt_money(total)),
    ], width, label_w=26 * mm, cols=2))
    story.append(Spacer(1, 3 * mm))

    story.append(p("一、按规则汇总", st["h2"]))
    rows = []
    lines = ctx.hit_lines if ctx.hit_lines is not None else None
    for code in sorted(set(hits["rule_code"])) if len(hits) else ():
        sub = hits[hits["rule_code"] == code]
        n_lines = int(lines["hit_id"].isin(set(sub["hit_id"])).sum()) if lines is not None and len(lines) else 0
        rows.append((code, ctx.rule_name(code), f"{len(sub):,}", f"{n_lines:,}",
                     fmt_money(sum((money(a) for a in sub["amount"]), Decimal(0)))))
    w = [20 * mm, 0, 30 * mm, 30 * mm, 40 * mm]
    w[1] = width - sum(w)
    story.append(data_table(["规则", "规则名称", "疑点数", "明细行数", "金额（元）"], rows, w, money_cols=[2, 3, 4],
                            center_cols=[0], total_row=("合计", "", f"{len(hits):,}", "", fmt_money(total))))

    story.append(p("二、疑点明细", st["h2"]))
    numbers = hit_numbers(hits)
    declared = ctx.self_status  # None: no self-inspection package imported, no column
    if declared is not None:
        split = ctx.self_split
        story.append(p(f"被检机构自查自纠申报的疑点已与本清单比对：自查已申报 {len(split.declared):,} 条，金额 "
                       f"{fmt_money(split.declared_amount)} 元；自查未申报 {len(split.not_declared):,} 条，金额 "
                       f"{fmt_money(split.not_declared_amount)} 元。", st["body"]))
    rows = []
    first_line = first_lines(lines)
    names = ctx.names
    for h in hits.itertuples(index=False):
        status = STATUS_ZH.get(ctx.hit_reviews.get(h.hit_id, ("open", ""))[0], "待核查")
        line = first_line.get(h.hit_id, {})
        code = h.med_list_codg or line.get("med_list_codg") or ""
        item = formatting.coded(code, names.items.get(str(code)) or line.get("med_list_name")).replace(" ", "\n", 1) \
            if code else ""  # the code on its line, the name under it
        when = formatting.date_iso(h.date or h.period_start or line.get("fee_ocur_time"))
        who = h.mdtrt_id or " ".join(x for x in subject_names(h.subject, names) if x) or h.subject or ""
        row = [numbers[h.hit_id], h.rule_code, who, item, when, fmt_money(h.amount), status, names.detail(h.detail),
               h.hit_id]
        if declared is not None:
            row.insert(7, SELF_ZH.get(declared.get(h.hit_id, ""), ""))
        rows.append(row)
    head = ["编号", "规则", "就诊ID/对象", "项目", "日期", "金额（元）", "状态", "疑点说明", "疑点ID"]
    w = [18 * mm, 14 * mm, 30 * mm, 40 * mm, 20 * mm, 22 * mm, 14 * mm, 0, 30 * mm]
    centers = [0, 1, 6]
    if declared is not None:
        head.insert(7, "自查")
        w.insert(7, 16 * mm)
        centers.append(7)
    w[w.index(0)] = width - sum(w)
    story.append(data_table(head, rows, w, money_cols=[5], center_cols=centers, wrap=len(rows) <= 2000))

    if lines is not None and len(lines):
        story.append(p("三、疑点涉及的费用明细", st["h2"]))
        listed = lines[lines["hit_id"].isin(set(numbers))]
        story.extend(lines_table(listed, width, number_by=numbers))
    return SPEC, story
