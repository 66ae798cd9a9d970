"""Where feijian finds its bundled resources and keeps its data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the source tree, or inside a frozen bundle."""
    override = os.environ.get("FEIJIAN_RESOURCES")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def default_home() -> Path:
    """The data folder (identities, cases, logs): FEIJIAN_HOME, else the platform's user data folder."""
    env = os.environ.get("FEIJIAN_HOME")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("feijian", appauthor=False))
