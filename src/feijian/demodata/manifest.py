"""What the generator planted: every expected hit keyed exactly as the hits file of rules.md keys it,
with its expected amount, and the near misses (boundary cases that must NOT be hits)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Optional

from feijian.demodata.model import Encounter, Line

KEY_FIELDS = ("mdtrt_id", "feedetl_sn", "med_list_codg", "date", "drord_no", "period_start")


@dataclass
class Planted:
    rule_code: str
    grain: str
    note: str
    enc: Optional[Encounter] = None
    line: Optional[Line] = None
    med_list_codg: str = ""
    date: Optional[dt.date] = None
    drord_no: str = ""
    period_start: Optional[dt.date] = None
    amount: Optional[Decimal] = Decimal(0)
    subject: dict = field(default_factory=dict)  # statistical models: department/month/doctor/item

    def key(self) -> dict:
        return {
            "mdtrt_id": self.enc.mdtrt_id if self.enc is not None else "",
            "feedetl_sn": self.line.sn if self.line is not None else "",
            "med_list_codg": self.med_list_codg,
            "date": self.date.isoformat() if self.date else "",
            "drord_no": self.drord_no,
            "period_start": self.period_start.isoformat() if self.period_start else "",
        }

    def to_json(self) -> dict:
        d = {"rule_code": self.rule_code, "grain": self.grain, **self.key()}
        if self.amount is not None:
            d["amount"] = str(self.amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        if self.subject:
            d["subject"] = dict(self.subject)
        d["note"] = self.note
        return d


@dataclass
class DemoManifest:
    out_dir: Path
    seed: int
    scale: float
    hits: list  # of dicts (Planted.to_json)
    near_misses: list
    statistical: list
    files: dict  # file name -> {"table", "rows", "encoding"}
    counts: dict  # table -> rows
    clues: list = field(default_factory=list)  # [{"clue_id", "founded": bool}] for meta/clues.csv
    paper: str = ""  # what demodata/paper_pages.py wrote (or why it did not)
    paper_documents: dict = field(default_factory=dict)  # doc_id -> {"kind", "file", "rule_code"}

    @property
    def rules_planted(self) -> set:
        return {h["rule_code"] for h in self.hits} | {h["rule_code"] for h in self.statistical}

    def summary(self) -> str:
        """One line for the console: encounters, fee lines, planted hits and rules covered."""
        return (f"{self.counts.get('visits', 0)} 次就诊 / encounters, {self.counts.get('fees', 0)} 条费用明细 / fee lines, "
                f"{len(self.hits)} 个预置疑点 / planted hits ({len(self.rules_planted)} 条规则 / rules), "
                f"{len(self.near_misses)} 个边界反例 / near misses")

    def to_json(self) -> dict:
        return {
            "generator": "feijian demo-data",
            "format": 1,
            "seed": self.seed,
            "scale": self.scale,
            "hits": self.hits,
            "statistical": self.statistical,
            "near_misses": self.near_misses,
            "clues": self.clues,
            "files": self.files,
            "counts": self.counts,
            **({"paper": self.paper, "paper_documents": self.paper_documents} if self.paper else {}),
        }

    def write(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1, sort_keys=False) + "\n",
                              encoding="utf-8")

    @classmethod
    def load(cls, out_dir: Path) -> "DemoManifest":
        d = json.loads((Path(out_dir) / "meta" / "planted.json").read_text(encoding="utf-8"))
        return cls(Path(out_dir), d["seed"], d["scale"], d["hits"], d["near_misses"], d["statistical"],
                   d["files"], d["counts"], d.get("clues", []), d.get("paper", ""), d.get("paper_documents", {}))
