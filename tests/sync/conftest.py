"""Fixtures for the package tests; the builders live in ``sync_pkgkit`` (a unique module name, so that
other folders' ``conftest`` modules cannot shadow them)."""

from __future__ import annotations

import pytest
from sync_pkgkit import World, make_world


@pytest.fixture(scope="session")
def world() -> World:
    return make_world()
