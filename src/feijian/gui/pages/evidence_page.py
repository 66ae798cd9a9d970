"""证据: add files by drag and drop or dialog, typed records (询问笔录, 现场检查笔录), image preview,
SHA-256 shown, link to a finding. Files enter the encrypted vault in a background task."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QSplitter, QTableView,
                               QTextBrowser, QVBoxLayout, QWidget)

from feijian.domain.errors import FeijianError
from feijian.domain.progress import check_cancelled, report
from feijian.domain.records import EVIDENCE_KIND_NAMES, TYPED_RECORD_KINDS
from feijian.domain.typed_records import record_lines
from feijian.gui import case_data, dialogs
from feijian.gui.models import Column, FrameModel, configure_table_view
from feijian.gui.record_dialog import RecordDialog
from feijian.gui.tasks import run_with_progress
from feijian.gui.widgets.empty_hint import EmptyHint

KIND_LABELS = EVIDENCE_KIND_NAMES
PREVIEW_LIMIT = 30 * 1024 * 1024


def add_files(store, paths: list[Path], *, progress=None, cancelled=None) -> list:
    """Add evidence files one by one (each its own event), reporting progress."""
    items = []
    for i, p in enumerate(paths):
        check_cancelled(cancelled)
        report(progress, i, len(paths), f"加入证据：{Path(p).name}")
        items.append(store.add_evidence(Path(p), cancelled=cancelled))
    report(progress, len(paths), len(paths), "")
    return items


def evidence_columns() -> list[Column]:
    return [Column("kind", "类型", width=100, labels=KIND_LABELS), Column("original_name", "名称", width=220),
            Column("size", "字节", "int", width=90), Column("added_at", "加入时间", "datetime", width=170),
            Column("finding", "关联问题", width=180), Column("sha256", "SHA-256", width=480)]


class EvidencePage(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list = []
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_button = QPushButton(self.tr("添加文件…"), self)
        self.interview_button = QPushButton(self.tr("新建询问笔录…"), self)
        self.onsite_button = QPushButton(self.tr("新建现场检查笔录…"), self)
        self.finding = QComboBox(self)
        self.finding.setMinimumWidth(220)
        self.link_button = QPushButton(self.tr("关联到问题"), self)
        hint = QLabel(self.tr("也可把文件拖到此处"), self)
        hint.setStyleSheet("color:#777")
        for w in (self.add_button, self.interview_button, self.onsite_button):
            bar.addWidget(w)
        bar.addSpacing(20)
        bar.addWidget(QLabel(self.tr("问题"), self))
        bar.addWidget(self.finding)
        bar.addWidget(self.link_button)
        bar.addStretch(1)
        bar.addWidget(hint)
        layout.addLayout(bar)
        self.hint = EmptyHint(self)
        layout.addWidget(self.hint)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.model = FrameModel(pd.DataFrame(), evidence_columns(), self)
        self.table = QTableView(splitter)
        configure_table_view(self.table, self.model)
        right = QWidget(splitter)
        rl = QVBoxLayout(right)
        self.hash_label = QLabel(right)
        self.hash_label.setWordWrap(True)
        self.hash_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.image = QLabel(right)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(360, 260)
        self.text = QTextBrowser(right)
        rl.addWidget(self.hash_label)
        rl.addWidget(self.image, 1)
        rl.addWidget(self.text, 1)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setSizes([800, 420])
        layout.addWidget(splitter, 1)
        self.setFocusProxy(self.table)
        self.add_button.clicked.connect(self.choose_files)
        self.interview_button.clicked.connect(lambda: self.new_record("interview"))
        self.onsite_button.clicked.connect(lambda: self.new_record("onsite_record"))
        self.link_button.clicked.connect(self.link_selected)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.preview())
        ctx.decisions_changed.connect(self.refresh)

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.items = self.ctx.store.evidence_items()
        titles = {f.finding_id: f.title for f in case_data.findings_of(self.ctx.store)}
        rows = [{"evidence_id": e.evidence_id, "kind": e.kind, "original_name": e.original_name, "size": e.size,
                 "added_at": e.added_at, "finding": titles.get(e.finding_id, ""),
                 "sha256": e.sha256} for e in self.items]
        self.model.set_frame(pd.DataFrame(rows, columns=["evidence_id", "kind", "original_name", "size", "added_at",
                                                         "finding", "sha256"]), evidence_columns())
        current = self.finding.currentData()
        self.finding.clear()
        self.finding.addItem(self.tr("（不关联）"), "")
        for fid, title in titles.items():
            self.finding.addItem(title, fid)
        self.finding.setCurrentIndex(max(0, self.finding.findData(current)))
        if self.model.rowCount():
            self.table.selectRow(self.model.rowCount() - 1)
        self.hint.show_hint("" if self.items else self.tr(
            "尚无证据 — 点击“添加文件…”或把照片、扫描件拖到此处；询问与现场检查用“新建…笔录”"))

    def current_item(self):
        idx = self.table.currentIndex()
        if not idx.isValid():
            return None
        pos = self.model.frame_row(idx.row())
        return self.items[pos] if pos < len(self.items) else None

    def preview(self) -> None:
        item = self.current_item()
        self.image.clear()
        self.text.clear()
        if item is None:
            self.hash_label.clear()
            return
        self.hash_label.setText(f"<b>{item.original_name}</b><br>SHA-256: <code>{item.sha256}</code>")
        if item.size > PREVIEW_LIMIT:
            self.text.setPlainText(self.tr("文件较大，不在此预览。"))
            return
        if item.media_type.startswith("image/"):
            pix = QPixmap()
            pix.loadFromData(self.ctx.store.read_evidence(item.evidence_id))  # decrypted in memory only
            if not pix.isNull():
                self.image.setPixmap(pix.scaled(self.image.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                Qt.TransformationMode.SmoothTransformation))
        elif item.kind in TYPED_RECORD_KINDS:
            record = json.loads(self.ctx.store.read_evidence(item.evidence_id))
            self.text.setPlainText("\n".join(f"{label}：{text}" for label, text in record_lines(item.kind, record)))
        elif item.media_type.startswith("text/"):
            self.text.setPlainText(self.ctx.store.read_evidence(item.evidence_id)[:20000].decode("utf-8", "replace"))

    # --- adding --------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths = dialogs.open_files(self, self.tr("选择证据文件"))
        if paths:
            self.add_paths(paths)

    def add_paths(self, paths: list[Path]):
        task = run_with_progress(self.window(), self.ctx.runner, self.tr("加入证据"), add_files, self.ctx.store,
                                 [Path(p) for p in paths], on_finished=lambda _r: self.ctx.decisions_changed.emit())
        task.case_path = self.ctx.path
        return task

    def new_record(self, kind: str) -> None:
        dialog = RecordDialog(kind, self.ctx.store.info, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.add_record(kind, dialog.record())

    def add_record(self, kind: str, record: dict):
        try:
            item = self.ctx.store.add_record(kind, record, finding_id=self.finding.currentData() or "")
        except FeijianError as exc:
            dialogs.error(self, self.tr("证据"), str(exc))
            return None
        self.ctx.decisions_changed.emit()
        return item

    def link_selected(self) -> None:
        item = self.current_item()
        if item is None:
            return
        from feijian.casework.findings import link_evidence

        fid = self.finding.currentData() or ""
        eid = item.evidence_id
        try:
            self.ctx.decide(self.tr("关联证据“%1”").replace("%1", item.original_name),
                            lambda: link_evidence(self.ctx.store, eid, fid))
        except FeijianError as exc:
            dialogs.error(self, self.tr("证据"), str(exc))

    # --- drag and drop ------------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        paths = [p for p in paths if p.is_file()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)
