"""移送: which findings to transfer to the police (公安机关), the health commission (卫生健康主管部门) or the
discipline inspection authority (纪检监察机关), by the conditions in ``resources/casework/transfers.toml``, the
inspectors' flags on findings, and the record of each transfer made.

Conditions are per finding: the police when the finding is fraud (article 40 or a fraud category) of at least
``min_amount`` yuan, or flagged ``suspected_crime``; the health commission by category, rule or flag; the
discipline authority only by the ``public_official`` flag. Each reason is kept so the letter and the command
can say why. A suggestion, never a decision.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Iterable

from feijian.casework.changes import Change, commit
from feijian.casework.findings import findings as case_findings
from feijian.casework.penalties import article_rule
from feijian.domain.errors import InputError
from feijian.paths import resource

FLAGGED = "transfer.flagged"
TRANSFERRED = "transfer.recorded"


@lru_cache(maxsize=1)
def transfer_rules() -> dict:
    return tomllib.loads(resource("casework", "transfers.toml").read_text(encoding="utf-8"))


def authorities() -> dict[str, dict]:
    return transfer_rules()["authorities"]


def authority(kind: str) -> dict:
    a = authorities().get(kind)
    if a is None:
        raise InputError(f"没有此移送机关 / unknown authority {kind!r} (one of: {', '.join(authorities())})")
    return a


def flag_labels() -> dict[str, str]:
    return dict(transfer_rules()["flags"])


@dataclass(frozen=True)
class Candidate:
    authority: str  # police / health / discipline
    finding_id: str
    reasons: tuple[str, ...]


def set_flags(store, finding_id: str, flags: Iterable[str], note: str = "") -> Change:
    """Set a finding's transfer flags (replacing earlier ones; none clears)."""
    labels = flag_labels()
    fl = list(dict.fromkeys(str(f).strip() for f in flags if str(f).strip()))
    bad = [f for f in fl if f not in labels]
    if bad:
        raise InputError(f"未知移送标记 / unknown flag: {', '.join(bad)} (known: {', '.join(labels)})")
    if finding_id not in {f.finding_id for f in case_findings(store)}:
        raise InputError(f"没有此问题 / no finding {finding_id}")
    return commit(store, FLAGGED, {("transfer_flag", finding_id, "value"): {"flags": fl, "note": str(note or "")}},
                  description=f"移送标记 / transfer flags of {finding_id}: {', '.join(fl) or '（无）'}")


def flags_of(state, finding_id: str) -> list[str]:
    v = state.get("transfer_flag", finding_id, "value")
    return list(v.get("flags", ())) if isinstance(v, dict) else []


def reasons_for(kind: str, finding, flags: Iterable[str]) -> tuple[str, ...]:
    """Why ``finding`` goes to ``kind`` (empty: it does not)."""
    a = authority(kind)
    labels = flag_labels()
    out = []
    fl = set(flags)
    for f in a.get("flags", ()):
        if f in fl:
            out.append(f"检查组标记：{labels[f]}")
    rule = article_rule(finding.article) if finding.article else None
    art = rule["article"] if rule else 0
    by_kind = (art in a.get("articles", ()) and f"《条例》第{art}条（骗取医保基金）") or \
              (finding.category in a.get("categories", ()) and f"问题类别：{finding.category}") or \
              (finding.rule_code in a.get("rules", ()) and f"规则 {finding.rule_code}")
    if by_kind:
        floor = Decimal(str(a["min_amount"])) if "min_amount" in a else None
        if floor is None:
            out.append(by_kind)
        elif Decimal(finding.amount) >= floor:
            out.append(f"{by_kind}，金额 {Decimal(finding.amount):,.2f} 元达到 {floor:,.0f} 元")
    return tuple(out)


def candidates(store, kind: str | None = None) -> list[Candidate]:
    """Every (authority, finding) the conditions point to, with the reasons."""
    state = store.state()
    kinds = [kind] if kind else list(authorities())
    out = []
    for k in kinds:
        authority(k)
        for f in case_findings(store):
            r = reasons_for(k, f, flags_of(state, f.finding_id))
            if r:
                out.append(Candidate(k, f.finding_id, r))
    return out


def record_transfer(store, kind: str, finding_ids: Iterable[str], *, recipient: str, doc_no: str, sha256: str) -> Change:
    """Log a transfer made (the letter's issue is logged as a document too): authority, recipient, findings."""
    authority(kind)
    ids = list(finding_ids)
    tid = f"{kind}-{doc_no}"
    return commit(store, TRANSFERRED, {("transfer", tid, "value"): {
        "authority": kind, "recipient": recipient, "finding_ids": ids, "doc_no": doc_no, "sha256": sha256}},
        description=f"移送 / transferred {len(ids)} findings to {recipient or authority(kind)['name']} ({doc_no})")


def transfers(state) -> list[dict]:
    return [f["value"] for _, f in sorted(state.entities("transfer").items()) if isinstance(f.get("value"), dict)]
