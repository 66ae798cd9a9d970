"""自查报告: the institution's own self-inspection report — what its screening found, what it corrected and the
money it returned (退回金额), per rule and per department, with the corrected hits listed and the signer.

Built from ``ctx.options["self_report"]`` (a :class:`feijian.casework.self_inspection.SelfReport`, which
:func:`feijian.reports.context.build_context` fills for this document). No visit or patient identifiers.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from feijian.domain.errors import InputError
from feijian.reports.context import ReportContext, fmt_money
from feijian.reports.layout import DocSpec, content_width, data_table, field_table, p, signature_block, styles, title_block
from feijian.reports.parts import period_text

SPEC = DocSpec("self-report", "医疗保障基金使用自查自纠报告", by_institution=True)


def _totals_table(frame, key: str, label: str, width: float, name_of=None, name_label: str = "规则名称"):
    rows = []
    for r in frame.itertuples(index=False):
        k = getattr(r, key)
        rows.append([k] + ([name_of(k)] if name_of else []) + [f"{r.hits:,}", f"{r.corrected:,}", fmt_money(r.amount),
                                                               fmt_money(r.refund)])
    head = [label] + ([name_label] if name_of else []) + ["疑点数", "已整改", "疑点金额（元）", "退回金额（元）"]
    w = [22 * mm] + ([0] if name_of else []) + [18 * mm, 18 * mm, 30 * mm, 30 * mm]
    if name_of:
        w[1] = width - sum(w)
    else:
        w[0] = width - sum(w[1:])
    tot = (["合计"] + ([""] if name_of else []) + [f"{int(frame['hits'].sum()) if len(frame) else 0:,}",
                                                 f"{int(frame['corrected'].sum()) if len(frame) else 0:,}",
                                                 fmt_money(sum(frame["amount"], Decimal(0))),
                                                 fmt_money(sum(frame["refund"], Decimal(0)))])
    money = [len(head) - 4, len(head) - 3, len(head) - 2, len(head) - 1]
    return data_table(head, rows, w, money_cols=money, center_cols=[0], total_row=tuple(tot))


def build(ctx: ReportContext):
    rep = ctx.options.get("self_report")
    if rep is None:
        raise InputError("此案件不是自查自纠，没有自查报告 / not a self-inspection case: no 自查报告")
    st = styles()
    width = content_width(SPEC)
    story = title_block(SPEC, ctx)
    run = ctx.run
    to = ctx.authority or "医疗保障行政部门"
    story.append(p(f"{to}：", st["body"]))
    story.append(p(
        f"按照医疗保障基金使用自查自纠工作要求，我单位对{period_text(ctx)}期间的医保结算数据，"
        f"运行与飞行检查相同的筛查规则（规则集 {run.ruleset_version if run else '—'}）进行了自查，"
        f"共发现疑点 {rep.hits_total:,} 条，金额 {fmt_money(rep.amount_total)} 元；经逐条核实，"
        f"已整改 {len(rep.declared):,} 条，退回医保基金 {fmt_money(rep.refund_total)} 元。现将情况报告如下。", st["indent"]))
    story.append(field_table([
        ("自查单位", f"{rep.institution_name}（{rep.institution_code}）"), ("数据期间", period_text(ctx)),
        ("筛查批次", run.run_id if run else "（未筛查）"), ("知识库校验值", run.kb_hash[:16] if run else ""),
        ("疑点数 / 金额", f"{rep.hits_total:,} 条 / {fmt_money(rep.amount_total)} 元"),
        ("已整改 / 退回", f"{len(rep.declared):,} 条 / {fmt_money(rep.refund_total)} 元"),
    ], width, label_w=28 * mm, cols=2))
    story.append(Spacer(1, 3 * mm))
    story.append(p("一、按规则汇总", st["h2"]))
    story.append(_totals_table(rep.by_rule, "rule_code", "规则", width, name_of=ctx.rule_name))
    story.append(p("二、按科室汇总", st["h2"]))
    names = rep.department_names
    story.append(_totals_table(rep.by_department, "department", "科室", width,
                               name_of=(lambda code: names.get(code, "")) if names else None, name_label="科室名称"))
    story.append(p("三、已整改疑点明细", st["h2"]))
    rows = [(i, d.hit_id, d.rule_code, names.get(d.department) or d.department, fmt_money(d.amount), fmt_money(d.refund),
             d.note)
            for i, d in enumerate(rep.declared, 1)]
    w = [12 * mm, 32 * mm, 16 * mm, 24 * mm, 26 * mm, 26 * mm, 0]
    w[-1] = width - sum(w)
    if rows:
        story.append(data_table(["序号", "疑点ID", "规则", "科室", "疑点金额（元）", "退回金额（元）", "整改说明"], rows, w,
                                money_cols=[4, 5], center_cols=[0, 2], wrap=len(rows) <= 2000))
    else:
        story.append(p("（无）", st["body"]))
    story.append(Spacer(1, 3 * mm))
    story.append(KeepTogether([p(
        "我单位承诺以上情况真实、完整。本报告所列已整改疑点随签名的自查申报包一并报送；"
        "未列入的疑点，我单位将继续核实。", st["indent"]),
        signature_block(["法定代表人（签名）", "单位（盖章）", "自查负责人（签名）", "医保管理部门（签名）"], width)]))
    return SPEC, story
