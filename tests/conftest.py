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


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server for the session (``tests/pg_server.py``), for the archive tests and the 医保局
    window's; each module makes its own database (``pg_server.create_database``)."""
    from pg_server import available, postgres_server

    if not available():
        pytest.skip("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb, runuser when root)")
    # autovacuum off: the tests check which statistics the archive's own ANALYZE leaves, and a background
    # auto-analyze (its one-minute nap ends mid-test on a loaded machine) would race them
    with postgres_server(settings={"autovacuum": "off"}) as url:
        yield url


@pytest.fixture(scope="session")
def province_of_two(tmp_path_factory):
    """Two demo institutions in one city, every model but M04 planted (feijian/demoprovince): ≈ 30 CPU s to
    build, so built once per test process for the 医保局 window's and the bureau command's tests, which only
    read it."""
    from feijian.demoprovince import build_province

    return build_province(tmp_path_factory.mktemp("province-of-two"), 2, scale=0.02, seed=5)


def pytest_collection_modifyitems(config, items):
    """The frozen build (≈ 3 min, one test) first: run in parallel (``make test``), a worker starts it at once
    instead of leaving it as the suite's last three minutes. The same order in every worker (pytest-xdist)."""
    items.sort(key=lambda item: item.get_closest_marker("frozen") is None)
