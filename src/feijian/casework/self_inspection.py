"""自查自纠: an institution runs the rules on its own data, marks hits corrected with the money returned
(退回金额), prints its 自查报告 and exports a signed self-inspection package; an inspection case of the same
institution imports that package and splits its own hits into declared and not declared.

A self-inspection is an ordinary case whose mode register (``case/case/mode``) says ``self_inspection`` and
which the institution's own staff keep. Each correction is a register of its own (``self_correction``, the
hit id, ``value``). Hit ids are a hash of the rule, grain and key (``rules/runner.py``), so the same data
screened by the same rules gives the same ids in the institution's and the inspectors' cases.

The package is canonical JSON signed in the minisign format by the institution's identity; it carries hit ids,
rule codes, departments and amounts — no visit or patient identifiers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Optional

import pandas as pd

from feijian.casework.changes import Change, commit
from feijian.casework.findings import to_decimal
from feijian.crypto import minisign
from feijian.crypto.canonical import canonical_json, utc_now
from feijian.crypto.identity import key_id_of
from feijian.domain.errors import InputError

MODE_SET = "case.mode_set"
CORRECTED = "selfcheck.corrected"
PACKAGE_IMPORTED = "selfcheck.imported"
PACKAGE_FORMAT = "feijian-self-inspection/v1"
MODE = "self_inspection"
UNATTRIBUTED = "（未归属）"


@dataclass(frozen=True)
class Correction:
    hit_id: str
    corrected: bool
    refund: Decimal
    note: str = ""


@dataclass(frozen=True)
class DeclaredHit:
    hit_id: str
    rule_code: str
    department: str
    amount: Decimal
    refund: Decimal
    note: str = ""


@dataclass(frozen=True)
class SelfPackage:
    body: bytes  # canonical JSON
    signature: str  # minisign

    @property
    def content(self) -> dict:
        return json.loads(self.body)


def start(store, *, staff: str = "") -> Change:
    """Mark the case as the institution's own self-inspection."""
    return commit(store, MODE_SET, {("case", "case", "mode"): {"mode": MODE, "staff": str(staff)}},
                  description="设为自查自纠 / set self-inspection mode")


def is_self_inspection(store) -> bool:
    v = store.state().get("case", "case", "mode")
    return isinstance(v, dict) and v.get("mode") == MODE


def _hits(store) -> pd.DataFrame:
    hits = store.hits()
    if hits.empty:
        raise InputError("尚未筛查：请先运行规则 / no screening run yet: run the rules first")
    return hits


def _correction_value(amounts: dict, hit_id: str, refund, note: str, corrected: bool, where: str = "") -> dict:
    if str(hit_id) not in amounts:
        raise InputError(f"{where}没有此疑点 / no hit {hit_id} in the latest run")
    amount = amounts[str(hit_id)]
    money = to_decimal(refund, f"{where}退回金额 / refund")
    if money < 0:
        raise InputError(f"{where}退回金额不能为负 / the refund cannot be negative")
    if money > amount:
        raise InputError(f"{where}退回金额 {money} 大于疑点金额 {amount} / the refund exceeds the hit's amount")
    return {"corrected": bool(corrected), "refund": str(money), "note": str(note or "")}


def _own_amounts(store) -> dict:
    if not is_self_inspection(store):
        raise InputError("此案件不是自查自纠 / this case is not a self-inspection (run `selfcheck start`)")
    hits = _hits(store)
    return {str(h): to_decimal(a) for h, a in zip(hits["hit_id"], hits["amount"])}


def mark_corrected(store, hit_id: str, refund, *, note: str = "", corrected: bool = True) -> Change:
    """Mark a hit corrected with the amount returned (0 ≤ refund); ``corrected=False`` withdraws the mark."""
    value = _correction_value(_own_amounts(store), hit_id, refund, note, corrected)
    return commit(store, CORRECTED, {("self_correction", str(hit_id), "value"): value},
                  description=f"自查整改 / corrected {hit_id}: 退回 {value['refund']}")


def mark_many(store, rows: Iterable[tuple[str, object, str]]) -> Change:
    """Mark several hits corrected in one event: ``(hit_id, refund, note)`` each; all checked before any is
    written, the first bad row named by its number."""
    amounts = _own_amounts(store)
    values = {}
    for i, (hid, refund, note) in enumerate(rows, start=1):
        key = ("self_correction", str(hid), "value")
        if key in values:
            raise InputError(f"第 {i} 行：疑点 {hid} 重复 / row {i}: hit {hid} listed twice")
        try:
            values[key] = _correction_value(amounts, hid, refund, note, True, f"第 {i} 行：")
        except InputError as e:
            raise InputError(f"{e} (row {i})") from None
    if not values:
        raise InputError("没有要标记的疑点 / no rows to mark")
    return commit(store, CORRECTED, values, description=f"自查整改 / {len(values)} hits corrected")


def corrections(state) -> dict[str, Correction]:
    out = {}
    for hid, fields in state.entities("self_correction").items():
        v = fields.get("value")
        if isinstance(v, dict):
            out[hid] = Correction(hid, bool(v.get("corrected")), to_decimal(v.get("refund", "0")), str(v.get("note", "")))
    return out


def hit_departments(store, hits: pd.DataFrame) -> dict[str, str]:
    """hit_id -> the department of its largest line (fee line's billing department, else the visit's)."""
    from feijian.casework.penalties import _line_attribution

    lines = store.hit_lines()
    if lines.empty:
        return {}
    lines = lines[lines["hit_id"].astype(str).isin(set(hits["hit_id"].astype(str)))].copy()
    lines["mdtrt_id"], lines["feedetl_sn"] = lines["mdtrt_id"].astype(str), lines["feedetl_sn"].astype(str)
    att = _line_attribution(store, lines)
    merged = lines.merge(att, on=["mdtrt_id", "feedetl_sn"], how="left")
    merged["amount_d"] = [to_decimal(a) for a in merged["amount"]]
    out = {}
    for hid, group in merged.groupby("hit_id", sort=False):
        best = group.sort_values("amount_d", ascending=False, kind="stable").iloc[0]
        out[str(hid)] = best["department"] if isinstance(best["department"], str) and best["department"] else UNATTRIBUTED
    return out


def declared_hits(store) -> list[DeclaredHit]:
    """The hits marked corrected, with rule, department, amount and refund, in hit-id order."""
    hits = _hits(store)
    corr = {h: c for h, c in corrections(store.state()).items() if c.corrected}
    sub = hits[hits["hit_id"].astype(str).isin(set(corr))]
    depts = hit_departments(store, sub)
    out = [DeclaredHit(str(r.hit_id), str(r.rule_code), depts.get(str(r.hit_id), UNATTRIBUTED), to_decimal(r.amount),
                       corr[str(r.hit_id)].refund, corr[str(r.hit_id)].note) for r in sub.itertuples()]
    return sorted(out, key=lambda d: d.hit_id)


@dataclass(frozen=True)
class SelfReport:
    institution_code: str
    institution_name: str
    hits_total: int
    amount_total: Decimal
    declared: tuple[DeclaredHit, ...]
    by_rule: pd.DataFrame  # rule_code, hits, corrected, amount, refund
    by_department: pd.DataFrame  # department, hits, corrected, amount, refund
    department_names: dict = field(default_factory=dict)  # department code -> name, from the visits

    @property
    def refund_total(self) -> Decimal:
        return sum((d.refund for d in self.declared), Decimal("0"))


def department_names(store) -> dict[str, str]:
    """Department code -> name as the visits give them (adm_dept_codg, adm_dept_name); empty without them."""
    if not store.has_table("visits"):
        return {}
    visits = store.read_table("visits")
    if visits is None or not {"adm_dept_codg", "adm_dept_name"} <= set(visits.column_names):
        return {}
    pairs = visits.select(["adm_dept_codg", "adm_dept_name"]).to_pylist()
    return {str(r["adm_dept_codg"]): str(r["adm_dept_name"]) for r in pairs if r["adm_dept_codg"] and r["adm_dept_name"]}


def self_report(store) -> SelfReport:
    """Totals per rule and department of all hits and of those corrected."""
    hits = _hits(store)
    depts = hit_departments(store, hits)
    corr = {h: c for h, c in corrections(store.state()).items() if c.corrected}
    rows = [(str(r.rule_code), depts.get(str(r.hit_id), UNATTRIBUTED), to_decimal(r.amount),
             str(r.hit_id) in corr, corr[str(r.hit_id)].refund if str(r.hit_id) in corr else Decimal("0"))
            for r in hits.itertuples()]
    df = pd.DataFrame(rows, columns=["rule_code", "department", "amount", "corrected", "refund"])

    def totals(key: str) -> pd.DataFrame:
        out = []
        for k, g in df.groupby(key, sort=True):
            out.append((k, len(g), int(g["corrected"].sum()), sum(g["amount"], Decimal("0")), sum(g["refund"], Decimal("0"))))
        return pd.DataFrame(out, columns=[key, "hits", "corrected", "amount", "refund"])

    info = store.info
    # The whole amount counts each fee line once, as the screening run does (a line in two hits is money once);
    # the per-rule and per-department rows add their own hits' amounts.
    from feijian.rules.runner import case_total

    whole = case_total(store.hit_lines())
    return SelfReport(info.medins_code, info.medins_name, len(df), whole,
                      tuple(declared_hits(store)), totals("rule_code"), totals("department"), department_names(store))


def _cents(value: Decimal) -> str:
    return format(Decimal(value).quantize(Decimal("0.01")), "f")


def export_package(store, identity) -> SelfPackage:
    """The signed self-inspection package of this case (``identity``: the institution staff's Identity)."""
    if not is_self_inspection(store):
        raise InputError("此案件不是自查自纠 / this case is not a self-inspection")
    run = store.latest_run()
    info = store.info
    declared = declared_hits(store)
    pub = identity.public
    body = canonical_json({
        "format": PACKAGE_FORMAT, "institution": {"code": info.medins_code, "name": info.medins_name},
        "case_id": info.case_id, "exported_at": utc_now(),
        "run": {"run_id": getattr(run, "run_id", ""), "rules": list(getattr(run, "rules_run", ()) or ()),
                "kb_hash": getattr(run, "kb_hash", ""), "batch_hashes": list(getattr(run, "batch_hashes", ()) or ())},
        "signer": {"name": pub.name, "staff_no": pub.staff_no, "key_id": pub.key_id,
                   "signing_public": pub.signing_public.hex()},
        "declared": [{"hit_id": d.hit_id, "rule_code": d.rule_code, "department": d.department,
                      "amount": _cents(d.amount), "refund": _cents(d.refund), "note": d.note} for d in declared],
        "totals": {"declared": len(declared), "amount": _cents(sum((d.amount for d in declared), Decimal("0"))),
                   "refund": _cents(sum((d.refund for d in declared), Decimal("0")))},
    })
    sig = minisign.sign(body, identity.signing_key, bytes.fromhex(pub.key_id),
                        f"feijian self-inspection {info.medins_code} sha256={hashlib.sha256(body).hexdigest()}")
    return SelfPackage(body, sig)


def verify_package(pkg: SelfPackage) -> dict:
    """The package's content once its signature checks against the signer key it names; else InputError."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        content = pkg.content
        if content.get("format") != PACKAGE_FORMAT:
            raise ValueError("format")
        raw = bytes.fromhex(content["signer"]["signing_public"])
        if key_id_of(raw) != content["signer"]["key_id"]:
            raise InputError("自查包签名者的密钥与其编号不符 / the signer's key does not match its key id")
        minisign.verify(pkg.body, pkg.signature, Ed25519PublicKey.from_public_bytes(raw))
    except minisign.SignatureError as e:
        raise InputError(f"自查包签名无效 / bad signature on the self-inspection package: {e}") from None
    except (ValueError, KeyError, TypeError):
        raise InputError("不是自查自纠包 / not a self-inspection package") from None
    return content


def import_package(store, pkg: SelfPackage) -> Change:
    """Record a verified package of this case's institution in the inspection case (one event)."""
    content = verify_package(pkg)
    if content["institution"]["code"] != store.info.medins_code:
        raise InputError(f"自查包属于机构 {content['institution']['code']}，不是本案机构 {store.info.medins_code} / "
                         "the package is of another institution")
    pid = hashlib.sha256(pkg.body).hexdigest()[:16]
    value = {"content": content, "sha256": hashlib.sha256(pkg.body).hexdigest(), "signature": pkg.signature}
    return commit(store, PACKAGE_IMPORTED, {("self_package", pid, "value"): value},
                  description=f"导入自查包 / self-inspection package {pid} ({content['totals']['declared']} hits)")


def imported_packages(state) -> list[dict]:
    return [f["value"] for _, f in sorted(state.entities("self_package").items()) if isinstance(f.get("value"), dict)]


def declared_ids(state) -> Optional[dict[str, dict]]:
    """hit_id -> the declaration, over every imported package; None when no package was imported."""
    pkgs = imported_packages(state)
    if not pkgs:
        return None
    out = {}
    for p in pkgs:
        for d in p["content"]["declared"]:
            out[d["hit_id"]] = d
    return out


@dataclass(frozen=True)
class Split:
    declared: tuple[str, ...]  # hit ids of this case declared in a self-inspection
    not_declared: tuple[str, ...]
    declared_not_found: tuple[str, ...]  # declared by the institution, not among this case's hits
    declared_amount: Decimal
    not_declared_amount: Decimal


def split_hits(store, hit_ids: Optional[Iterable[str]] = None) -> Optional[Split]:
    """This case's hits split by the imported self-inspection packages; None when none was imported."""
    decl = declared_ids(store.state())
    if decl is None:
        return None
    hits = store.hits()
    if hits.empty:
        return Split((), (), tuple(sorted(decl)), Decimal("0"), Decimal("0"))
    if hit_ids is not None:
        hits = hits[hits["hit_id"].astype(str).isin({str(h) for h in hit_ids})]
    amounts = {str(h): to_decimal(a) for h, a in zip(hits["hit_id"], hits["amount"])}
    yes = sorted(h for h in amounts if h in decl)
    no = sorted(h for h in amounts if h not in decl)
    all_ids = set(store.hits()["hit_id"].astype(str))
    return Split(tuple(yes), tuple(no), tuple(sorted(set(decl) - all_ids)),
                 sum((amounts[h] for h in yes), Decimal("0")), sum((amounts[h] for h in no), Decimal("0")))


def finding_conditions(store, findings) -> dict[str, list[str]]:
    """finding_id -> [self_declared] when all its hits were declared, [not_declared] when any was not
    (the discretion table's conditions); empty when no self-inspection was imported."""
    decl = declared_ids(store.state())
    if decl is None:
        return {}
    out = {}
    for f in findings:
        if not f.hit_ids:
            continue
        out[f.finding_id] = ["self_declared"] if all(h in decl for h in f.hit_ids) else ["not_declared"]
    return out


# ---- declared / not declared, per hit and per finding ---------------------------------------------------

DECLARED = "declared"
NOT_DECLARED = "not_declared"
STATUS_ZH = {DECLARED: "自查已申报", NOT_DECLARED: "自查未申报"}


def hit_statuses(store) -> Optional[dict[str, str]]:
    """hit_id -> ``declared`` / ``not_declared`` for this case's latest hits; None when no self-inspection
    package was imported (then nothing can be said either way)."""
    decl = declared_ids(store.state())
    if decl is None:
        return None
    hits = store.hits()
    if hits is None or hits.empty:
        return {}
    return {str(h): DECLARED if str(h) in decl else NOT_DECLARED for h in hits["hit_id"]}


def finding_status(finding, declared: Optional[dict]) -> Optional[str]:
    """A finding is declared when every hit behind it was declared; not declared when any was not; None when
    no package was imported or the finding has no hits (an amount set by hand cannot be matched)."""
    if declared is None or not finding.hit_ids:
        return None
    return DECLARED if all(h in declared for h in finding.hit_ids) else NOT_DECLARED


def finding_statuses(store, findings) -> dict[str, str]:
    decl = declared_ids(store.state())
    out = {}
    for f in findings:
        s = finding_status(f, decl)
        if s is not None:
            out[f.finding_id] = s
    return out


# ---- the package as two files: the canonical JSON and its minisign signature beside it ----------------

SIGNATURE_SUFFIX = ".minisig"


def signature_path(path) -> "Path":
    from pathlib import Path

    p = Path(path)
    return p.with_name(p.name + SIGNATURE_SUFFIX)


def write_package(pkg: SelfPackage, path) -> tuple:
    """Write ``path`` (the JSON) and ``path.minisig``; stock ``minisign -Vm path -P KEY`` checks it."""
    from pathlib import Path

    p, sig = Path(path), signature_path(path)
    try:
        p.write_bytes(pkg.body)
        sig.write_text(pkg.signature, encoding="utf-8")
    except OSError as e:
        raise InputError(f"无法写入自查包 / cannot write {p}: {e.strerror}") from None
    return p, sig


def read_package(path) -> SelfPackage:
    from pathlib import Path

    p, sig = Path(path), signature_path(path)
    if not p.is_file():
        raise InputError(f"没有此文件 / no such file: {p}")
    if not sig.is_file():
        raise InputError(f"缺少签名文件 / the signature {sig.name} is missing beside {p.name}")
    try:
        return SelfPackage(p.read_bytes(), sig.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"无法读取自查包 / cannot read {p}: {e}") from None
