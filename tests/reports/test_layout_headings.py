"""Page layout: a section heading is never the last thing on a page (it moves to the next page with the start
of its section), and moving it does not push a whole table after it onto the next page."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from feijian.reports.layout import HEADING_ROOM, MARGIN, DocSpec, build_pdf, content_width, data_table, p, styles
from pdftext import pages_text
from report_sample import make_context

SPEC = DocSpec("layout-test", "版式测试")


def _page_of(pages: list[str], text: str) -> int:
    return next(i for i, t in enumerate(pages) if text in t.replace("\n", ""))


def _story(gap_mm: float, rows: int = 3):
    st = styles()
    width = content_width(SPEC)
    return [Spacer(1, gap_mm * mm), p("二、章节标题甲", st["h2"]),
            data_table(["列一", "列二"], [[f"行{i}", str(i)] for i in range(rows)], [width / 2, width / 2]),
            p("正文乙：标题之后的内容。", st["body"])]


def test_a_heading_near_the_foot_moves_with_its_section():
    ctx = make_context(n_findings=1, lines_per_finding=1)
    frame_h = int((297 * mm - 2 * MARGIN - 2 * mm) / mm)  # the body frame's height (A4 less the margins)
    for gap in range(frame_h - 40, frame_h - 2, 3):  # the heading lands in the last 40 mm of the page
        pages = pages_text(build_pdf(SPEC, ctx, _story(gap)))
        assert _page_of(pages, "章节标题甲") == _page_of(pages, "行0"), gap


def test_a_long_table_starts_under_its_heading_on_the_same_page():
    ctx = make_context(n_findings=1, lines_per_finding=1)
    pages = pages_text(build_pdf(SPEC, ctx, _story(20, rows=120)))
    assert _page_of(pages, "章节标题甲") == _page_of(pages, "行0") == 0  # not moved to leave the page blank
    assert HEADING_ROOM < 60 * mm
