"""Fixtures for the store tests: cheap KDF, an identity, bureau keys, a case factory."""

import pytest

from feijian.crypto.identity import create_identity
from feijian.crypto.trust import BureauKeys
from feijian.store.case_store import CaseStore

from case_fixtures import make_info


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")


@pytest.fixture(scope="session")
def inspector():
    return create_identity("张检查", "J-001")


@pytest.fixture(scope="session")
def lead():
    return create_identity("李组长", "J-900", "lead")


@pytest.fixture(scope="session")
def bureau():
    return BureauKeys.generate("国家医保局")


@pytest.fixture
def new_case(tmp_path, inspector, bureau):
    opened = []

    def make(name="c", **kw):
        kw.setdefault("escrow_public", bureau.public().escrow_public)
        store = CaseStore.create(tmp_path / f"{name}.fjcase", make_info(case_id=f"case-{name}"), inspector, **kw)
        opened.append(store)
        return store

    yield make
    for s in opened:
        s.close()
