"""疑点清单 (hit list) for a chosen rule set or filter, with the lines behind each hit."""

from __future__ import annotations

from decimal import Decimal

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
    """hit_id -> the first fee line behind it (its item, name and time), for the columns a hit leaves empty."""
    if lines is None or not len(lines):
        return {}
    cols = [c for c in ("hit_id", "med_list_codg", "med_list_name", "fee_ocur_time") if c in lines.columns]
    first = lines[cols].drop_duplicates("hit_id")
    return {r["hit_id"]: r for r in first.to_dict("records")}


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
        item = formatting.coded(code, names.items.get(str(code)) or line.get("med_list_name")) if code else ""
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
