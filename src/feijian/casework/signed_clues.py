"""A clue list signed by the bureau (``domain/clue_list_format.py``), checked before the case records it.

The list's ``FILE.minisig`` must be a minisign signature by the bureau's signing key of the trust list the
inspector imported (``feijian trust import``), over exactly these bytes, with a clue-list trusted comment
whose clue count matches the list; the institution it names must be the case's (when the case has one).
Each refusal says which of these failed. A list not signed by feijian (another system's export) is
imported only when the user says so (``unsigned=True``), and the case records it as unsigned.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from feijian.casework.clues import ClueList, import_clues
from feijian.crypto import minisign
from feijian.domain.clue_list_format import SIGNATURE_SUFFIX, parse_trusted_comment
from feijian.domain.errors import InputError


@dataclass(frozen=True)
class BureauSignature:
    bureau_key_id: str
    bureau_name: str
    run_id: str
    medins_code: str
    clues: int
    trusted_comment: str

    def origin(self) -> dict:
        return {"signed_by": "bureau", "bureau_key_id": self.bureau_key_id, "bureau_name": self.bureau_name,
                "run_id": self.run_id, "medins_code": self.medins_code, "trusted_comment": self.trusted_comment}


def signature_path(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + SIGNATURE_SUFFIX)


def verify_clue_list(data: bytes, signature: Optional[str | bytes], trust) -> BureauSignature:
    """The bureau's signature over ``data`` checked against ``trust`` (the imported trust list), or
    :class:`InputError` saying why the list is refused."""
    if trust is None:
        raise InputError("尚未导入医保局信任列表，无法核验线索清单的签名（feijian trust import FILE） / no trust list "
                         "imported: the clue list's signature cannot be checked (feijian trust import FILE)")
    if signature is None:
        raise InputError("线索清单没有医保局签名（旁边缺少同名 .minisig 文件），拒绝导入 / refused: the clue list is "
                         "unsigned (no FILE.minisig beside it)")
    try:
        parsed = minisign.parse_signature(signature)
    except minisign.SignatureError as exc:
        raise InputError(f"线索清单的签名文件已损坏，拒绝导入 / refused: the clue list's signature file is damaged "
                         f"({exc})") from None
    bureau = trust.bureau
    if parsed.key_id != bytes.fromhex(bureau.key_id):
        raise InputError(f"线索清单由未知密钥 {parsed.key_id.hex()} 签名，不是信任列表中的医保局（{bureau.name} "
                         f"{bureau.key_id}），拒绝导入 / refused: signed by an unknown key {parsed.key_id.hex()}, not "
                         f"the bureau of the trust list ({bureau.key_id})")
    try:
        comment = minisign.verify(data, signature, bureau.verifier(), key_id8=bytes.fromhex(bureau.key_id))
    except minisign.SignatureError:
        raise InputError("线索清单签名后被改动（签名不符），拒绝导入 / refused: the clue list was altered after the "
                         "bureau signed it (the signature does not verify)") from None
    meta = parse_trusted_comment(comment)
    if meta is None:
        raise InputError(f"该签名不是医保局线索清单的签名，拒绝导入 / refused: the signature is the bureau's but not "
                         f"for a clue list ({comment!r})")
    return BureauSignature(bureau.key_id, bureau.name, meta["run"], meta["medins"], meta["clues"], comment)


def import_signed_clues(store, path: Path, trust, *, unsigned: bool = False) -> tuple[ClueList, Optional[BureauSignature]]:
    """Import ``path`` into the case after checking the bureau's signature in ``path.minisig``. With
    ``unsigned=True`` a list without a signature file is imported as unsigned (a signature file that is
    there must still verify)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取线索清单 / cannot read the clue list {path}: {exc.strerror}") from None
    sig_file = signature_path(path)
    signature = sig_file.read_bytes() if sig_file.exists() else None
    if signature is None and unsigned:
        cl = import_clues(store, data, file_name=path.name, origin={"signed_by": "", "unsigned": True})
        return cl, None
    sig = verify_clue_list(data, signature, trust)
    case_medins = getattr(getattr(store, "info", None), "medins_code", "") or ""
    if case_medins and case_medins != sig.medins_code:
        raise InputError(f"此线索清单是发给 {sig.medins_code} 的，本案件的机构是 {case_medins}，拒绝导入 / refused: "
                         f"the list is for institution {sig.medins_code}, the case is of {case_medins}")

    def count_matches(cl: ClueList) -> None:
        if len(cl.rows) != sig.clues:
            raise InputError(f"线索清单有 {len(cl.rows)} 条线索，签名记载 {sig.clues} 条，拒绝导入 / refused: the list "
                             f"has {len(cl.rows)} clues, its signature says {sig.clues}")

    cl = import_clues(store, data, file_name=path.name, origin=sig.origin(), checked=count_matches)
    return cl, sig
