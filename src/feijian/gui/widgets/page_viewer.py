"""原件页面: a page of a record document read with OCR, shown as the image with its recognised lines boxed
(issue 20, the record view). A line read with low confidence is boxed in orange with a dashed line; the lines
holding a mention of the selected item are boxed in red with the mention's characters shaded yellow; the line
picked in the text is outlined in blue. The image arrives decoded in memory (casework.record_pages.page_image)
and is never written anywhere. A line an inspector corrected is boxed in green (its tooltip gives the original
reading). Clicking a box selects its line (``line_clicked``; ↑/↓ move the selection); a double click, or Enter
or F2 on the selected line, emits ``line_activated`` (the record view opens the correction dialog).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QToolTip, QWidget

from feijian.casework.record_pages import PageLine, part_box

BOX = QColor(30, 136, 229, 150)  # a recognised line
LOW = QColor(245, 124, 0)  # read with low confidence
MENTION = QColor(198, 40, 40)  # holds a mention of the selected item
MENTION_FILL = QColor(255, 213, 79, 140)
SELECTED = QColor(21, 101, 192)
CORRECTED = QColor(46, 125, 50)  # corrected (or confirmed) by an inspector


@dataclass(frozen=True)
class DrawnBox:
    index: int  # the line's index in the document's _ocr_lines
    rect: QRectF  # on the canvas, in widget pixels
    kind: str  # "line", "low", "corrected", "mention"
    parts: tuple[QRectF, ...] = ()  # the shaded mention parts (kind "mention")


class PageCanvas(QWidget):
    line_clicked = Signal(int)
    line_activated = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.image: Optional[QImage] = None
        self.unit = 1.0  # image pixels per box unit
        self.view = QRectF()  # the part of the image shown (image pixels): the text's extent with a margin
        self.lines: list[PageLine] = []
        self.mentions: dict[int, list[tuple[int, int]]] = {}
        self.selected: Optional[int] = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    # --- data ---------------------------------------------------------------------------------------
    def set_page(self, image, unit: float, lines: Sequence[PageLine], mentions: dict, selected=None) -> None:
        if image is None:
            self.image = None
        else:
            h, w = image.shape[:2]
            buf = image.copy(order="C")
            self.image = QImage(buf.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()  # owns its pixels
        self.unit = unit
        self.lines = list(lines)
        self.view = self._text_extent()
        self.mentions = dict(mentions)
        self.selected = selected
        self.fit(self.width() or 600)
        self.update()

    def _text_extent(self) -> QRectF:
        """The recognised lines' extent on the image with a margin, so that a page photographed or scanned
        whole is shown at the size of its text, not as a small page in a wide margin."""
        if self.image is None or self.image.width() == 0:
            return QRectF()
        full = QRectF(0, 0, self.image.width(), self.image.height())
        if not self.lines:
            return full
        u = self.unit
        x0 = min(line.box[0] for line in self.lines) * u
        y0 = min(line.box[1] for line in self.lines) * u
        x1 = max(line.box[2] for line in self.lines) * u
        y1 = max(line.box[3] for line in self.lines) * u
        margin = 0.04 * self.image.width()
        return QRectF(QPointF(x0 - margin, y0 - margin), QPointF(x1 + margin, y1 + margin)).intersected(full)

    def fit(self, width: int) -> None:
        if self.image is None or self.view.width() <= 0:
            self.setFixedHeight(40)
            return
        self.setFixedHeight(max(40, round(self.view.height() * width / self.view.width())))

    def zoom(self) -> float:
        """Widget pixels per image pixel."""
        return self.width() / self.view.width() if self.image is not None and self.view.width() > 0 else 1.0

    def to_widget(self, box) -> QRectF:
        k = self.zoom()
        u = self.unit
        x0, y0, x1, y1 = box
        ox, oy = self.view.left(), self.view.top()
        return QRectF(QPointF((x0 * u - ox) * k, (y0 * u - oy) * k), QPointF((x1 * u - ox) * k, (y1 * u - oy) * k))

    def drawn_boxes(self) -> list[DrawnBox]:
        """What the canvas draws, in widget pixels (the tests read it)."""
        out = []
        for line in self.lines:
            rect = self.to_widget(line.box)
            if line.index in self.mentions:
                parts = tuple(self.to_widget(part_box(line, a, b)) for a, b in self.mentions[line.index])
                out.append(DrawnBox(line.index, rect, "mention", parts))
            else:
                out.append(DrawnBox(line.index, rect, "corrected" if line.corrected else "low" if line.low else "line"))
        return out

    def line_at(self, pos) -> Optional[PageLine]:
        for line in self.lines:
            if self.to_widget(line.box).adjusted(-2, -2, 2, 2).contains(QPointF(pos)):
                return line
        return None

    # --- painting -----------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(600, self.height())

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#9e9e9e"))
        if self.image is None:
            p.end()
            return
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.drawImage(QRectF(0, 0, self.width(), self.height()), self.image, self.view)
        for drawn in self.drawn_boxes():
            line = next(x for x in self.lines if x.index == drawn.index)
            if drawn.kind == "mention":
                for part in drawn.parts:
                    p.fillRect(part, MENTION_FILL)
                p.setPen(QPen(MENTION, 2.5))
            elif drawn.kind == "corrected":
                p.setPen(QPen(CORRECTED, 2.5))
            elif drawn.kind == "low":
                p.setPen(QPen(LOW, 2, Qt.PenStyle.DashLine))
            else:
                p.setPen(QPen(BOX, 1))
            p.setBrush(QBrush())
            p.drawRect(drawn.rect)
            if line.low and drawn.kind == "mention":  # a mention read with low confidence: both marks
                p.setPen(QPen(LOW, 2, Qt.PenStyle.DashLine))
                p.drawRect(drawn.rect.adjusted(-3, -3, 3, 3))
            if line.corrected and drawn.kind == "mention":  # a mention in a corrected line: both marks
                p.setPen(QPen(CORRECTED, 2))
                p.drawRect(drawn.rect.adjusted(-3, -3, 3, 3))
            if drawn.index == self.selected:
                p.setPen(QPen(SELECTED, 2))
                p.drawRect(drawn.rect.adjusted(-5, -5, 5, 5))
        p.end()

    # --- mouse --------------------------------------------------------------------------------------
    def mouseMoveEvent(self, event) -> None:
        line = self.line_at(event.position())
        if line is not None:
            tip = (f"{line.text}\n" + self.tr("已更正，原识别：") + str(line.original) if line.corrected else
                   f"{line.text}\n置信度 {line.confidence:.2f}" + ("（低）" if line.low else "")) \
                + "\n" + self.tr("双击或按 Enter 更正此行")
            QToolTip.showText(event.globalPosition().toPoint(), tip, self)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event) -> None:
        line = self.line_at(event.position())
        if line is not None:
            self.selected = line.index
            self.update()
            self.line_clicked.emit(line.index)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        line = self.line_at(event.position())
        if line is not None:
            self.line_activated.emit(line.index)
        super().mouseDoubleClickEvent(event)

    # --- keyboard -----------------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        key = event.key()
        order = [x.index for x in self.lines]
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2) and self.selected in order:
            self.line_activated.emit(self.selected)
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and order:
            at = order.index(self.selected) if self.selected in order else -1
            at = min(len(order) - 1, at + 1) if key == Qt.Key.Key_Down else max(0, at - 1)
            self.selected = order[at]
            self.update()
            self.line_clicked.emit(self.selected)
            return
        super().keyPressEvent(event)


class PageViewer(QScrollArea):
    """The canvas in a scroll area, fitted to its width."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.canvas = PageCanvas(self)
        self.setWidget(self.canvas)
        self.setWidgetResizable(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        width = max(100, self.viewport().width())
        self.canvas.setFixedWidth(width)
        self.canvas.fit(width)

    def set_page(self, image, unit: float, lines, mentions, selected=None) -> None:
        self._fit()
        self.canvas.set_page(image, unit, lines, mentions, selected)
        self.scroll_to_mention()

    def scroll_to_mention(self) -> None:
        boxes = [b for b in self.canvas.drawn_boxes() if b.kind == "mention" or b.index == self.canvas.selected]
        if boxes:
            r = boxes[0].rect
            self.ensureVisible(round(r.center().x()), round(r.center().y()), 20, round(self.viewport().height() / 3))
