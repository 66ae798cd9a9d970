"""违规问题清单及确认书 (C.3 item 9): one row per finding, response columns and signature block; annex
with the fee lines behind each finding."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from feijian.reports.context import VERDICTS, ReportContext, fmt_money
from feijian.reports.layout import DocSpec, content_width, data_table, field_table, p, signature_block, styles, title_block
from feijian.reports.parts import evidence_refs, finding_basis, finding_rule, lines_table, period_text

SPEC = DocSpec("problem-list", "违规问题清单及确认书", landscape=True)


def verdict_boxes(verdict: str) -> str:
    return "\n".join(("■" if v == verdict else "□") + v for v in VERDICTS)


def build(ctx: ReportContext):
    st = styles()
    width = content_width(SPEC)
    info = ctx.info
    story = title_block(SPEC, ctx)
    story.append(p(f"{info.medins_name}：", st["body"]))
    story.append(p(
        f"检查组对你单位{period_text(ctx)}期间医疗保障基金使用情况进行了飞行检查，发现下列问题。请你单位逐项核对，"
        "在“反馈意见”栏勾选确认、部分确认或不确认；部分确认或不确认的，请写明理由并附补充材料。", st["indent"]))
    story.append(p("违规金额口径：按违规费用明细的金额合计（元），精确到分。", st["small"]))
    story.append(Spacer(1, 2 * mm))
    rows = []
    numbers = {}
    for i, f in enumerate(ctx.findings, 1):
        numbers.update({h: f"问题{i}" for h in f.hit_ids})
        visits, n_lines = ctx.finding_counts(f)
        resp = ctx.responses.get(f.finding_id)
        reason = "" if resp is None else "；".join(x for x in (resp.reason, resp.materials and f"材料：{resp.materials}") if x)
        rows.append((
            i, finding_rule(ctx, f), f"{f.title}\n{f.description}".strip(), f"{visits:,} / {n_lines:,}",
            fmt_money(f.amount), finding_basis(f, ctx), evidence_refs(ctx, f),
            verdict_boxes(resp.verdict if resp else ""), reason,
        ))
    w = [10 * mm, 28 * mm, 0, 20 * mm, 24 * mm, 36 * mm, 18 * mm, 22 * mm, 36 * mm]
    w[2] = width - sum(w)
    story.append(data_table(
        ["序号", "规则", "问题描述", "就诊人次/\n明细行数", "违规金额（元）", "法律依据", "证据索引", "反馈意见", "理由及补充材料"],
        rows, w, money_cols=[4], center_cols=[0, 3],
        total_row=("合计", f"{len(rows)} 项", "", "", fmt_money(ctx.total_amount), "", "", "", ""),
    ))
    story.append(Spacer(1, 4 * mm))
    story.append(p(
        "确认书：我单位已逐项核对上述问题，反馈意见如上。对确认的问题，我单位将按规定退回违规使用的医保基金并整改。",
        st["indent"]))
    story.append(signature_block(["法定代表人或授权人（签名）", "被检单位（盖章）", "检查组组长（签名）", "检查组成员（签名）"], width))

    annex_lines = ctx.hit_lines[ctx.hit_lines["hit_id"].isin(set(numbers))] if len(ctx.hit_lines) else ctx.hit_lines
    if len(annex_lines):
        story.append(PageBreak())
        story.append(p("附件：违规费用明细", st["h1"]))
        story.append(field_table([("问题数", f"{len(ctx.findings):,}"), ("明细行数", f"{len(annex_lines):,}")], width,
                                 label_w=24 * mm, cols=2))
        story.append(Spacer(1, 2 * mm))
        order = {h: n for n, h in enumerate(numbers)}
        annex_lines = annex_lines.assign(_o=annex_lines["hit_id"].map(order)).sort_values(["_o", "feedetl_sn"], kind="stable")
        story.extend(lines_table(annex_lines.drop(columns=["_o"]), width, number_by=numbers))
    return SPEC, story
