"""文书: render the case's documents as PDF through feijian.reports (in a background task) and list those
issued, with number and SHA-256."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QCheckBox, QDialog, QGroupBox, QLabel, QListWidget, QListWidgetItem, QPushButton, QSplitter,
                               QTableView, QVBoxLayout, QWidget)
from PySide6.QtCore import Qt

from feijian.gui import dialogs
from feijian.gui.models import Column, FrameModel, configure_table_view
from feijian.gui.tasks import run_with_progress
from feijian.gui.widgets.empty_hint import EmptyHint


def render_document(doc: str, store, out: Path, *, progress=None, cancelled=None, options=None):
    from feijian.reports.issue import render

    if progress:
        progress(0, 1, f"正在生成 {out.name}")
    options = dict(options or {})
    issued = render(doc, store, out, **options)
    if doc == "transfer":  # a transfer letter is also a transfer made
        from feijian.casework.transfers import record_transfer

        record_transfer(store, options["transfer_to"], options["transfer_findings"],
                        recipient=options.get("recipient", ""), doc_no=issued.doc_no, sha256=issued.sha256)
    if progress:
        progress(1, 1, "")
    return issued


def documents_catalogue() -> dict:
    try:
        from feijian.reports.documents import DOCUMENTS
    except ImportError:
        return {}
    return DOCUMENTS


class DocumentsPage(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_issued = None
        layout = QVBoxLayout(self)
        self.hint = EmptyHint(self)
        layout.addWidget(self.hint)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left = QGroupBox(self.tr("生成文书"), splitter)
        ll = QVBoxLayout(left)
        self.docs = QListWidget(left)
        for key, (_mod, title) in documents_catalogue().items():
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.docs.addItem(item)
        if self.docs.count():
            self.docs.setCurrentRow(0)
        self.render_button = QPushButton(self.tr("生成 PDF(&P)…"), left)
        self.open_after = QCheckBox(self.tr("生成后打开(&A)"), left)
        self.open_after.setChecked(True)
        note = QLabel(self.tr("生成的 PDF 是导出文件，含被检机构数据，请妥善保管。"), left)
        note.setWordWrap(True)
        note.setStyleSheet("color:#8a5a00")
        ll.addWidget(self.docs, 1)
        ll.addWidget(self.open_after)
        ll.addWidget(self.render_button)
        ll.addWidget(note)
        right = QGroupBox(self.tr("已出具的文书"), splitter)
        rl = QVBoxLayout(right)
        self.model = FrameModel(pd.DataFrame(), self.columns(), self)
        self.table = QTableView(right)
        configure_table_view(self.table, self.model)
        rl.addWidget(self.table)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([320, 900])
        layout.addWidget(splitter)
        self.setFocusProxy(self.docs)  # Ctrl+7: the list of documents, ↑↓ to choose, Alt+P to render
        self.docs.itemActivated.connect(lambda _item: self.choose_and_render())  # Enter renders the chosen one
        self.render_button.clicked.connect(self.choose_and_render)

    def columns(self):
        return [Column("doc_no", "文号", width=200), Column("title", "文书", width=220),
                Column("time", "出具时间", "datetime", width=170), Column("file_name", "文件", width=200),
                Column("sha256", "SHA-256", width=480)]

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        cat = documents_catalogue()
        rows = []
        for d in self.ctx.store.documents():
            rows.append({"doc_no": d.get("doc_no", ""), "title": cat.get(d.get("doc", ""), ("", d.get("doc", "")))[1],
                         "time": d.get("issued_at") or d.get("time") or "",
                         "file_name": d.get("file_name", ""), "sha256": d.get("sha256", "")})
        self.model.set_frame(pd.DataFrame(rows, columns=["doc_no", "title", "time", "file_name", "sha256"]), self.columns())
        self.hint.show_hint("" if rows else self.tr(
            "尚未出具文书 — 在左侧选择一种文书，点击“生成 PDF…” (Alt+P)；文号与哈希记入案件"))

    def choose_and_render(self) -> None:
        item = self.docs.currentItem()
        if item is None:
            return
        doc = item.data(Qt.ItemDataRole.UserRole)
        options = None
        if doc == "transfer":
            from feijian.gui.transfer_dialog import TransferDialog

            dialog = TransferDialog(self.ctx.store, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            options = dialog.options()
        out = dialogs.save_file(self, self.tr("保存文书"), f"{self.ctx.store.info.name}-{item.text()}.pdf", "PDF (*.pdf)")
        if out is not None:
            self.render(doc, out, options=options)

    def render(self, doc: str, out: Path, options=None):
        task = run_with_progress(self.window(), self.ctx.runner, self.tr("生成文书"), render_document, doc,
                                 self.ctx.store, Path(out), on_finished=self._rendered, options=options)
        task.case_path = self.ctx.path
        return task

    def _rendered(self, issued) -> None:
        self.last_issued = issued
        self.refresh()
        if self.open_after.isChecked() and issued is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(issued.path)))
