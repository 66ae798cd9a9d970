"""现场采集纸质页面: photos of paper pages dropped on the record view (or picked) become record documents of the
encounter open there (issue 20, capture on site). Each photo is read with OCR in a child process (progress and
cancel; the OCR pool starts inside the child), then :class:`CaptureDialog` shows the photo and the text read,
the inspector chooses the document type (proposed from the page's heading) and confirms the date (proposed
from a date written on the page, else the admission day), and the capture is a decision
(casework.captured_pages.capture_document: the photo into the evidence vault, the document an event; undone
like any other). Photos are handled one after another; one that cannot be read is reported and skipped, a
cancel stops the rest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable, Optional, Sequence

from PySide6.QtCore import QDateTime, QObject, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (QComboBox, QDateTimeEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget)

from feijian.casework.captured_pages import PageReading, proposed_doc_type
from feijian.domain.codes import code_names
from feijian.gui import font_size
from feijian.rules.knowledge_base import DOC_TYPES

FILE_FILTER = "页面照片或扫描件 (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.webp *.pdf)"


class CaptureDialog(QDialog):
    def __init__(self, reading: PageReading, photo: Optional[QImage], mdtrt_id: str,
                 stay: tuple[Optional[dt.date], Optional[dt.date]] = (None, None), position: str = "",
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.reading = reading
        self.setWindowTitle(self.tr("采集纸质页面") + (f"　{position}" if position else ""))
        self.resize(1000, 640)
        layout = QVBoxLayout(self)
        head = QLabel(self.tr("就诊 %1　照片 %2").replace("%1", mdtrt_id).replace("%2", reading.file_name), self)
        font_size.relative(head, 1.15, bold=True)
        layout.addWidget(head)
        body = QHBoxLayout()
        self.photo = QLabel(self)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setMinimumWidth(380)
        self.photo.setStyleSheet("background:#9e9e9e")
        if photo is not None and not photo.isNull():
            self.photo.setPixmap(QPixmap.fromImage(photo).scaled(380, 520, Qt.AspectRatioMode.KeepAspectRatio,
                                                                 Qt.TransformationMode.SmoothTransformation))
        else:
            self.photo.setText(self.tr("（无法预览）"))
        body.addWidget(self.photo)
        right = QVBoxLayout()
        conf = "—" if reading.confidence is None else f"{reading.confidence:.2f}"
        note = self.tr("识别 %1 页，最低置信度 %2").replace("%1", str(reading.pages)).replace("%2", conf)
        if reading.straightened:
            note += self.tr("；页面已按轮廓拉正")
        right.addWidget(QLabel(note, self))
        self.text = QPlainTextEdit(reading.text, self)
        self.text.setReadOnly(True)
        font_size.relative(self.text, 1.1)
        right.addWidget(self.text, 1)
        form = QFormLayout()
        self.doc_type = QComboBox(self)
        names = code_names("doc_type")
        for code in DOC_TYPES:
            self.doc_type.addItem(names.get(code, code), code)
        guess = proposed_doc_type(reading.text)
        self.doc_type.setCurrentIndex(self.doc_type.findData(guess) if guess else -1)
        self.doc_type.setPlaceholderText(self.tr("请选择文书类型"))
        form.addRow(self.tr("文书类型"), self.doc_type)
        self.when = QDateTimeEdit(self)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        proposed = reading.proposed
        start, end = stay
        if proposed is not None and (start and proposed.date() < start or end and proposed.date() > end):
            proposed = None
        if proposed is not None:
            self.date_note = QLabel(self.tr("据页面文字：%1，请核对").replace("%1", proposed.strftime("%Y-%m-%d %H:%M")), self)
        else:
            self.date_note = QLabel(self.tr("页面上没有读出住院期间的日期，请填写"), self)
            self.date_note.setStyleSheet("color:#e65100")
        when = proposed or (dt.datetime.combine(start, dt.time(8, 0)) if start else dt.datetime.now().replace(second=0))
        self.when.setDateTime(QDateTime(when))
        form.addRow(self.tr("记录时间"), self.when)
        form.addRow("", self.date_note)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("可选，例如：护理记录（第 2 页）"))
        form.addRow(self.tr("标题"), self.title)
        right.addLayout(form)
        hint = QLabel(self.tr("照片原样存入证据库（加密、登记哈希）；识别文字作为本次就诊的一份病历文书，记入日志，可撤销。"), self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555")
        right.addWidget(hint)
        body.addLayout(right, 1)
        layout.addLayout(body, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.error = QLabel(self)
        self.error.setStyleSheet("color:#c62828")
        layout.addWidget(self.error)

    def _accept(self) -> None:
        if self.doc_type.currentData() is None:
            self.error.setText(self.tr("请选择文书类型"))
            return
        self.accept()

    def chosen(self) -> tuple[str, dt.datetime, str]:
        """(document type code, date, title)."""
        return str(self.doc_type.currentData()), self.when.dateTime().toPython().replace(second=0, microsecond=0), \
            self.title.text().strip()


class CaptureFlow(QObject):
    """The photos dropped on one encounter, read and captured one after another. ``on_captured(doc_id)``
    after each capture."""

    def __init__(self, page, mdtrt_id: str, paths: Sequence[Path], stay, on_captured: Callable[[str], None]) -> None:
        super().__init__(page)
        self.page, self.mdtrt_id, self.paths, self.stay = page, mdtrt_id, list(paths), stay
        self.on_captured = on_captured
        self.at = 0
        self.captured: list[str] = []
        self.last_task = None
        self.last_dialog: Optional[CaptureDialog] = None

    def start(self) -> None:
        self._next()

    def _next(self) -> None:
        from feijian.casework.captured_pages import read_photo
        from feijian.gui.tasks import run_with_progress

        if self.at >= len(self.paths):
            return
        path = self.paths[self.at]
        title = self.tr("识别页面 %1").replace("%1", path.name)
        def failed(exc: BaseException) -> None:  # this photo not read (told why); the next ones still are
            from feijian.gui.tasks import show_failure

            show_failure(self.page, title, exc)
            self.at += 1
            self._next()

        self.last_task = run_with_progress(self.page.window(), self.page.ctx.runner, title, read_photo,
                                           self.page.ctx.store, str(path), on_finished=self._read, on_failed=failed,
                                           in_process=True)

    def _read(self, reading: PageReading) -> None:
        from feijian.casework.captured_pages import capture_document
        from feijian.domain.errors import FeijianError
        from feijian.gui import dialogs

        path = self.paths[self.at]
        image = QImage(str(path))  # the inspector's own photo, decoded in memory for the preview
        position = f"{self.at + 1}/{len(self.paths)}" if len(self.paths) > 1 else ""
        dialog = CaptureDialog(reading, image, self.mdtrt_id, self.stay, position, self.page)
        self.last_dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            doc_type, when, title = dialog.chosen()
            label = self.tr("采集纸质页面 %1").replace("%1", reading.file_name)
            try:
                change = self.page.ctx.decide(label, lambda: capture_document(
                    self.page.ctx.store, reading, path, mdtrt_id=self.mdtrt_id, doc_type=doc_type, doc_time=when,
                    title=title))
            except FeijianError as exc:
                dialogs.error(self.page, self.tr("采集纸质页面"), str(exc))
            else:
                doc_id = next(k[1] for k, _v in change.writes if k[0] == "captured_doc")
                self.captured.append(doc_id)
                self.on_captured(doc_id)
        self.at += 1
        self._next()
