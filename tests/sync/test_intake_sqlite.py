"""Bureau intake into SQLite: receipts the stock minisign accepts, lead-bound packages refused, nothing
imported from a rejected package."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from sync_pkgkit import build

from feijian.crypto import minisign
from feijian.sync.archive import Archive
from feijian.sync.intake import intake
from feijian.sync.reasons import Rejected


def test_receipt_checks_with_stock_minisign(world, tmp_path):
    p = build(world, tmp_path / "p.fjpkg", world.inspectors[1])
    [receipt] = intake([p.path], tmp_path / "a.sqlite", bureau_keys=world.bureau, trust=world.trust)
    body = receipt.verify(world.bureau.public().signing_public)
    assert body["package_sha256"] == p.sha256 and body["evidence_added"] == 2
    if shutil.which("minisign") is None:
        pytest.skip("the Debian minisign tool is not installed")
    f = receipt.write(tmp_path / "receipts")
    pub = tmp_path / "bureau.pub"
    pub.write_text(minisign.public_key_file(world.bureau.signing_key.public_key(),
                                            bytes.fromhex(world.bureau.public().key_id)))
    r = subprocess.run(["minisign", "-V", "-p", str(pub), "-m", str(f)], capture_output=True)
    assert r.returncode == 0, r.stderr


def test_lead_package_refused_and_nothing_imported(world, tmp_path):
    p = build(world, tmp_path / "p.fjpkg", world.inspectors[1], kind="lead")
    with pytest.raises(Rejected) as exc:
        intake([p.path], tmp_path / "a.sqlite", bureau_keys=world.bureau, trust=world.trust)
    assert exc.value.code == "WRONG_RECIPIENT"
    with Archive.open(tmp_path / "a.sqlite", bureau_keys=world.bureau) as a:
        assert a.package_ids() == [] and a.event_count(world.case_id) == 0


def test_tampered_package_refused_at_intake(world, tmp_path):
    p = build(world, tmp_path / "p.fjpkg", world.inspectors[1])
    data = bytearray(p.path.read_bytes())
    i = data.find(b"age-encryption.org") + 200
    data[i] ^= 1
    bad = tmp_path / "bad.fjpkg"
    bad.write_bytes(bytes(data))
    with pytest.raises(Rejected) as exc:
        intake([bad], tmp_path / "a.sqlite", bureau_keys=world.bureau, trust=world.trust)
    assert exc.value.code in ("CRC_MISMATCH", "HASH_MISMATCH")
    assert exc.value.member.startswith("bad.fjpkg:")
