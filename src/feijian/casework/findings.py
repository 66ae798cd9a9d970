"""Findings (问题): confirmed hits grouped, with the amount to recover, legal basis and evidence.

A finding is a set of ``finding`` registers (docs/interfaces.md): ``title, rule_code, hit_ids, amount,
legal_basis, article, description, category, status, deleted``. Its amount is the money of its hits' fee
lines, each line counted once at the largest amount any of its hits assigns to it (rules.md, case total);
an inspector may set another amount (e.g. an extrapolated one), which holds until the hits change.
Evidence links are ``(evidence, id, finding_id)`` registers.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

import pandas as pd

from feijian.casework.changes import Change, PendingWrites, commit, combine, transaction
from feijian.domain.errors import InputError
from feijian.domain.events import FINDING_CREATED, FINDING_UPDATED, uuid7
from feijian.domain.projection import CaseState
from feijian.domain.records import Finding, RuleMeta

EVIDENCE_LINKED = "evidence.linked"  # writes (evidence, id, finding_id)

FIELDS = ("title", "rule_code", "hit_ids", "amount", "legal_basis", "article", "description", "category", "status", "deleted")
STATUSES = ("draft", "agreed", "disputed")  # the institution's response: 草稿 / 已确认 / 有异议
STATUS_ZH = {"draft": "草稿", "agreed": "机构确认", "disputed": "机构有异议"}


def load_rule_catalogue(catalogue: Mapping[str, RuleMeta] | None = None) -> Mapping[str, RuleMeta]:
    """The rule catalogue (``feijian.rules.catalogue``), or ``catalogue`` when given."""
    if catalogue is not None:
        return catalogue
    try:
        from feijian.rules.catalogue import load_catalogue
    except ImportError:  # the rules layer is not installed in this build: findings carry no legal basis
        return {}
    return load_catalogue()


def to_decimal(value: Any, what: str = "金额 / amount") -> Decimal:
    if isinstance(value, Decimal):
        out = value
    elif value is None or (isinstance(value, float) and value != value):
        out = Decimal("0")
    else:
        try:
            out = Decimal(str(value).strip().replace(",", "") or "0")
        except InvalidOperation:
            raise InputError(f"{what}不是数字 / {what} is not a number: {value!r}") from None
    if not out.is_finite():
        raise InputError(f"{what}不是有限数 / {what} is not finite: {value!r}")
    return out


def money_str(value: Decimal) -> str:
    """The decimal string a register stores: four places, no exponent."""
    return format(to_decimal(value).quantize(Decimal("0.0001")), "f")


def line_amounts(hit_lines: pd.DataFrame) -> pd.DataFrame:
    """One row per fee line (``mdtrt_id, feedetl_sn, amount``): the largest amount any hit assigns to it."""
    if hit_lines is None or hit_lines.empty:
        return pd.DataFrame({"mdtrt_id": [], "feedetl_sn": [], "amount": []})
    df = pd.DataFrame({
        "mdtrt_id": hit_lines["mdtrt_id"].astype(str).to_numpy(),
        "feedetl_sn": hit_lines["feedetl_sn"].astype(str).to_numpy(),
        "amount": [to_decimal(v) for v in hit_lines["amount"]],
    })
    idx = df.groupby(["mdtrt_id", "feedetl_sn"], sort=True)["amount"].apply(lambda s: max(s))
    return idx.reset_index()


def lines_total(hit_lines: pd.DataFrame) -> Decimal:
    """The money of the lines of ``hit_lines``, each line counted once (rules.md's case-total rule)."""
    return sum(line_amounts(hit_lines)["amount"], Decimal("0"))


def amount_of_hits(store, hit_ids: Iterable[str]) -> Decimal:
    ids = sorted(set(hit_ids))
    if not ids:
        return Decimal("0")
    return lines_total(store.hit_lines(ids))


def _finding_from(fid: str, fields: dict, evidence: Mapping[str, list[str]]) -> Finding:
    return Finding(
        finding_id=fid,
        title=fields.get("title") or "",
        rule_code=fields.get("rule_code") or "",
        hit_ids=tuple(fields.get("hit_ids") or ()),
        amount=to_decimal(fields.get("amount") or "0"),
        legal_basis=fields.get("legal_basis") or "",
        article=int(fields.get("article") or 0),
        description=fields.get("description") or "",
        category=fields.get("category") or "",
        evidence_ids=tuple(evidence.get(fid, ())),
        status=fields.get("status") or "draft",
    )


def evidence_links(state: CaseState) -> dict[str, list[str]]:
    """``{finding_id: [evidence ids]}`` from the evidence registers."""
    out: dict[str, list[str]] = {}
    for eid, fields in state.entities("evidence").items():
        fid = fields.get("finding_id") or ""
        if fid:
            out.setdefault(fid, []).append(eid)
    return out


def findings_of_state(state: CaseState, *, include_deleted: bool = False) -> list[Finding]:
    evidence = evidence_links(state)
    out = []
    for fid, fields in state.entities("finding").items():
        if fields.get("deleted") and not include_deleted:
            continue
        if "title" not in fields:  # only stray writes, never created
            continue
        out.append(_finding_from(fid, fields, evidence))
    return out


def findings(store, *, include_deleted: bool = False) -> list[Finding]:
    """The case's findings in creation order (ids are UUIDv7)."""
    return findings_of_state(store.state(), include_deleted=include_deleted)


def get_finding(store, finding_id: str) -> Finding:
    for f in findings(store, include_deleted=True):
        if f.finding_id == finding_id:
            return f
    raise InputError(f"没有这个问题 / no such finding: {finding_id}")


def rule_defaults(rule_code: str, catalogue: Mapping[str, RuleMeta] | None = None) -> dict:
    """Title, legal basis, article and category of a rule's finding, from the catalogue."""
    meta = load_rule_catalogue(catalogue).get(rule_code) if rule_code else None
    if meta is None:
        return {"title": rule_code, "legal_basis": "", "article": 0, "category": ""}
    return {"title": meta.name_zh, "legal_basis": meta.legal_basis, "article": int(meta.article), "category": meta.category}


def _check_fields(fields: Mapping[str, Any]) -> dict:
    out = {}
    for name, value in fields.items():
        if name not in FIELDS:
            raise InputError(f"问题没有字段 {name} / a finding has no field {name!r}")
        if name == "hit_ids":
            value = sorted({str(h) for h in value})
        elif name == "amount":
            amount = to_decimal(value)
            if amount < 0:
                raise InputError(f"金额不能为负 / the amount cannot be negative: {value}")
            value = money_str(amount)
        elif name == "article":
            try:
                value = int(value or 0)
            except (TypeError, ValueError):
                raise InputError(f"条款须为整数 / the article must be a number: {value!r}") from None
        elif name == "status":
            if value not in STATUSES:
                raise InputError(f"问题状态须为 {'/'.join(STATUSES)} / bad finding status: {value!r}")
        elif name == "deleted":
            value = bool(value)
        else:
            value = "" if value is None else str(value)
        out[name] = value
    return out


def create_finding(
    store,
    *,
    title: str = "",
    rule_code: str = "",
    hit_ids: Iterable[str] = (),
    amount: Any = None,
    legal_basis: str | None = None,
    article: int | None = None,
    description: str = "",
    category: str | None = None,
    status: str = "draft",
    catalogue: Mapping[str, RuleMeta] | None = None,
    finding_id: str | None = None,
) -> Finding:
    """Create a finding. Unset title, legal basis, article and category come from the rule's catalogue entry;
    an unset amount is the money of ``hit_ids``' lines. Undo with :func:`delete_finding`."""
    finding, _ = create_finding_change(
        store, title=title, rule_code=rule_code, hit_ids=hit_ids, amount=amount, legal_basis=legal_basis,
        article=article, description=description, category=category, status=status, catalogue=catalogue,
        finding_id=finding_id,
    )
    return finding


def create_finding_change(store, *, catalogue=None, finding_id: str | None = None, **given) -> tuple[Finding, Change]:
    """:func:`create_finding` returning also the :class:`Change` (its undo marks the finding deleted)."""
    defaults = rule_defaults(given.get("rule_code") or "", catalogue)
    fields = {
        "title": given.get("title") or defaults["title"],
        "rule_code": given.get("rule_code") or "",
        "hit_ids": list(given.get("hit_ids") or ()),
        "legal_basis": defaults["legal_basis"] if given.get("legal_basis") is None else given["legal_basis"],
        "article": defaults["article"] if given.get("article") is None else given["article"],
        "description": given.get("description") or "",
        "category": defaults["category"] if given.get("category") is None else given["category"],
        "status": given.get("status") or "draft",
        "deleted": False,
    }
    if not fields["title"]:
        raise InputError("问题须有标题 / a finding needs a title")
    fields["amount"] = amount_of_hits(store, fields["hit_ids"]) if given.get("amount") is None else given["amount"]
    fields = _check_fields(fields)
    fid = finding_id or uuid7()
    values = {("finding", fid, k): v for k, v in fields.items()}
    change = commit(store, FINDING_CREATED, values, {"finding_id": fid}, f"新建问题 / new finding: {fields['title']}")
    return get_finding(store, fid), change


def update_finding(store, finding_id: str, **fields) -> Change:
    """Change fields of a finding (one event). Changing ``hit_ids`` recomputes the amount unless ``amount``
    is given too. Returns the Change (for undo)."""
    get_finding(store, finding_id)  # exists
    fields = _check_fields(fields)
    if "hit_ids" in fields and "amount" not in fields:
        fields["amount"] = money_str(amount_of_hits(store, fields["hit_ids"]))
    pending = PendingWrites(store.state())
    for k, v in fields.items():
        pending.set("finding", finding_id, k, v)
    return commit(store, FINDING_UPDATED, pending.changed(), {"finding_id": finding_id}, f"修改问题 / edit finding {finding_id}")


def delete_finding(store, finding_id: str) -> Change:
    """Mark a finding deleted (its hits stay confirmed; nothing leaves the log). Undo restores it."""
    return update_finding(store, finding_id, deleted=True)


def link_evidence(store, evidence_id: str, finding_id: str) -> Change:
    """Attach an evidence item to a finding (``finding_id=""`` detaches it)."""
    state = store.state()
    known = set(state.entities("evidence"))
    items = getattr(store, "evidence_items", None)
    if items is not None:
        known |= {e.evidence_id for e in items()}
    if evidence_id not in known:
        raise InputError(f"没有这个证据 / no such evidence item: {evidence_id}")
    if finding_id:
        get_finding(store, finding_id)
    values = {("evidence", evidence_id, "finding_id"): finding_id}
    return commit(store, EVIDENCE_LINKED, values, {"evidence_id": evidence_id}, f"关联证据 / link evidence {evidence_id}")


def findings_without_evidence(store) -> list[Finding]:
    return [f for f in findings(store) if not f.evidence_ids]


__all__ = [
    "Change", "combine", "transaction", "create_finding", "create_finding_change", "update_finding",
    "delete_finding", "findings", "get_finding", "link_evidence", "lines_total", "line_amounts",
    "amount_of_hits", "findings_without_evidence", "rule_defaults",
]
