"""新建案件向导: institution, level, data period, trigger and document numbers, team members and roles."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Optional

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QHeaderView,
                               QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
                               QWizard, QWizardPage)

from feijian.domain.events import utc_now
from feijian.domain.records import CaseInfo, Role, TeamMember

LEVELS = [("3", "三级"), ("2", "二级"), ("1", "一级")]
TRIGGERS = ["国家医保局飞行检查", "省级飞行检查", "举报线索核查", "大数据筛查线索", "专项检查"]


class InstitutionPage(QWizardPage):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("被检机构"))
        self.setSubTitle(self.tr("填写被检定点医药机构的基本信息。"))
        form = QFormLayout(self)
        self.case_name = QLineEdit(self)
        self.case_name.setPlaceholderText(self.tr("例如：2026-某市人民医院"))
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("H11010500001")
        self.name = QLineEdit(self)
        self.level = QComboBox(self)
        for code, label in LEVELS:
            self.level.addItem(label, code)
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("医疗机构"), "hospital")
        self.kind.addItem(self.tr("零售药店"), "pharmacy")
        form.addRow(self.tr("案件名称"), self.case_name)
        form.addRow(self.tr("定点机构编码"), self.code)
        form.addRow(self.tr("机构名称"), self.name)
        form.addRow(self.tr("医院等级"), self.level)
        form.addRow(self.tr("机构类型"), self.kind)
        self.registerField("case_name*", self.case_name)
        self.registerField("medins_code*", self.code)
        self.registerField("medins_name*", self.name)


class ScopePage(QWizardPage):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("检查范围与文书"))
        self.setSubTitle(self.tr("数据期间、检查缘由和文书编号前缀。"))
        form = QFormLayout(self)
        today = QDate.currentDate()
        self.start = QDateEdit(QDate(today.year() - 1, 1, 1), self)
        self.end = QDateEdit(QDate(today.year() - 1, 12, 31), self)
        for d in (self.start, self.end):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.trigger = QComboBox(self)
        self.trigger.setEditable(True)
        self.trigger.addItems(TRIGGERS)
        self.doc_prefix = QLineEdit(f"医保飞检〔{today.year()}〕", self)
        form.addRow(self.tr("数据期间自"), self.start)
        form.addRow(self.tr("至"), self.end)
        form.addRow(self.tr("检查缘由"), self.trigger)
        form.addRow(self.tr("文书编号前缀"), self.doc_prefix)

    def validatePage(self) -> bool:
        return self.start.date() <= self.end.date()


class TeamPage(QWizardPage):
    def __init__(self, parent=None, me: Optional[TeamMember] = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("检查组"))
        self.setSubTitle(self.tr("检查组成员及其角色。组长负责合并各成员的数据包。"))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("工号"), self.tr("角色")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        add = QPushButton(self.tr("添加成员"), self)
        remove = QPushButton(self.tr("删除所选"), self)
        add.clicked.connect(lambda: self.add_member("", "", Role.INSPECTOR))
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        if me is not None:
            self.add_member(me.name, me.staff_no, me.role, me.key_id)

    def add_member(self, name: str, staff_no: str, role: Role, key_id: str = "") -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        item = QTableWidgetItem(name)
        item.setData(256, key_id)
        self.table.setItem(r, 0, item)
        self.table.setItem(r, 1, QTableWidgetItem(staff_no))
        combo = QComboBox(self.table)
        combo.addItem(self.tr("组员"), Role.INSPECTOR.value)
        combo.addItem(self.tr("组长"), Role.LEAD.value)
        combo.setCurrentIndex(1 if Role(role) == Role.LEAD else 0)
        self.table.setCellWidget(r, 2, combo)

    def members(self) -> tuple[TeamMember, ...]:
        out = []
        for r in range(self.table.rowCount()):
            name = (self.table.item(r, 0).text() if self.table.item(r, 0) else "").strip()
            staff = (self.table.item(r, 1).text() if self.table.item(r, 1) else "").strip()
            if not name:
                continue
            key_id = self.table.item(r, 0).data(256) or ""
            out.append(TeamMember(name, staff, Role(self.table.cellWidget(r, 2).currentData()), key_id))
        return tuple(out)


class NewCaseWizard(QWizard):
    def __init__(self, parent: Optional[QWidget] = None, me: Optional[TeamMember] = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新建案件"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(620, 460)
        self.institution = InstitutionPage(self)
        self.scope = ScopePage(self)
        self.team = TeamPage(self, me)
        for p in (self.institution, self.scope, self.team):
            self.addPage(p)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("创建案件"))

    def case_info(self) -> CaseInfo:
        i, s = self.institution, self.scope
        return CaseInfo(
            case_id=str(uuid.uuid4()),
            name=i.case_name.text().strip(),
            medins_code=i.code.text().strip(),
            medins_name=i.name.text().strip(),
            medins_lv=i.level.currentData(),
            medins_type=i.kind.currentData(),
            data_period_start=s.start.date().toPython(),
            data_period_end=s.end.date().toPython(),
            trigger=s.trigger.currentText().strip(),
            doc_no_prefix=s.doc_prefix.text().strip(),
            team=self.team.members(),
            created_at=utc_now(),
        )

    def fill(self, *, case_name: str, medins_code: str, medins_name: str, level: str = "3",
             period: tuple[dt.date, dt.date] | None = None) -> None:
        """Prefill (from an institution file, or in tests)."""
        self.institution.case_name.setText(case_name)
        self.institution.code.setText(medins_code)
        self.institution.name.setText(medins_name)
        idx = self.institution.level.findData(level)
        if idx >= 0:
            self.institution.level.setCurrentIndex(idx)
        if period:
            self.scope.start.setDate(QDate(period[0]))
            self.scope.end.setDate(QDate(period[1]))
