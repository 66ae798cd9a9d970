"""Bureau intake into PostgreSQL: a real server started in a temporary folder (``pg_server.py``: initdb +
pg_ctl, as the ``postgres`` user when the tests run as root), the same schema and behaviour as the SQLite
archive."""

from __future__ import annotations

import pytest
from pg_server import create_database
from sync_pkgkit import build

from feijian.sync.archive import Archive
from feijian.sync.intake import intake
from feijian.sync.reasons import Rejected

pytestmark = [pytest.mark.postgres]


@pytest.fixture(scope="module")
def pg_url(pg_server):
    return create_database(pg_server, "intake_same_as_sqlite")


def test_postgres_intake_same_as_sqlite(world, tmp_path, pg_url):
    author = world.inspectors[2]
    p1 = build(world, tmp_path / "p1.fjpkg", author)
    receipts = intake([p1.path], pg_url, bureau_keys=world.bureau, trust=world.trust)
    assert receipts[0].verify(world.bureau.public().signing_public)["package_id"] == p1.package_id
    sqlite_path = tmp_path / "a.sqlite"
    intake([p1.path], sqlite_path, bureau_keys=world.bureau, trust=world.trust)
    with Archive.open(pg_url) as pg, Archive.open(sqlite_path, bureau_keys=world.bureau) as lite:
        assert pg.postgres and not lite.postgres
        assert pg.evidence_hashes(world.case_id) == lite.evidence_hashes(world.case_id)
        assert len(pg.evidence_hashes(world.case_id)) == 2
        assert pg.findings(world.case_id) == lite.findings(world.case_id)
        assert pg.event_count(world.case_id) == lite.event_count(world.case_id) > 0
        assert pg.evidence_ciphertext(world.case_id, "EV0") == lite.evidence_ciphertext(world.case_id, "EV0")
    with pytest.raises(Rejected) as exc:
        intake([p1.path], pg_url, bureau_keys=world.bureau, trust=world.trust)
    assert exc.value.code == "REPLAY"
