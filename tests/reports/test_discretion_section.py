"""The report's 裁量基准 table shows each finding's grade, range and the conditions behind it."""

import dataclasses

from pdftext import pages_text
from report_sample import make_context

from feijian.reports import inspection_report
from feijian.reports.discretion_section import suggestions
from feijian.reports.layout import build_pdf


def test_report_shows_grade_and_conditions():
    ctx = make_context()
    f0, f1 = ctx.findings[0], ctx.findings[1]
    ctx = dataclasses.replace(ctx, options={"finding_conditions": {f0.finding_id: ["self_declared"],
                                                                   f1.finding_id: ["not_declared", "repeated"]}})
    by_id = {f.finding_id: s for _, f, s in suggestions(ctx)}
    assert by_id[f0.finding_id].grade == "从轻"
    assert by_id[f1.finding_id].grade == "从重"
    spec, story = inspection_report.build(ctx)
    text = "".join(pages_text(build_pdf(spec, ctx, story))).replace("\n", "")
    assert "裁量理由" in text and "自查自纠中主动申报并退回" in text and "《行政处罚法》第三十二条" in text
    assert "多次违法或曾受处罚后再犯" in text
