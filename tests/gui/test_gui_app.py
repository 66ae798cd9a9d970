"""Application set-up: CJK font, Qt's Chinese dialogs, the English translation, the scrubbed error log."""

import logging
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase

from feijian.gui.app import create_application, register_font
from feijian.gui.error_dialog import ErrorHook, scrubbed_traceback


def test_cjk_font_is_registered_and_covers_chinese(qapp):
    family = register_font(qapp)
    assert family is not None
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)
    assert qapp.font().family() == family


def test_qt_own_strings_are_chinese(qapp):
    create_application(language="zh_CN")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_english_translation_for_key_screens(qapp, tmp_path, monkeypatch, qtbot):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    from feijian.gui.session import Session
    from feijian.gui.unlock_dialog import UnlockDialog

    create_application(language="en")
    try:
        dialog = UnlockDialog(Session(tmp_path))
        qtbot.addWidget(dialog)
        assert dialog.ok_button.text() == "Create identity"
        assert QCoreApplication.translate("CaseWindow", "病历费用对照") == "Record vs billing"
    finally:
        create_application(language="zh_CN")
    assert QCoreApplication.translate("CaseWindow", "病历费用对照") == "病历费用对照"


def test_error_log_has_no_exception_message(qapp, caplog):
    hook = ErrorHook()
    hook.enabled_dialogs = False
    try:
        raise ValueError("张三 110101199001011234")
    except ValueError:
        info = sys.exc_info()
    with caplog.at_level(logging.ERROR, logger="feijian.gui"):
        hook(*info)
    text = caplog.text
    assert "ValueError" in text and "test_gui_app.py" in text
    assert "张三" not in text and "110101199001011234" not in text
    assert "110101199001011234" not in scrubbed_traceback(*info)
