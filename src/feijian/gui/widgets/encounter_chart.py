"""The record-vs-billing chart of one encounter, custom painted.

One column per calendar day from the first to the last event of the encounter. From the top: the date
header, the stay (admission → discharge, a black cross on the day of death), operations, the orders as bars
over the days they ran, then the fee lines as an item × day grid (quantity per cell). Days outside the
stay are tinted; fee cells behind a hit are filled red and carry the hit's rule code, so a charge after
discharge or death, beyond an order, or above a limit stands out at a glance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from feijian.domain import formatting
from feijian.gui.font_size import DEFAULT_POINT_SIZE

LABEL_W = 250
DAY_W = 46
ROW_H = 22
HEADER_H = 40
SECTION_H = 24

OUTSIDE = QColor("#fbe3e3")
STAY = QColor("#2f6db5")
ORDER_LONG = QColor("#5b9bd5")
ORDER_TEMP = QColor("#70ad47")
HIT_FILL = QColor("#ffd59e")  # lines of the encounter's other hits
HIT_SELECTED = QColor("#d32f2f")  # lines of the hit being decided
GRID = QColor("#e3e6eb")


@dataclass
class FeeCell:
    qty: float = 0.0
    amount: float = 0.0
    lines: list = field(default_factory=list)  # feedetl_sn
    rules: set = field(default_factory=set)  # rule codes of hits behind this cell
    selected: bool = False  # a line of the selected hit


@dataclass
class FeeRow:
    code: str
    name: str
    cells: dict  # date -> FeeCell


@dataclass
class OrderBar:
    label: str
    start: dt.date
    end: dt.date
    kind: str  # long / temp
    hit: bool = False


@dataclass
class EncounterData:
    admission: Optional[dt.date] = None
    discharge: Optional[dt.date] = None
    discharge_time: Optional[dt.datetime] = None
    died: bool = False
    operations: list = field(default_factory=list)  # (date, label)
    orders: list = field(default_factory=list)  # OrderBar
    fees: list = field(default_factory=list)  # FeeRow
    first: Optional[dt.date] = None
    last: Optional[dt.date] = None

    def days(self) -> list[dt.date]:
        dates = [d for d in (self.admission, self.discharge, self.first, self.last) if d is not None]
        if not dates:
            return []
        start, end = min(dates), max(dates)
        if (end - start).days > 400:  # keep a runaway date from drawing a kilometre of columns
            end = start + dt.timedelta(days=400)
        return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


class EncounterChart(QWidget):
    cell_clicked = Signal(str, object)  # item code, date

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.data = EncounterData()
        self._days: list[dt.date] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._measure()

    def _measure(self) -> None:
        """The chart's pixel geometry at the widget's font (the constants are for the default 10 pt)."""
        size = self.font().pointSizeF()
        k = size / DEFAULT_POINT_SIZE if size > 0 else 1.0
        self.label_w, self.day_w, self.row_h, self.header_h, self.section_h = (
            round(v * k) for v in (LABEL_W, DAY_W, ROW_H, HEADER_H, SECTION_H))

    def changeEvent(self, e) -> None:
        if e.type() == QEvent.Type.FontChange:  # Ctrl+= / Ctrl+-: the chart grows with the text
            self._measure()
            self.resize(self.sizeHint())
            self.updateGeometry()
            self.update()
        super().changeEvent(e)

    def set_data(self, data: EncounterData) -> None:
        self.data = data
        self._days = data.days()
        self.resize(self.sizeHint())
        self.updateGeometry()
        self.update()

    # --- geometry ------------------------------------------------------------------------------------
    def _rows(self):
        """(kind, payload) per drawn row, in order."""
        rows = [("stay", None)]
        if self.data.operations:
            rows.append(("ops", None))
        if self.data.orders:
            rows.append(("section", "医嘱（条形为医嘱执行期间）"))
            rows += [("order", o) for o in self.data.orders]
        rows.append(("section", "费用明细（格中为当日数量；深红＝所选疑点的明细，浅橙＝本次就诊其他疑点的明细）"))
        rows += [("fee", f) for f in self.data.fees]
        return rows

    def _row_height(self, kind: str) -> int:
        return self.section_h if kind == "section" else self.row_h

    def sizeHint(self) -> QSize:
        h = self.header_h + sum(self._row_height(k) for k, _ in self._rows()) + 8
        return QSize(self.label_w + self.day_w * max(1, len(self._days)) + 8, h)

    def day_x(self, day: dt.date) -> float:
        if not self._days:
            return self.label_w
        return self.label_w + (day - self._days[0]).days * self.day_w

    def _inside_stay(self, day: dt.date) -> bool:
        d = self.data
        if d.admission is None:
            return True
        end = d.discharge or d.admission
        return d.admission <= day <= end

    # --- painting ------------------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#ffffff"))
        fm = QFontMetrics(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.85))
        total_h = self.height()
        # day columns: tint days outside the stay, mark admission and discharge
        for i, day in enumerate(self._days):
            x = self.label_w + i * self.day_w
            if not self._inside_stay(day):
                p.fillRect(QRectF(x, 0, self.day_w, total_h), OUTSIDE)
            elif day.weekday() >= 5:
                p.fillRect(QRectF(x, self.header_h, self.day_w, total_h), QColor("#fafafa"))
            p.setPen(QPen(GRID))
            p.drawLine(QPointF(x, 0), QPointF(x, total_h))
            p.setPen(QColor("#333"))
            p.setFont(small)
            p.drawText(QRectF(x, 2, self.day_w, self.header_h / 2 - 2), Qt.AlignmentFlag.AlignCenter, day.strftime("%m-%d"))
            tag = ""
            if day == self.data.admission:
                tag = "入院"
            if day == self.data.discharge:
                tag = "死亡" if self.data.died else "出院"
            if tag:
                p.setFont(bold)
                p.setPen(QColor("#b71c1c") if tag == "死亡" else QColor("#1d3557"))
                p.drawText(QRectF(x, self.header_h / 2 - 1, self.day_w, self.header_h / 2 - 2), Qt.AlignmentFlag.AlignCenter, tag)
        p.setFont(self.font())
        y = self.header_h
        p.setPen(QPen(QColor("#999")))
        p.drawLine(0, self.header_h - 1, self.width(), self.header_h - 1)
        for kind, payload in self._rows():
            h = self._row_height(kind)
            if kind == "section":
                p.fillRect(QRectF(0, y, self.width(), h), QColor("#eef2f7"))
                p.setFont(bold)
                p.setPen(QColor("#1d3557"))
                p.drawText(QRectF(6, y, self.width(), h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, payload)
                p.setFont(self.font())
            elif kind == "stay":
                self._label(p, fm, y, "住院期间" if self.data.discharge else "就诊")
                if self.data.admission is not None:
                    end = self.data.discharge or self.data.admission
                    x0, x1 = self.day_x(self.data.admission), self.day_x(end) + self.day_w
                    t = self.data.discharge_time
                    if t is not None and t.date() == end:
                        x1 = self.day_x(end) + self.day_w * (t.hour * 3600 + t.minute * 60) / 86400
                    p.fillRect(QRectF(x0 + 2, y + 6, x1 - x0 - 4, h - 12), STAY)
                    if self.data.died and self.data.discharge is not None:
                        cx = self.day_x(self.data.discharge) + self.day_w / 2
                        p.setPen(QPen(QColor("#000"), 3))
                        p.drawLine(QPointF(cx - 7, y + 3), QPointF(cx + 7, y + h - 3))
                        p.drawLine(QPointF(cx + 7, y + 3), QPointF(cx - 7, y + h - 3))
            elif kind == "ops":
                self._label(p, fm, y, "手术操作")
                for day, label in self.data.operations:
                    if day is None:
                        continue
                    x = self.day_x(day)
                    p.setBrush(QColor("#7d3c98"))
                    p.setPen(Qt.PenStyle.NoPen)
                    p.drawEllipse(QRectF(x + self.day_w / 2 - 6, y + 5, 12, 12))
                    p.setBrush(Qt.BrushStyle.NoBrush)
            elif kind == "order":
                o: OrderBar = payload
                self._label(p, fm, y, o.label, QColor("#b71c1c") if o.hit else None)
                x0, x1 = self.day_x(o.start), self.day_x(o.end) + self.day_w
                color = ORDER_LONG if o.kind == "long" else ORDER_TEMP
                p.fillRect(QRectF(x0 + 3, y + 5, max(6.0, x1 - x0 - 6), h - 10), color)
            elif kind == "fee":
                row: FeeRow = payload
                selected = any(c.selected for c in row.cells.values())
                self._label(p, fm, y, f"{row.name}" if row.name else row.code, QColor("#b71c1c") if selected else None)
                for day, cell in row.cells.items():
                    x = self.day_x(day)
                    rect = QRectF(x + 1, y + 1, self.day_w - 2, h - 2)
                    if cell.selected:
                        p.fillRect(rect, HIT_SELECTED)
                        p.setPen(QColor("#ffffff"))
                    elif cell.rules:
                        p.fillRect(rect, HIT_FILL)
                        p.setPen(QColor("#5d4037"))
                    else:
                        p.fillRect(rect, QColor("#dbe7f5"))
                        p.setPen(QColor("#1d3557"))
                    qty = formatting.quantity(cell.qty, places=2 if abs(cell.qty) < 1000 else 0)
                    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, qty)
                    if cell.selected:
                        p.setPen(QPen(QColor("#000"), 2))
                        p.drawRect(rect.adjusted(0, 0, -1, -1))
            p.setPen(QPen(GRID))
            p.drawLine(0, y + h, self.width(), y + h)
            y += h
        p.setPen(QPen(QColor("#999")))
        p.drawLine(self.label_w, 0, self.label_w, total_h)
        t = self.data.discharge_time
        if t is not None and self._days and self._days[0] <= t.date() <= self._days[-1]:
            # the moment of discharge (or death) inside its day column
            x = self.day_x(t.date()) + self.day_w * (t.hour * 3600 + t.minute * 60 + t.second) / 86400
            pen = QPen(QColor("#000") if self.data.died else QColor("#1d3557"), 2, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(x, self.header_h - 4), QPointF(x, total_h))
        p.end()

    def _label(self, p: QPainter, fm: QFontMetrics, y: int, text: str, color: Optional[QColor] = None) -> None:
        p.fillRect(QRectF(0, y, self.label_w, self.row_h), QColor("#ffffff"))
        p.setPen(color or QColor("#222"))
        p.drawText(QRectF(6, y, self.label_w - 10, self.row_h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                   fm.elidedText(text, Qt.TextElideMode.ElideRight, self.label_w - 12))

    # --- tooltips ------------------------------------------------------------------------------------
    def item_at(self, x: float, y: float):
        if y < self.header_h or not self._days:
            return None
        day = None
        if x >= self.label_w:
            i = int((x - self.label_w) // self.day_w)
            if 0 <= i < len(self._days):
                day = self._days[i]
        top = self.header_h
        for kind, payload in self._rows():
            h = self._row_height(kind)
            if top <= y < top + h:
                return kind, payload, day
            top += h
        return None

    def event(self, e) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            found = self.item_at(e.position().x() if hasattr(e, "position") else e.pos().x(),
                                 e.position().y() if hasattr(e, "position") else e.pos().y())
            text = ""
            if found:
                kind, payload, day = found
                if kind == "fee":
                    cell = payload.cells.get(day) if day else None
                    text = f"{payload.code} {payload.name}"
                    if cell is not None:
                        text += f"\n{formatting.date_iso(day)}：数量 {formatting.quantity(cell.qty)}，金额 {formatting.money(cell.amount)}\n明细 {', '.join(cell.lines[:8])}"
                        if cell.rules:
                            text += "\n疑点规则：" + "、".join(sorted(cell.rules))
                elif kind == "order":
                    text = f"{payload.label}\n{payload.start:%Y-%m-%d} — {payload.end:%Y-%m-%d}（{'长期' if payload.kind == 'long' else '临时'}医嘱）"
            if text:
                QToolTip.showText(e.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(e)

    def mousePressEvent(self, e) -> None:
        found = self.item_at(e.position().x(), e.position().y())
        if found and found[0] == "fee" and found[2] is not None:
            self.cell_clicked.emit(found[1].code, found[2])
        super().mousePressEvent(e)
