"""更正识别行: the inspector corrects one line a recogniser read (issue 20). The dialog shows the line's part of
the page image (cut from the page decoded in memory), the recogniser's reading with its confidence, and an
editable field with the line as shown now; saving records a correction (casework.ocr_corrections), the
original reading kept. Saving it unchanged confirms the reading."""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from feijian.casework.record_pages import PageLine
from feijian.gui import font_size


class LineCorrectionDialog(QDialog):
    def __init__(self, line: PageLine, original: str, image: Optional[QImage] = None, unit: float = 1.0,
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("更正识别行"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        self.crop = QLabel(self)
        self.crop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.crop.setStyleSheet("background:#fff;border:1px solid #bbb")
        if image is not None and not image.isNull():
            x0, y0, x1, y1 = (v * unit for v in line.box)
            pad = 0.25 * (y1 - y0)
            rect = QRect(round(x0 - pad), round(y0 - pad), round(x1 - x0 + 2 * pad), round(y1 - y0 + 2 * pad))
            part = image.copy(rect.intersected(image.rect()))
            if not part.isNull():
                self.crop.setPixmap(QPixmap.fromImage(part).scaledToWidth(min(900, max(600, part.width())),
                                                                            Qt.TransformationMode.SmoothTransformation))
        layout.addWidget(QLabel(self.tr("原件上的这一行："), self))
        layout.addWidget(self.crop)
        conf = self.tr("识别结果（置信度 %1）：").replace("%1", f"{line.confidence:.2f}") if not line.corrected \
            else self.tr("识别结果（已由检查人员更正）：")
        layout.addWidget(QLabel(conf, self))
        self.reading = QLabel(original, self)
        self.reading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font_size.relative(self.reading, 1.2)
        layout.addWidget(self.reading)
        layout.addWidget(QLabel(self.tr("按原件更正为（不改动即为确认识别无误）："), self))
        self.edit = QLineEdit(line.text, self)
        font_size.relative(self.edit, 1.2)
        layout.addWidget(self.edit)
        note = QLabel(self.tr("更正记入案件日志，可撤销；原识别结果保留。保存后请“重新筛查”，规则才会采用更正后的文字。"), self)
        note.setWordWrap(True)
        note.setStyleSheet("color:#555")
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.edit.setFocus()
        self.edit.selectAll()

    def text(self) -> str:
        return self.edit.text().strip()
