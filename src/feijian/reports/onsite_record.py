"""现场检查笔录 (C.3 item 4) from ``onsite_record`` evidence records; signatures on every page.

Record fields (JSON object): ``start``, ``end``, ``place``, ``inspectors`` ([{name, staff_no}]),
``recorder``, ``attendees`` ([{name, position}]), ``content``, ``party_comments``, ``refusal`` (text when
the party refused to sign). Missing fields print as blanks to fill in by hand.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from feijian.domain.errors import InputError
from feijian.reports.context import ReportContext, TypedRecord
from feijian.reports.layout import DocSpec, content_width, field_table, p, styles, title_block

SPEC = DocSpec(
    "onsite-record", "现场检查笔录", page_signatures=("检查人员", "记录人", "被检查单位人员或见证人"),
    page_note="本页内容已核对无误。被检查单位人员拒绝签名的，由检查人员注明情况并由见证人签名。",
)


def people(items, with_no: str = "staff_no", no_label: str = "执法证号") -> str:
    out = []
    for it in items or ():
        if isinstance(it, dict):
            extra = it.get(with_no) or it.get("position") or ""
            label = no_label if it.get(with_no) else ""
            out.append(f"{it.get('name', '')}（{label}{extra}）" if extra else str(it.get("name", "")))
        else:
            out.append(str(it))
    return "、".join(out)


def selected(ctx: ReportContext, kind: str, record_id: str | None) -> list[TypedRecord]:
    recs = ctx.records_of(kind)
    if record_id:
        recs = [r for r in recs if r.evidence_id == record_id or r.evidence_id.startswith(record_id)]
        if not recs:
            raise InputError(f"案件中没有这条笔录 / no {kind} record {record_id!r} in the case")
    if not recs:  # no typed record yet: a blank form to fill in by hand
        return [TypedRecord("", kind, {})]
    return recs


BLANK_LINES = "\n".join(["_" * 80] * 8)


def build(ctx: ReportContext):
    st = styles()
    width = content_width(SPEC)
    story = []
    for i, rec in enumerate(selected(ctx, "onsite_record", ctx.options.get("record_id"))):
        d = rec.data
        if i:
            story.append(PageBreak())
        story += title_block(SPEC, ctx)
        story.append(field_table([
            ("检查时间", f"{d.get('start', '')} 至 {d.get('end', '')}"),
            ("检查地点", d.get("place", "")),
            ("被检查单位", ctx.info.medins_name),
            ("检查人员", people(d.get("inspectors"))),
            ("记录人", d.get("recorder", "")),
            ("被检查单位在场人员", people(d.get("attendees"), with_no="position", no_label="")),
        ], width, label_w=36 * mm))
        story.append(Spacer(1, 3 * mm))
        story.append(p(
            "检查人员已向被检查单位在场人员出示行政执法证件，说明了检查的依据和内容，告知其有申请检查人员回避的权利"
            "和如实提供情况、配合检查的义务。", st["indent"]))
        story.append(p("检查情况", st["h2"]))
        story.append(p(d.get("content", "") or BLANK_LINES, st["indent"]))
        story.append(p("被检查单位意见", st["h2"]))
        story.append(p(d.get("party_comments", "") or ("（无）" if d else BLANK_LINES), st["indent"]))
        if d.get("refusal"):
            story.append(p("拒绝签名情况", st["h2"]))
            story.append(p(d["refusal"], st["indent"]))
        story.append(Spacer(1, 4 * mm))
        if rec.evidence_id:
            story.append(p(f"笔录编号：{rec.evidence_id}　记录校验值：{rec.sha256}", st["small"]))
        story.append(p("（以下无正文）", st["small"]))
    return SPEC, story
