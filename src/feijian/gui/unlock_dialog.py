"""Unlock (or, on first run, create) the inspector's identity; the idle watcher that locks it again."""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QVBoxLayout, QWidget)

from feijian.domain.errors import FeijianError

MIN_PASSPHRASE = 8


class UnlockDialog(QDialog):
    """``session.identity`` is set when the dialog is accepted."""

    def __init__(self, session, parent: Optional[QWidget] = None, *, reason: str = "") -> None:
        super().__init__(parent)
        self.session = session
        self.creating = not session.identities.exists()
        self.setWindowTitle(self.tr("飞检工作台 — 新建身份") if self.creating else self.tr("飞检工作台 — 解锁"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(self)
        intro.setWordWrap(True)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.staff_no = QLineEdit(self)
        self.role = QComboBox(self)
        self.role.addItem(self.tr("检查组成员"), "inspector")
        self.role.addItem(self.tr("检查组组长"), "lead")
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setObjectName("passphrase")
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        if self.creating:
            intro.setText(self.tr("首次使用：创建您的检查员身份（签名与加密密钥）。口令保护本机上的密钥，"
                                  "忘记口令只能由医保局恢复案件数据。"))
            form.addRow(self.tr("姓名"), self.name)
            form.addRow(self.tr("工号 / 执法证号"), self.staff_no)
            form.addRow(self.tr("角色"), self.role)
            form.addRow(self.tr("口令"), self.passphrase)
            form.addRow(self.tr("再次输入口令"), self.again)
        else:
            pub = session.identities.public()
            intro.setText(self.tr("身份：%1（%2）  密钥指纹 %3").replace("%1", pub.name)
                          .replace("%2", pub.staff_no).replace("%3", pub.key_id))
            form.addRow(self.tr("口令"), self.passphrase)
        if reason:
            note = QLabel(reason, self)
            note.setStyleSheet("color:#8a5a00")
            layout.addWidget(note)
        layout.addWidget(intro)
        layout.addLayout(form)
        self.message = QLabel(self)
        self.message.setStyleSheet("color:#b00020")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("创建身份") if self.creating else self.tr("解锁"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.name if self.creating else self.passphrase).setFocus()

    def submit(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if self.creating:
                self._create()
            else:
                self.session.identity = self.session.identities.unlock(self.passphrase.text())
        except FeijianError as exc:
            self.message.setText(str(exc))
            self.passphrase.selectAll()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.passphrase.clear()
        self.again.clear()
        self.accept()

    def _create(self) -> None:
        from feijian.domain.errors import InputError

        if len(self.passphrase.text()) < MIN_PASSPHRASE:
            raise InputError(self.tr("口令至少 8 个字符 / at least 8 characters"))
        if self.passphrase.text() != self.again.text():
            raise InputError(self.tr("两次输入的口令不一致 / the passphrases differ"))
        self.session.identity = self.session.identities.create(
            self.name.text(), self.staff_no.text(), self.role.currentData(), self.passphrase.text())


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without keyboard or mouse input anywhere in the application."""

    idle = Signal()
    INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}

    def __init__(self, minutes: float = 15.0, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: float) -> None:
        self.timer.setInterval(max(1, int(minutes * 60_000)))

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.timer.stop()

    def eventFilter(self, obj, event) -> bool:
        if event.type() in self.INPUT_EVENTS and self.timer.isActive():
            self.timer.start()
        return False
