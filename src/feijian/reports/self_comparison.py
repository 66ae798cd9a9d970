"""自查自纠比对表: the inspection case's hits set against the institution's signed self-inspection declaration —
per rule, what was declared and what the inspection found undeclared; each finding's status; declared hits the
inspection did not find. Built from the context's ``self_status``, ``self_split`` and ``self_packages``."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from feijian.domain.errors import InputError
from feijian.domain import formatting
from feijian.reports.context import ReportContext, fmt_money, money
from feijian.reports.layout import DocSpec, content_width, data_table, field_table, p, signature_block, styles, title_block
from feijian.reports.parts import period_text

SPEC = DocSpec("self-comparison", "自查自纠情况比对表")


def build(ctx: ReportContext):
    if ctx.self_split is None:
        raise InputError("尚未导入自查包，无法比对 / no self-inspection package imported: nothing to compare")
    st = styles()
    width = content_width(SPEC)
    sp = ctx.self_split
    story = title_block(SPEC, ctx)
    story.append(p(
        f"被检机构：{ctx.info.medins_name}（{ctx.info.medins_code}）；数据期间：{period_text(ctx)}。"
        "下表将本次检查筛查出的疑点与机构签名报送的自查自纠申报逐条比对（按疑点ID，同一数据、同一规则得到同一ID）。"
        "自查未申报的问题，按省级裁量基准从重考虑；已申报并退回的，从轻考虑。", st["indent"]))
    pairs = []
    for c in ctx.self_packages:
        pairs += [("申报单位", f"{c['institution']['name']}（{c['institution']['code']}）"),
                  ("签名者 / 密钥", f"{c['signer']['name']} {c['signer'].get('staff_no', '')} / {c['signer']['key_id']}"),
                  ("导出时间", formatting.date_time(c["exported_at"]) or str(c["exported_at"] or "")),
                  ("申报条数 / 金额 / 退回", f"{c['totals']['declared']} 条 / {fmt_money(c['totals']['amount'])} 元 / "
                                      f"{fmt_money(c['totals']['refund'])} 元")]
    story.append(field_table(pairs, width, label_w=36 * mm, cols=2))
    story.append(Spacer(1, 3 * mm))

    story.append(p("一、按规则比对", st["h2"]))
    status = ctx.self_status or {}
    hits = ctx.hits
    rows = []
    tot = [0, Decimal(0), 0, Decimal(0)]
    for code in sorted(set(hits["rule_code"])) if len(hits) else ():
        sub = hits[hits["rule_code"] == code]
        yes = sub[sub["hit_id"].map(lambda h: status.get(h) == "declared")]
        no = sub[sub["hit_id"].map(lambda h: status.get(h) != "declared")]
        ya, na = sum((money(a) for a in yes["amount"]), Decimal(0)), sum((money(a) for a in no["amount"]), Decimal(0))
        tot = [tot[0] + len(yes), tot[1] + ya, tot[2] + len(no), tot[3] + na]
        rows.append((code, ctx.rule_name(code), f"{len(yes):,}", fmt_money(ya), f"{len(no):,}", fmt_money(na)))
    w = [16 * mm, 0, 18 * mm, 28 * mm, 18 * mm, 28 * mm]
    w[1] = width - sum(w)
    story.append(data_table(["规则", "规则名称", "已申报", "已申报金额（元）", "未申报", "未申报金额（元）"], rows, w,
                            money_cols=[2, 3, 4, 5], center_cols=[0],
                            total_row=("合计", "", f"{tot[0]:,}", fmt_money(tot[1]), f"{tot[2]:,}", fmt_money(tot[3]))))

    story.append(p("二、违规问题的申报情况", st["h2"]))
    rows = []
    for i, f in enumerate(ctx.findings, 1):
        n_yes = sum(1 for h in f.hit_ids if status.get(h) == "declared")
        verdict = "—" if not f.hit_ids else "已申报" if n_yes == len(f.hit_ids) else "未申报"
        rows.append((f"问题{i}", f.title, f"{len(f.hit_ids):,}", f"{n_yes:,}", fmt_money(f.amount), verdict))
    w = [14 * mm, 0, 18 * mm, 18 * mm, 28 * mm, 18 * mm]
    w[1] = width - sum(w)
    story.append(data_table(["编号", "问题", "疑点数", "其中已申报", "金额（元）", "结论"], rows or [("—", "（尚无违规问题）", "", "", "", "")],
                            w, money_cols=[2, 3, 4], center_cols=[0, 5]))
    story.append(Spacer(1, 1.5 * mm))
    story.append(p("结论为“已申报”须问题所含疑点全部已申报；任一疑点未申报即为“未申报”。", st["small"]))

    story.append(p("三、机构申报而本次未筛出的疑点", st["h2"]))
    if sp.declared_not_found:
        decl = {}
        for c in ctx.self_packages:
            decl.update({d["hit_id"]: d for d in c["declared"]})
        rows = [(i, h, decl.get(h, {}).get("rule_code", ""), decl.get(h, {}).get("department", ""),
                 fmt_money(decl.get(h, {}).get("amount", "0")), fmt_money(decl.get(h, {}).get("refund", "0")))
                for i, h in enumerate(sp.declared_not_found, 1)]
        w = [12 * mm, 36 * mm, 16 * mm, 0, 28 * mm, 28 * mm]
        w[3] = width - sum(w)
        story.append(data_table(["序号", "疑点ID", "规则", "科室", "申报金额（元）", "退回金额（元）"], rows, w,
                                money_cols=[4, 5], center_cols=[0, 2]))
        story.append(Spacer(1, 1.5 * mm))
        story.append(p("可能原因：本次数据期间或规则范围与自查不同，或机构数据已更正。请核实。", st["small"]))
    else:
        story.append(p("（无）", st["body"]))
    story.append(signature_block(["检查组组长", "检查组成员"], width))
    return SPEC, story
