"""The form of a typed record (询问笔录, 现场检查笔录), built from its kind's fields
(``resources/casework/typed_records.toml``). 确定 checks the record with the same function the store uses
and keeps the form open, with every problem listed, until it is right: what is typed is never lost."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from PySide6.QtCore import QCoreApplication, QDateTime
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateTimeEdit, QDialog, QDialogButtonBox, QFormLayout,
                               QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from feijian.domain.errors import InputError
from feijian.domain.records import CaseInfo
from feijian.domain.typed_records import (DATETIME_FORMAT, LIST_KEYS, PERSON_KEYS, SEXES, RecordField, check_record,
                                          record_kind)

QT_DATETIME = "yyyy-MM-dd HH:mm"
PLACEHOLDERS = {"qa": "问：……\n答：……\n问：……\n答：……", "notice": "留空则使用标准告知（执法身份、回避权利、如实回答义务）",
                "recusal_answer": "不申请回避。", "closing": "以上笔录我已看过（或已向我宣读过），与我所说一致。"}


def tr(text: str) -> str:
    return QCoreApplication.translate("RecordDialog", text)


class RowsEditor(QWidget):
    """A list of small objects ({name, staff_no}, {name, position}) as table rows; empty rows are ignored."""

    def __init__(self, keys: dict[str, str], rows: list[dict], parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.keys = list(keys)
        self.table = QTableWidget(0, len(keys), self)
        self.table.setHorizontalHeaderLabels([tr(v) for v in keys.values()])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(96)
        self.table.setMaximumHeight(130)
        add = QPushButton(tr("添加一行"), self)
        remove = QPushButton(tr("删除所选行"), self)
        add.clicked.connect(lambda: self.add_row({}))
        remove.clicked.connect(self.remove_selected)
        buttons = QVBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        for row in rows or [{}]:
            self.add_row(row)

    def add_row(self, values: dict) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, key in enumerate(self.keys):
            self.table.setItem(r, c, QTableWidgetItem(str(values.get(key, ""))))

    def remove_selected(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(r)

    def value(self) -> list[dict]:
        out = []
        for r in range(self.table.rowCount()):
            row = {k: (self.table.item(r, c).text().strip() if self.table.item(r, c) else "")
                   for c, k in enumerate(self.keys)}
            if any(row.values()):
                out.append(row)
        return out


class PersonEditor(QWidget):
    """The interviewee: name, sex, ID number, phone, employer, position."""

    def __init__(self, employer: str, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.edits: dict[str, Any] = {}
        for i, (key, label) in enumerate(PERSON_KEYS.items()):
            if key == "sex":
                w: Any = QComboBox(self)
                w.addItems(["", *SEXES])
            else:
                w = QLineEdit(self)
            grid.addWidget(QLabel(tr(label), self), i // 2, (i % 2) * 2)
            grid.addWidget(w, i // 2, (i % 2) * 2 + 1)
            self.edits[key] = w
        self.edits["employer"].setText(employer)

    def value(self) -> dict:
        return {k: (w.currentText() if isinstance(w, QComboBox) else w.text()).strip() for k, w in self.edits.items()}


class RecordDialog(QDialog):
    """Enter one typed record; :meth:`record` gives it as the store takes it."""

    def __init__(self, kind: str, info: Optional[CaseInfo] = None, parent: Optional[QWidget] = None,
                 now: Optional[dt.datetime] = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.spec = record_kind(kind)
        self.setWindowTitle(tr(self.spec.label))
        self.setMinimumWidth(640)
        team = list(info.team) if info is not None else []
        officers = [{"name": m.name, "staff_no": m.staff_no} for m in team]
        now = (now or dt.datetime.now()).replace(second=0, microsecond=0)
        self.widgets: dict[str, Any] = {}
        form = QFormLayout()
        for f in self.spec.fields:
            w = self._widget(f, officers, info, now)
            self.widgets[f.name] = w
            label = tr(f.label) + (" *" if f.required else "")
            if f.type == "person":
                box = QGroupBox(label, self)
                QVBoxLayout(box).addWidget(w)
                form.addRow(box)
            else:
                form.addRow(label, w)
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color:#b00020")
        self.problems.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)

    def _widget(self, f: RecordField, officers: list[dict], info: Optional[CaseInfo], now: dt.datetime):
        if f.type == "datetime":
            w = QDateTimeEdit(QDateTime(now), self)
            w.setDisplayFormat(QT_DATETIME)
            w.setCalendarPopup(True)
            return w
        if f.type in ("officers", "persons"):
            return RowsEditor(LIST_KEYS[f.type], officers if f.type == "officers" else [], self)
        if f.type == "person":
            return PersonEditor(info.medins_name if info is not None else "", self)
        if f.name in self.spec.officer_fields:  # the recorder: one of the team, or typed
            w = QComboBox(self)
            w.setEditable(True)
            w.addItems(["", *[o["name"] for o in officers]])
            return w
        if f.type in ("longtext", "qa"):
            w = QPlainTextEdit(self)
            w.setMinimumHeight(160 if f.name in ("qa", "content") else 48)
            w.setPlaceholderText(tr(PLACEHOLDERS.get(f.name, "")))
            return w
        w = QLineEdit(self)
        w.setPlaceholderText(tr(PLACEHOLDERS.get(f.name, "")))
        return w

    def record(self) -> dict:
        """What the form holds, as typed (the store checks and normalises it)."""
        out: dict = {}
        for name, w in self.widgets.items():
            if isinstance(w, QDateTimeEdit):
                out[name] = w.dateTime().toPython().strftime(DATETIME_FORMAT)
            elif isinstance(w, (RowsEditor, PersonEditor)):
                out[name] = w.value()
            elif isinstance(w, QComboBox):
                out[name] = w.currentText()
            elif isinstance(w, QPlainTextEdit):
                out[name] = w.toPlainText()
            else:
                out[name] = w.text()
        return out

    def accept(self) -> None:
        try:
            check_record(self.kind, self.record())
        except InputError as exc:
            self.problems.setText(str(exc))
            self.problems.show()
            return
        self.problems.hide()
        super().accept()
