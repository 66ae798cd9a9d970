"""The workbench's UI state (geometry, splitters, column widths, last folders): an INI file in the data folder,
never patient data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings


def settings_file(home: Path) -> Path:
    return Path(home) / "workbench.ini"


def app_settings(home: Path) -> QSettings:
    """UI state only (geometry, splitters, column widths, last folders) in an INI file in the data folder."""
    return QSettings(str(settings_file(home)), QSettings.Format.IniFormat)


FONT_SIZE_KEY = "view/font_size"


def font_size(settings: QSettings, default: float) -> float:
    """The application font size (points) the user chose with Ctrl+= / Ctrl+-, else ``default``."""
    try:
        return float(settings.value(FONT_SIZE_KEY, default))
    except (TypeError, ValueError):
        return float(default)


def set_font_size(settings: QSettings, size: float) -> None:
    settings.setValue(FONT_SIZE_KEY, float(size))
    settings.sync()
