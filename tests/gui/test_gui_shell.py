"""The shell over a real store: first run creates the identity, the wizard creates a case, every page of
the case window opens on an empty case, and the settings live in the data folder."""

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialog

from feijian.gui.main_window import Workbench
from feijian.gui.unlock_dialog import UnlockDialog


@pytest.fixture()
def workbench(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    wb = Workbench(tmp_path / "home")
    qtbot.addWidget(wb)
    yield wb
    wb.shutdown()


def create_identity(wb, qtbot, passphrase="correct horse 1"):
    dialog = UnlockDialog(wb.session)
    qtbot.addWidget(dialog)
    assert dialog.creating
    dialog.name.setText("王检查")
    dialog.staff_no.setText("YB-0001")
    dialog.passphrase.setText(passphrase)
    dialog.again.setText(passphrase)
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.message.text()
    return wb.session.identity


def test_first_run_then_unlock_with_wrong_and_right_passphrase(workbench, qtbot):
    ident = create_identity(workbench, qtbot)
    assert ident.public.name == "王检查"
    workbench.session.lock()
    dialog = UnlockDialog(workbench.session)
    qtbot.addWidget(dialog)
    assert not dialog.creating
    dialog.passphrase.setText("wrong passphrase")
    dialog.submit()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.message.text()  # the library's one-line message
    assert workbench.session.identity is None
    dialog.passphrase.setText("correct horse 1")
    dialog.submit()
    assert workbench.session.identity.public.key_id == ident.public.key_id


def test_mismatched_passphrases_are_refused(workbench, qtbot):
    dialog = UnlockDialog(workbench.session)
    qtbot.addWidget(dialog)
    dialog.name.setText("王检查")
    dialog.staff_no.setText("1")
    dialog.passphrase.setText("abcdefgh1")
    dialog.again.setText("abcdefgh2")
    dialog.submit()
    assert "不一致" in dialog.message.text()
    assert not workbench.session.identities.exists()


def test_wizard_creates_case_and_every_page_opens(workbench, qtbot):
    from feijian.gui.new_case_wizard import NewCaseWizard

    create_identity(workbench, qtbot)
    wizard = NewCaseWizard(workbench, workbench.me())
    qtbot.addWidget(wizard)
    wizard.fill(case_name="测试案件", medins_code="H0001", medins_name="某市人民医院", level="3",
                period=(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    info = wizard.case_info()
    assert info.medins_lv == "3" and info.team[0].name == "王检查"
    assert info.data_period_end == dt.date(2025, 12, 31)
    path = workbench.create_case_from(wizard)
    assert path is not None and path.exists()
    assert workbench.home_page.model.rowCount() == 1
    assert workbench.home_page.model.value(0, "institution") == "某市人民医院"
    window = workbench.case_windows[0]
    for key in window.pages:
        page = window.show_page(key)
        assert window.stack.currentWidget() is page
    window.close()
    assert not workbench.case_windows


def test_settings_are_an_ini_file_in_the_data_folder(workbench):
    workbench.settings.setValue("probe", 1)
    workbench.settings.sync()
    assert workbench.settings.fileName().startswith(str(workbench.home))
    assert workbench.settings.fileName().endswith(".ini")


def test_idle_watcher_locks(workbench, qtbot):
    create_identity(workbench, qtbot)
    locked = []
    workbench.idle.idle.disconnect()
    workbench.idle.idle.connect(lambda: locked.append(True))
    workbench.idle.set_minutes(0.001)  # 60 ms
    workbench.idle.start()
    qtbot.waitUntil(lambda: bool(locked), timeout=3000)
    workbench.idle.stop()


def test_demo_case_from_the_home(workbench, qtbot, demo_folder):
    import shutil

    from feijian.gui.tasks import wait_for

    create_identity(workbench, qtbot)
    shutil.copytree(demo_folder, workbench.home / "demo-data")  # skip generating it again
    task = workbench.create_demo_case()
    wait_for(task, 120)
    assert task.error is None
    assert workbench.home_page.model.rowCount() == 1
    assert workbench.home_page.model.value(0, "hits") > 0
    window = workbench.case_windows[0]
    assert window.ctx.store.latest_run() is not None
    window.close()
