"""minisign format: our signatures verify with the Debian ``minisign`` tool and fail after any change."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from feijian.crypto import minisign

MINISIGN = shutil.which("minisign")
needs_minisign = pytest.mark.skipif(MINISIGN is None, reason="the Debian minisign tool is not installed")


@pytest.fixture()
def key():
    return Ed25519PrivateKey.generate(), bytes.fromhex("0123456789abcdef")


def test_roundtrip_returns_trusted_comment(key):
    sk, kid = key
    text = minisign.sign(b"hello", sk, kid, "case=C1 seq=3")
    assert minisign.verify(b"hello", text, sk.public_key(), key_id8=kid) == "case=C1 seq=3"


def test_changed_data_comment_or_key_fails(key):
    sk, kid = key
    text = minisign.sign(b"hello", sk, kid, "seq=3")
    with pytest.raises(minisign.BadSignature):
        minisign.verify(b"hellp", text, sk.public_key())
    forged = text.replace("seq=3", "seq=4")
    with pytest.raises(minisign.BadSignature):
        minisign.verify(b"hello", forged, sk.public_key())
    with pytest.raises(minisign.BadSignature):
        minisign.verify(b"hello", text, Ed25519PrivateKey.generate().public_key())
    with pytest.raises(minisign.BadSignature):
        minisign.verify(b"hello", text, sk.public_key(), key_id8=b"\0" * 8)


@pytest.mark.parametrize("bad", ["", "x\ny\nz\nw\n", "untrusted comment: a\n!!!\ntrusted comment: b\nAAAA\n"])
def test_malformed_signature_files(key, bad):
    sk, _ = key
    with pytest.raises(minisign.MalformedSignature):
        minisign.verify(b"hello", bad, sk.public_key())


def test_public_key_file_roundtrip(key):
    sk, kid = key
    text = minisign.public_key_file(sk.public_key(), kid)
    pub, kid2 = minisign.parse_public_key_file(text)
    assert kid2 == kid
    assert minisign.verify(b"x", minisign.sign(b"x", sk, kid, "t"), pub) == "t"
    assert minisign.key_id_hex(kid) in text


@needs_minisign
def test_debian_minisign_accepts_and_rejects(key, tmp_path):
    sk, kid = key
    data = b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  manifest.json\n" * 50
    (tmp_path / "pub").write_text(minisign.public_key_file(sk.public_key(), kid))
    (tmp_path / "SHA256SUMS").write_bytes(data)
    (tmp_path / "SHA256SUMS.minisig").write_text(minisign.sign(data, sk, kid, "feijian package seq=1"))
    ok = subprocess.run([MINISIGN, "-V", "-p", str(tmp_path / "pub"), "-m", str(tmp_path / "SHA256SUMS")],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "feijian package seq=1" in ok.stdout
    changed = bytearray(data)
    changed[100] ^= 0x01
    (tmp_path / "SHA256SUMS").write_bytes(bytes(changed))
    bad = subprocess.run([MINISIGN, "-V", "-p", str(tmp_path / "pub"), "-m", str(tmp_path / "SHA256SUMS")],
                         capture_output=True, text=True)
    assert bad.returncode != 0


@needs_minisign
def test_we_verify_what_debian_minisign_signs(tmp_path):
    # minisign -G with an empty password (-W) creates an unencrypted key pair.
    pk, sk = tmp_path / "k.pub", tmp_path / "k.key"
    subprocess.run([MINISIGN, "-G", "-W", "-p", str(pk), "-s", str(sk)], check=True, capture_output=True)
    msg = tmp_path / "m"
    msg.write_bytes(b"stock tool data")
    subprocess.run([MINISIGN, "-S", "-s", str(sk), "-m", str(msg), "-t", "from stock"], check=True,
                   capture_output=True)
    pub, kid = minisign.parse_public_key_file(pk.read_text())
    sig = (tmp_path / "m.minisig").read_text()
    assert minisign.verify(b"stock tool data", sig, pub, key_id8=kid) == "from stock"
    with pytest.raises(minisign.BadSignature):
        minisign.verify(b"stock tool datA", sig, pub, key_id8=kid)
