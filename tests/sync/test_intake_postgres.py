"""Bureau intake into PostgreSQL: a real server started in a temporary folder (initdb + pg_ctl, as the
``postgres`` user when the tests run as root), the same schema and behaviour as the SQLite archive."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from sync_pkgkit import build

from feijian.sync.archive import Archive
from feijian.sync.intake import intake
from feijian.sync.reasons import Rejected

BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not BIN or not os.path.exists(os.path.join(BIN[-1], "initdb")),
                                 reason="no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb)")]


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL as a non-root user")
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pg_url():
    bindir = BIN[-1]
    root = Path(tempfile.mkdtemp(prefix="feijian-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", _free_port()
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    subprocess.run(_as_server_user([f"{bindir}/initdb", "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8",
                                    "--no-sync"]), check=True, capture_output=True)
    opts = f"-c listen_addresses='' -c unix_socket_directories={root} -p {port} -c fsync=off"
    subprocess.run(_as_server_user([f"{bindir}/pg_ctl", "-D", str(data), "-o", opts, "-w", "-l", str(root / "log"),
                                    "start"]), check=True, capture_output=True)
    try:
        yield f"postgresql://{user}@/postgres?host={root}&port={port}"
    finally:
        subprocess.run(_as_server_user([f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def test_postgres_intake_same_as_sqlite(world, tmp_path, pg_url):
    author = world.inspectors[2]
    p1 = build(world, tmp_path / "p1.fjpkg", author)
    receipts = intake([p1.path], pg_url, bureau_keys=world.bureau, trust=world.trust)
    assert receipts[0].verify(world.bureau.public().signing_public)["package_id"] == p1.package_id
    sqlite_path = tmp_path / "a.sqlite"
    intake([p1.path], sqlite_path, bureau_keys=world.bureau, trust=world.trust)
    with Archive.open(pg_url) as pg, Archive.open(sqlite_path) as lite:
        assert pg.postgres and not lite.postgres
        assert pg.evidence_hashes(world.case_id) == lite.evidence_hashes(world.case_id)
        assert len(pg.evidence_hashes(world.case_id)) == 2
        assert pg.findings(world.case_id) == lite.findings(world.case_id)
        assert pg.event_count(world.case_id) == lite.event_count(world.case_id) > 0
        assert pg.evidence_ciphertext(world.case_id, "EV0") == lite.evidence_ciphertext(world.case_id, "EV0")
    with pytest.raises(Rejected) as exc:
        intake([p1.path], pg_url, bureau_keys=world.bureau, trust=world.trust)
    assert exc.value.code == "REPLAY"
