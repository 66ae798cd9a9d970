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
    with postgres_server() as url:
        yield url
