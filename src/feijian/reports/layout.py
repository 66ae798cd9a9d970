"""The A4 page every document shares, and the building blocks of its content.

A page has a header (issuing authority, document title, document number), a footer (case id,
"第 x 页 共 y 页", generated time) and, for records signed page by page, a band of signature lines above
the footer. The page total is known only at the end, so pages are drawn by :class:`NumberedCanvas`, which
keeps every page and writes the footers when the document is saved.

PDF bytes are deterministic for the same context (``invariant=1``: fixed creation date and document id;
the generated time printed on the page comes from the context).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from xml.sax.saxutils import escape

from feijian.domain import formatting
from feijian.reports.context import ReportContext, fmt_money
from feijian.reports.fonts import register_fonts

MARGIN = 18 * mm
HEADER_H = 12 * mm
FOOTER_H = 10 * mm
SIGN_BAND_H = 16 * mm
GRID = colors.HexColor("#808080")
HEAD_BG = colors.HexColor("#E8EDF3")


@dataclass(frozen=True)
class DocSpec:
    """What the page template needs to know about a document."""

    name: str  # notice, data-confirmation, …
    title: str  # 飞行检查通知书
    landscape: bool = False
    page_signatures: tuple[str, ...] = ()  # signature labels printed on every page
    page_note: str = ""  # small text in the signature band, e.g. refusal note
    by_institution: bool = False  # written by the inspected institution (自查报告): its name heads the pages


# ---- styles -------------------------------------------------------------------------------------------


def styles() -> dict[str, ParagraphStyle]:
    font = register_fonts()
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK", alignment=TA_LEFT)
    return {
        "body": base,
        "indent": ParagraphStyle("indent", parent=base, firstLineIndent=21),
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10.5, alignment=TA_CENTER, spaceAfter=8),
        "h1": ParagraphStyle("h1", parent=base, fontSize=13.5, leading=20, spaceBefore=8, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontSize=11.5, leading=18, spaceBefore=5, spaceAfter=2),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        "cell_r": ParagraphStyle("cell_r", parent=base, fontSize=8.5, leading=11, alignment=TA_RIGHT),
        "cell_c": ParagraphStyle("cell_c", parent=base, fontSize=8.5, leading=11, alignment=TA_CENTER),
        "head": ParagraphStyle("head", parent=base, fontSize=8.5, leading=11, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "mono": ParagraphStyle("mono", parent=base, fontSize=7.5, leading=10, wordWrap="CJK"),
    }


def p(text: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped; newlines kept)."""
    return Paragraph(escape("" if text is None else str(text)).replace("\n", "<br/>"), style)


# ---- tables -------------------------------------------------------------------------------------------


def data_table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[float],
    *,
    money_cols: Sequence[int] = (),
    center_cols: Sequence[int] = (),
    wrap: bool = True,
    total_row: Optional[Sequence[Any]] = None,
    font_size: float = 8.5,
) -> Table:
    """A grid table whose header row repeats on every page it spans. Money columns are right-aligned
    (callers pass amounts already formatted with :func:`fmt_money`). With ``wrap`` every cell is a
    paragraph that wraps Chinese text; without it cells are plain strings (fast for long annexes)."""
    st = styles()
    font = register_fonts()
    money_set, center_set = set(money_cols), set(center_cols)

    fits = [hard_wrap_for(x - 6, font_size) for x in widths]  # 3 pt padding each side

    def cell(i: int, v: Any):
        text = "" if v is None else str(v)
        if not wrap:
            return fits[i](text)
        style = st["cell_r"] if i in money_set else st["cell_c"] if i in center_set else st["cell"]
        return p(text, style)

    data = [[p(h, st["head"]) for h in header]]
    data += [[cell(i, v) for i, v in enumerate(r)] for r in rows]
    if total_row is not None:
        data.append([cell(i, v) for i, v in enumerate(total_row)])
    t = Table(data, colWidths=list(widths), repeatRows=1)
    cmds = [
        ("FONT", (0, 0), (-1, -1), font, font_size),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for c in money_set:
        cmds.append(("ALIGN", (c, 1), (c, -1), "RIGHT"))
    for c in center_set:
        cmds.append(("ALIGN", (c, 1), (c, -1), "CENTER"))
    if total_row is not None:
        cmds.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F5F5F5")))
    t.setStyle(TableStyle(cmds))
    return t


def hard_wrap_for(width: float, size: float = 8.5):
    """A function breaking plain text into lines no wider than ``width`` points (character by character, as
    Chinese text wraps), for table cells drawn as plain strings; nothing is cut off."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font = register_fonts()

    def fit(text: str) -> str:
        if stringWidth(text, font, size) <= width:
            return text
        lines, cur = [], ""
        for ch in text:
            if cur and stringWidth(cur + ch, font, size) > width:
                lines.append(cur)
                cur = ch
            else:
                cur += ch
        lines.append(cur)
        return "\n".join(lines)

    return fit


def field_table(pairs: Sequence[tuple[str, Any]], width: float, *, label_w: float = 32 * mm, cols: int = 1,
                padding: float = 3) -> Table:
    """Label/value pairs in a grid (``cols`` pairs per row)."""
    st = styles()
    rows, row = [], []
    for label, value in pairs:
        row += [p(label, st["cell"]), p(value, st["cell"])]
        if len(row) == 2 * cols:
            rows.append(row)
            row = []
    if row:
        row += [""] * (2 * cols - len(row))
        rows.append(row)
    value_w = (width - cols * label_w) / cols
    t = Table(rows, colWidths=[label_w, value_w] * cols)
    cmds = [
        ("FONT", (0, 0), (-1, -1), register_fonts(), 8.5),  # every table: never the default Helvetica
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
    ]
    for c in range(cols):
        cmds.append(("BACKGROUND", (2 * c, 0), (2 * c, -1), HEAD_BG))
    t.setStyle(TableStyle(cmds))
    return t


def signature_block(labels: Sequence[str], width: float, *, date_line: bool = True, cols: int = 2) -> Flowable:
    """Signature lines at the end of a document: ``label：________  日期：____年__月__日``."""
    st = styles()
    cells = []
    for label in labels:
        cells.append(Paragraph(escape(f"{label}：") + "_" * 16 + ("<br/>日期：______年____月____日" if date_line else ""), st["body"]))
    rows = [cells[i:i + cols] + [""] * (cols - len(cells[i:i + cols])) for i in range(0, len(cells), cols)]
    t = Table(rows, colWidths=[width / cols] * cols)
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), register_fonts(), 10.5), ("TOPPADDING", (0, 0), (-1, -1), 10),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 6 * mm), t])


def money_cell(value: Any) -> str:
    return fmt_money(value)


# ---- the page ---------------------------------------------------------------------------------------


def page_size(spec: DocSpec) -> tuple[float, float]:
    return landscape(A4) if spec.landscape else A4


def content_width(spec: DocSpec) -> float:
    return page_size(spec)[0] - 2 * MARGIN


class NumberedCanvas(Canvas):
    """Keeps each page's drawing until save, then draws every page's header/footer knowing the total."""

    decorate: Callable[["NumberedCanvas", int, int], None] = staticmethod(lambda c, n, t: None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []

    def showPage(self):
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for i, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            self.decorate(self, i, total)
            super().showPage()
        super().save()


def _decorator(spec: DocSpec, ctx: ReportContext):
    font = register_fonts()
    w, h = page_size(spec)
    authority = (ctx.info.medins_name if spec.by_institution else "") or ctx.authority or "医疗保障基金飞行检查"
    generated = formatting.date_time(ctx.generated_at)

    def decorate(c: Canvas, page: int, total: int) -> None:
        c.saveState()
        c.setFillColor(colors.HexColor("#404040"))
        c.setStrokeColor(GRID)
        c.setLineWidth(0.5)
        # header
        y = h - MARGIN + 4 * mm
        c.setFont(font, 8.5)
        c.drawString(MARGIN, y, f"{authority} · {spec.title}")
        if ctx.doc_no:
            c.drawRightString(w - MARGIN, y, f"文号：{ctx.doc_no}")
        c.line(MARGIN, y - 2 * mm, w - MARGIN, y - 2 * mm)
        # footer
        fy = MARGIN - 7 * mm
        c.line(MARGIN, fy + 4 * mm, w - MARGIN, fy + 4 * mm)
        c.drawString(MARGIN, fy, f"案件编号：{ctx.info.case_id}")
        c.drawCentredString(w / 2, fy, f"第 {page} 页 共 {total} 页")
        c.drawRightString(w - MARGIN, fy, f"生成时间：{generated}")
        # signature band on every page
        if spec.page_signatures:
            sy = MARGIN + 2 * mm
            n = len(spec.page_signatures)
            labels = [f"{label}：" for label in spec.page_signatures]
            widths = [c.stringWidth(t, font, 9.5) for t in labels]
            gap = 5 * mm
            line_w = max(15 * mm, (w - 2 * MARGIN - sum(widths) - gap * (n - 1)) / n)
            c.setFont(font, 9.5)
            c.setFillColor(colors.black)
            x = MARGIN
            for text, lw in zip(labels, widths):
                c.drawString(x, sy, text)
                c.line(x + lw, sy - 1, x + lw + line_w, sy - 1)
                x += lw + line_w + gap
            if spec.page_note:
                c.setFont(font, 7.5)
                c.setFillColor(colors.HexColor("#606060"))
                c.drawString(MARGIN, sy + 7 * mm, spec.page_note)
        c.restoreState()

    return decorate


HEADING_ROOM = 28 * mm  # a heading with less room below it than this starts the next page


def _headings_not_alone(story: list[Flowable]) -> list[Flowable]:
    """A conditional page break before every h1/h2 heading, so none is left alone at the foot of a page (a
    heading kept together with a whole table would instead push the table and leave half a page blank)."""
    out: list[Flowable] = []
    for f in story:
        if isinstance(f, Paragraph) and getattr(f.style, "name", "") in ("h1", "h2") and out:
            out.append(CondPageBreak(HEADING_ROOM))
        out.append(f)
    return out


def build_pdf(spec: DocSpec, ctx: ReportContext, story: list[Flowable]) -> bytes:
    """Lay out ``story`` on the document's pages; returns the PDF bytes."""
    register_fonts()
    story = _headings_not_alone(story)
    w, h = page_size(spec)
    bottom = MARGIN + (SIGN_BAND_H if spec.page_signatures else 0)
    top = MARGIN + 2 * mm
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=(w, h),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=top,
        bottomMargin=bottom,
        title=f"{spec.title} {ctx.doc_no}".strip(),
        author=(ctx.info.medins_name if spec.by_institution else "") or ctx.authority or "feijian",
        subject=f"case {ctx.info.case_id}",
        creator="feijian",
        producer="feijian (reportlab)",
        invariant=1,
        initialFontName=register_fonts(),  # else the canvas declares an unembedded Helvetica
    )
    frame = Frame(MARGIN, bottom, w - 2 * MARGIN, h - top - bottom, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    decorate = _decorator(spec, ctx)

    class _Canvas(NumberedCanvas):
        pass

    _Canvas.decorate = staticmethod(decorate)
    doc.build(story, canvasmaker=_Canvas)
    return buf.getvalue()


def title_block(spec: DocSpec, ctx: ReportContext, subtitle: str = "") -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [p(spec.title, st["title"])]
    sub = subtitle or (ctx.doc_no and f"{ctx.doc_no}") or ""
    if sub:
        out.append(p(sub, st["subtitle"]))
    return out
