"""Issue 18, the main flow by keyboard alone: from the first start (creating and unlocking the identity) to the
printed inspection report and the signed package for the team lead, with key presses only — no mouse call, no
widget method standing in for a key. Each key goes to the widget that has the keyboard focus, as a real
keyboard would; a step that leaves nothing focused, or whose dialog does not open on its key, fails the test
(it would need the mouse). The key presses and dialogs are counted and printed (``-s``) and recorded as
properties of the test (``--junitxml``), for the README."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QWizard

from feijian.gui.main_window import Workbench
from feijian.gui.unlock_dialog import UnlockDialog

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier


class Keyboard:
    """Presses keys on whatever has the focus and counts them; opens dialogs by keys and counts those."""

    def __init__(self) -> None:
        self.presses = 0  # keys pressed, each character typed counted apart
        self.typed = 0  # characters typed into fields (names, paths, reasons)
        self.fields = 0  # fields typed into
        self.dialogs = 0
        self.steps: list[tuple[str, int, int]] = []  # (step, presses, dialogs) after each step

    def focus(self):
        w = QApplication.focusWidget()
        assert w is not None, "nothing has the keyboard focus: this step needs the mouse"
        return w

    def press(self, key, modifier=NONE, times: int = 1) -> None:
        for _ in range(times):
            QTest.keyClick(self.focus(), key, modifier)
            self.presses += 1
            QApplication.processEvents()

    def type(self, text: str) -> None:
        """Type ``text`` into the focused field: ASCII as key presses, Chinese as the input method commits
        it (the way 李检查 reaches a field from a pinyin IME)."""
        for ch in text:
            if ch.isascii():
                QTest.keyClicks(self.focus(), ch)
            else:
                event = QInputMethodEvent()
                event.setCommitString(ch)
                QApplication.sendEvent(self.focus(), event)
        self.typed += len(text)
        self.fields += 1
        QApplication.processEvents()

    def step(self, name: str) -> None:
        self.steps.append((name, self.presses, self.dialogs))

    def dialog(self, kind, handle, open_keys, opener=None) -> None:
        """Press ``open_keys`` (a list of (key, modifier)) — or call ``opener``, for the dialog the workbench
        opens by itself at start — and, in the modal dialog of ``kind`` that opens, run ``handle(dialog)``
        (more keys). Fails if no such dialog opens or it is still open afterwards."""
        seen: dict = {}

        def run(tries=[0]):
            dlg = QApplication.activeModalWidget()
            if not isinstance(dlg, kind):
                tries[0] += 1
                if tries[0] > 500:
                    seen["error"] = AssertionError(f"no {kind.__name__} opened on {open_keys}")
                    if dlg is not None:
                        dlg.reject()
                    return
                QTimer.singleShot(10, run)
                return
            if QApplication.activeWindow() is not dlg and tries[0] < 100:  # the window system activates it
                tries[0] += 1
                QTimer.singleShot(10, run)
                return
            assert QApplication.activeWindow() is dlg, f"{kind.__name__} opened but never got the keyboard"
            self.dialogs += 1
            seen["dialog"] = dlg
            try:
                handle(dlg)
            except BaseException as exc:  # noqa: BLE001 - reported after the dialog's loop ends
                seen["error"] = exc
            if dlg.isVisible():
                seen.setdefault("error", AssertionError(f"{kind.__name__} still open after its keys"))
                dlg.reject()

        QTimer.singleShot(0, run)
        for key, modifier in open_keys:
            self.press(key, modifier)
        if opener is not None:
            opener()
        deadline = time.monotonic() + 10
        while "dialog" not in seen and "error" not in seen and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.005)
        if "error" in seen:
            raise seen["error"]
        assert "dialog" in seen, f"no {kind.__name__} opened on {open_keys}"


def _wait_tasks(wb: Workbench, timeout: float = 120.0) -> None:
    """Wait for the background tasks; a message box on the way (a failure) is closed and fails the test."""
    from PySide6.QtWidgets import QMessageBox

    from feijian.gui.tasks import wait_for

    messages: list[str] = []

    def watch() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            messages.append(box.text() + " " + box.informativeText() + " " + box.detailedText())
            box.reject()

    timer = QTimer()
    timer.timeout.connect(watch)
    timer.start(50)
    try:
        for task in list(wb.runner.running()):
            wait_for(task, timeout)
            assert task.error is None, task.error
    finally:
        timer.stop()
    assert not messages, messages
    QApplication.processEvents()
    assert QApplication.activeModalWidget() is None, QApplication.activeModalWidget()


def _file_name(keys: Keyboard, path: Path):
    def handle(dialog: QFileDialog) -> None:
        keys.press(Qt.Key.Key_A, CTRL)  # the name field has the focus: replace the suggested name
        keys.type(str(path))
        keys.press(Qt.Key.Key_Return)
    return handle


@pytest.mark.slow
def test_main_flow_by_keyboard_alone(qtbot, tmp_path, monkeypatch, demo_folder, record_property):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    # Qt's own file dialog (the one a bare Linux desktop gets), so its keys are the same everywhere
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda parent, title, start="": _qt_dialog_dir(parent, title, start))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda parent, title, suggested="", filters="": _qt_dialog_save(parent, title, suggested, filters))
    started = time.monotonic()
    keys = Keyboard()
    wb = Workbench(tmp_path / "home")
    qtbot.addWidget(wb)
    wb.resize(1366, 700)

    # 1. first start: create the identity (name, staff number, role, passphrase twice), Enter
    def identity(d: UnlockDialog) -> None:
        keys.type("李检查")
        keys.press(Qt.Key.Key_Tab)
        keys.type("YB-2026-007")
        keys.press(Qt.Key.Key_Tab)  # role: 检查组成员
        keys.press(Qt.Key.Key_Down)  # 检查组组长: a lead inspecting alone, who sends the final package
        keys.press(Qt.Key.Key_Tab)
        keys.type("flight-inspection")
        keys.press(Qt.Key.Key_Tab)
        keys.type("flight-inspection")
        keys.press(Qt.Key.Key_Return)

    keys.dialog(UnlockDialog, identity, [], opener=wb.unlock)  # what `feijian` opens first
    assert wb.session.identity is not None
    keys.step("identity created and unlocked")
    # the bureau's trust list, installed with the device (`feijian trust import`, not a workbench step)
    from feijian.crypto.trust import BureauKeys, TrustList

    bureau = BureauKeys.generate("测试医保局")
    trust = TrustList(bureau=bureau.public()).add(wb.session.identity.public).sign(bureau)
    wb.session.identities.import_trust(trust)

    # 2. the cases home; Ctrl+N: the new case wizard, three pages, Enter through them
    wb.show()
    qtbot.waitExposed(wb)
    wb.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wb, timeout=3000)

    def wizard(w: QWizard) -> None:
        keys.type("演示医院飞检")
        keys.press(Qt.Key.Key_Tab)
        keys.type("H32010000001")
        keys.press(Qt.Key.Key_Tab)
        keys.type("演示市第一人民医院")
        keys.press(Qt.Key.Key_Return)  # 下一步
        keys.press(Qt.Key.Key_Return)  # 下一步 (data period, trigger, prefix as proposed)
        keys.press(Qt.Key.Key_Return)  # 创建案件

    keys.dialog(QWizard, wizard, [(Qt.Key.Key_N, CTRL)])
    assert len(wb.case_windows) == 1
    window = wb.case_windows[0]
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    keys.step("case created and opened")

    # 3. Ctrl+2 data; Alt+I 导入数据文件夹: the folder typed into the folder dialog
    keys.press(Qt.Key.Key_2, CTRL)
    assert window.stack.currentWidget() is window.pages["data"]
    keys.dialog(QFileDialog, _file_name(keys, demo_folder), [(Qt.Key.Key_I, ALT)])
    _wait_tasks(wb)
    assert window.ctx.store.table_row_counts()["fees"] > 1000
    keys.step("data imported")

    # 4. Ctrl+R: every rule
    keys.press(Qt.Key.Key_R, CTRL)
    _wait_tasks(wb)
    assert window.ctx.store.latest_run() is not None
    keys.step("screened")

    # 5. Ctrl+3 hits: the table has the focus; J to the first hit, C confirms it, the reason typed
    keys.press(Qt.Key.Key_3, CTRL)
    view = window.pages["hits"].view
    assert keys.focus() is view.table
    keys.press(Qt.Key.Key_J)
    hit_id = view.selected_hit_ids()[0]

    def reason(d: QInputDialog) -> None:
        keys.type("经核对病历与收费明细属实")
        keys.press(Qt.Key.Key_Return)

    keys.dialog(QInputDialog, reason, [(Qt.Key.Key_C, NONE)])
    assert window.ctx.store.state().get("hit", hit_id, "review")["status"] == "confirmed"
    keys.press(Qt.Key.Key_5, CTRL)
    assert window.stack.currentWidget() is window.pages["findings"]
    assert any(hit_id in f.hit_ids for f in window.pages["findings"].findings)
    keys.step("a hit confirmed, its finding listed")

    # 6. Ctrl+7 documents: the list has the focus; Home, ↓ to 飞行检查报告, Alt+A (do not open a viewer),
    #    Enter: the save dialog, the file name typed
    keys.press(Qt.Key.Key_7, CTRL)
    docs = window.pages["documents"]
    assert keys.focus() is docs.docs
    keys.press(Qt.Key.Key_Home)
    order = [docs.docs.item(i).data(Qt.ItemDataRole.UserRole) for i in range(docs.docs.count())]
    keys.press(Qt.Key.Key_Down, times=order.index("report"))
    assert docs.docs.currentItem().data(Qt.ItemDataRole.UserRole) == "report"
    keys.press(Qt.Key.Key_A, ALT)
    qtbot.waitUntil(lambda: not docs.open_after.isChecked(), timeout=2000)  # (a mnemonic animates the click)
    keys.press(Qt.Key.Key_7, CTRL)  # back to the list
    pdf = tmp_path / "out" / "飞行检查报告.pdf"
    pdf.parent.mkdir()
    keys.dialog(QFileDialog, _file_name(keys, pdf), [(Qt.Key.Key_Return, NONE)])
    _wait_tasks(wb)
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    assert any(d.get("doc") == "report" for d in window.ctx.store.documents())
    keys.step("inspection report printed (PDF)")

    # 7. Ctrl+8 sync; Alt+B 导出给医保局: the package name typed
    keys.press(Qt.Key.Key_8, CTRL)
    assert keys.focus() is window.pages["sync"].export_lead
    package = tmp_path / "out" / "最终数据包.fjpkg"
    keys.dialog(QFileDialog, _file_name(keys, package), [(Qt.Key.Key_B, ALT)])
    _wait_tasks(wb)
    _check_signed(package, wb.session.identity, tmp_path / "unpacked")
    from feijian.sync import verify_package

    verdict = verify_package(package, trust, decrypt_key=bureau.intake_key)
    assert verdict.ok and verdict.manifest["kind"] == "bureau", verdict.message
    keys.step("signed package for the bureau")

    elapsed = time.monotonic() - started
    lines = [f"keyboard walkthrough: {keys.presses} key presses + {keys.typed} characters typed into "
             f"{keys.fields} fields, {keys.dialogs} dialogs, {len(keys.steps)} steps, {elapsed:.1f} s"]
    previous = (0, 0)
    for name, presses, dialogs in keys.steps:
        lines.append(f"  {name}: {presses - previous[0]} keys, {dialogs - previous[1]} dialogs")
        previous = (presses, dialogs)
    print("\n" + "\n".join(lines))
    record_property("walkthrough", "\n".join(lines))  # tests/gui/conftest.py prints it in the summary
    record_property("key_presses", keys.presses)
    record_property("characters_typed", keys.typed)
    record_property("dialogs", keys.dialogs)
    record_property("steps", len(keys.steps))
    window.close()
    wb.shutdown()


def _check_signed(package: Path, identity, out: Path) -> None:
    """The package's SHA256SUMS carries the inspector's minisign signature (checked with the stock tool
    when it is installed, else with feijian.crypto.minisign)."""
    import shutil
    import subprocess
    import zipfile

    from feijian.crypto import minisign

    with zipfile.ZipFile(package) as z:
        sums, sig = z.read("SHA256SUMS"), z.read("SHA256SUMS.minisig")
    out.mkdir()
    (out / "SHA256SUMS").write_bytes(sums)
    (out / "SHA256SUMS.minisig").write_bytes(sig)
    key_id8 = bytes.fromhex(identity.public.key_id)
    pub = identity.signing_key.public_key()
    (out / "signer.pub").write_text(minisign.public_key_file(pub, key_id8))
    if shutil.which("minisign"):
        subprocess.run(["minisign", "-V", "-p", str(out / "signer.pub"), "-m", str(out / "SHA256SUMS")],
                       check=True, capture_output=True)
    else:
        minisign.verify(sums, sig, pub, key_id8=key_id8)


def _qt_dialog(parent, title, start, mode, accept_mode, filters=""):
    dialog = QFileDialog(parent, title, start, filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(mode)
    dialog.setAcceptMode(accept_mode)
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return ""
    return dialog.selectedFiles()[0]


def _qt_dialog_dir(parent, title, start):
    return _qt_dialog(parent, title, start, QFileDialog.FileMode.Directory, QFileDialog.AcceptMode.AcceptOpen)


def _qt_dialog_save(parent, title, suggested, filters):
    return _qt_dialog(parent, title, suggested, QFileDialog.FileMode.AnyFile, QFileDialog.AcceptMode.AcceptSave,
                      filters), ""
