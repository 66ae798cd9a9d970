"""问题: findings with amount, legal basis, penalty range and evidence; edits go on the undo stack."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from feijian.domain.errors import FeijianError
from feijian.domain.records import EVIDENCE_KIND_NAMES
from feijian.gui import case_data, dialogs
from feijian.gui.models import Column, FrameModel, configure_table_view
from feijian.gui.models.frame_model import format_money
from feijian.gui.widgets.empty_hint import EmptyHint

FINDING_STATUS = {"draft": "草稿", "agreed": "机构确认", "disputed": "机构有异议"}


def penalty_text(amount: Decimal, article: int) -> str:
    """The fine range for a finding (casework.penalties: a multiple of the amount by article)."""
    try:
        from feijian.casework.penalties import penalty_range
    except ImportError:
        return ""
    if not article:
        return ""
    try:
        low, high = penalty_range(int(article), amount)
    except (FeijianError, TypeError, ValueError):
        return ""
    return f"{format_money(low)} — {format_money(high)} 元"


def findings_frame(findings) -> pd.DataFrame:
    rows = [{"finding_id": f.finding_id, "title": f.title, "rule_code": f.rule_code, "hits": len(f.hit_ids),
             "amount": f.amount, "legal_basis": f.legal_basis, "article": f.article, "category": f.category,
             "status": f.status, "evidence": len(f.evidence_ids), "penalty": penalty_text(f.amount, f.article)}
            for f in findings]
    return pd.DataFrame(rows, columns=["finding_id", "title", "rule_code", "hits", "amount", "legal_basis", "article",
                                       "category", "status", "evidence", "penalty"])


def finding_columns() -> list[Column]:
    return [Column("title", "问题", width=240), Column("category", "类别", width=90),
            Column("hits", "疑点数", "int", width=70), Column("amount", "金额（元）", "money", width=120),
            Column("penalty", "罚款幅度", width=200), Column("legal_basis", "依据", width=300),
            Column("status", "状态", width=90, labels=FINDING_STATUS), Column("evidence", "证据", "int", width=60)]


class FindingsPage(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.findings: list = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.undo_button = QPushButton(self.tr("撤销"), self)
        self.redo_button = QPushButton(self.tr("重做"), self)
        self.delete_button = QPushButton(self.tr("删除问题"), self)
        self.total = QLabel(self)
        self.total.setStyleSheet("font-weight:bold")
        for b in (self.undo_button, self.redo_button, self.delete_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.total)
        layout.addLayout(bar)
        self.hint = EmptyHint(self)
        layout.addWidget(self.hint)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.model = FrameModel(pd.DataFrame(), finding_columns(), self)
        self.table = QTableView(splitter)
        configure_table_view(self.table, self.model)
        editor = QGroupBox(self.tr("编辑问题"), splitter)
        form = QFormLayout(editor)
        self.title = QLineEdit(editor)
        self.amount = QLineEdit(editor)
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.legal_basis = QLineEdit(editor)
        self.status = QComboBox(editor)
        for code, label in FINDING_STATUS.items():
            self.status.addItem(self.tr(label), code)
        self.description = QPlainTextEdit(editor)
        self.description.setMaximumHeight(90)
        self.evidence = QLabel(editor)
        self.evidence.setWordWrap(True)
        self.hits_label = QLabel(editor)
        self.save_button = QPushButton(self.tr("保存修改"), editor)
        form.addRow(self.tr("标题"), self.title)
        form.addRow(self.tr("金额（元）"), self.amount)
        form.addRow(self.tr("法律依据"), self.legal_basis)
        form.addRow(self.tr("状态"), self.status)
        form.addRow(self.tr("问题描述"), self.description)
        form.addRow(self.tr("疑点"), self.hits_label)
        form.addRow(self.tr("证据"), self.evidence)
        form.addRow("", self.save_button)
        splitter.addWidget(self.table)
        splitter.addWidget(editor)
        splitter.setSizes([400, 300])
        layout.addWidget(splitter, 1)
        self.setFocusProxy(self.table)
        stack = ctx.undo_stack
        self.undo_button.clicked.connect(stack.undo)
        self.redo_button.clicked.connect(stack.redo)
        stack.canUndoChanged.connect(self.undo_button.setEnabled)
        stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(stack.canUndo())
        self.redo_button.setEnabled(stack.canRedo())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._load_editor())
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        ctx.decisions_changed.connect(self.refresh)
        ctx.data_changed.connect(self.refresh)

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.findings = case_data.findings_of(self.ctx.store)
        current = self.current_finding()
        keep = current.finding_id if current else None
        frame = findings_frame(self.findings)
        self.model.set_frame(frame, finding_columns())
        total = sum((f.amount for f in self.findings), Decimal("0"))
        self.total.setText(self.tr("问题 %1 个，金额合计 %2 元").replace("%1", str(len(self.findings)))
                           .replace("%2", format_money(total)))
        self.hint.show_hint("" if self.findings else self.tr(
            "尚无问题 — 在“疑点”页核查疑点，按 C 确认，确认的疑点按规则归为问题 (Ctrl+3)"))
        row = 0
        if keep is not None:
            matches = frame.index[frame["finding_id"] == keep]
            row = self.model.display_row_of(int(matches[0])) if len(matches) else 0
        if self.model.rowCount():
            self.table.selectRow(max(0, row))
        self._load_editor()

    def current_finding(self):
        idx = self.table.currentIndex() if hasattr(self, "table") else None
        if idx is None or not idx.isValid() or not self.findings:
            return None
        pos = self.model.frame_row(idx.row())
        return self.findings[pos] if pos < len(self.findings) else None

    def _load_editor(self) -> None:
        f = self.current_finding()
        enabled = f is not None
        for w in (self.title, self.amount, self.legal_basis, self.status, self.description, self.save_button,
                  self.delete_button):
            w.setEnabled(enabled)
        if f is None:
            for w in (self.title, self.amount, self.legal_basis):
                w.clear()
            self.description.clear()
            self.hits_label.clear()
            self.evidence.clear()
            return
        self.title.setText(f.title)
        self.amount.setText(format(f.amount.quantize(Decimal("0.01")), "f"))
        self.legal_basis.setText(f.legal_basis)
        self.status.setCurrentIndex(max(0, self.status.findData(f.status)))
        self.description.setPlainText(f.description)
        self.hits_label.setText(self.tr("%1 条已确认疑点").replace("%1", str(len(f.hit_ids))))
        self.evidence.setText("、".join(self._evidence_names(f.evidence_ids)) if f.evidence_ids
                              else self.tr("尚无证据（在“证据”页关联）"))

    def _evidence_names(self, ids) -> list[str]:
        """The finding's evidence as people know it: file name and kind, not its identifier."""
        items = {e.evidence_id: e for e in self.ctx.store.evidence_items()}
        out = []
        for eid in ids:
            e = items.get(eid)
            if e is None:
                out.append(self.tr("（已删除的证据）"))
            else:
                kind = EVIDENCE_KIND_NAMES.get(e.kind, e.kind)
                out.append(f"{e.original_name}（{kind}）" if e.kind != "file" else e.original_name)
        return out

    def save(self) -> bool:
        f = self.current_finding()
        if f is None:
            return False
        from feijian.casework.findings import update_finding

        changes = {}
        if self.title.text().strip() != f.title:
            changes["title"] = self.title.text().strip()
        if self.legal_basis.text().strip() != f.legal_basis:
            changes["legal_basis"] = self.legal_basis.text().strip()
        if self.status.currentData() != f.status:
            changes["status"] = self.status.currentData()
        if self.description.toPlainText().strip() != f.description:
            changes["description"] = self.description.toPlainText().strip()
        try:
            if Decimal(self.amount.text().replace(",", "") or "0") != f.amount:
                changes["amount"] = self.amount.text().replace(",", "")
        except ArithmeticError:
            dialogs.error(self, self.tr("问题"), self.tr("金额不是数字 / the amount is not a number"))
            return False
        if not changes:
            return False
        fid = f.finding_id
        try:
            self.ctx.decide(self.tr("修改问题“%1”").replace("%1", f.title),
                            lambda: update_finding(self.ctx.store, fid, **changes))
        except FeijianError as exc:
            dialogs.error(self, self.tr("问题"), str(exc))
            return False
        return True

    def delete(self) -> None:
        f = self.current_finding()
        if f is None:
            return
        from feijian.casework.findings import delete_finding

        fid = f.finding_id
        self.ctx.decide(self.tr("删除问题“%1”").replace("%1", f.title), lambda: delete_finding(self.ctx.store, fid))
