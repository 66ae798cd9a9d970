"""Records ↔ JSON-able dicts for what the store keeps in ordinary tables."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from decimal import Decimal

import pandas as pd
import pyarrow as pa

from feijian.domain.events import canonical_json
from feijian.domain.records import CaseInfo, ImportedFile, Role, ScreeningRun, TeamMember


def case_info_to_json(info: CaseInfo) -> str:
    return canonical_json(asdict(info)).decode("utf-8")


def case_info_from_json(text: str) -> CaseInfo:
    d = json.loads(text)
    for k in ("data_period_start", "data_period_end"):
        if d.get(k):
            d[k] = dt.date.fromisoformat(d[k])
    d["team"] = tuple(TeamMember(m["name"], m["staff_no"], Role(m.get("role", "inspector")), m.get("key_id", ""))
                      for m in d.get("team", ()))
    return CaseInfo(**d)


def imported_file_from_row(row: dict) -> ImportedFile:
    return ImportedFile(file_name=row["file_name"], table=row["tbl"], sha256=row["sha256"], size=row["size"],
                        encoding=row["encoding"], rows=row["rows"], read=row["read"], refused=row["refused"],
                        sheet=row["sheet"])


def run_to_json(run: ScreeningRun) -> str:
    return canonical_json(asdict(run)).decode("utf-8")


def run_from_json(text: str) -> ScreeningRun:
    d = json.loads(text)
    d["batch_hashes"] = tuple(d.get("batch_hashes", ()))
    d["rules_run"] = tuple(d.get("rules_run", ()))
    d["total_amount"] = Decimal(str(d.get("total_amount", "0")))
    return ScreeningRun(**d)


def frame_to_blob(df: pd.DataFrame) -> bytes:
    table = pa.Table.from_pandas(df, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="zstd")) as w:
        w.write_table(table)
    return sink.getvalue().to_pybytes()


def frame_from_blob(blob: bytes) -> pd.DataFrame:
    return pa.ipc.open_file(pa.py_buffer(blob)).read_all().to_pandas()
