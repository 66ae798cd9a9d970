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
