"""The QApplication: bundled CJK font, translators and icon, and run_app (the workbench with the unexpected-error
hook of :mod:`feijian.gui.error_dialog`)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from feijian.gui.error_dialog import ErrorHook
from feijian.paths import resource

log = logging.getLogger("feijian.gui")

APP_NAME = "feijian"
ORG_NAME = "feijian"
FONT_FILE = ("fonts", "wqy-microhei.ttc")
SYSTEM_FONT_FILES = (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),)
UI_FONT_SIZE = 10


def register_font(app: QApplication) -> Optional[str]:
    """Register the bundled CJK font (WenQuanYi Micro Hei) and make it the application font, so screens
    look the same on a bare machine. Falls back to a system copy of the same font, then to Qt's choice."""
    candidates = [resource(*FONT_FILE), *SYSTEM_FONT_FILES]
    for path in candidates:
        if not path.is_file():
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            continue
        families = QFontDatabase.applicationFontFamilies(font_id)
        if families:
            family = families[0]
            app.setFont(QFont(family, UI_FONT_SIZE))
            log.info("UI font %s from %s", family, path.name)
            return family
    log.info("bundled CJK font not found; using the system font")
    return None


def install_translators(app: QApplication, language: str = "zh_CN") -> list[QTranslator]:
    """Qt's own strings (qtbase_zh_CN.qm: 确定/取消 …) and ours (resources/translations/feijian_<lang>.qm).
    Our source strings are Simplified Chinese, so Chinese needs only Qt's file; English loads ours."""
    installed: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_lang = language if language.startswith("zh") else "en"
    if not qt_lang.startswith("en"):
        tr = QTranslator(app)
        if tr.load(f"qtbase_{qt_lang}", qt_dir):
            app.installTranslator(tr)
            installed.append(tr)
    ours = resource("translations", f"feijian_{language}.qm")
    if ours.is_file():
        tr = QTranslator(app)
        if tr.load(str(ours)):
            app.installTranslator(tr)
            installed.append(tr)
    QLocale.setDefault(QLocale(language))
    return installed


def icon(name: str) -> QIcon:
    path = resource("icons", f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()


def _qt_message_handler(mode, context, message) -> None:
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }.get(mode, logging.WARNING)
    logging.getLogger("feijian.qt").log(level, "%s", message)


def create_application(argv: Optional[list[str]] = None, *, language: Optional[str] = None) -> QApplication:
    """The QApplication with font and translators. ``language``: ``zh_CN`` (default) or ``en``; the
    environment variable FEIJIAN_LANG chooses too."""
    import os

    language = language or os.environ.get("FEIJIAN_LANG") or "zh_CN"
    app = QApplication.instance()
    if app is None:
        QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(list(argv) if argv is not None else [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationDisplayName(QApplication.translate("app", "飞检工作台"))
    register_font(app)
    app.setWindowIcon(icon("feijian"))
    for old in getattr(app, "_feijian_translators", []):
        app.removeTranslator(old)
    app._feijian_translators = install_translators(app, language)  # keep references alive
    return app


def run_app(ctx) -> int:
    """The workbench: unlock (or create) the identity, then the cases home. Called by ``feijian`` with no
    arguments; ``ctx`` is :class:`feijian.cli.context.Context`."""
    from feijian.gui.main_window import Workbench

    app = create_application()
    if ctx.home is not None:
        Path(ctx.home).mkdir(parents=True, exist_ok=True)
    qInstallMessageHandler(_qt_message_handler)
    workbench = Workbench(Path(ctx.home))
    hook = ErrorHook(lambda: QApplication.activeWindow() or workbench)
    hook.install()
    try:
        if not workbench.unlock():
            return 0
        workbench.show()
        return int(app.exec())
    finally:
        hook.uninstall()
        workbench.shutdown()
