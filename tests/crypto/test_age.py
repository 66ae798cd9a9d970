"""age format: interoperates with the Debian ``age`` tool in both directions."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from feijian.crypto import age

AGE = shutil.which("age")
AGE_KEYGEN = shutil.which("age-keygen")
needs_age = pytest.mark.skipif(AGE is None, reason="the Debian age tool is not installed")


def _keypair():
    sk = X25519PrivateKey.generate()
    return (sk.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
            sk.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def test_bech32_bip173_vectors():
    # BIP 173 valid bech32 strings decode and re-encode to themselves.
    for s in ["a12uel5l", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"]:
        hrp, data = age.bech32_decode(s)
        assert age.bech32_encode(hrp, data) == s
    with pytest.raises(ValueError):
        age.bech32_decode("a12uel5m")


def test_recipient_matches_pyrage_public_key():
    import pyrage

    ident = pyrage.x25519.Identity.generate()
    _, data = age.bech32_decode(str(ident))
    assert age.recipient(age.public_from_recipient(str(ident.to_public()))) == str(ident.to_public())
    pub = X25519PrivateKey.from_private_bytes(data).public_key()
    assert age.recipient(pub) == str(ident.to_public())
    assert age.identity_string(data) == str(ident)


def test_roundtrip_and_wrong_key():
    priv, pub = _keypair()
    other_priv, other_pub = _keypair()
    ct = age.encrypt(b"patient data", [pub, other_pub])
    assert age.decrypt(ct, priv) == b"patient data"
    assert age.decrypt(ct, other_priv) == b"patient data"
    with pytest.raises(age.AgeError):
        age.decrypt(ct, _keypair()[0])
    damaged = bytearray(ct)
    damaged[-5] ^= 1
    with pytest.raises(age.AgeError):
        age.decrypt(bytes(damaged), priv)
    with pytest.raises(age.AgeError):
        age.decrypt(ct[:-20], priv)
    with pytest.raises(age.AgeError):
        age.decrypt(b"PK\x03\x04 not age", priv)


def test_streaming_roundtrip():
    priv, pub = _keypair()
    data = os.urandom(200_000)
    out = io.BytesIO()
    age.encrypt_stream(io.BytesIO(data), out, [pub])
    assert age.decrypt_to_bytes(io.BytesIO(out.getvalue()), priv) == data


@needs_age
def test_debian_age_decrypts_ours(tmp_path):
    priv, pub = _keypair()
    (tmp_path / "key.txt").write_text(age.identity_file(priv))
    (tmp_path / "m.age").write_bytes(age.encrypt(b"\xe8\xaf\x81\xe6\x8d\xae evidence", [pub]))
    res = subprocess.run([AGE, "-d", "-i", str(tmp_path / "key.txt"), str(tmp_path / "m.age")], capture_output=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout == "证据 evidence".encode()
    (tmp_path / "other.txt").write_text(age.identity_file(_keypair()[0]))
    res = subprocess.run([AGE, "-d", "-i", str(tmp_path / "other.txt"), str(tmp_path / "m.age")], capture_output=True)
    assert res.returncode != 0


@needs_age
def test_we_decrypt_debian_age(tmp_path):
    priv, pub = _keypair()
    (tmp_path / "m").write_bytes(b"from the stock tool")
    subprocess.run([AGE, "-e", "-r", age.recipient(pub), "-o", str(tmp_path / "m.age"), str(tmp_path / "m")],
                   check=True)
    assert age.decrypt((tmp_path / "m.age").read_bytes(), priv) == b"from the stock tool"
