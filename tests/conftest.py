"""Suite-wide settings: Qt offscreen, and a fresh data folder per test so no test touches a real user's data."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("feijian-home")
    monkeypatch.setenv("FEIJIAN_HOME", str(home))
    monkeypatch.delenv("FEIJIAN_PASSPHRASE", raising=False)
    yield home
