"""The Qt part of ``feijian --selftest``: the platform plugin loads, the bundled CJK font registers, Qt's
own Chinese translation loads, and a Chinese label really paints glyphs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from feijian.gui.app import create_application
from feijian.paths import resource


def check_rendering() -> None:
    app = create_application([])
    family = app.font().family()
    if not resource("fonts", "wqy-microhei.ttc").is_file():
        raise RuntimeError("selftest: the bundled font resources/fonts/wqy-microhei.ttc is missing")
    if "WenQuanYi" not in family and "文泉驿" not in family:
        raise RuntimeError(f"selftest: the bundled CJK font is not the application font (got {family!r})")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    texts = {b.text().replace("&", "") for b in buttons.buttons()}
    if "取消" not in texts:
        raise RuntimeError(f"selftest: Qt's Chinese translation did not load (buttons read {sorted(texts)})")
    label = QLabel("飞检工作台 医保基金")
    label.resize(label.sizeHint())
    image = QImage(label.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor(Qt.GlobalColor.white))
    label.render(image)
    dark = sum(
        1 for x in range(image.width()) for y in range(image.height()) if QColor(image.pixel(x, y)).lightness() < 128
    )
    if dark < 50:
        raise RuntimeError("selftest: Chinese text painted no glyphs")
    QCoreApplication.processEvents()
