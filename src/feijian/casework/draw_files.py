"""The signed files of a 双随机 draw, shared by ``feijian draw`` and the draw dialog.

A commitment (``COMMIT.json``) and a record (``RECORD.json``) are canonical JSON, each with a minisign
signature ``FILE.minisig`` made with the bureau's signing key; the seed file holds the secret seed (mode 0600)
until the draw reveals it. ``drawn_case_info`` is the case for one drawn institution, as ``case new
--from-draw`` creates it: the record's signature must check against the bureau's public key.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from feijian.casework import draw as dr
from feijian.crypto import minisign
from feijian.crypto.canonical import canonical_json, utc_now
from feijian.domain.errors import InputError
from feijian.domain.progress import check_cancelled, report
from feijian.domain.records import CaseInfo, Role, TeamMember
from feijian.store.files import atomic_write


def sig_path(path: Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".minisig")


def _read(path: Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise InputError(f"无法读取{what} / cannot read {path}: {e.strerror}") from None


def _sign(keys, body: bytes, comment: str) -> str:
    return minisign.sign(body, keys.signing_key, bytes.fromhex(keys.public().key_id), comment)


@dataclass(frozen=True)
class Commitment:
    seed: str
    commitment: str
    body: bytes
    signature: str


def make_commitment(keys, *, committed_at: str = "") -> Commitment:
    """A fresh seed and its signed commitment (publish ``body`` before the draw, keep ``seed`` secret)."""
    seed = dr.new_seed()
    c = dr.commitment_of(seed)
    body = canonical_json({"format": dr.COMMITMENT_FORMAT, "commitment": c,
                           "algorithm": {"name": dr.ALGORITHM, "version": dr.ALGORITHM_VERSION},
                           "committed_at": committed_at or utc_now()})
    return Commitment(seed, c, body, _sign(keys, body, f"feijian draw commitment {c}"))


def write_commitment(c: Commitment, out: Path, seed_out: Path) -> None:
    atomic_write(Path(seed_out), (c.seed + "\n").encode("ascii"), mode=0o600)
    atomic_write(Path(out), c.body, mode=0o644)
    atomic_write(sig_path(out), c.signature.encode("utf-8"), mode=0o644)


def read_commitment(path: Path) -> str:
    """The commitment value of a ``COMMIT.json``."""
    try:
        value = json.loads(_read(path, "承诺文件"))["commitment"]
    except (ValueError, KeyError, TypeError):
        raise InputError(f"不是承诺文件 / not a commitment file: {path}") from None
    if not isinstance(value, str) or len(value) != 64:
        raise InputError(f"不是承诺文件 / not a commitment file: {path}")
    return value.lower()


def read_seed(path: Path) -> str:
    return dr.check_seed(_read(path, "种子文件").decode("ascii", "replace"))


def record_body(rec: dr.DrawRecord) -> bytes:
    return canonical_json(rec.to_dict())


def sign_record(keys, rec: dr.DrawRecord) -> tuple[bytes, str]:
    body = record_body(rec)
    comment = f"feijian draw {rec.commitment} sha256={hashlib.sha256(body).hexdigest()}"
    return body, _sign(keys, body, comment)


def write_record(body: bytes, signature: str, out: Path) -> None:
    atomic_write(Path(out), body, mode=0o644)
    atomic_write(sig_path(out), signature.encode("utf-8"), mode=0o644)


def draw_files(inst_path: Path, pool_path: Path, params: dr.DrawParams, seed: str, commitment: str, *,
               authority: str = "", drawn_at: str = "") -> dr.DrawRecord:
    """The draw from two input files on disk, the seed checked against its commitment."""
    inst_path, pool_path = Path(inst_path), Path(pool_path)
    return dr.run_draw(_read(inst_path, "机构名录"), inst_path.name, _read(pool_path, "检查人员库"), pool_path.name,
                       params, seed, commitment=commitment, drawn_at=drawn_at or utc_now(), authority=authority)


def draw_and_sign(inst_path: Path, pool_path: Path, params: dr.DrawParams, seed: str, commitment: str, keys,
                  out: Path, *, authority: str = "", progress=None, cancelled=None) -> dr.DrawRecord:
    """Draw, sign with the bureau's keys and write ``out`` and ``out.minisig`` (the dialog's step 2)."""
    report(progress, 0, 2, "抽取……")
    rec = draw_files(inst_path, pool_path, params, seed, commitment, authority=authority)
    check_cancelled(cancelled)
    report(progress, 1, 2, "签名……")
    body, sig = sign_record(keys, rec)
    write_record(body, sig, out)
    report(progress, 2, 2, "")
    return rec


def read_verified(path: Path, verifier) -> tuple[bytes, dict]:
    """A record file's bytes and content, its minisign signature checked against ``verifier``."""
    path = Path(path)
    body = _read(path, "抽查记录")
    if not sig_path(path).exists():
        raise InputError(f"缺少签名文件 / no signature {sig_path(path)}")
    try:
        minisign.verify(body, sig_path(path).read_bytes(), verifier)
    except minisign.SignatureError as e:
        raise InputError(f"签名无效 / bad signature on {path}: {e}") from None
    try:
        return body, json.loads(body)
    except ValueError:
        raise InputError(f"不是抽查记录 / not a draw record: {path}") from None


def verify_files(record_path: Path, inst_path: Path, pool_path: Path, verifier) -> dict:
    """Signature, commitment, inputs' hashes and the recomputed draw; raises InputError on any difference."""
    _, record = read_verified(record_path, verifier)
    result = dr.verify_record(record, _read(inst_path, "机构名录"), _read(pool_path, "检查人员库"))
    if not result.ok:
        raise InputError("验证失败 / verification failed: " + "; ".join(result.problems))
    return record


def load_record(path: Path) -> dr.DrawRecord:
    try:
        return dr.record_from_dict(json.loads(_read(path, "抽查记录")))
    except (ValueError, KeyError, TypeError):
        raise InputError(f"不是抽查记录 / not a draw record: {path}") from None


def bureau_verifier(home: Path):
    """The bureau's public key: of the bureau keys in data folder ``home``, else of its imported trust list."""
    from feijian.store.identities import BureauStore, IdentityStore

    store = BureauStore(home)
    if store.trust_path.exists():
        return store.public().verifier()
    bp = IdentityStore(home).bureau_public()
    if bp is None:
        raise InputError("没有医保局公钥：请先导入医保局信任列表 / no bureau public key: import the trust list")
    return bp.verifier()


def drawn_case_info(record_path: Path, code: str, verifier, name: str, me: TeamMember, *,
                    lead: Optional[TeamMember] = None, trigger: str = "") -> CaseInfo:
    """The case for drawn institution ``code``: the record's signature checked, the drawn team added."""
    if not code:
        raise InputError("需要抽中的机构编码 / the drawn institution's code is needed")
    read_verified(record_path, verifier)
    record = load_record(record_path)
    hit = record.find(code)
    if hit is None:
        raise InputError(f"抽查记录中没有机构 {code} / {code} was not drawn in this record")
    team = [me]
    if lead is not None and lead.key_id != me.key_id:
        team.append(lead)
    known = {m.name for m in team} | {m.staff_no for m in team} | {m.key_id for m in team}
    team.extend(TeamMember(who, "", Role.INSPECTOR) for who in hit.team if who not in known)
    i = hit.institution
    return CaseInfo(case_id=str(uuid.uuid4()), name=name, medins_code=i.code, medins_name=i.name, medins_lv=i.level,
                    medins_type=i.type or "hospital",
                    trigger=trigger or f"双随机抽查（承诺值 {record.commitment[:16]}…，第 {hit.order} 号）",
                    team=tuple(team))
