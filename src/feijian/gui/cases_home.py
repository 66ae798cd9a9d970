"""案件列表: the cases in the data folder with institution, stage, hits and confirmed amount."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from feijian.gui import font_size
from feijian.gui.models import Column, FrameModel, configure_table_view

LEVEL_LABELS = {"1": "一级", "2": "二级", "3": "三级"}


class CasesHome(QWidget):
    open_requested = Signal(Path)
    new_requested = Signal()
    demo_requested = Signal()

    def __init__(self, session, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        self.title = QLabel(self.tr("案件"), self)
        font_size.relative(self.title, 1.8, bold=True)
        self.who = QLabel(self)
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.who)
        layout.addLayout(head)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("新建案件…"), self)
        self.open_button = QPushButton(self.tr("打开"), self)
        self.refresh_button = QPushButton(self.tr("刷新"), self)
        self.demo_button = QPushButton(self.tr("创建演示案件"), self)
        self.demo_button.setToolTip(self.tr("合成的演示医院数据，含各类预置违规，便于熟悉工作台"))
        for b in (self.new_button, self.open_button, self.refresh_button, self.demo_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.model = FrameModel(pd.DataFrame(), self.columns(), self)
        self.view = QTableView(self)
        configure_table_view(self.view, self.model)
        layout.addWidget(self.view, 1)
        self.welcome = self._welcome()
        layout.addWidget(self.welcome, 1)
        self.welcome.hide()
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self._open_selected)
        self.refresh_button.clicked.connect(self.refresh)
        self.demo_button.clicked.connect(self.demo_requested)
        self.view.doubleClicked.connect(lambda idx: self._open_row(idx.row()))

    def _welcome(self) -> QFrame:
        """The first start: the demo case and a new case side by side, each with what it does in one line."""
        box = QFrame(self)
        box.setObjectName("welcome")
        outer = QVBoxLayout(box)
        outer.addStretch(1)
        title = QLabel(self.tr("欢迎使用飞检工作台"), box)
        title.setStyleSheet("color:#1d3557")
        font_size.relative(title, 1.6, bold=True)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        line = QLabel(self.tr("第一次使用？先打开演示案件熟悉流程，或直接为被检机构新建案件。"), box)
        line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        line.setStyleSheet("color:#555")
        font_size.relative(line, 1.1)
        outer.addWidget(title)
        outer.addWidget(line)
        row = QHBoxLayout()
        row.addStretch(1)
        self.welcome_demo = self._choice(box, self.tr("打开演示案件"),
                                         self.tr("合成的演示医院，已导入并筛查，含预置违规"), primary=True)
        self.welcome_new = self._choice(box, self.tr("新建案件"),
                                        self.tr("填写被检机构，再导入医院数据 (Ctrl+N)"))
        for w in (self.welcome_demo, self.welcome_new):
            row.addWidget(w.parentWidget())
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.welcome_demo.clicked.connect(self.demo_requested)
        self.welcome_new.clicked.connect(self.new_requested)
        return box

    def _choice(self, parent: QWidget, label: str, note: str, *, primary: bool = False) -> QPushButton:
        cell = QWidget(parent)
        cl = QVBoxLayout(cell)
        button = QPushButton(label, cell)
        button.setMinimumSize(240, 64)
        font_size.relative(button, 1.4)
        button.setStyleSheet("QPushButton{padding:10px 24px;%s}"
                             % (" background:#1d3557; color:white; border-radius:4px" if primary else ""))
        text = QLabel(note, cell)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setStyleSheet("color:#666")
        cl.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        cl.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        return button

    def columns(self) -> list[Column]:
        return [
            Column("name", self.tr("案件"), width=200),
            Column("institution", self.tr("被检机构"), width=220),
            Column("level", self.tr("等级"), width=60, labels=LEVEL_LABELS),
            Column("stage", self.tr("阶段"), width=90),
            Column("hits", self.tr("疑点"), "int", width=80),
            Column("confirmed", self.tr("已确认"), "int", width=80),
            Column("confirmed_amount", self.tr("确认金额（元）"), "money", width=130),
            Column("note", self.tr("备注"), width=200),
        ]

    def refresh(self) -> None:
        pub = self.session.identity.public if self.session.identity is not None else None
        if pub is not None:
            self.who.setText(self.tr("当前身份：") + f"{pub.name}（{pub.staff_no}）")
        rows = []
        for path in self.session.case_files():
            s = self.session.summary(path)
            rows.append({"path": str(path), "name": s.name, "institution": s.institution, "level": s.level,
                         "stage": s.stage, "hits": s.hits, "confirmed": s.confirmed,
                         "confirmed_amount": s.confirmed_amount, "note": s.error})
        frame = pd.DataFrame(rows, columns=["path", "name", "institution", "level", "stage", "hits", "confirmed",
                                            "confirmed_amount", "note"])
        self.model.set_frame(frame, self.columns())
        self.welcome.setVisible(not rows)
        self.view.setVisible(bool(rows))
        if rows:
            self.view.selectRow(0)

    def _open_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self._open_row(rows[0].row())

    def _open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.open_requested.emit(Path(self.model.value(row, "path")))
