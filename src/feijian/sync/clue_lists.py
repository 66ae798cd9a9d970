"""Clue lists out, feedback in (issue 15 item 3; docs/models.md "Clue lists out, feedback in").

:func:`write_clue_lists` turns a stored model run into one clue list per institution — a CSV in the layout a
case imports (``casework/clues.py``: Chinese headers of the nine clue fields, then the model, the institution
and the run), UTF-8 with BOM — each with a minisign signature by the bureau's signing key beside it
(``<medins_code>.clues.csv.minisig``; ``minisign -V -p bureau.pub -m FILE`` checks it with the stock tool).
The trusted comment names the format, the run, the institution and the number of clues, so a signature
cannot be moved to another file of the bureau's. Each list written is recorded in ``clue_lists``.

At intake, :func:`record_feedback` folds the case's archived events: every clue of a list the case imported
whose id the bureau sent becomes a ``clue_feedback`` row (received, and the team's result once answered),
replacing the case's earlier rows in the intake's transaction. :func:`feedback_summary` counts, per model,
the clues sent, received, answered and each result, and the precision in real use.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Optional

from feijian.crypto import minisign
from feijian.domain.clue_list_format import HEADERS, SIGNATURE_SUFFIX, SUFFIX, trusted_comment
from feijian.domain.errors import InputError
from feijian.domain.events import utc_now
from feijian.domain.projection import fold

# the event types of casework/clues.py (sync does not import casework: same layer)
CLUE_LIST_IMPORTED = "clue.list.imported"
RESULTS = ("confirmed", "partly", "unfounded", "unverifiable")

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS clue_lists (
        run_id TEXT NOT NULL, medins_code TEXT NOT NULL, file_name TEXT NOT NULL, sha256 TEXT NOT NULL,
        clues BIGINT NOT NULL, created TEXT NOT NULL, signature TEXT NOT NULL, PRIMARY KEY (run_id, medins_code))""",
    """CREATE TABLE IF NOT EXISTS clue_feedback (
        case_id TEXT NOT NULL, clue_id TEXT NOT NULL, model TEXT NOT NULL, result TEXT NOT NULL,
        verified_amount TEXT, explanation TEXT, package_id TEXT NOT NULL, recorded_at TEXT NOT NULL,
        PRIMARY KEY (case_id, clue_id))""",
]


@dataclass(frozen=True)
class SentList:
    medins_code: str
    path: Path
    signature_path: Path
    sha256: str
    clues: int


@dataclass(frozen=True)
class ModelFeedback:
    model: str
    sent: int
    received: int  # imported into a case that came back
    answered: int
    by_result: dict  # result code -> clues
    verified_amount: Decimal

    @property
    def precision(self) -> Optional[float]:
        """(属实 + 部分属实) / (属实 + 部分属实 + 不属实); 无法核实 counts neither way. None before any answer."""
        hit = self.by_result.get("confirmed", 0) + self.by_result.get("partly", 0)
        judged = hit + self.by_result.get("unfounded", 0)
        return hit / judged if judged else None


def latest_run_id(archive) -> str:
    rows = archive._query("SELECT run_id FROM model_runs ORDER BY created DESC, run_id DESC LIMIT 1")
    if not rows:
        raise InputError("归档中还没有模型运行（先运行 feijian bureau models） / no model run in the archive yet "
                         "(run feijian bureau models first)")
    return rows[0][0]


def _run_rows(archive, run_id: str) -> list[tuple]:
    rows = archive._query(
        "SELECT clue_id, model, psn_no, mdtrt_id, med_list_codg, period_start, period_end, description, amount, "
        "medins_code FROM model_hits WHERE run_id = ? ORDER BY medins_code, model, clue_id", (run_id,))
    if not rows and not archive._query("SELECT 1 FROM model_runs WHERE run_id = ?", (run_id,)):
        raise InputError(f"归档中没有这次模型运行 / no model run {run_id} in the archive")
    return rows


def list_bytes(rows: Iterable[tuple], run_id: str, names: dict[str, str], model_names: dict[str, str]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADERS)
    for clue_id, model, psn, mdtrt, code, start, end, desc, amount, medins in rows:
        w.writerow([clue_id, f"{model} {model_names.get(model, '')}".strip(), psn or "", mdtrt or "", code or "",
                    start or "", end or "", desc, f"{Decimal(str(amount)).quantize(Decimal('0.01'))}", model, medins,
                    names.get(medins, ""), run_id])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_clue_lists(archive, out_dir: Path, bureau_keys, *, run_id: Optional[str] = None,
                     model_names: Optional[dict[str, str]] = None) -> list[SentList]:
    """One signed clue list per institution with results in the run (the latest when ``run_id`` is None).
    The files hold patient numbers: they are documents the bureau explicitly exports to the teams."""
    run_id = run_id or latest_run_id(archive)
    rows = _run_rows(archive, run_id)
    if model_names is None:
        from feijian.sync.bureau_models import MODELS, load_config

        cfg = load_config()
        model_names = {m: cfg.m(m)["name"] for m in MODELS}
    names = {i["medins_code"]: i["medins_name"] or "" for i in archive.cases.institutions()}
    by_inst: dict[str, list[tuple]] = {}
    for r in rows:
        by_inst.setdefault(r[9], []).append(r)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pub = bureau_keys.public()
    key_id8 = bytes.fromhex(pub.key_id)
    sent = []
    created = utc_now()
    try:
        for medins, inst_rows in sorted(by_inst.items()):
            data = list_bytes(inst_rows, run_id, names, model_names)
            sig = minisign.sign(data, bureau_keys.signing_key, key_id8, trusted_comment(run_id, medins, len(inst_rows)),
                                untrusted_comment=f"feijian bureau clue list for {medins}")
            path = out_dir / f"{medins}{SUFFIX}"
            _atomic_write(path, data)
            sig_path = path.with_name(path.name + SIGNATURE_SUFFIX)
            _atomic_write(sig_path, sig.encode("ascii"))
            sha = hashlib.sha256(data).hexdigest()
            archive._exec("DELETE FROM clue_lists WHERE run_id = ? AND medins_code = ?", (run_id, medins))
            archive._exec("INSERT INTO clue_lists VALUES (?,?,?,?,?,?,?)",
                          (run_id, medins, path.name, sha, len(inst_rows), created, sig))
            sent.append(SentList(medins, path, sig_path, sha, len(inst_rows)))
        archive.commit()
    except BaseException:
        archive.rollback()
        raise
    return sent


def public_key_file(bureau_public) -> str:
    """The bureau's signing key as a minisign public key file (``minisign -V -p FILE``)."""
    return minisign.public_key_file(bureau_public.verifier(), bytes.fromhex(bureau_public.key_id))


# --- feedback at intake --------------------------------------------------------------------------------

def _sent_models(archive, clue_ids: list[str]) -> dict[str, str]:
    """``{clue_id: model}`` of the ids among ``clue_ids`` that the bureau sent in a clue list."""
    out: dict[str, str] = {}
    for start in range(0, len(clue_ids), 500):
        chunk = clue_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for cid, model in archive._query(
                f"SELECT DISTINCT h.clue_id, h.model FROM model_hits h JOIN clue_lists l ON l.run_id = h.run_id "
                f"AND l.medins_code = h.medins_code WHERE h.clue_id IN ({marks})", tuple(chunk)):
            out[cid] = model
    return out


def record_feedback(archive, case_id: str, events: list, package_id: str) -> int:
    """The case's answers to the bureau's clues, from its archived events (inside the intake's transaction;
    the caller commits). Returns the number of the bureau's clues the case holds."""
    ids: list[str] = []
    for e in events:
        if e.type != CLUE_LIST_IMPORTED:
            continue
        p = e.payload
        col = p["fields"]["clue_id"]
        ids += [str(r[col]).strip() for r in p["rows"]]
    archive._exec("DELETE FROM clue_feedback WHERE case_id = ?", (case_id,))
    if not ids:
        return 0
    sent = _sent_models(archive, sorted(set(ids)))
    if not sent:
        return 0
    state = fold(events)
    now = utc_now()
    for cid in sorted(sent):
        r = state.get("clue", cid, "result") or {}
        result = r.get("result") or ""
        if result and result not in RESULTS:
            result = ""
        archive._exec("INSERT INTO clue_feedback VALUES (?,?,?,?,?,?,?,?)",
                      (case_id, cid, sent[cid], result, r.get("verified_amount") if result else None,
                       r.get("explanation") if result else None, package_id, now))
    return len(sent)


def feedback_summary(archive) -> list[ModelFeedback]:
    """Per model (every model with a clue sent): sent, received, answered, each result, verified amount."""
    sent = dict(archive._query(
        "SELECT h.model, COUNT(DISTINCT h.clue_id) FROM model_hits h JOIN clue_lists l ON l.run_id = h.run_id "
        "AND l.medins_code = h.medins_code GROUP BY h.model"))
    received = dict(archive._query("SELECT model, COUNT(DISTINCT clue_id) FROM clue_feedback GROUP BY model"))
    answered = dict(archive._query("SELECT model, COUNT(DISTINCT clue_id) FROM clue_feedback WHERE result <> '' "
                                   "GROUP BY model"))
    by: dict[str, dict[str, int]] = {}
    for model, result, n in archive._query("SELECT model, result, COUNT(DISTINCT clue_id) FROM clue_feedback "
                                           "WHERE result <> '' GROUP BY model, result"):
        by.setdefault(model, {})[result] = int(n)
    amounts: dict[str, Decimal] = {}
    for model, amount in archive._query("SELECT model, verified_amount FROM clue_feedback WHERE result <> ''"):
        amounts[model] = amounts.get(model, Decimal("0")) + Decimal(amount or "0")
    return [ModelFeedback(m, int(sent.get(m, 0)), int(received.get(m, 0)), int(answered.get(m, 0)),
                          {r: by.get(m, {}).get(r, 0) for r in RESULTS}, amounts.get(m, Decimal("0")))
            for m in sorted(set(sent) | set(received))]


def feedback_rows(archive, model: Optional[str] = None) -> list[dict]:
    """The recorded answers, one per (case, clue), for a table or a report."""
    sql = ("SELECT case_id, clue_id, model, result, verified_amount, explanation, package_id, recorded_at "
           "FROM clue_feedback")
    params: tuple = ()
    if model:
        sql += " WHERE model = ?"
        params = (model,)
    keys = ("case_id", "clue_id", "model", "result", "verified_amount", "explanation", "package_id", "recorded_at")
    return [dict(zip(keys, r)) for r in archive._query(sql + " ORDER BY model, clue_id, case_id", params)]
