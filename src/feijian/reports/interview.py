"""询问笔录 (C.3 item 5) from ``interview`` evidence records; signature and fingerprint on every page.

Record fields (JSON object): ``start``, ``end``, ``place``, ``interviewers`` ([{name, staff_no}]),
``recorder``, ``interviewee`` ({name, sex, id_number, employer, position, phone}), ``notice`` (the
opening statement; a standard one when absent), ``qa`` ([{q, a}]), ``closing`` (the interviewee's
closing statement; the standard sentence when absent).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from feijian.reports.context import ReportContext
from feijian.reports.layout import DocSpec, content_width, field_table, p, styles, title_block
from feijian.reports.onsite_record import BLANK_LINES, people, selected

SPEC = DocSpec(
    "interview", "询问笔录", page_signatures=("被询问人（签名并按指印）", "询问人", "记录人"),
    page_note="被询问人应在每页签名并按指印；拒绝签名的，由询问人注明。",
)

NOTICE = ("我们是{authority}的行政执法人员（已出示执法证件），依法就医疗保障基金使用有关情况向你进行询问。"
          "你有如实回答的义务，也有申请回避的权利。你是否申请回避？")
CLOSING = "以上笔录我已看过（或已向我宣读过），与我所说一致。"


def build(ctx: ReportContext):
    st = styles()
    width = content_width(SPEC)
    story = []
    for i, rec in enumerate(selected(ctx, "interview", ctx.options.get("record_id"))):
        d = rec.data
        who = d.get("interviewee") or {}
        if i:
            story.append(PageBreak())
        story += title_block(SPEC, ctx)
        story.append(field_table([
            ("询问时间", f"{d.get('start', '')} 至 {d.get('end', '')}"), ("询问地点", d.get("place", "")),
            ("询问人", people(d.get("interviewers"))), ("记录人", d.get("recorder", "")),
            ("被询问人", who.get("name", "")), ("性别", who.get("sex", "")),
            ("身份证号", who.get("id_number", "")), ("联系电话", who.get("phone", "")),
            ("工作单位", who.get("employer", "")), ("职务", who.get("position", "")),
        ], width, label_w=22 * mm, cols=2))
        story.append(Spacer(1, 3 * mm))
        notice = d.get("notice") or NOTICE.format(authority=ctx.authority or "医疗保障行政部门")
        story.append(p(f"问：{notice}", st["body"]))
        story.append(p(f"答：{d.get('recusal_answer', '不申请回避。')}", st["body"]))
        for qa in d.get("qa") or ():
            story.append(Spacer(1, 1.5 * mm))
            story.append(KeepTogether([p(f"问：{qa.get('q', '')}", st["body"]), p(f"答：{qa.get('a', '')}", st["body"])]))
        if not d:  # blank form
            story.append(p(BLANK_LINES, st["body"]))
        story.append(Spacer(1, 3 * mm))
        story.append(p(f"被询问人意见：{d.get('closing') or CLOSING}", st["body"]))
        story.append(Spacer(1, 3 * mm))
        if rec.evidence_id:
            story.append(p(f"笔录编号：{rec.evidence_id}　记录校验值：{rec.sha256}", st["small"]))
        story.append(p("（以下无正文）", st["small"]))
    return SPEC, story
