"""The bureau's signed clue list (issue 15): what the bureau writes (``sync/clue_lists.py``) and a case checks
when it imports one (``casework/signed_clues.py``).

A list is a CSV (UTF-8 with BOM) whose first nine columns are the clue fields of ``casework/clues.py`` under
their Chinese headers, then the model, the institution and the run. Beside it, ``FILE.minisig``: a minisign
signature by the bureau's signing key whose trusted comment is
``feijian-clue-list/1 run=<run id> medins=<institution code> clues=<n>`` — so a signature the bureau made for
another file (a receipt, another institution's list) does not pass for this one.

The province-wide list of one model run (``feijian bureau models --out``: every institution's hits in one
CSV, for the bureau's own desk) is signed the same way with the trusted comment
``feijian-model-run/1 run=<run id> rows=<n>``: ``minisign -V`` checks it, and a case refuses it as a clue
list (it is addressed to no one institution).
"""

from __future__ import annotations

from typing import Optional

LIST_FORMAT = "feijian-clue-list/1"
RUN_LIST_FORMAT = "feijian-model-run/1"
SUFFIX = ".clues.csv"
SIGNATURE_SUFFIX = ".minisig"
HEADERS = ("线索编号", "线索类型", "人员编号", "就诊ID", "医保目录编码", "开始日期", "结束日期", "线索描述", "疑似金额",
           "模型", "机构编码", "机构名称", "模型运行")


def trusted_comment(run_id: str, medins_code: str, clues: int) -> str:
    for v in (run_id, medins_code):
        if not v or any(c.isspace() or c == "=" for c in v):
            raise ValueError(f"not usable in a trusted comment: {v!r}")
    return f"{LIST_FORMAT} run={run_id} medins={medins_code} clues={clues}"


def run_list_comment(run_id: str, rows: int) -> str:
    if not run_id or any(c.isspace() or c == "=" for c in run_id):
        raise ValueError(f"not usable in a trusted comment: {run_id!r}")
    return f"{RUN_LIST_FORMAT} run={run_id} rows={rows}"


def parse_trusted_comment(text: str) -> Optional[dict]:
    """``{"run": str, "medins": str, "clues": int}`` from a clue list's trusted comment; None when it is not one."""
    parts = text.split(" ")
    if not parts or parts[0] != LIST_FORMAT:
        return None
    out: dict = {}
    for p in parts[1:]:
        k, sep, v = p.partition("=")
        if not sep or k in out:
            return None
        out[k] = v
    if set(out) != {"run", "medins", "clues"} or not out["clues"].isdigit():
        return None
    out["clues"] = int(out["clues"])
    return out
