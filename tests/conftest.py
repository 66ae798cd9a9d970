"""Suite-wide settings: Qt offscreen, and a fresh data folder per test so no test touches a real user's data."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# No per-example time limit: a deadline is a timed test, and on a loaded 2-core CI machine it fails on speed
# alone (speed targets live in benchmarks/). Tests that set their own settings keep them.
settings.register_profile("feijian", deadline=None)
settings.load_profile("feijian")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("feijian-home")
    monkeypatch.setenv("FEIJIAN_HOME", str(home))
    monkeypatch.delenv("FEIJIAN_PASSPHRASE", raising=False)
    yield home
