"""双随机抽查 dialog: the draw of ``feijian draw`` in two steps, with the bureau's key.

Step ① makes the seed and its signed commitment (the SHA-256 to publish, with a copy button) — or loads a
commitment made earlier; step ② reveals the seed, draws, signs and writes the record. The result table shows
each drawn institution with its team and, beside it, the pool's inspectors recused for it with the reasons.
The record can be verified against the input files, printed as the 抽查记录 PDF, and a case created for a
drawn institution (``casework.draw_files.drawn_case_info``, as ``case new --from-draw``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDialog, QFormLayout, QGridLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from feijian.casework import draw as dr
from feijian.casework import draw_files as df
from feijian.domain.errors import FeijianError, InputError
from feijian.domain.progress import report
from feijian.gui import dialogs
from feijian.gui.tasks import run_with_progress

# ---- the work, off the UI thread ------------------------------------------------------------------------
def draw_file_names(out_dir: Path, commitment: str) -> tuple[Path, Path, Path]:
    """The commitment, seed and record files of one draw in ``out_dir``."""
    stem = f"draw-{commitment[:12]}"
    return out_dir / f"{stem}-commit.json", out_dir / f"{stem}-seed.txt", out_dir / f"{stem}-record.json"


def commit_task(home: Path, passphrase: str, out_dir: Path, *, progress=None, cancelled=None):
    """The signed commitment written to ``out_dir``: (Commitment, commitment file, seed file)."""
    from feijian.store.identities import BureauStore

    report(progress, 0, 2, "解锁医保局密钥……")
    keys = BureauStore(home).unlock(passphrase)
    report(progress, 1, 2, "生成种子并签名承诺……")
    c = df.make_commitment(keys)
    commit_path, seed_path, _ = draw_file_names(out_dir, c.commitment)
    df.write_commitment(c, commit_path, seed_path)
    report(progress, 2, 2, "")
    return c, commit_path, seed_path


def draw_task(home: Path, passphrase: str, inst_path: Path, pool_path: Path, params: dr.DrawParams, seed: str,
              commitment: str, out: Path, authority: str, *, progress=None, cancelled=None):
    """The signed record, and for each drawn institution the inspectors recused for it with the reasons."""
    from feijian.store.identities import BureauStore

    report(progress, 0, 3, "解锁医保局密钥……")
    keys = BureauStore(home).unlock(passphrase)
    rec = df.draw_and_sign(inst_path, pool_path, params, seed, commitment, keys, out, authority=authority,
                           cancelled=cancelled)
    pool = dr.parse_inspectors(Path(pool_path).read_bytes(), Path(pool_path).name)
    return rec, {r.institution.code: dr.recusals(pool, r.institution) for r in rec.result}


def verify_task(home: Path, record: Path, inst_path: Path, pool_path: Path, *, progress=None, cancelled=None) -> dict:
    return df.verify_files(record, inst_path, pool_path, df.bureau_verifier(home))


class DrawDialog(QDialog):
    case_created = Signal(Path)

    def __init__(self, session, runner, parent: Optional[QWidget] = None, *, me=None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.me = me
        self.home = Path(session.home)
        self.seed = ""
        self.commitment = ""
        self.record: Optional[dr.DrawRecord] = None
        self.record_path: Optional[Path] = None
        self.recused: dict[str, list] = {}
        self.setWindowTitle(self.tr("双随机抽查"))
        self.resize(1240, 720)

        # inputs and parameters
        box = QGroupBox(self.tr("抽取范围与参数"), self)
        grid = QGridLayout(box)
        self.inst_file = QLineEdit(box)
        self.inst_file.setPlaceholderText(self.tr("机构名录 CSV/XLSX：机构编码、机构名称、类型、等级、地区、风险评分"))
        self.pool_file = QLineEdit(box)
        self.pool_file.setPlaceholderText(self.tr("检查人员库 CSV/XLSX：身份、单位、地区、申报回避"))
        inst_browse = QPushButton(self.tr("浏览…"), box)
        pool_browse = QPushButton(self.tr("浏览…"), box)
        inst_browse.clicked.connect(lambda: self._browse(self.inst_file, self.tr("机构名录")))
        pool_browse.clicked.connect(lambda: self._browse(self.pool_file, self.tr("检查人员库")))
        self.inputs_note = QLabel(box)
        self.inputs_note.setWordWrap(True)
        grid.addWidget(QLabel(self.tr("机构名录"), box), 0, 0)
        grid.addWidget(self.inst_file, 0, 1)
        grid.addWidget(inst_browse, 0, 2)
        grid.addWidget(QLabel(self.tr("检查人员库"), box), 1, 0)
        grid.addWidget(self.pool_file, 1, 1)
        grid.addWidget(pool_browse, 1, 2)
        grid.addWidget(self.inputs_note, 2, 1, 1, 2)
        params = QHBoxLayout()
        self.n = QSpinBox(box)
        self.n.setRange(1, 100_000)
        self.n.setValue(5)
        self.team_size = QSpinBox(box)
        self.team_size.setRange(1, 50)
        self.team_size.setValue(2)
        params.addWidget(QLabel(self.tr("抽取机构数"), box))
        params.addWidget(self.n)
        params.addWidget(QLabel(self.tr("每组人数"), box))
        params.addWidget(self.team_size)
        params.addSpacing(16)
        params.addWidget(QLabel(self.tr("分层："), box))
        labels = {"type": self.tr("机构类型"), "level": self.tr("等级"), "region": self.tr("地区")}
        self.strata = {key: QCheckBox(labels[key], box) for key in dr.STRATA_KEYS}
        for check in self.strata.values():
            params.addWidget(check)
        params.addSpacing(16)
        self.weighted = QCheckBox(self.tr("按风险评分加权"), box)
        params.addWidget(self.weighted)
        params.addStretch(1)
        grid.addLayout(params, 3, 0, 1, 3)
        form = QFormLayout()
        self.authority = QLineEdit(box)
        self.authority.setPlaceholderText(self.tr("组织机关，如 某省医疗保障局"))
        self.passphrase = QLineEdit(box)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("签名承诺与抽查记录所用的医保局口令"))
        self.out_dir = QLineEdit(str(self.home / "draws"), box)
        row = QHBoxLayout()
        row.addWidget(self.authority, 2)
        row.addWidget(QLabel(self.tr("医保局口令"), box))
        row.addWidget(self.passphrase, 1)
        form.addRow(self.tr("组织机关"), row)
        form.addRow(self.tr("保存到文件夹"), self.out_dir)
        grid.addLayout(form, 4, 0, 1, 3)
        grid.setColumnStretch(1, 1)

        # step 1: the commitment
        steps = QGroupBox(self.tr("抽取步骤"), self)
        sl = QGridLayout(steps)
        self.commit_button = QPushButton(self.tr("① 生成种子并承诺"), steps)
        self.load_button = QPushButton(self.tr("载入已有承诺…"), steps)
        self.commitment_edit = QLineEdit(steps)
        self.commitment_edit.setReadOnly(True)
        self.commitment_edit.setPlaceholderText(self.tr("种子承诺值 SHA-256（抽取前公布）"))
        self.commitment_edit.setStyleSheet("font-family: monospace")
        self.copy_button = QPushButton(self.tr("复制"), steps)
        self.copy_button.setEnabled(False)
        self.commit_note = QLabel(self.tr("第一步生成种子并签名承诺值；请在抽取前公布承诺值，种子保密至抽取时公开。"), steps)
        self.commit_note.setWordWrap(True)
        self.draw_button = QPushButton(self.tr("② 公开种子并抽取"), steps)
        self.draw_button.setEnabled(False)
        sl.addWidget(self.commit_button, 0, 0)
        sl.addWidget(self.load_button, 0, 1)
        sl.addWidget(QLabel(self.tr("承诺值"), steps), 0, 2)
        sl.addWidget(self.commitment_edit, 0, 3)
        sl.addWidget(self.copy_button, 0, 4)
        sl.addWidget(self.draw_button, 1, 0, 1, 2)
        sl.addWidget(self.commit_note, 1, 2, 1, 3)
        sl.setColumnStretch(3, 1)

        # the result
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.table = QTableWidget(0, 7, split)
        self.table.setHorizontalHeaderLabels([self.tr("序号"), self.tr("机构编码"), self.tr("机构名称"), self.tr("层"),
                                              self.tr("权重"), self.tr("检查组（首位为组长）"), self.tr("回避人数")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        for col, w in ((0, 44), (1, 120), (2, 220), (3, 100), (4, 48), (6, 70)):
            self.table.setColumnWidth(col, w)
        self.recusal_view = QPlainTextEdit(split)
        self.recusal_view.setReadOnly(True)
        self.recusal_view.setPlaceholderText(self.tr("选中一家机构，查看回避的检查人员及原因"))
        split.addWidget(self.table)
        split.addWidget(self.recusal_view)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        self.table.itemSelectionChanged.connect(self._show_recusals)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        self.verify_button = QPushButton(self.tr("③ 核验记录"), self)
        self.pdf_button = QPushButton(self.tr("生成抽查记录 PDF…"), self)
        self.case_button = QPushButton(self.tr("为所选机构建案…"), self)
        close = QPushButton(self.tr("关闭"), self)
        for b in (self.verify_button, self.pdf_button, self.case_button):
            b.setEnabled(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(steps)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self.commit_button.clicked.connect(self.commit)
        self.load_button.clicked.connect(self.load_commitment)
        self.copy_button.clicked.connect(self.copy_commitment)
        self.draw_button.clicked.connect(self.run_draw)
        self.verify_button.clicked.connect(self.verify)
        self.pdf_button.clicked.connect(lambda: self.write_pdf())
        self.case_button.clicked.connect(lambda: self.create_case())
        close.clicked.connect(self.reject)
        self.inst_file.editingFinished.connect(self._check_inputs)
        self.pool_file.editingFinished.connect(self._check_inputs)

    # --- inputs ------------------------------------------------------------------------------------
    def _browse(self, edit: QLineEdit, what: str) -> None:
        path = dialogs.open_file(self, what, self.tr("表格 (*.csv *.xlsx *.xls *.txt);;所有文件 (*)"))
        if path is not None:
            edit.setText(str(path))
            self._check_inputs()

    def set_inputs(self, institutions: Path, inspectors: Path) -> None:
        self.inst_file.setText(str(institutions))
        self.pool_file.setText(str(inspectors))
        self._check_inputs()

    def _check_inputs(self) -> bool:
        """Read both files now, so a bad column or line is shown before the draw."""
        notes, ok = [], True
        for edit, parse, label in ((self.inst_file, dr.parse_institutions, self.tr("机构")),
                                   (self.pool_file, dr.parse_inspectors, self.tr("检查人员"))):
            text = edit.text().strip()
            if not text:
                ok = False
                continue
            try:
                rows = parse(Path(text).read_bytes(), Path(text).name)
                notes.append(self.tr("{0} {1} 条").format(label, len(rows)))
            except OSError as exc:
                ok = False
                notes.append(self.tr("无法读取 {0}：{1}").format(text, exc.strerror))
            except FeijianError as exc:
                ok = False
                notes.append(str(exc))
        self.inputs_note.setText("；".join(notes))
        self.inputs_note.setStyleSheet("" if ok else "color:#b00020")
        return ok

    def params(self) -> dr.DrawParams:
        return dr.DrawParams(self.n.value(), self.team_size.value(),
                             tuple(k for k in dr.STRATA_KEYS if self.strata[k].isChecked()), self.weighted.isChecked())

    def _files(self) -> tuple[Path, Path]:
        inst, pool = self.inst_file.text().strip(), self.pool_file.text().strip()
        if not inst or not pool:
            raise InputError(self.tr("请选择机构名录和检查人员库"))
        return Path(inst), Path(pool)

    def _passphrase(self) -> str:
        if not self.passphrase.text():
            raise InputError(self.tr("请输入医保局口令"))
        return self.passphrase.text()

    def _out(self) -> Path:
        out = Path(self.out_dir.text().strip() or self.home / "draws")
        out.mkdir(parents=True, exist_ok=True)
        return out


    def _fail(self, title: str, exc: BaseException) -> None:
        self.status.setText(str(exc))
        self.status.setStyleSheet("color:#b00020")
        dialogs.error(self, title, str(exc))

    # --- step 1 ------------------------------------------------------------------------------------
    def commit(self):
        try:
            passphrase = self._passphrase()
            out = self._out()
        except (FeijianError, OSError) as exc:
            self._fail(self.tr("生成种子并承诺"), exc)
            return None
        return run_with_progress(self, self.runner, self.tr("生成种子并承诺"), commit_task, self.home, passphrase,
                                 out, on_finished=lambda res: self._committed(*res),
                                 on_failed=lambda e: self._fail(self.tr("生成种子并承诺"), e))

    def _committed(self, c: df.Commitment, commit_path: Path, seed_path: Path) -> None:
        self._set_commitment(c.commitment, c.seed)
        self.commit_note.setText(self.tr("承诺已签名保存：{0}（请公布此文件或上面的承诺值）；种子保存在 {1}，抽取前请保密。")
                                 .format(commit_path, seed_path.name))

    def load_commitment(self, commit_path: Optional[Path] = None, seed_path: Optional[Path] = None) -> bool:
        """Step 1 done earlier: a published commitment and its secret seed file."""
        commit_path = commit_path or dialogs.open_file(self, self.tr("载入承诺文件"), self.tr("承诺 (*.json)"))
        if commit_path is None:
            return False
        seed_path = seed_path or dialogs.open_file(self, self.tr("载入种子文件"), self.tr("种子 (*.txt);;所有文件 (*)"))
        if seed_path is None:
            return False
        try:
            commitment = df.read_commitment(Path(commit_path))
            seed = df.read_seed(Path(seed_path))
            if dr.commitment_of(seed) != commitment:
                raise InputError(self.tr("种子与承诺值不符"))
        except FeijianError as exc:
            self._fail(self.tr("载入承诺"), exc)
            return False
        self._set_commitment(commitment, seed)
        self.commit_note.setText(self.tr("已载入承诺：{0}").format(commit_path))
        return True

    def _set_commitment(self, commitment: str, seed: str) -> None:
        self.commitment, self.seed = commitment, seed
        self.commitment_edit.setText(commitment)
        self.copy_button.setEnabled(True)
        self.draw_button.setEnabled(True)
        self.status.setText(self.tr("承诺值已生成，可在公布后进行第二步抽取。"))
        self.status.setStyleSheet("")

    def copy_commitment(self) -> None:
        QGuiApplication.clipboard().setText(self.commitment)
        self.status.setText(self.tr("承诺值已复制到剪贴板。"))

    # --- step 2 ------------------------------------------------------------------------------------
    def run_draw(self):
        title = self.tr("公开种子并抽取")
        try:
            if not self.seed:
                raise InputError(self.tr("请先完成第一步：生成或载入承诺"))
            inst, pool = self._files()
            params = self.params()
            params.check()
            passphrase = self._passphrase()
            _, _, record_path = draw_file_names(self._out(), self.commitment)
        except (FeijianError, OSError) as exc:
            self._fail(title, exc)
            return None
        return run_with_progress(self, self.runner, title, draw_task, self.home, passphrase, inst, pool, params,
                                 self.seed, self.commitment, record_path, self.authority.text().strip(),
                                 on_finished=lambda res: self._drawn(res, record_path),
                                 on_failed=lambda e: self._fail(title, e))

    def _drawn(self, result, record_path: Path) -> None:
        self.record, self.recused = result
        self.record_path = record_path
        self.table.setRowCount(0)
        for r in self.record.result:
            row = self.table.rowCount()
            self.table.insertRow(row)
            team = "、".join(r.team)
            values = (r.order, r.institution.code, r.institution.name, r.stratum or self.tr("（全部）"), r.weight,
                      team, len(self.recused.get(r.institution.code, ())))
            for col, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if col in (0, 4, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if col in (2, 5):
                    item.setToolTip(str(value))
                if col == 6:
                    item.setToolTip(self.recusal_text(r.institution.code))
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        if self.record.result:
            self.table.selectRow(0)
        for b in (self.verify_button, self.pdf_button, self.case_button):
            b.setEnabled(True)
        self.status.setText(self.tr("已抽取 {0} 家机构，种子已公开：{1}。抽查记录已签名保存：{2}")
                            .format(len(self.record.result), self.record.seed, record_path))
        self.status.setStyleSheet("color:#1b5e20")

    def recusal_text(self, code: str) -> str:
        rows = self.recused.get(code, ())
        if not rows:
            return self.tr("{0}：无回避人员").format(code)
        lines = [self.tr("{0} 回避 {1} 人：").format(code, len(rows))]
        lines += [f"{who}：{'、'.join(reasons)}" for who, reasons in rows]
        return "\n".join(lines)

    def _show_recusals(self) -> None:
        r = self.selected()
        self.recusal_view.setPlainText(self.recusal_text(r.institution.code) if r is not None else "")

    def selected(self) -> Optional[dr.DrawnInstitution]:
        rows = self.table.selectionModel().selectedRows()
        if self.record is None or not rows:
            return None
        return self.record.result[rows[0].row()]

    # --- after the draw ----------------------------------------------------------------------------
    def verify(self):
        title = self.tr("核验抽查记录")
        try:
            inst, pool = self._files()
            if self.record_path is None:
                raise InputError(self.tr("尚无抽查记录"))
        except FeijianError as exc:
            self._fail(title, exc)
            return None
        return run_with_progress(self, self.runner, title, verify_task, self.home, self.record_path, inst, pool,
                                 on_finished=self._verified, on_failed=self._verify_failed)

    def _verified(self, record: dict) -> None:
        self.status.setText(self.tr("核验通过：签名有效，种子与承诺值相符，输入文件的 SHA-256 相符，{0} 家机构重算结果一致。")
                            .format(len(record["result"])))
        self.status.setStyleSheet("color:#1b5e20")

    def _verify_failed(self, exc: BaseException) -> None:
        self._fail(self.tr("核验抽查记录"), exc)
        self.status.setText(self.tr("核验未通过：") + str(exc))

    def write_pdf(self, path: Optional[Path] = None) -> Optional[Path]:
        from feijian.reports.draw_record import render

        if self.record is None:
            return None
        path = path or dialogs.save_file(self, self.tr("生成抽查记录 PDF"),
                                         str(self._out() / f"抽查记录-{self.record.commitment[:12]}.pdf"),
                                         self.tr("PDF (*.pdf)"))
        if path is None:
            return None
        try:
            Path(path).write_bytes(render(self.record))
        except OSError as exc:
            self._fail(self.tr("生成抽查记录 PDF"), exc)
            return None
        self.status.setText(self.tr("已生成：{0}").format(path))
        self.status.setStyleSheet("")
        return Path(path)

    def create_case(self, name: Optional[str] = None) -> Optional[Path]:
        """The case for the selected institution, from the signed record, as ``case new --from-draw``."""
        title = self.tr("为抽中机构建案")
        r = self.selected()
        if r is None or self.record_path is None or self.me is None:
            return None
        name = name or dialogs.ask_text(self, title, self.tr("案件名称"), f"{r.institution.name}-双随机抽查")
        if not name:
            return None
        try:
            info = df.drawn_case_info(self.record_path, r.institution.code, df.bureau_verifier(self.home), name.strip(),
                                      self.me)
            path = self.session.create_case(info)
        except FeijianError as exc:
            self._fail(title, exc)
            return None
        self.status.setText(self.tr("已为 {0} 建案：{1}").format(r.institution.name, path.name))
        self.status.setStyleSheet("color:#1b5e20")
        self.case_created.emit(path)
        return path
