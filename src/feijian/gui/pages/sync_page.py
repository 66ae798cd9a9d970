"""同步: export a signed package, verify received ones, merge them, and resolve conflicts side by side."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QTableView, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget, QHeaderView)

from feijian.domain.errors import FeijianError
from feijian.gui import dialogs
from feijian.gui.models import Column, FrameModel, configure_table_view
from feijian.gui.tasks import run_with_progress
from feijian.gui.widgets.empty_hint import EmptyHint

ENTITY_LABELS = {"hit": "疑点", "finding": "问题", "evidence": "证据", "case": "案件", "clue": "线索"}


def _value_text(value) -> str:
    if isinstance(value, dict):
        return "；".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        return f"{len(value)} 项"
    return str(value)


def resolve_conflict(store, key, value):
    """A conflict resolution: one write superseding every candidate (docs/interfaces.md)."""
    from feijian.casework.changes import commit
    from feijian.domain.events import CONFLICT_RESOLVED

    return commit(store, CONFLICT_RESOLVED, {tuple(key): value}, {"register": list(key)}, "解决冲突 / resolve conflict")


class SyncPage(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.conflicts: list = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.export_lead = QPushButton(self.tr("导出给组长(&L)…"), self)
        self.export_bureau = QPushButton(self.tr("导出给医保局(&B)…"), self)
        self.verify_button = QPushButton(self.tr("校验数据包(&Y)…"), self)
        self.merge_button = QPushButton(self.tr("合并数据包(&M)…"), self)
        for b in (self.export_lead, self.export_bureau, self.verify_button, self.merge_button):
            bar.addWidget(b)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.hint = EmptyHint(self)
        layout.addWidget(self.hint)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        vbox = QGroupBox(self.tr("校验结果"), splitter)
        vl = QVBoxLayout(vbox)
        self.verdicts = FrameModel(pd.DataFrame(), self.verdict_columns(), self)
        self.verdict_view = QTableView(vbox)
        configure_table_view(self.verdict_view, self.verdicts)
        vl.addWidget(self.verdict_view)
        cbox = QGroupBox(self.tr("冲突（两人各自修改了同一字段，须由组长决定）"), splitter)
        cl = QVBoxLayout(cbox)
        self.conflict_table = QTableWidget(0, 4, cbox)
        self.conflict_table.setHorizontalHeaderLabels([self.tr("对象"), self.tr("字段"), self.tr("一方"), self.tr("另一方")])
        self.conflict_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        cl.addWidget(self.conflict_table)
        row = QHBoxLayout()
        self.take_left = QPushButton(self.tr("采用一方"), cbox)
        self.take_right = QPushButton(self.tr("采用另一方"), cbox)
        row.addWidget(self.take_left)
        row.addWidget(self.take_right)
        row.addStretch(1)
        cl.addLayout(row)
        self.message = QLabel(self)
        layout.addWidget(splitter, 1)
        self.setFocusProxy(self.export_lead)  # Ctrl+8: Enter exports the package for the lead
        layout.addWidget(self.message)
        self.export_lead.clicked.connect(lambda: self.choose_export("lead"))
        self.export_bureau.clicked.connect(lambda: self.choose_export("bureau"))
        self.verify_button.clicked.connect(self.choose_verify)
        self.merge_button.clicked.connect(self.choose_merge)
        self.take_left.clicked.connect(lambda: self.resolve(0))
        self.take_right.clicked.connect(lambda: self.resolve(1))
        ctx.decisions_changed.connect(self.refresh)
        ctx.data_changed.connect(self.refresh)

    def verdict_columns(self):
        return [Column("file", "数据包", width=240), Column("result", "结果", width=80),
                Column("code", "原因码", width=120), Column("signer", "签名人", width=140),
                Column("message", "说明", width=420)]

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.conflicts = self.ctx.store.state().conflicts()
        t = self.conflict_table
        t.setRowCount(len(self.conflicts))
        for r, reg in enumerate(self.conflicts):
            entity, eid, fld = reg.key
            cands = list(reg.candidates)
            t.setItem(r, 0, QTableWidgetItem(f"{ENTITY_LABELS.get(entity, entity)} {eid[:12]}"))
            t.setItem(r, 1, QTableWidgetItem(fld))
            for c in range(2):
                text = _value_text(cands[c].value) + f"（{cands[c].author[:8]} · {cands[c].time[:16]}）" if c < len(cands) else ""
                t.setItem(r, 2 + c, QTableWidgetItem(text))
        has = bool(self.conflicts)
        self.take_left.setEnabled(has)
        self.take_right.setEnabled(has)
        self.hint.show_hint("" if has or self.verdicts.rowCount() else self.tr(
            "尚未收发数据包 — 组员核查后“导出给组长…”；组长“校验数据包…”后“合并数据包…”"))
        self.message.setText(self.tr("有 %1 处冲突，解决后才能导出。").replace("%1", str(len(self.conflicts))) if has
                             else self.tr("没有冲突。"))

    def resolve(self, side: int) -> None:
        r = self.conflict_table.currentRow()
        if r < 0 or r >= len(self.conflicts):
            return
        reg = self.conflicts[r]
        value = reg.candidates[min(side, len(reg.candidates) - 1)].value
        try:
            self.ctx.decide(self.tr("解决冲突 %1").replace("%1", reg.key[2]), lambda: resolve_conflict(self.ctx.store, reg.key, value))
        except FeijianError as exc:
            dialogs.error(self, self.tr("同步"), str(exc))

    # --- packages ------------------------------------------------------------------------------------
    def _trust(self):
        return self.ctx.session.identities.trust_list()

    def choose_export(self, to: str) -> None:
        out = dialogs.save_file(self, self.tr("保存数据包"), f"{self.ctx.store.info.name}-{to}.fjpkg", "飞检数据包 (*.fjpkg)")
        if out is not None:
            self.export(to, out)

    def export(self, to: str, out: Path):
        from feijian.sync import export_package

        trust = self._trust()
        kwargs = {}
        if trust is not None:
            kwargs["bureau_intake_public"] = getattr(trust.bureau, "intake_public", None)
            lead = next((m for m in self.ctx.store.info.team if str(getattr(m.role, "value", m.role)) == "lead" and m.key_id), None)
            found = trust.find(lead.key_id) if lead is not None and hasattr(trust, "find") else None
            if found is not None:
                kwargs["lead_public"] = found.encryption_public
        task = run_with_progress(self.window(), self.ctx.runner, self.tr("导出数据包"), export_package, self.ctx.store,
                                 self.ctx.session.identity, to=to, out=Path(out),
                                 on_finished=lambda info: self.message.setText(self.tr("已导出：") + str(out)), **kwargs)
        task.case_path = self.ctx.path
        return task

    def choose_verify(self) -> None:
        paths = dialogs.open_files(self, self.tr("选择数据包"), "飞检数据包 (*.fjpkg)")
        if paths:
            self.verify(paths)

    def verify(self, paths):
        from feijian.sync import verify_package

        trust = self._trust()
        if trust is None:
            dialogs.error(self, self.tr("校验"), self.tr("尚未导入医保局信任列表（feijian trust import）"))
            return []
        rows = []
        verdicts = []
        for p in paths:
            v = verify_package(Path(p), trust)
            verdicts.append(v)
            signer = getattr(v.signer, "name", "") if v.signer is not None else ""
            rows.append({"file": Path(p).name, "result": self.tr("通过") if v.ok else self.tr("不通过"), "code": v.code,
                         "signer": signer, "message": v.message})
        self.verdicts.set_frame(pd.DataFrame(rows, columns=["file", "result", "code", "signer", "message"]),
                                self.verdict_columns())
        self.hint.show_hint("" if rows or self.conflicts else self.hint.text())
        return verdicts

    def choose_merge(self) -> None:
        paths = dialogs.open_files(self, self.tr("选择要合并的数据包"), "飞检数据包 (*.fjpkg)")
        if paths:
            self.merge(paths)

    def merge(self, paths):
        from feijian.sync import merge_packages

        trust = self._trust()
        if trust is None:
            dialogs.error(self, self.tr("合并"), self.tr("尚未导入医保局信任列表（feijian trust import）"))
            return None
        task = run_with_progress(self.window(), self.ctx.runner, self.tr("合并数据包"), merge_packages, self.ctx.store,
                                 [Path(p) for p in paths], trust=trust,
                                 on_finished=lambda _r: self.ctx.data_changed.emit())
        task.case_path = self.ctx.path
        return task
