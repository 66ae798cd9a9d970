"""The workbench window: cases home, opening case windows, locking after idle time."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow

from feijian.domain.errors import FeijianError
from feijian.domain.records import TeamMember
from feijian.gui import dialogs, font_size, key_overlay
from feijian.gui.ui_settings import app_settings
from feijian.gui.cases_home import CasesHome
from feijian.gui.new_case_wizard import NewCaseWizard
from feijian.gui.session import Session
from feijian.gui.tasks import TaskRunner
from feijian.gui.unlock_dialog import IdleWatcher, UnlockDialog

log = logging.getLogger("feijian.gui")


class Workbench(QMainWindow):
    def __init__(self, home: Path, *, idle_minutes: Optional[float] = None) -> None:
        super().__init__()
        self.home = Path(home)
        self.session = Session(self.home)
        self.settings = app_settings(self.home)
        self.runner = TaskRunner(self)
        self.case_windows: list = []
        self.setWindowTitle(self.tr("飞检工作台"))
        self.home_page = CasesHome(self.session, self)
        self.setCentralWidget(self.home_page)
        self.home_page.new_requested.connect(self.new_case)
        self.home_page.open_requested.connect(self.open_case)
        self.home_page.demo_requested.connect(self.create_demo_case)
        minutes = idle_minutes if idle_minutes is not None else float(self.settings.value("lock/idle_minutes", 15))
        self.idle = IdleWatcher(minutes, self)
        self.idle.idle.connect(self.lock)
        menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        act = QAction(self.tr("新建案件…"), self)
        act.setShortcut(QKeySequence.StandardKey.New)
        act.triggered.connect(self.new_case)
        menu.addAction(act)
        act = QAction(self.tr("锁定"), self)
        act.setShortcut(QKeySequence("Ctrl+L"))
        act.triggered.connect(self.lock)
        menu.addAction(act)
        act = QAction(self.tr("双随机抽查…"), self)
        act.triggered.connect(self.open_draw)
        menu.addAction(act)
        act = QAction(self.tr("医保局…"), self)
        act.triggered.connect(self.open_bureau)
        menu.addAction(act)
        act = QAction(self.tr("退出"), self)
        act.setShortcut(QKeySequence.StandardKey.Quit)
        act.triggered.connect(self.close)
        menu.addAction(act)
        font_size.restore(self.settings)
        font_size.install(self, self.settings)
        key_overlay.install(self, lambda: self.home_page, lambda: self.tr("案件 — 快捷键"))
        self.resize(1100, 700)
        geometry = self.settings.value("home/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    # --- identity ----------------------------------------------------------------------------------
    def unlock(self, reason: str = "") -> bool:
        dialog = UnlockDialog(self.session, self if self.isVisible() else None, reason=reason)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.home_page.refresh()
        self.idle.start()
        return True

    def lock(self) -> None:
        """Close every case (each decision is already an event on disk), forget the keys, ask again."""
        self.idle.stop()
        for w in list(self.case_windows):
            w.close()
        self.session.lock()
        log.info("workbench locked")
        if not self.unlock(self.tr("因长时间未操作已自动锁定，请重新输入口令。")):
            self.close()

    # --- cases -------------------------------------------------------------------------------------
    def me(self) -> Optional[TeamMember]:
        ident = self.session.identity
        if ident is None:
            return None
        pub = ident.public
        return TeamMember(pub.name, pub.staff_no, pub.role, pub.key_id)

    def new_case(self) -> Optional[Path]:
        wizard = NewCaseWizard(self, self.me())
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.create_case_from(wizard)

    def create_case_from(self, wizard: NewCaseWizard) -> Optional[Path]:
        try:
            path = self.session.create_case(wizard.case_info())
        except FeijianError as exc:
            dialogs.error(self, self.tr("新建案件"), str(exc))
            return None
        self.home_page.refresh()
        self.open_case(path)
        return path

    def create_demo_case(self):
        """The demo hospital as a case (synthetic data, planted violations), imported and screened in the
        background, then opened — what `feijian` shows the first time."""
        from feijian.gui.tasks import run_with_progress

        task = run_with_progress(self, self.runner, self.tr("创建演示案件"), build_demo_case, self.session,
                                 on_finished=self._demo_ready)
        return task

    def open_draw(self):
        """The 双随机 draw (bureau key in this data folder); a case created from it is opened."""
        from feijian.gui.draw_dialog import DrawDialog

        dialog = DrawDialog(self.session, self.runner, self, me=self.me())
        dialog.case_created.connect(self._demo_ready)
        dialog.show()
        return dialog

    def open_bureau(self):
        """The 医保局 window: intake, archive, models and clue lists (bureau key in this data folder)."""
        from feijian.gui.pages.bureau_page import BureauWindow

        window = BureauWindow(self.home, self.runner, self)
        window.show()
        return window

    def _demo_ready(self, path) -> None:
        self.home_page.refresh()
        self.open_case(path)

    def open_case(self, path: Path):
        from feijian.gui.case_window import CaseWindow

        for w in self.case_windows:
            if w.path == Path(path):
                w.raise_()
                w.activateWindow()
                return w
        try:
            store = self.session.open_case(path)
        except FeijianError as exc:
            dialogs.error(self, self.tr("打开案件"), str(exc))
            return None
        window = CaseWindow(store, Path(path), self.session, self.settings, self.runner)
        window.closed.connect(lambda w=window: self._case_closed(w))
        self.case_windows.append(window)
        window.show()
        window.activateWindow()  # the keyboard goes on in the case just opened
        return window

    def _case_closed(self, window) -> None:
        if window in self.case_windows:
            self.case_windows.remove(window)
        self.home_page.refresh()

    # --- lifecycle ---------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        for w in list(self.case_windows):
            w.close()
        self.settings.setValue("home/geometry", self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)

    def shutdown(self) -> None:
        self.idle.stop()
        self.runner.cancel_all()
        self.runner.wait(30_000)
        for w in list(self.case_windows):
            w.close()


def build_demo_case(session: Session, *, scale: float = 0.2, progress=None, cancelled=None) -> Path:
    import uuid

    from feijian import demodata
    from feijian.casework.importing import import_folder
    from feijian.casework.screening import screen_case
    from feijian.domain.progress import check_cancelled, report
    from feijian.domain.records import CaseInfo

    data = session.home / "demo-data"
    report(progress, 0, 4, "生成演示医院数据（合成数据）……")
    if not data.exists():
        demodata.generate(data, scale=scale, paper=True)  # a few documents as photos and scans (issue 20)
    check_cancelled(cancelled)
    name = "演示医院"
    n = 1
    while session.case_path(name).exists():
        n += 1
        name = f"演示医院-{n}"
    me = session.identity.public
    from feijian.domain.records import TeamMember

    info = CaseInfo(str(uuid.uuid4()), name, "H32010000001", "演示市第一人民医院", "3", trigger="演示",
                    team=(TeamMember(me.name, me.staff_no, me.role, me.key_id),))
    path = session.create_case(info, name=name)
    store = session.open_case(path)
    try:
        report(progress, 1, 4, "导入数据……")
        import_folder(store, data, cancelled=cancelled)
        report(progress, 2, 4, "运行筛查规则……")
        screen_case(store, cancelled=cancelled)
        report(progress, 4, 4, "")
    finally:
        store.close()
    return path
