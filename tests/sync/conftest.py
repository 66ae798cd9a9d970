"""Fixtures for the package tests; the builders live in ``sync_pkgkit`` (a unique module name, so that
other folders' ``conftest`` modules cannot shadow them)."""

from __future__ import annotations

import pytest
from sync_pkgkit import World, make_world


@pytest.fixture(scope="session")
def world() -> World:
    return make_world()


@pytest.fixture(scope="session")
def province(tmp_path_factory):
    """The demo province of feijian/demoprovince: three institutions in two cities, every model planted."""
    from feijian.demoprovince import build_province

    return build_province(tmp_path_factory.mktemp("province"), 3, scale=0.02, seed=11)


@pytest.fixture(scope="session")
def province_packages(province, world, tmp_path_factory):
    """One signed bureau package per institution of ``province`` (signed by an enrolled inspector)."""
    from feijian.demoprovince import write_packages

    return write_packages(province, tmp_path_factory.mktemp("province-packages"), world.inspectors[0],
                          world.intake_public)
