"""移送 dialog: choose the authority, the recipient and the findings (pre-ticked where the conditions of
``resources/casework/transfers.toml`` point, with the reasons shown) before the letter is rendered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QListWidget,
                               QListWidgetItem, QVBoxLayout)

from feijian.casework import transfers as tr
from feijian.casework.findings import findings


class TransferDialog(QDialog):
    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(self.tr("移送"))
        self.kind = QComboBox(self)
        for key, entry in tr.authorities().items():
            self.kind.addItem(entry["name"], key)
        self.recipient = QLineEdit(self)
        self.recipient.setPlaceholderText(self.tr("接收单位全称，如 某市公安局"))
        self.list = QListWidget(self)
        self.list.setMinimumSize(560, 240)
        form = QFormLayout()
        form.addRow(self.tr("移送机关"), self.kind)
        form.addRow(self.tr("接收单位"), self.recipient)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.kind.currentIndexChanged.connect(self._fill)
        self.list.itemChanged.connect(self._update_ok)
        self._fill()

    def _fill(self) -> None:
        kind = self.kind.currentData()
        state = self.store.state()
        self.list.blockSignals(True)
        self.list.clear()
        for f in findings(self.store):
            reasons = tr.reasons_for(kind, f, tr.flags_of(state, f.finding_id))
            text = f"{f.title}（{f.amount:,.2f} 元）" + (f" — {'；'.join(reasons)}" if reasons else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, f.finding_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if reasons else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._update_ok()

    def _update_ok(self, *_args) -> None:
        self.ok_button.setEnabled(bool(self.finding_ids()))

    def finding_ids(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def options(self) -> dict:
        """What ``reports.issue.render`` takes for the letter."""
        return {"transfer_to": self.kind.currentData(), "recipient": self.recipient.text().strip(),
                "transfer_findings": self.finding_ids()}
