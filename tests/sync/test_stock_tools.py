"""Stock tools agree with our verifier: Debian minisign, coreutils sha256sum and age check a package
without feijian, and fail on a tampered one (architecture decision 3)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from sync_pkgkit import build

from feijian.crypto import age, minisign
from feijian.crypto.identity import raw_private
from feijian.sync.package import SIG, SUMS

TOOLS = {t: shutil.which(t) for t in ("minisign", "sha256sum", "age")}
pytestmark = pytest.mark.skipif(not all(TOOLS.values()),
                                reason=f"stock tools missing: {[t for t, p in TOOLS.items() if not p]}")


def _extract_for_test(pkg, dest):
    # Test only: the clerk's `unzip`. Members are ciphertext except the manifest and the sums.
    with zipfile.ZipFile(pkg) as zf:
        for name in zf.namelist():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(name))


def _run(*args, cwd=None):
    return subprocess.run(list(args), cwd=cwd, capture_output=True)


@pytest.fixture()
def unpacked(world, tmp_path):
    ident = world.inspectors[0]
    info = build(world, tmp_path / "p.fjpkg", ident)
    d = tmp_path / "x"
    _extract_for_test(info.path, d)
    (tmp_path / "signer.pub").write_text(minisign.public_key_file(ident.signing_key.public_key(),
                                                                  bytes.fromhex(ident.public.key_id)))
    (tmp_path / "bureau.key").write_text(age.identity_file(raw_private(world.bureau.intake_key)))
    return info, d, tmp_path


def test_stock_tools_accept_honest_package(unpacked):
    info, d, t = unpacked
    r = _run(TOOLS["minisign"], "-V", "-p", str(t / "signer.pub"), "-m", str(d / SUMS), "-x", str(d / SIG))
    assert r.returncode == 0, r.stderr
    assert info.package_id.encode() in r.stdout  # the trusted comment names the package
    r = _run(TOOLS["sha256sum"], "-c", "--strict", SUMS, cwd=d)
    assert r.returncode == 0, r.stdout + r.stderr
    r = _run(TOOLS["age"], "-d", "-i", str(t / "bureau.key"), str(d / "evidence" / "EV1.age"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith("证据1".encode())


def test_stock_tools_reject_tampered_package(unpacked):
    info, d, t = unpacked
    ev = d / "evidence" / "EV0.age"
    data = bytearray(ev.read_bytes())
    data[-30] ^= 1
    ev.write_bytes(bytes(data))
    assert _run(TOOLS["sha256sum"], "-c", "--strict", SUMS, cwd=d).returncode != 0
    assert _run(TOOLS["age"], "-d", "-i", str(t / "bureau.key"), str(ev)).returncode != 0
    sums = (d / SUMS).read_bytes()
    (d / SUMS).write_bytes(sums.replace(b"evidence/EV0.age", b"evidence/EV9.age"))
    r = _run(TOOLS["minisign"], "-V", "-p", str(t / "signer.pub"), "-m", str(d / SUMS), "-x", str(d / SIG))
    assert r.returncode != 0
