"""Cheap Argon2id parameters for every crypto test but the one that checks the calibrated default."""

import pytest


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
