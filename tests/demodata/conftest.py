"""One small demo hospital shared by the demo-data tests (generation takes a few seconds)."""

from __future__ import annotations

import pytest

from feijian.demodata import generate

from demodata_scale import SMALL  # noqa: E402  (shared with the tests)


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "hospital"
    manifest = generate(out, seed=7, scale=SMALL)
    return out, manifest
