"""The 分析 page's charts, custom painted: vertical columns (strata, a histogram of bands) and Benford's chart
(observed proportions as columns, the expected curve as a line with points, the MAD verdict in the title).
Axis labels go through domain/formatting.py."""

from __future__ import annotations

from typing import Optional, Sequence

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from feijian.domain import formatting
from feijian.gui.widgets.charts import PALETTE, paint_frame

OBSERVED = PALETTE[0]
EXPECTED = QColor("#c0392b")
GRID = QColor("#dddddd")
AXIS_TEXT = QColor("#555555")


def _tr(text: str) -> str:
    return QCoreApplication.translate("analysis_charts", text)


def nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 × 10^k) giving about ``ticks`` grid lines up to ``top``."""
    import math

    if top <= 0:
        return 1.0
    raw = top / ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def axis_text(value: float, *, percent: bool = False) -> str:
    if percent:
        return formatting.quantity(round(value * 100, 2), places=2) + "%"
    return formatting.count(round(value)) if abs(value) >= 1 or value == 0 else formatting.quantity(value, places=4)


class _Axes:
    """The plot rectangle with horizontal grid lines and their labels."""

    def __init__(self, widget: QWidget, p: QPainter, top_value: float, *, percent: bool, bottom_labels: int = 22) -> None:
        fm = QFontMetrics(widget.font())
        self.step = nice_step(top_value)
        n = max(1, int(-(-top_value // self.step))) if top_value > 0 else 1
        self.top_value = self.step * n
        labels = [axis_text(self.step * i, percent=percent) for i in range(n + 1)]
        self.left = 12 + max(fm.horizontalAdvance(t) for t in labels)
        self.top, self.bottom = 36, widget.height() - bottom_labels
        self.right = widget.width() - 12
        for i, text in enumerate(labels):
            y = self.y(self.step * i)
            p.setPen(QPen(GRID))
            p.drawLine(QPointF(self.left, y), QPointF(self.right, y))
            p.setPen(AXIS_TEXT)
            p.drawText(QRectF(0, y - 10, self.left - 6, 20), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)

    def y(self, value: float) -> float:
        return self.bottom - (self.bottom - self.top) * max(0.0, value) / (self.top_value or 1)


class ColumnBars(QWidget):
    """One column per item (label under it when there is room), the value's text above short series."""

    def __init__(self, title: str = "", parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.title = title
        self.items: list[tuple[str, float, str]] = []
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_items(self, title: str, items: Sequence[tuple[str, float, str]]) -> None:
        """(label, value, shown text) per column."""
        self.title = title
        self.items = list(items)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 260)

    def paintEvent(self, _event) -> None:
        p = paint_frame(self, self.title, bool(self.items))
        if p is None:
            return
        fm = QFontMetrics(self.font())
        n = len(self.items)
        widest = max(fm.horizontalAdvance(lbl) for lbl, _, _ in self.items) + 8
        slot_guess = max(1.0, (self.width() - 80) / n)
        rows = 1 if widest <= slot_guess else (2 if widest <= 2 * slot_guess else 3)  # staggered labels
        axes = _Axes(self, p, max(v for _, v, _ in self.items), percent=False, bottom_labels=6 + 18 * rows)
        slot = (axes.right - axes.left) / n
        label_step = max(1, int(widest // max(1.0, slot * rows)) + 1) if widest > slot * rows else 1
        values_fit = max(fm.horizontalAdvance(t) for _, _, t in self.items) + 4 <= slot
        for i, (label, value, text) in enumerate(self.items):
            x = axes.left + i * slot
            y = axes.y(value)
            p.fillRect(QRectF(x + slot * 0.12, y, slot * 0.76, axes.bottom - y), OBSERVED)
            if values_fit:
                p.setPen(QColor("#222"))
                p.drawText(QRectF(x, y - 18, slot, 16), Qt.AlignmentFlag.AlignCenter, text)
            if i % label_step == 0:
                p.setPen(AXIS_TEXT)
                room = slot * label_step * rows
                line = (i // label_step) % rows
                p.drawText(QRectF(x + slot / 2 - room / 2, axes.bottom + 3 + 18 * line, room, 18),
                           Qt.AlignmentFlag.AlignCenter, fm.elidedText(label, Qt.TextElideMode.ElideRight, int(room) - 2))
        p.end()


class BenfordChart(QWidget):
    """Observed leading-digit proportions (columns) against Benford's expected ones (line and points)."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.digits: list[int] = []
        self.actual: list[float] = []
        self.expected: list[float] = []
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, title: str, digits: Sequence[int], actual: Sequence[float], expected: Sequence[float]) -> None:
        self.title = title
        self.digits, self.actual, self.expected = list(digits), list(actual), list(expected)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 260)

    def paintEvent(self, _event) -> None:
        has = bool(self.digits) and any(self.actual)
        p = paint_frame(self, self.title, has)
        if p is None:
            return
        fm = QFontMetrics(self.font())
        axes = _Axes(self, p, max(max(self.actual), max(self.expected)), percent=True, bottom_labels=40)
        n = len(self.digits)
        slot = (axes.right - axes.left) / n
        label_step = max(1, int((fm.horizontalAdvance("99") + 6) // max(1.0, slot)) + 1)
        points = []
        for i, (d, a, e) in enumerate(zip(self.digits, self.actual, self.expected)):
            x = axes.left + i * slot
            y = axes.y(a)
            p.fillRect(QRectF(x + slot * 0.1, y, slot * 0.8, axes.bottom - y), OBSERVED)
            points.append(QPointF(x + slot / 2, axes.y(e)))
            if (n <= 9 and i % label_step == 0) or (n > 9 and d % 10 == 0):
                p.setPen(AXIS_TEXT)
                p.drawText(QRectF(x - 10, axes.bottom + 2, slot + 20, 16), Qt.AlignmentFlag.AlignCenter, str(d))
        pen = QPen(EXPECTED)
        pen.setWidthF(2.0)
        p.setPen(pen)
        p.drawPolyline(QPolygonF(points))
        if n <= 20:
            p.setBrush(EXPECTED)
            for pt in points:
                p.drawEllipse(pt, 3.5, 3.5)
        # legend under the digit labels
        y = self.height() - 18
        p.fillRect(QRectF(axes.left, y + 3, 14, 10), OBSERVED)
        p.setPen(QColor("#333"))
        p.drawText(QRectF(axes.left + 18, y, 120, 16), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   _tr("实际占比"))
        x2 = axes.left + 24 + fm.horizontalAdvance(_tr("实际占比")) + 16
        p.setPen(pen)
        p.drawLine(QPointF(x2, y + 8), QPointF(x2 + 16, y + 8))
        p.setPen(QColor("#333"))
        p.drawText(QRectF(x2 + 20, y, 160, 16), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   _tr("本福特期望占比"))
        p.end()
