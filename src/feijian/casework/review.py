"""Review of hits (疑点核查): confirm, dismiss or re-open, with a reason; confirmed hits go into findings.

``review_hits`` writes one ``hit.reviewed`` event with one ``(hit, hit_id, review)`` register write per hit
whose decision changes, each superseding that register's heads. Then the findings follow: a confirmed hit
that is in no finding joins its rule's finding (one finding per rule, created from the catalogue when
needed); a dismissed or re-opened hit leaves its finding; the amount of every finding touched is
recomputed from its hits' lines. Everything is returned as one :class:`~feijian.casework.changes.Change`;
``feijian.casework.changes.undo(store, change)`` writes the earlier values back as a compensating event.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import pyarrow as pa
import pyarrow.compute as pc

from feijian.casework.changes import Change, PendingWrites, combine, commit, transaction, undo
from feijian.casework.findings import amount_of_hits, money_str, rule_defaults
from feijian.domain.errors import InputError
from feijian.domain.events import FINDING_CREATED, FINDING_UPDATED, HIT_REVIEWED, uuid7
from feijian.domain.projection import CaseState
from feijian.domain.records import HitStatus, RuleMeta

STATUS_ZH = {"open": "待核查", "confirmed": "已确认", "dismissed": "已排除"}

__all__ = ["review_hits", "hit_reviews", "hit_status", "unreviewed_hits", "review_counts", "undo", "STATUS_ZH"]


def hit_reviews(state: CaseState) -> dict[str, tuple[str, str]]:
    """``{hit_id: (status, reason)}`` for every hit that has a review decision."""
    out = {}
    for hid, fields in state.entities("hit").items():
        value = fields.get("review")
        if isinstance(value, dict):
            out[hid] = (value.get("status") or "open", value.get("reason") or "")
    return out


def hit_status(state: CaseState, hit_id: str) -> str:
    value = state.get("hit", hit_id, "review")
    return (value or {}).get("status") or "open"


def _hit_ids(store) -> list[str]:
    """The latest run's hit ids, read as one Arrow column (no frame of every hit's fields)."""
    table = store.hits_table(["hit_id"])
    if table is None or table.num_rows == 0 or "hit_id" not in table.column_names:
        return []
    return [str(h) for h in table.column("hit_id").to_pylist()]


def _rules_of(store, ids: list[str]) -> dict[str, str]:
    """``{hit id: rule code}`` for those of ``ids`` in the latest run: a vectorised look-up, so a decision on
    one hit among a million does not walk them all in Python."""
    table = store.hits_table(["hit_id", "rule_code"])
    if table is None or table.num_rows == 0 or "hit_id" not in table.column_names:
        return {}
    hit_id = table.column("hit_id").cast(pa.string())
    found = table.filter(pc.is_in(hit_id, value_set=pa.array(ids, pa.string())))
    return dict(zip((str(h) for h in found.column("hit_id").to_pylist()),
                    (str(r) for r in found.column("rule_code").to_pylist())))


def unreviewed_hits(store) -> list[str]:
    """Hit ids of the latest screening run still open (待核查)."""
    reviews = hit_reviews(store.state())
    return [h for h in _hit_ids(store) if reviews.get(h, ("open", ""))[0] == "open"]


def review_counts(store) -> dict[str, int]:
    """Counts of the latest run's hits by status: ``{"open", "confirmed", "dismissed", "total"}``."""
    ids = _hit_ids(store)
    reviews = hit_reviews(store.state())
    out = {"open": 0, "confirmed": 0, "dismissed": 0}
    for h in ids:
        out[reviews.get(h, ("open", ""))[0]] += 1
    out["total"] = len(ids)
    return out


def review_hits(
    store,
    hit_ids: Iterable[str],
    status: str | HitStatus,
    reason: str = "",
    *,
    catalogue: Mapping[str, RuleMeta] | None = None,
    group_findings: bool = True,
) -> Change:
    """Record a decision on hits. ``status``: ``confirmed`` / ``dismissed`` / ``open`` (re-open); ``reason``
    is required to confirm or dismiss. Returns the Change (hit decisions and finding updates) for undo."""
    try:
        status = HitStatus(status).value
    except ValueError:
        raise InputError(f"核查结论须为 confirmed/dismissed/open / bad review status: {status!r}") from None
    reason = (reason or "").strip()
    if status != "open" and not reason:
        raise InputError("确认或排除疑点须填写理由 / a reason is required to confirm or dismiss a hit")
    ids = list(dict.fromkeys(str(h) for h in hit_ids))
    if not ids:
        raise InputError("没有选中疑点 / no hits selected")
    known = _rules_of(store, ids)
    unknown = [h for h in ids if h not in known]
    if unknown:
        raise InputError(f"最近一次筛查没有这些疑点 / unknown hits: {', '.join(unknown[:5])}" + (" …" if len(unknown) > 5 else ""))

    with transaction(store):
        state = store.state()
        pending = PendingWrites(state)
        value = {"status": status, "reason": reason}
        for h in ids:
            pending.set("hit", h, "review", value)
        label = STATUS_ZH[status]
        changes = [commit(store, HIT_REVIEWED, pending.changed(), {"status": status, "count": len(ids)},
                          f"{label} {len(ids)} 条疑点 / {status} {len(ids)} hits")]
        if group_findings:
            changes += sync_findings(store, ids, {h: known[h] for h in ids}, catalogue=catalogue)
    return combine(changes, changes[0].description)


def sync_findings(store, hit_ids: list[str], rule_of: Mapping[str, str], *, catalogue=None) -> list[Change]:
    """Make the findings follow the review status of ``hit_ids``."""
    state = store.state()
    live = {fid: f for fid, f in state.entities("finding").items() if "title" in f and not f.get("deleted")}
    member_of: dict[str, str] = {}
    for fid, f in live.items():
        for h in f.get("hit_ids") or ():
            member_of.setdefault(h, fid)
    new_members: dict[str, set[str]] = {fid: set(f.get("hit_ids") or ()) for fid, f in live.items()}
    touched: set[str] = set()
    to_create: dict[str, list[str]] = {}  # rule code -> hits needing a new finding
    by_rule = {}
    for fid, f in live.items():  # first live finding of each rule (ids sort by creation time)
        by_rule.setdefault(f.get("rule_code") or "", fid)
    for h in hit_ids:
        status = hit_status(state, h)
        if status == "confirmed":
            if h in member_of:
                continue
            fid = by_rule.get(rule_of[h])
            if fid is None or not rule_of[h]:
                to_create.setdefault(rule_of[h], []).append(h)
            else:
                new_members[fid].add(h)
                touched.add(fid)
        else:
            for fid, members in new_members.items():
                if h in members:
                    members.discard(h)
                    touched.add(fid)
    changes = []
    for fid in sorted(touched):
        pending = PendingWrites(state)
        members = sorted(new_members[fid])
        pending.set("finding", fid, "hit_ids", members)
        pending.set("finding", fid, "amount", money_str(amount_of_hits(store, members)))
        changes.append(commit(store, FINDING_UPDATED, pending.changed(), {"finding_id": fid}, f"更新问题 / update finding {fid}"))
    for code, members in sorted(to_create.items()):
        fid = uuid7()
        d = rule_defaults(code, catalogue)
        fields = {
            "title": d["title"] or "其他问题", "rule_code": code, "hit_ids": sorted(members),
            "amount": money_str(amount_of_hits(store, members)), "legal_basis": d["legal_basis"],
            "article": d["article"], "description": "", "category": d["category"], "status": "draft", "deleted": False,
        }
        values = {("finding", fid, k): v for k, v in fields.items()}
        changes.append(commit(store, FINDING_CREATED, values, {"finding_id": fid}, f"新建问题 / new finding: {fields['title']}"))
    return changes
