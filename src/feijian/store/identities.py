"""What the data folder holds about people and keys (no case data):

* ``identity.fjid`` — this inspector's identity, sealed with the passphrase (:mod:`feijian.crypto.identity`);
* ``trust/trustlist.json`` — the bureau's public keys and signed trust list, imported with ``trust import``;
* ``bureau/bureau.keys`` and ``bureau/trustlist.json`` — on the bureau's machine only: its sealed keys and the
  current signed trust list (``bureau init|enroll|publish``).
"""

from __future__ import annotations

import os
from pathlib import Path

from feijian.crypto.identity import Identity, PublicIdentity, create_identity, public_of_sealed, seal_identity, unseal_identity
from feijian.crypto.kdf import KdfParams
from feijian.crypto.trust import BureauKeys, BureauPublicKeys, TrustList, empty_trust_list
from feijian.domain.errors import InputError
from feijian.domain.records import Role
from feijian.store.errors import TrustError, translated, translating
from feijian.store.files import atomic_write

IDENTITY_FILE = "identity.fjid"


class NoIdentity(InputError):
    def __init__(self, home: Path) -> None:
        super().__init__(f"数据目录中还没有身份，请先运行 `feijian identity new` / no identity in {home}: run `feijian identity new` first")


def _read(path: Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"找不到{what} / no such file: {path}") from None
    except OSError as exc:
        raise InputError(f"无法读取{what} / cannot read {path}: {exc.strerror}") from None


@translating
class IdentityStore:
    def __init__(self, home: Path) -> None:
        self.home = Path(home)

    @property
    def path(self) -> Path:
        return self.home / IDENTITY_FILE

    @property
    def trust_path(self) -> Path:
        return self.home / "trust" / "trustlist.json"

    def exists(self) -> bool:
        return self.path.exists()

    def create(self, name: str, staff_no: str, role: str | Role, passphrase: str, *, overwrite: bool = False,
               params: KdfParams | None = None, fast: bool | None = None) -> Identity:
        if not name.strip() or not staff_no.strip():
            raise InputError("姓名和工号不能为空 / name and staff number are required")
        if not passphrase:
            raise InputError("口令不能为空 / the passphrase must not be empty")
        if self.exists() and not overwrite:
            raise InputError(f"数据目录中已有身份 / an identity already exists: {self.path}")
        try:
            role = Role(role)
        except ValueError:
            raise InputError(f"角色只能是 inspector 或 lead / role must be inspector or lead, not {role!r}") from None
        identity = create_identity(name.strip(), staff_no.strip(), role)
        atomic_write(self.path, seal_identity(identity, passphrase, params=params, fast=fast))
        return identity

    def save(self, identity: Identity, passphrase: str, *, fast: bool | None = None) -> None:
        """Store an identity made elsewhere (e.g. a new identity after escrow recovery)."""
        atomic_write(self.path, seal_identity(identity, passphrase, fast=fast))

    def _blob(self) -> bytes:
        if not self.exists():
            raise NoIdentity(self.home)
        return _read(self.path, "身份文件")

    def public(self) -> PublicIdentity:
        return public_of_sealed(self._blob())

    def unlock(self, passphrase: str) -> Identity:
        return unseal_identity(self._blob(), passphrase)

    def change_passphrase(self, old: str, new: str, *, fast: bool | None = None) -> None:
        identity = self.unlock(old)
        atomic_write(self.path, seal_identity(identity, new, fast=fast))

    def export_public(self, out: Path) -> PublicIdentity:
        pub = self.public()
        atomic_write(Path(out), pub.to_json() + b"\n", mode=0o644)
        return pub

    # -- the bureau's trust list, as imported by an inspector or lead -------------------------------------
    def import_trust(self, file: "Path | TrustList | bytes") -> TrustList:
        """Import a published trust list (a file, its bytes, or a :class:`TrustList`). The first import pins the
        bureau's signing key; later imports must be signed by the same key and may not go back to an older list."""
        if isinstance(file, TrustList):
            new = file
        elif isinstance(file, (bytes, bytearray)):
            new = TrustList.from_json(bytes(file))
        else:
            new = TrustList.from_json(_read(Path(file), "信任列表文件"))
        current = self.trust_list()
        expected = current.bureau.signing_public if current else new.bureau.signing_public
        new.verify(expected)
        if current and new.seq < current.seq:
            raise TrustError(f"信任列表比已导入的旧 / trust list seq {new.seq} is older than the imported seq {current.seq}")
        atomic_write(self.trust_path, new.to_json(), mode=0o644)
        return new

    def trust_list(self) -> TrustList | None:
        if not self.trust_path.exists():
            return None
        tl = TrustList.from_json(_read(self.trust_path, "信任列表"))
        return tl.verify(tl.bureau.signing_public)

    def bureau_public(self) -> BureauPublicKeys | None:
        tl = self.trust_list()
        return tl.bureau if tl else None


@translating
class BureauStore:
    """The bureau's own keys (sealed with the bureau passphrase) and its trust list."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)

    @property
    def keys_path(self) -> Path:
        return self.home / "bureau" / "bureau.keys"

    @property
    def trust_path(self) -> Path:
        return self.home / "bureau" / "trustlist.json"

    def exists(self) -> bool:
        return self.keys_path.exists()

    def init(self, passphrase: str, name: str = "", *, overwrite: bool = False, fast: bool | None = None) -> BureauKeys:
        if self.exists() and not overwrite:
            raise InputError(f"医保局密钥已存在 / bureau keys already exist: {self.keys_path}")
        keys = BureauKeys.generate(name)
        atomic_write(self.keys_path, keys.seal(passphrase, fast=fast))
        atomic_write(self.trust_path, empty_trust_list(keys).to_json(), mode=0o644)
        return keys

    def unlock(self, passphrase: str) -> BureauKeys:
        if not self.exists():
            raise InputError(f"此数据目录没有医保局密钥，请先运行 `feijian bureau init` / no bureau keys in {self.home}")
        return BureauKeys.unseal(_read(self.keys_path, "医保局密钥文件"), passphrase)

    def public(self) -> BureauPublicKeys:
        return self.trust_list().bureau

    def trust_list(self) -> TrustList:
        if not self.trust_path.exists():
            raise InputError(f"此数据目录没有医保局信任列表 / no bureau trust list in {self.home}")
        tl = TrustList.from_json(_read(self.trust_path, "信任列表"))
        return tl.verify(tl.bureau.signing_public)

    def enroll(self, keys: "BureauKeys | PublicIdentity", member: "PublicIdentity | str") -> TrustList:
        """Enrol ``member`` and re-sign the list: ``enroll(keys, member)``, or ``enroll(member, passphrase)``."""
        if isinstance(keys, PublicIdentity) and isinstance(member, str):
            keys, member = self.unlock(member), keys
        tl = self.trust_list()
        if tl.bureau.signing_public != keys.public().signing_public:
            raise TrustError("医保局密钥与信任列表不符 / bureau keys do not match the trust list")
        tl = tl.add(member).sign(keys)
        atomic_write(self.trust_path, tl.to_json(), mode=0o644)
        return tl

    def enroll_file(self, keys: BureauKeys, file: Path) -> PublicIdentity:
        member = read_public_identity(Path(file))
        self.enroll(keys, member)
        return member

    def publish(self, out: "Path | None" = None) -> TrustList:
        """The signed trust list (for ``trust import``), written to ``out`` when a path is given."""
        tl = self.trust_list()
        if isinstance(out, os.PathLike):
            atomic_write(Path(out), tl.to_json(), mode=0o644)
        return tl

    def escrow_public(self) -> bytes:
        return self.public().escrow_public

    def intake_public(self) -> bytes:
        return self.public().intake_public


def read_public_identity(file: Path) -> PublicIdentity:
    """A public identity file (``identity export``), with a clear error for anything else."""
    with translated():
        return PublicIdentity.from_json(_read(Path(file), "公开身份文件"))
