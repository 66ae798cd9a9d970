"""导入助手: for each file of a data folder, the table recognised, the encoding, a contract field for each
header (editable) and the first rows; mappings are saved and reloaded as the institution's profile."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from feijian.domain.errors import FeijianError
from feijian.gui import dialogs

SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}
PREVIEW_ROWS = 20


def data_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)


class ImportAssistant(QDialog):
    def __init__(self, folder: Path, ctx, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        from feijian.domain.contract import load_contract

        self.folder = Path(folder)
        self.ctx = ctx
        self.contract = load_contract()
        self.previews: dict[Path, dict] = {}
        self.user_mapping: dict[str, dict[str, str]] = {}
        self.setWindowTitle(self.tr("导入助手 — ") + self.folder.name)
        self.resize(1200, 720)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.load_profile_button = QPushButton(self.tr("载入本机构的映射配置"), self)
        self.save_profile_button = QPushButton(self.tr("保存为本机构的映射配置"), self)
        self.profile_note = QLabel(self)
        top.addWidget(self.load_profile_button)
        top.addWidget(self.save_profile_button)
        top.addWidget(self.profile_note, 1)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.files = QListWidget(splitter)
        right = QWidget(splitter)
        rl = QVBoxLayout(right)
        self.info = QLabel(right)
        self.info.setWordWrap(True)
        self.table_combo = QComboBox(right)
        self.table_combo.addItem(self.tr("（自动识别）"), "")
        for name, spec in self.contract.tables.items():
            self.table_combo.addItem(f"{name}　{spec.names[1] if len(spec.names) > 1 else ''}", name)
        self.mapping_table = QTableWidget(0, 2, right)
        self.mapping_table.setHorizontalHeaderLabels([self.tr("文件中的列"), self.tr("对应字段")])
        self.mapping_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.preview_table = QTableWidget(0, 0, right)
        rl.addWidget(self.info)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("表"), right))
        row.addWidget(self.table_combo, 1)
        rl.addLayout(row)
        rl.addWidget(self.mapping_table, 2)
        rl.addWidget(QLabel(self.tr("前 20 行预览（未校验）"), right))
        rl.addWidget(self.preview_table, 3)
        splitter.addWidget(self.files)
        splitter.addWidget(right)
        splitter.setSizes([260, 940])
        layout.addWidget(splitter, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("按此映射导入"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for p in data_files(self.folder):
            item = QListWidgetItem(p.name)
            item.setData(Qt.ItemDataRole.UserRole, str(p))
            self.files.addItem(item)
        self.files.currentRowChanged.connect(lambda _r: self.show_file())
        self.table_combo.currentIndexChanged.connect(lambda _i: self.show_file(reload=True))
        self.load_profile_button.clicked.connect(self.load_profile)
        self.save_profile_button.clicked.connect(self.save_profile)
        if self.files.count():
            self.files.setCurrentRow(0)

    @property
    def profiles_dir(self) -> Path:
        return self.ctx.session.home / "profiles"

    def current_path(self) -> Optional[Path]:
        item = self.files.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def show_file(self, reload: bool = False) -> None:
        from feijian.ingest import preview

        path = self.current_path()
        if path is None:
            return
        table = self.table_combo.currentData() or None
        if reload or path not in self.previews:
            try:
                self.previews[path] = preview(path, n=PREVIEW_ROWS, table=table, mapping=self.user_mapping or None)
            except FeijianError as exc:
                self.info.setText(str(exc))
                self.mapping_table.setRowCount(0)
                self.preview_table.setRowCount(0)
                return
        pv = self.previews[path]
        missing = pv.get("missing_required") or []
        self.info.setText(self.tr("识别为表：%1　编码：%2　分隔符：%3").replace("%1", str(pv.get("table") or "？"))
                          .replace("%2", str(pv.get("encoding") or "xlsx")).replace("%3", repr(pv.get("delimiter") or ""))
                          + (self.tr("　缺少必填字段：") + "、".join(missing) if missing else ""))
        spec = self.contract.tables.get(pv.get("table") or "")
        fields = list(spec.field_names) if spec is not None else []
        self.mapping_table.setRowCount(len(pv["headers"]))
        for r, header in enumerate(pv["headers"]):
            self.mapping_table.setItem(r, 0, QTableWidgetItem(header))
            combo = QComboBox(self.mapping_table)
            combo.addItem(self.tr("（保留为附加列）"), "")
            for f in fields:
                combo.addItem(f, f)
            combo.setCurrentIndex(max(0, combo.findData(pv["mapping"].get(header) or "")))
            combo.currentIndexChanged.connect(lambda _i, h=header, c=combo, t=pv.get("table"): self._mapped(t, h, c))
            self.mapping_table.setCellWidget(r, 1, combo)
        rows = pv.get("rows") or []
        self.preview_table.setColumnCount(len(pv["headers"]))
        self.preview_table.setHorizontalHeaderLabels(pv["headers"])
        self.preview_table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, v in enumerate(values):
                self.preview_table.setItem(r, c, QTableWidgetItem("" if v is None else str(v)))

    def _mapped(self, table: Optional[str], header: str, combo: QComboBox) -> None:
        if not table:
            return
        field = combo.currentData()
        cols = self.user_mapping.setdefault(table, {})
        if field:
            cols[header] = field
        else:
            cols.pop(header, None)

    def mapping(self) -> dict[str, dict[str, str]]:
        return {t: dict(cols) for t, cols in self.user_mapping.items() if cols}

    def load_profile(self) -> None:
        from feijian.ingest import load_profile

        try:
            self.user_mapping = {t: dict(c) for t, c in load_profile(self.profiles_dir, self.ctx.store.info.medins_code).items()}
        except FeijianError as exc:
            dialogs.error(self, self.tr("导入助手"), str(exc))
            return
        self.previews.clear()
        self.profile_note.setText(self.tr("已载入 %1 张表的映射").replace("%1", str(len(self.user_mapping))))
        self.show_file(reload=True)

    def save_profile(self) -> Optional[Path]:
        from feijian.ingest import save_profile

        try:
            path = save_profile(self.profiles_dir, self.ctx.store.info.medins_code, self.mapping())
        except FeijianError as exc:
            dialogs.error(self, self.tr("导入助手"), str(exc))
            return None
        self.profile_note.setText(self.tr("已保存：") + path.name)
        return path
