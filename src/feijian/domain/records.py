"""Records that pass between layers. Money is :class:`decimal.Decimal`; times are naive local
``datetime`` (the contract has no time zones) except event times, which are UTC ISO strings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Optional


class Role(str, Enum):
    INSPECTOR = "inspector"
    LEAD = "lead"


class HitStatus(str, Enum):
    OPEN = "open"  # 待核查
    CONFIRMED = "confirmed"  # 已确认
    DISMISSED = "dismissed"  # 已排除


class Grain(str, Enum):
    LINE = "line"
    ITEM_DAY = "item-day"
    ITEM_VISIT = "item-visit"
    ORDER = "order"
    ITEM_PERIOD = "item-period"
    VISIT = "visit"
    DEPT_MONTH = "department-month"
    DOCTOR = "doctor"
    DOCTOR_ITEM = "doctor-item"


@dataclass(frozen=True)
class TeamMember:
    name: str
    staff_no: str
    role: Role = Role.INSPECTOR
    key_id: str = ""  # fingerprint of the member's signing key, when known


@dataclass(frozen=True)
class CaseInfo:
    """What identifies an inspection case. ``case_id`` is a UUID fixed at creation."""

    case_id: str
    name: str
    medins_code: str
    medins_name: str
    medins_lv: str
    medins_type: str = "hospital"
    data_period_start: Optional[dt.date] = None
    data_period_end: Optional[dt.date] = None
    trigger: str = ""  # 检查缘由, e.g. 国家局飞检 / 举报线索
    doc_no_prefix: str = ""  # e.g. 医保飞检〔2026〕
    team: tuple[TeamMember, ...] = ()
    created_at: str = ""  # UTC ISO 8601


@dataclass(frozen=True)
class ImportedFile:
    """One source file of an import batch: the chain-of-custody record."""

    file_name: str
    table: str
    sha256: str
    size: int
    encoding: str  # utf-8, utf-8-sig, gbk, gb18030, xlsx
    rows: int  # data rows in the file
    read: int
    refused: int
    sheet: str = ""


@dataclass(frozen=True)
class RejectedRow:
    """A row the import refused: ``line`` is the physical line the record starts on (header = line 1)
    in a CSV, or the sheet row number in an XLSX."""

    file: str
    line: int
    field: str
    value: str
    reason: str


@dataclass(frozen=True)
class ImportBatch:
    batch_id: str
    imported_at: str
    importer: str
    files: tuple[ImportedFile, ...] = ()


@dataclass(frozen=True)
class RuleMeta:
    """A rule's catalogue entry (``resources/rules/catalogue.toml``)."""

    code: str
    name_zh: str
    name_en: str
    category: str  # 虚假诊疗, 串换, 分解收费, 超标准收费, 重复收费, 超限定, 过度诊疗, 数据不符
    severity: str  # high / medium / low
    legal_basis: str  # 《医疗保障基金使用监督管理条例》第X条
    article: int
    grain: str
    needs: tuple[str, ...]
    check_path: str  # 检查路径
    kind: str = "deterministic"  # or "statistical"
    notes: str = ""  # choices made where rules.md is ambiguous


@dataclass(frozen=True)
class LineKey:
    mdtrt_id: str
    feedetl_sn: str


@dataclass(frozen=True)
class Hit:
    """One 疑点. ``hit_id`` is stable across runs: a hash of the rule code and the grain key."""

    hit_id: str
    rule_code: str
    grain: str
    amount: Decimal
    detail: str
    mdtrt_id: str = ""
    feedetl_sn: str = ""
    med_list_codg: str = ""
    date: Optional[dt.date] = None
    drord_no: str = ""
    period_start: Optional[dt.date] = None
    subject: str = ""  # department / doctor code for statistical grains
    lines: tuple[LineKey, ...] = ()


@dataclass(frozen=True)
class ScreeningRun:
    run_id: str
    ruleset_version: str
    kb_hash: str
    batch_hashes: tuple[str, ...]
    started_at: str
    finished_at: str
    rules_run: tuple[str, ...]
    not_run: dict = field(default_factory=dict)  # rule code -> reason
    hit_count: int = 0
    total_amount: Decimal = Decimal("0")


@dataclass(frozen=True)
class Finding:
    """A 问题: confirmed hits grouped, with the amount to recover and its legal basis."""

    finding_id: str
    title: str
    rule_code: str = ""
    hit_ids: tuple[str, ...] = ()
    amount: Decimal = Decimal("0")
    legal_basis: str = ""
    article: int = 0
    description: str = ""
    category: str = ""
    evidence_ids: tuple[str, ...] = ()
    status: str = "draft"  # draft / agreed / disputed (the institution's response)


# evidence kinds as the documents and screens name them (analysis_result: a query's or analysis's result, issue 17)
EVIDENCE_KIND_NAMES = {"file": "文件", "interview": "询问笔录", "onsite_record": "现场检查笔录",
                       "analysis_result": "查询结果"}
TYPED_RECORD_KINDS = ("interview", "onsite_record")  # evidence that is a typed record (JSON) filled in the app


@dataclass(frozen=True)
class EvidenceItem:
    evidence_id: str
    kind: str  # a key of EVIDENCE_KIND_NAMES
    original_name: str
    sha256: str
    size: int
    media_type: str
    added_by: str
    added_at: str
    device: str
    finding_id: str = ""
    note: str = ""
