"""医保局 window: the bureau's side of the workbench, thin over the library (issue 15 item 5).

Choose the archive (an encrypted SQLite file or a postgresql:// URL), unlock the bureau's keys (kept in the
workbench's data folder, as for the 双随机 draw), then: 接收 (intake of packages, each one's verdict and
reason), 机构 (the archive's institutions with case and row counts), 模型 (the cross-institution models with
their hits, and the hits by region code) and 线索 (the signed clue lists per institution, the feedback per
model). Every call that touches the archive runs off the UI thread (gui/tasks.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDateEdit, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QSplitter, QTableWidget,
                               QTableView, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

import pandas as pd

from feijian.domain import formatting as fmt
from feijian.domain.regions import region
from feijian.domain.errors import FeijianError, InputError
from feijian.domain.progress import report
from feijian.gui.models import Column, FrameModel, configure_table_view
from feijian.gui.tasks import run_with_progress


# ---- the work, off the UI thread ------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    """One package's outcome at intake."""

    file: str
    accepted: bool
    code: str  # the reason code of a rejection (sync/reasons.py), "" when accepted
    case_id: str
    package_id: str
    message: str


@dataclass(frozen=True)
class Institution:
    medins_code: str
    medins_name: str
    region_code: str
    cases: int
    rows: int


def unlock_task(home: Path, passphrase: str, archive: str, *, progress=None, cancelled=None):
    """The bureau's keys and trust list; the archive opened once to check the key fits (or the server answers)."""
    from feijian.store.identities import BureauStore
    from feijian.sync.archive import Archive

    if not archive:
        raise InputError("请先选择归档文件或填写 PostgreSQL 地址 / choose an archive first")
    store = BureauStore(home)
    if not store.exists():
        raise InputError("本数据目录中没有医保局密钥（feijian bureau init）/ no bureau keys in this data folder")
    report(progress, 0, 2, "解锁医保局密钥……")
    keys = store.unlock(passphrase)
    report(progress, 1, 2, "打开归档……")
    with Archive.open(archive, bureau_keys=keys):
        pass
    report(progress, 2, 2, "")
    return keys, store.trust_list()


def intake_task(paths: list[Path], archive: str, keys, trust, *, progress=None, cancelled=None) -> list[Verdict]:
    """Each package on its own (``sync.intake.intake``, one transaction each), so a rejected one does not stop
    the queue; returns every package's verdict in order. A cancel stops before the next package: those
    already archived are reported as such, the rest as not received."""
    from feijian.sync.intake import intake
    from feijian.sync.reasons import REASONS, Rejected

    out: list[Verdict] = []
    for i, p in enumerate(paths):
        if cancelled is not None and cancelled():
            # the packages before stay archived (each was its own transaction): say which, and which not
            out.extend(Verdict(q.name, False, "", "", "", "已取消，未接收") for q in paths[i:])
            break
        report(progress, i, len(paths), p.name)
        try:
            receipt = intake([p], archive, bureau_keys=keys, trust=trust)[0]
        except Rejected as exc:
            text = REASONS[exc.code].split(" / ")[0]
            if exc.member:
                text += f"［{exc.member}］"
            if exc.detail:
                text += f"：{exc.detail}"
            out.append(Verdict(p.name, False, exc.code, "", "", text))
            continue
        except FeijianError as exc:
            out.append(Verdict(p.name, False, "", "", "", str(exc)))
            continue
        receipt.write(p.parent)
        out.append(Verdict(p.name, True, "", receipt.case_id, receipt.package_id, ""))
    report(progress, len(paths), len(paths), "")
    return out


def overview_task(archive: str, keys, *, progress=None, cancelled=None):
    """The archive's institutions (cases, rows) and the clue feedback per model."""
    from feijian.sync.archive import Archive
    from feijian.sync.clue_lists import feedback_summary

    with Archive.open(archive, bureau_keys=keys) as a:
        rows: dict[str, int] = {}
        for (_table, code), n in a.cases.row_counts_by_partition().items():
            rows[code] = rows.get(code, 0) + n
        insts = [Institution(i["medins_code"], i["medins_name"] or "", i["region_code"] or "", i["cases"],
                             rows.get(i["medins_code"], 0)) for i in a.cases.institutions()]
        return insts, feedback_summary(a)


def models_task(archive: str, keys, period_from: Optional[dt.date], period_to: Optional[dt.date], *,
                progress=None, cancelled=None):
    """One run of every model (stored in the archive with its hits)."""
    from feijian.sync.archive import Archive
    from feijian.sync.bureau_models import load_config, run_models

    report(progress, 0, 1, "运行跨机构模型……")
    with Archive.open(archive, bureau_keys=keys) as a:
        run = run_models(a, period_from=period_from, period_to=period_to, cfg=load_config())
    report(progress, 1, 1, "")
    return run


def clues_task(archive: str, keys, out: Path, run_id: Optional[str], *, progress=None, cancelled=None):
    """The signed clue lists of the run, one per institution, and the bureau's public key beside them."""
    from feijian.sync.archive import Archive
    from feijian.sync.clue_lists import feedback_summary, public_key_file, write_clue_lists

    out = Path(out)
    with Archive.open(archive, bureau_keys=keys) as a:
        sent = write_clue_lists(a, out, keys, run_id=run_id)
        summary = feedback_summary(a)
    (out / "bureau.pub").write_text(public_key_file(keys.public()), encoding="ascii")
    return sent, summary


def regions(insts: list[Institution], run) -> list[tuple[str, int, int, dict[str, int]]]:
    """Per region code: institutions, cases, hits per model of the run (a map-free table)."""
    by: dict[str, list] = {}
    region_of = {i.medins_code: i.region_code or "—" for i in insts}
    for i in insts:
        r = by.setdefault(region_of[i.medins_code], [0, 0, {}])
        r[0] += 1
        r[1] += i.cases
    for h in (run.hits if run is not None else []):
        r = by.setdefault(region_of.get(h.medins_code, "—"), [0, 0, {}])
        r[2][h.model] = r[2].get(h.model, 0) + 1
    return [(code, v[0], v[1], v[2]) for code, v in sorted(by.items())]


def item_names() -> dict[str, str]:
    """Names of the item codes the models' hits carry: the bundled knowledge base's catalogue
    (``resources/kb/kb_items.csv``) and the key drugs (``resources/bureau/key_drugs.csv``), the latter first."""
    import csv

    from feijian.paths import resource
    from feijian.sync.bureau_models import load_config

    out: dict[str, str] = {}
    with open(resource("kb", "kb_items.csv"), encoding="utf-8", newline="") as fh:
        out.update({r["med_list_codg"]: r["name"] for r in csv.DictReader(fh) if r.get("name")})
    out.update({d.med_list_codg: d.name for d in load_config().key_drugs if d.name})
    return out


# ---- the window -----------------------------------------------------------------------------------------
def _table(parent, headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers), parent)
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _fill(t: QTableWidget, rows: list[list], numeric: set[int] = frozenset()) -> None:
    t.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if c in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            t.setItem(r, c, item)


class BureauWindow(QWidget):
    """The 医保局 window (文件 → 医保局…)."""

    def __init__(self, home: Path, runner, parent=None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.home = Path(home)
        self.runner = runner
        self.keys = None
        self.trust = None
        self.archive = ""
        self.run = None
        self.institutions: list[Institution] = []
        self.verdicts: list[Verdict] = []
        self.setWindowTitle(self.tr("医保局 — 接收、归档、跨机构模型与线索"))
        layout = QVBoxLayout(self)

        top = QGroupBox(self.tr("归档与密钥"), self)
        form = QFormLayout(top)
        row = QHBoxLayout()
        self.archive_edit = QLineEdit(top)
        self.archive_edit.setPlaceholderText(self.tr("SQLite 归档文件（加密），或 postgresql://… 地址"))
        browse = QPushButton(self.tr("选择文件…"), top)
        browse.clicked.connect(self.choose_archive)
        row.addWidget(self.archive_edit, 1)
        row.addWidget(browse)
        form.addRow(self.tr("归档："), row)
        row = QHBoxLayout()
        self.passphrase = QLineEdit(top)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.unlock_button = QPushButton(self.tr("解锁并打开"), top)
        self.unlock_button.clicked.connect(self.connect_archive)
        self.passphrase.returnPressed.connect(self.connect_archive)
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.unlock_button)
        form.addRow(self.tr("医保局口令："), row)
        self.state = QLabel(self.tr("尚未打开归档"), top)
        form.addRow(self.state)
        layout.addWidget(top)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._intake_tab(), self.tr("接收"))
        self.tabs.addTab(self._institutions_tab(), self.tr("机构"))
        self.tabs.addTab(self._models_tab(), self.tr("模型"))
        self.tabs.addTab(self._clues_tab(), self.tr("线索"))
        layout.addWidget(self.tabs, 1)
        self._set_open(False)
        self.resize(1200, 720)

    # --- tabs ---
    def _intake_tab(self) -> QWidget:
        w = QWidget(self)
        v = QVBoxLayout(w)
        bar = QHBoxLayout()
        self.intake_button = QPushButton(self.tr("选择数据包并接收…"), w)
        self.intake_button.clicked.connect(self.choose_packages)
        bar.addWidget(self.intake_button)
        self.intake_note = QLabel(w)
        bar.addWidget(self.intake_note, 1)
        v.addLayout(bar)
        self.verdict_table = _table(w, [self.tr("数据包"), self.tr("结果"), self.tr("原因码"), self.tr("案件"),
                                        self.tr("说明")])
        v.addWidget(self.verdict_table, 1)
        return w

    def _institutions_tab(self) -> QWidget:
        w = QWidget(self)
        v = QVBoxLayout(w)
        self.institution_table = _table(w, [self.tr("机构编码"), self.tr("机构名称"), self.tr("地区"),
                                            self.tr("案件数"), self.tr("数据行数")])
        v.addWidget(self.institution_table, 1)
        return w

    def _models_tab(self) -> QWidget:
        w = QWidget(self)
        v = QVBoxLayout(w)
        bar = QHBoxLayout()
        self.use_period = QCheckBox(self.tr("限定期间"), w)
        self.date_from = QDateEdit(QDate(2024, 1, 1), w)
        self.date_to = QDateEdit(QDate(2024, 12, 31), w)
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setEnabled(False)
        self.use_period.toggled.connect(self.date_from.setEnabled)
        self.use_period.toggled.connect(self.date_to.setEnabled)
        self.models_button = QPushButton(self.tr("运行模型"), w)
        self.models_button.clicked.connect(self.run_models)
        bar.addWidget(self.use_period)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel(self.tr("至"), w))
        bar.addWidget(self.date_to)
        bar.addWidget(self.models_button)
        self.models_note = QLabel(w)
        bar.addWidget(self.models_note, 1)
        v.addLayout(bar)
        split = QSplitter(Qt.Orientation.Vertical, w)
        top = QSplitter(Qt.Orientation.Horizontal, split)
        self.model_table = _table(top, [self.tr("模型"), self.tr("名称"), self.tr("命中数"), self.tr("金额（元）"),
                                        self.tr("耗时（秒）")])
        self.model_table.itemSelectionChanged.connect(self._show_model_hits)
        self.region_table = _table(top, [self.tr("地区"), self.tr("机构数"), self.tr("案件数"), self.tr("命中数"),
                                         self.tr("按模型")])
        self.hits = FrameModel(pd.DataFrame(), self._hit_columns(), split)
        self.hit_table = QTableView(split)  # a province's run has thousands of hits: the model, not items
        configure_table_view(self.hit_table, self.hits)
        split.setStretchFactor(1, 2)
        v.addWidget(split, 1)
        return w

    def _hit_columns(self) -> list[Column]:
        return [Column("model", self.tr("模型"), width=50), Column("medins", self.tr("机构"), width=110),
                Column("psn_no", self.tr("人员编号"), width=130), Column("mdtrt_id", self.tr("就诊编号"), width=100),
                Column("med_list_codg", self.tr("项目"), width=300), Column("period", self.tr("期间"), width=200),
                Column("amount", self.tr("金额（元）"), kind="money", width=90),
                Column("description", self.tr("说明"), width=520)]

    def _clues_tab(self) -> QWidget:
        w = QWidget(self)
        v = QVBoxLayout(w)
        bar = QHBoxLayout()
        self.clue_dir = QLineEdit(w)
        self.clue_dir.setPlaceholderText(self.tr("线索清单写入的文件夹"))
        browse = QPushButton(self.tr("选择文件夹…"), w)
        browse.clicked.connect(self.choose_clue_dir)
        self.clues_button = QPushButton(self.tr("写出签名的线索清单"), w)
        self.clues_button.clicked.connect(self.write_clues)
        bar.addWidget(QLabel(self.tr("文件夹："), w))
        bar.addWidget(self.clue_dir, 1)
        bar.addWidget(browse)
        bar.addWidget(self.clues_button)
        v.addLayout(bar)
        self.clues_note = QLabel(w)
        self.clues_note.setWordWrap(True)
        v.addWidget(self.clues_note)
        self.sent_table = _table(w, [self.tr("机构"), self.tr("清单文件"), self.tr("线索数"), self.tr("签名文件")])
        v.addWidget(self.sent_table, 1)
        v.addWidget(QLabel(self.tr("各模型的核查反馈"), w))
        self.feedback_table = _table(w, [self.tr("模型"), self.tr("下发"), self.tr("回收"), self.tr("已反馈"),
                                         self.tr("属实"), self.tr("部分属实"), self.tr("不属实"), self.tr("无法核实"),
                                         self.tr("核实金额（元）"), self.tr("准确率")])
        v.addWidget(self.feedback_table, 1)
        return w

    # --- state ---
    def _set_open(self, is_open: bool) -> None:
        for b in (self.intake_button, self.models_button, self.clues_button):
            b.setEnabled(is_open)

    def _failed(self, title: str):
        def show(exc: BaseException) -> None:
            from feijian.gui.tasks import show_failure

            show_failure(self, title, exc)
        return show

    def choose_archive(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("选择或新建归档"), str(self.home),
                                              self.tr("归档 (*.sqlite *.db);;所有文件 (*)"),
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.archive_edit.setText(path)

    def connect_archive(self):
        archive = self.archive_edit.text().strip()
        return run_with_progress(self, self.runner, self.tr("打开归档"), unlock_task, self.home,
                                 self.passphrase.text(), archive,
                                 on_finished=lambda r, a=archive: self._opened(a, r),
                                 on_failed=self._failed(self.tr("打开归档")))

    def _opened(self, archive: str, result) -> None:
        self.keys, self.trust = result
        self.archive = archive
        self.passphrase.clear()
        self._set_open(True)
        self.state.setText(self.tr("已打开：%1").replace("%1", archive if "://" not in archive
                                                          else archive.split("@")[-1]))
        self.refresh()

    def refresh(self):
        if self.keys is None:
            return None
        return run_with_progress(self, self.runner, self.tr("读取归档"), overview_task, self.archive, self.keys,
                                 on_finished=self._show_overview, on_failed=self._failed(self.tr("读取归档")))

    def _show_overview(self, result) -> None:
        self.institutions, summary = result
        _fill(self.institution_table, [[i.medins_code, i.medins_name, region(i.region_code), fmt.count(i.cases),
                                        fmt.count(i.rows)] for i in self.institutions], {3, 4})
        self._show_feedback(summary)
        self._show_regions()

    # --- 接收 ---
    def choose_packages(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择数据包"), str(self.home),
                                                self.tr("飞检数据包 (*.fjpkg);;所有文件 (*)"))
        if files:
            self.intake([Path(f) for f in files])

    def intake(self, paths: list[Path]):
        return run_with_progress(self, self.runner, self.tr("接收数据包"), intake_task, list(paths), self.archive,
                                 self.keys, self.trust, on_finished=self._intake_done,
                                 on_failed=self._failed(self.tr("接收数据包")))

    def _intake_done(self, verdicts: list[Verdict]) -> None:
        self.verdicts = self.verdicts + list(verdicts)
        rows = [[v.file, self.tr("已接收") if v.accepted else self.tr("拒收"), v.code, v.case_id,
                 v.message or self.tr("已核验并归档，回执已写在数据包旁")]
                for v in self.verdicts]
        _fill(self.verdict_table, rows)
        for r, v in enumerate(self.verdicts):
            if not v.accepted:
                self.verdict_table.item(r, 1).setForeground(Qt.GlobalColor.darkRed)
        ok = sum(1 for v in verdicts if v.accepted)
        self.intake_note.setText(self.tr("本次 %1 个数据包：接收 %2，拒收 %3")
                                 .replace("%1", fmt.count(len(verdicts))).replace("%2", fmt.count(ok))
                                 .replace("%3", fmt.count(len(verdicts) - ok)))
        self.refresh()

    # --- 模型 ---
    def run_models(self):
        lo = hi = None
        if self.use_period.isChecked():
            lo, hi = self.date_from.date().toPython(), self.date_to.date().toPython()
        return run_with_progress(self, self.runner, self.tr("运行跨机构模型"), models_task, self.archive, self.keys,
                                 lo, hi, on_finished=self._models_done,
                                 on_failed=self._failed(self.tr("运行跨机构模型")))

    def _models_done(self, run) -> None:
        from feijian.sync.bureau_models import MODELS, load_config

        self.run = run
        cfg = load_config()
        rows = []
        for m in MODELS:
            hits = [h for h in run.hits if h.model == m]
            rows.append([m, cfg.m(m)["name"], fmt.count(len(hits)), fmt.amount(sum(h.amount for h in hits)),
                         fmt.quantity(run.seconds.get(m, 0), places=2)])
        _fill(self.model_table, rows, {2, 3, 4})
        self.models_note.setText(self.tr("运行 %1：共 %2 条命中").replace("%1", run.run_id[:8])
                                 .replace("%2", fmt.count(len(run.hits))))
        self._show_hits(run.hits)
        self._show_regions()

    def _show_model_hits(self) -> None:
        if self.run is None:
            return
        rows = {i.row() for i in self.model_table.selectedIndexes()}
        models = {self.model_table.item(r, 0).text() for r in rows}
        self._show_hits([h for h in self.run.hits if not models or h.model in models])

    def _show_hits(self, hits) -> None:
        names = {i.medins_code: i.medins_name for i in self.institutions}
        items = item_names() if hits else {}
        frame = pd.DataFrame([{"model": h.model, "medins": names.get(h.medins_code) or h.medins_code,
                               "psn_no": h.psn_no, "mdtrt_id": h.mdtrt_id,
                               "med_list_codg": fmt.coded(h.med_list_codg, items.get(h.med_list_codg or "")),
                               "period": fmt.period_zh(h.period_start, h.period_end) if h.period_start else "",
                               "amount": h.amount, "description": h.description} for h in hits],
                             columns=[c.key for c in self._hit_columns()])
        self.hits.set_frame(frame, self._hit_columns())

    def _show_regions(self) -> None:
        _fill(self.region_table, [[region(code) if code != "—" else code, fmt.count(n), fmt.count(cases), fmt.count(sum(by.values())),
                                   "，".join(f"{m} {fmt.count(k)}" for m, k in sorted(by.items()))]
                                  for code, n, cases, by in regions(self.institutions, self.run)], {1, 2, 3})

    # --- 线索 ---
    def choose_clue_dir(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("线索清单写入的文件夹"), str(self.home))
        if path:
            self.clue_dir.setText(path)

    def write_clues(self):
        folder = self.clue_dir.text().strip()
        if not folder:
            self._failed(self.tr("写出线索清单"))(InputError(self.tr("请先选择写入的文件夹")))
            return None
        run_id = self.run.run_id if self.run is not None else None
        return run_with_progress(self, self.runner, self.tr("写出线索清单"), clues_task, self.archive, self.keys,
                                 Path(folder), run_id, on_finished=self._clues_done,
                                 on_failed=self._failed(self.tr("写出线索清单")))

    def _clues_done(self, result) -> None:
        sent, summary = result
        _fill(self.sent_table, [[s.medins_code, s.path.name, fmt.count(s.clues), s.signature_path.name]
                                for s in sent], {2})
        self.clues_note.setText(self.tr("已写出 %1 份线索清单及医保局公钥 bureau.pub。清单含人员编号，请按涉密文件传递。")
                                .replace("%1", fmt.count(len(sent))))
        self._show_feedback(summary)

    def _show_feedback(self, summary) -> None:
        rows = []
        for f in summary:
            r = f.by_result
            p = "—" if f.precision is None else f"{fmt.quantity(f.precision * 100, places=1)}%"
            rows.append([f.model, fmt.count(f.sent), fmt.count(f.received), fmt.count(f.answered),
                         fmt.count(r["confirmed"]), fmt.count(r["partly"]), fmt.count(r["unfounded"]),
                         fmt.count(r["unverifiable"]), fmt.amount(f.verified_amount), p])
        _fill(self.feedback_table, rows, set(range(1, 10)))
