"""Simple charts drawn with QPainter: horizontal bars (by rule, by department) and month columns."""

from __future__ import annotations

from typing import Optional, Sequence

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from feijian.domain import formatting
from feijian.gui.font_size import DEFAULT_POINT_SIZE

PALETTE = [QColor("#2f6db5"), QColor("#c0392b"), QColor("#16a085"), QColor("#d68910"), QColor("#7d3c98"),
           QColor("#2e4053"), QColor("#b03a2e"), QColor("#1e8449")]


def _k(widget: QWidget) -> float:
    """The widget's font relative to the default 10 pt: the factor for the charts' pixel sizes."""
    size = widget.font().pointSizeF()
    return size / DEFAULT_POINT_SIZE if size > 0 else 1.0


def paint_frame(widget: QWidget, title: str, has_items: bool) -> Optional[QPainter]:
    """White background and the bold title; with no items the "no data" note, and None (nothing to draw)."""
    p = QPainter(widget)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.fillRect(widget.rect(), QColor("#ffffff"))
    title_font = widget.font()
    title_font.setBold(True)
    p.setFont(title_font)
    p.setPen(QColor("#222"))
    p.drawText(QRectF(8, 4, widget.width() - 16, round(24 * _k(widget))), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
    p.setFont(widget.font())
    if has_items:
        return p
    p.setPen(QColor("#888"))
    p.drawText(widget.rect(), Qt.AlignmentFlag.AlignCenter, QCoreApplication.translate("charts", "暂无数据"))
    p.end()
    return None

class BarChart(QWidget):
    """Horizontal bars: label on the left, bar, value text at the end."""

    def __init__(self, title: str, parent: Optional[QWidget] = None, *, money: bool = False, max_bars: int = 10) -> None:
        super().__init__(parent)
        self.title = title
        self.money = money
        self.max_bars = max_bars
        self.items: list[tuple[str, float, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(160)

    def set_items(self, items: Sequence[tuple[str, float, str]]) -> None:
        """(label, value, shown text)."""
        self.items = list(items)[: self.max_bars]
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        k = _k(self)
        return QSize(round(420 * k), round((40 + 26 * max(3, len(self.items))) * k))

    def paintEvent(self, _event) -> None:
        p = paint_frame(self, self.title, bool(self.items))
        if p is None:
            return
        fm = QFontMetrics(self.font())
        label_w = min(max(fm.horizontalAdvance(lbl) for lbl, _, _ in self.items) + 12, int(self.width() * 0.42))
        value_w = max(fm.horizontalAdvance(txt) for _, _, txt in self.items) + 10
        k = _k(self)
        top = round(32 * k)
        row_h = max(round(20 * k), min(round(28 * k), (self.height() - top - 6) // max(1, len(self.items))))
        max_v = max((v for _, v, _ in self.items), default=0) or 1
        bar_room = max(10, self.width() - label_w - value_w - 24)
        for i, (label, value, text) in enumerate(self.items):
            y = top + i * row_h
            p.setPen(QColor("#333"))
            elided = fm.elidedText(label, Qt.TextElideMode.ElideRight, label_w - 8)
            p.drawText(QRectF(8, y, label_w - 8, row_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, elided)
            w = bar_room * max(0.0, value) / max_v
            p.fillRect(QRectF(8 + label_w, y + 4, max(2.0, w), row_h - 8), PALETTE[i % len(PALETTE)])
            p.drawText(QRectF(12 + label_w + w, y, value_w, row_h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        p.end()


class ColumnChart(QWidget):
    """Vertical columns over time (amount by month)."""

    def __init__(self, title: str, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.title = title
        self.items: list[tuple[str, float]] = []
        self.setMinimumHeight(200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_items(self, items: Sequence[tuple[str, float]]) -> None:
        self.items = list(items)
        self.update()

    def paintEvent(self, _event) -> None:
        p = paint_frame(self, self.title, bool(self.items))
        if p is None:
            return
        fm = QFontMetrics(self.font())
        k = _k(self)
        left, top, bottom = round(56 * k), round(34 * k), self.height() - round(26 * k)
        right = self.width() - 10
        max_v = max(v for _, v in self.items) or 1
        p.setPen(QPen(QColor("#ccc")))
        for frac in (0.0, 0.5, 1.0):
            y = bottom - (bottom - top) * frac
            p.drawLine(left, int(y), right, int(y))
            p.setPen(QColor("#666"))
            p.drawText(QRectF(0, y - 10 * k, left - 6, 20 * k), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, formatting.money_axis(max_v * frac))
            p.setPen(QPen(QColor("#ccc")))
        n = len(self.items)
        slot = (right - left) / n
        step = max(1, int((fm.horizontalAdvance("2025-12") + 6) // max(1.0, slot)) + 1)
        for i, (label, value) in enumerate(self.items):
            x = left + i * slot
            h = (bottom - top) * max(0.0, value) / max_v
            p.fillRect(QRectF(x + slot * 0.15, bottom - h, slot * 0.7, h), PALETTE[0])
            if i % step == 0:
                p.setPen(QColor("#444"))
                p.drawText(QRectF(x - 20 * k, bottom + 2, slot + 40 * k, 20 * k), Qt.AlignmentFlag.AlignCenter, label)
        p.end()
