"""飞行检查通知书 with its 送达回证 (delivery receipt) — C.3 item 2."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from feijian.reports.context import ReportContext
from feijian.reports.layout import DocSpec, content_width, field_table, p, styles, title_block
from feijian.reports.parts import date_zh, period_text, team_table

SPEC = DocSpec("notice", "飞行检查通知书")

LEGAL_BASIS = "《医疗保障基金使用监督管理条例》第二十七条、第二十九条和《医疗保障基金飞行检查管理暂行办法》"


def build(ctx: ReportContext):
    st = styles()
    width = content_width(SPEC)
    authority = ctx.authority or "（检查组织机关）"
    info = ctx.info
    story = title_block(SPEC, ctx)
    story.append(p(f"{info.medins_name}（定点医药机构编码：{info.medins_code}）：", st["body"]))
    story.append(p(
        f"根据{LEGAL_BASIS}的规定，{authority}决定对你单位开展医疗保障基金飞行检查。"
        "检查组将依法进入现场检查、询问有关人员、调取有关资料和数据，现将有关事项通知如下：", st["indent"]))
    story.append(p("一、检查内容", st["h2"]))
    trigger = f"（检查缘由：{info.trigger}）" if info.trigger else ""
    story.append(p(
        f"你单位{period_text(ctx)}期间医疗保障基金使用情况，包括就诊、费用明细、结算、医嘱、检查检验、"
        f"进销存等数据和病历、处方、票据等资料{trigger}。", st["indent"]))
    story.append(p("二、检查组成员", st["h2"]))
    story.append(team_table(ctx, width))
    story.append(Spacer(1, 1.5 * mm))
    story.append(p("检查人员不少于两名，已出示行政执法证件。", st["small"]))
    story.append(p("三、被检查单位的义务", st["h2"]))
    story.append(p(
        "你单位应当积极配合检查，如实提供与检查有关的数据、文件资料并作出解释和说明，指定专人负责联络，"
        "不得拒绝、阻碍检查或者谎报、瞒报，不得转移、隐匿、篡改、销毁有关资料。", st["indent"]))
    story.append(p("四、申请回避的权利", st["h2"]))
    story.append(p("你单位认为检查人员与被检查事项有直接利害关系或者有其他关系可能影响公正检查的，有权申请其回避。",
                   st["indent"]))
    story.append(p("五、联系方式", st["h2"]))
    story.append(p(f"检查组联系人：{ctx.contact or '（未填写）'}", st["indent"]))
    story.append(Spacer(1, 10 * mm))
    story.append(p(f"{authority}（盖章）", st["right"]))
    story.append(p(date_zh(ctx.generated_at), st["right"]))

    # 送达回证
    story.append(PageBreak())
    story.append(p("送达回证", st["title"]))
    story.append(Spacer(1, 4 * mm))
    pairs = [
        ("送达文书名称及文号", f"飞行检查通知书　{ctx.doc_no}"),
        ("受送达人", info.medins_name),
        ("送达时间", "______年____月____日____时____分"),
        ("送达地点", ""),
        ("送达方式", "□直接送达　□留置送达　□其他：________"),
        ("受送达人签名（盖章）", "\n\n签名：____________　日期：______年____月____日"),
        ("拒绝签收情况", "□受送达人拒绝签收。拒收事由和日期：____________________\n见证人签名：____________"
                      "　检查人员签名：____________、____________"),
        ("送达人签名", "\n____________　____________"),
        ("备注", ""),
    ]
    story.append(field_table(pairs, width, label_w=42 * mm, padding=9))
    return SPEC, story
