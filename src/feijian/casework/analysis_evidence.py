"""A query's or analysis's result as a finding's evidence: the whole result as CSV goes into the evidence vault
(encrypted, hashed, linked to the finding like any evidence file), and an ``analysis.evidence`` event records
what produced it — the SQL or the analysis and its parameters, the logged run, its row count and result
SHA-256, and the CSV's SHA-256 — so a reviewer can rerun it and compare (:func:`check_result_evidence`). The
result hash is order-independent (:mod:`feijian.casework.analysis_log`); the CSV holds the rows in the order
they came, so a rerun whose tied rows came in another order writes other bytes: it still matches when its CSV
records are those of the stored file, in any order.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from typing import Optional

from feijian.casework.analysis_export import result_csv
from feijian.casework.analysis_log import ORDERED, LoggedRun, get_run, scheme_of
from feijian.casework.analysis_query import QueryResult, rerun, run_analysis, run_query
from feijian.casework.findings import get_finding
from feijian.domain.errors import InputError

ANALYSIS_EVIDENCE = "analysis.evidence"  # [evidence_id, finding_id, run_event_id, kind, request, rows, sha256, hash_scheme, csv_sha256, columns]
RESULT_KIND = "analysis_result"


@dataclass(frozen=True)
class ResultEvidence:
    evidence_id: str
    finding_id: str
    run_event_id: str  # the logged run whose result this is
    kind: str  # "query" or an analysis kind
    request: dict  # {"sql": …} or the analysis parameters
    rows: int
    sha256: str  # of the result rows (analysis_log.ResultHasher), as logged
    csv_sha256: str  # of the CSV file in the vault
    columns: tuple[str, ...]
    time: str = ""
    hash_scheme: str = ORDERED  # what sha256 is of (analysis_log.MULTISET, or ORDERED for older evidence)

    def as_run(self) -> LoggedRun:
        return LoggedRun(self.run_event_id, self.time, "", "", self.kind, dict(self.request), self.rows,
                         self.sha256, self.columns, self.hash_scheme)


@dataclass(frozen=True)
class EvidenceCheck:
    ok: bool
    record: ResultEvidence
    rows: int  # of the rerun
    sha256: str  # of the rerun's rows, in the record's hash scheme
    csv_sha256: str  # of the rerun's CSV
    stored_ok: bool  # the vault's bytes still hash to the recorded CSV SHA-256
    run_event_id: str  # the rerun's own log entry
    result_ok: bool = True  # the rerun's rows are the evidence's (row count and hash, in the record's scheme)
    csv_ok: bool = True  # the rerun's CSV records are the stored file's, in whatever order

    @property
    def message(self) -> str:
        r = self.record
        if self.ok:
            return (f"重做结果与证据一致 / the rerun matches the evidence: {r.rows} rows, SHA-256 {r.sha256}, "
                    f"CSV {r.csv_sha256}")
        why = []
        if not self.stored_ok:
            why.append("证据库中的文件与登记的哈希不符 / the stored file no longer matches its recorded hash")
        if self.rows != r.rows:
            why.append(f"行数 / rows: 证据 evidence {r.rows}, 重做 rerun {self.rows}")
        if not self.result_ok:
            why.append(f"结果哈希 / result SHA-256: 证据 evidence {r.sha256}, 重做 rerun {self.sha256}")
        if not self.csv_ok:
            why.append(f"CSV 哈希 / CSV SHA-256: 证据 evidence {r.csv_sha256}, 重做 rerun {self.csv_sha256}")
        return "重做结果与证据不一致 / the rerun DIFFERS from the evidence: " + "; ".join(why)


def _csv_sha256(table) -> tuple[bytes, str]:
    import hashlib

    data = result_csv(table)
    return data, hashlib.sha256(data).hexdigest()


def attach_result(store, result: QueryResult, finding_id: str, *, note: str = "") -> ResultEvidence:
    """Put a logged run's whole result into the vault as the finding's evidence. ``result`` must hold every
    row (``run_query(..., limit=sys.maxsize)``; an analysis always does) and carry its log entry."""
    get_finding(store, finding_id)
    if not result.event_id:
        raise InputError("只有记入命令日志的结果可作证据 / only a logged result can become evidence")
    if result.table.num_rows != result.rows:
        raise InputError(f"结果只保留了 {result.table.num_rows}/{result.rows} 行，不能作证据 / the result holds "
                         f"{result.table.num_rows} of {result.rows} rows: run it whole to attach it")
    run = get_run(store, result.event_id)
    data, csv_sha = _csv_sha256(result.table)
    label = "查询结果 / query result" if run.kind == "query" else f"分析结果 / {run.kind} result"
    text = note or f"{label}: {run.rows} 行 rows, SHA-256 {run.sha256[:16]}…"
    with store.transaction():
        item = store.add_evidence(io.BytesIO(data), kind=RESULT_KIND, original_name=f"{run.kind}-{run.event_id[-12:]}.csv",
                                  media_type="text/csv", finding_id=finding_id, note=text)
        ev = store.append_event(ANALYSIS_EVIDENCE, {
            "evidence_id": item.evidence_id, "finding_id": finding_id, "run_event_id": run.event_id,
            "kind": run.kind, "request": run.request, "rows": run.rows, "sha256": run.sha256,
            "hash_scheme": run.hash_scheme, "csv_sha256": item.sha256, "columns": list(run.columns)})
    assert item.sha256 == csv_sha
    return ResultEvidence(item.evidence_id, finding_id, run.event_id, run.kind, dict(run.request), run.rows,
                          run.sha256, item.sha256, tuple(run.columns), ev.time, run.hash_scheme)


def result_evidence(store) -> list[ResultEvidence]:
    """Every result put in evidence, oldest first."""
    out = []
    for e in store.events():
        if e.type != ANALYSIS_EVIDENCE:
            continue
        p = e.payload
        out.append(ResultEvidence(p["evidence_id"], p.get("finding_id", ""), p.get("run_event_id", ""), p["kind"],
                                  dict(p.get("request") or {}), int(p.get("rows", 0)), p.get("sha256", ""),
                                  p.get("csv_sha256", ""), tuple(p.get("columns") or ()), e.time, scheme_of(p)))
    return out


@dataclass(frozen=True)
class CommandLog:
    """The command log with the evidence each run became (for the report annex)."""
    runs: tuple[LoggedRun, ...]  # oldest first
    evidence: dict  # run event id -> [evidence ids]


def command_log(store) -> CommandLog:
    from feijian.casework.analysis_log import history

    ev: dict[str, list[str]] = {}
    for r in result_evidence(store):
        ev.setdefault(r.run_event_id, []).append(r.evidence_id)
    return CommandLog(tuple(history(store)), ev)


def get_result_evidence(store, evidence_id: str) -> ResultEvidence:
    found = [r for r in result_evidence(store) if r.evidence_id == evidence_id or
             (evidence_id and r.evidence_id.endswith(evidence_id))]
    if len(found) == 1:
        return found[0]
    if found:
        raise InputError(f"{evidence_id} 对应多件证据，请写完整编号 / {evidence_id} matches several: give the whole id")
    raise InputError(f"没有以查询或分析结果登记的证据 {evidence_id} / no query or analysis result in evidence as {evidence_id}")


def run_whole(store, kind: str, request: dict, **kwargs) -> QueryResult:
    """A query or analysis run with every row kept (for evidence), logged."""
    if kind == "query":
        return run_query(store, request["sql"], limit=sys.maxsize, **kwargs)
    return run_analysis(store, kind, request, **kwargs)


def check_result_evidence(store, evidence_id: str, **kwargs) -> EvidenceCheck:
    """Rerun what produced the evidence (logged as a new run) and compare its rows, result hash and CSV hash
    with the evidence record; also check the vault's copy still hashes as recorded."""
    record = get_result_evidence(store, evidence_id)
    stored = b""
    try:
        stored = store.read_evidence(record.evidence_id)  # checks the bytes against the recorded SHA-256
    except Exception:  # a damaged vault entry is a finding of the check, not a crash
        stored_ok = False
    else:
        stored_sha = next((i.sha256 for i in store.evidence_items() if i.evidence_id == record.evidence_id), "")
        stored_ok = stored_sha == record.csv_sha256
    again = rerun(store, record.as_run(), **({"limit": sys.maxsize} if record.kind == "query" else {}), **kwargs)
    data, csv_sha = _csv_sha256(again.table)
    result_ok = again.matches(record.as_run())
    csv_ok = csv_sha == record.csv_sha256 or (stored_ok and same_records(stored, data))
    ok = stored_ok and result_ok and csv_ok
    sha = again.ordered_sha256 if record.hash_scheme == ORDERED else again.sha256
    return EvidenceCheck(ok, record, again.rows, sha, csv_sha, stored_ok, again.event_id, result_ok, csv_ok)


def same_records(a: bytes, b: bytes) -> bool:
    """Whether two result CSVs have the same header and the same records, in any order."""
    import csv

    def parsed(data: bytes) -> list[list[str]]:
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))

    ra, rb = parsed(a), parsed(b)
    return bool(ra) and bool(rb) and ra[0] == rb[0] and sorted(ra[1:]) == sorted(rb[1:])


__all__ = ["ANALYSIS_EVIDENCE", "RESULT_KIND", "ResultEvidence", "EvidenceCheck", "CommandLog", "command_log",
           "attach_result", "result_evidence",
           "get_result_evidence", "run_whole", "check_result_evidence"]
