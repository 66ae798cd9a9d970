"""The knowledge base (规则知识库): catalogue limits, exclusive pairs, operation/material matches and
thresholds, validated into Arrow tables with the contract's types. ``hash`` identifies the content so a
screening run can be reproduced."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Mapping, Optional

import pyarrow as pa
import pyarrow.compute as pc

from feijian.domain.codes import canonical_code
from feijian.domain.contract import load_contract
from feijian.domain.errors import InputError
from feijian.rules.record_text import DEFAULT_ABSENCE_TERMS, normal_terms, split_list

KB_TABLES = ("kb_items", "kb_exclusive_pairs", "kb_procedure_materials", "kb_thresholds", "kb_item_terms")
MONEY = pa.decimal128(18, 4)
# thresholds the rules read as numbers, with their defaults (rules.md)
NUMERIC_THRESHOLDS = {
    "readmit_days": Decimal("30"),
    "idle_bed_days": Decimal("3"),
    "growth_ratio": Decimal("0.3"),
    "outlier_z": Decimal("3"),
    "report_days": Decimal("3"),  # records.md R24: days after the fee date within which a report counts
}
DOC_TYPES = ("admission", "progress", "operation", "anesthesia", "nursing", "exam_report", "lab_report",
             "treatment", "discharge", "other")
_TRUE = {"1", "true", "t", "y", "yes", "是", "√"}
_FALSE = {"0", "false", "f", "n", "no", "否", ""}


class KnowledgeBaseError(InputError):
    """The knowledge base has a value the rules cannot use."""


def _arrow_type(t: str) -> pa.DataType:
    return {"str": pa.string(), "decimal": MONEY, "bool": pa.bool_(), "date": pa.date32(),
            "datetime": pa.timestamp("s")}[t]


def _to_decimal(table: str, fld: str, value, row: int) -> Optional[Decimal]:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    text = str(value).strip().replace(",", "")
    if text == "":
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise KnowledgeBaseError(
            f"知识库 {table} 第 {row} 行 {fld} 不是数字 / {table} row {row}: {fld} is not a number: {value!r}") from None
    if not d.is_finite():
        raise KnowledgeBaseError(f"知识库 {table} 第 {row} 行 {fld} 不是有限数字 / {table} row {row}: {fld}={value!r}")
    return d


def _to_bool(table: str, fld: str, value, row: int) -> Optional[bool]:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise KnowledgeBaseError(f"知识库 {table} 第 {row} 行 {fld} 不是是/否 / {table} row {row}: {fld} is not a boolean: {value!r}")


def _to_str(value) -> Optional[str]:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _normalise(name: str, table: Optional[pa.Table]) -> pa.Table:
    """The table with exactly the contract's fields in the contract's types (missing optional → null)."""
    spec = load_contract().table(name)
    n = 0 if table is None else table.num_rows
    cols = {}
    for f in spec.fields:
        if table is None or f.name not in table.column_names:
            if f.required and n:
                raise KnowledgeBaseError(f"知识库 {name} 缺少必填列 {f.name} / {name} lacks the required column {f.name}")
            cols[f.name] = pa.nulls(n, _arrow_type(f.type))
            continue
        col = table.column(f.name)
        target = _arrow_type(f.type)
        if col.type == target:
            values = col
            py = None
        else:
            py = col.to_pylist()
        if py is not None:
            if f.type == "decimal":
                py = [_to_decimal(name, f.name, v, i + 2) for i, v in enumerate(py)]
            elif f.type == "bool":
                py = [_to_bool(name, f.name, v, i + 2) for i, v in enumerate(py)]
            elif f.type == "str":
                py = [_to_str(v) for v in py]
            try:
                values = pa.array(py, type=target)
            except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError) as exc:
                raise KnowledgeBaseError(f"知识库 {name}.{f.name} 的值无法使用 / unusable values in {name}.{f.name}: {exc}") from None
        cols[f.name] = values
        if f.required and pa.compute.sum(pa.compute.is_null(values)).as_py():
            row = pa.compute.index(pa.compute.is_null(values), True).as_py() + 2
            raise KnowledgeBaseError(f"知识库 {name} 第 {row} 行缺少 {f.name} / {name} row {row}: {f.name} is empty")
    return pa.table(cols)


def _check_unique(name: str, table: pa.Table, keys: tuple[str, ...]) -> None:
    seen: dict[tuple, int] = {}
    rows = zip(*(table.column(k).to_pylist() for k in keys))
    for i, key in enumerate(rows):
        if key in seen:
            raise KnowledgeBaseError(
                f"知识库 {name} 第 {i + 2} 行与第 {seen[key]} 行重复 / {name} row {i + 2} duplicates row {seen[key]}: "
                + ", ".join(str(k) for k in key))
        seen[key] = i + 2


def _ascii_semicolons(table: pa.Table, column: str) -> pa.Table:
    if column not in table.column_names:
        return table
    i = table.column_names.index(column)
    return table.set_column(i, column, pc.replace_substring(table.column(column), "；", ";"))


def _canonical(value) -> object:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != 0 else "0"
    return value


def _item_terms(table: pa.Table) -> pa.Table:
    """kb_item_terms checked and in canonical form: ``doc_types`` as ``;``-joined codes (Chinese names
    accepted), ``terms`` and ``unit_words`` as ``;``-joined lists without blanks; at least one term and one
    document type per row."""
    _check_unique("kb_item_terms", table, ("med_list_codg",))
    doc_types, terms, units = [], [], []
    for i, row in enumerate(table.to_pylist()):
        r = i + 2
        types = []
        for raw in split_list(row["doc_types"]):
            code = canonical_code("doc_type", raw)
            if code is None:
                raise KnowledgeBaseError(
                    f"知识库 kb_item_terms 第 {r} 行文书类型无效 / row {r}: unknown doc_type {raw!r} "
                    f"(one of {', '.join(DOC_TYPES)})")
            types.append(code)
        if not types:
            raise KnowledgeBaseError(f"知识库 kb_item_terms 第 {r} 行没有文书类型 / row {r}: no doc_types")
        words = split_list(row["terms"])
        if not normal_terms(words):
            raise KnowledgeBaseError(f"知识库 kb_item_terms 第 {r} 行没有用语 / row {r}: no terms")
        doc_types.append(";".join(dict.fromkeys(types)))
        terms.append(";".join(words))
        units.append(";".join(split_list(row["unit_words"])) or None)
    return pa.table({"med_list_codg": table.column("med_list_codg"), "doc_types": pa.array(doc_types, pa.string()),
                     "terms": pa.array(terms, pa.string()), "unit_words": pa.array(units, pa.string())})


@dataclass(frozen=True)
class KnowledgeBase:
    items: pa.Table
    exclusive_pairs: pa.Table
    procedure_materials: pa.Table
    thresholds: dict = field(default_factory=dict)  # name -> str value
    hash: str = ""
    item_terms: Optional[pa.Table] = None  # kb_item_terms (records.md); None: the knowledge base has none

    @classmethod
    def from_tables(cls, tables: Mapping[str, pa.Table]) -> "KnowledgeBase":
        unknown = sorted(set(tables) - set(KB_TABLES))
        if unknown:
            raise KnowledgeBaseError(f"不是知识库表 / not knowledge-base tables: {', '.join(unknown)}")
        items = _normalise("kb_items", tables.get("kb_items"))
        pairs = _normalise("kb_exclusive_pairs", tables.get("kb_exclusive_pairs"))
        mats = _normalise("kb_procedure_materials", tables.get("kb_procedure_materials"))
        thr = _normalise("kb_thresholds", tables.get("kb_thresholds"))
        terms = tables.get("kb_item_terms")
        terms = _item_terms(_normalise("kb_item_terms", terms)) if terms is not None and terms.num_rows else None

        # ";"-separated prefix lists: a full-width "；" (typed with a Chinese input method) separates too
        items = _ascii_semicolons(items, "dx_limit")
        mats = _ascii_semicolons(mats, "oprn_prefixes")
        if "value" in thr.column_names and "name" in thr.column_names:
            is_list = pc.fill_null(pc.equal(thr.column("name"), "inpatient_med_types"), False)
            thr = thr.set_column(thr.column_names.index("value"), "value", pc.if_else(
                is_list, pc.replace_substring(thr.column("value"), "；", ";"), thr.column("value")))

        _check_unique("kb_items", items, ("med_list_codg",))
        for i, row in enumerate(items.to_pylist()):
            r = i + 2
            g = row["gender_limit"]
            if g is not None and g not in ("1", "2"):
                raise KnowledgeBaseError(f"知识库 kb_items 第 {r} 行 gender_limit 只能是 1 或 2 / row {r}: gender_limit must be 1 or 2, not {g!r}")
            lt = row["list_type"]
            if lt is not None and lt not in ("drug", "service", "material"):
                raise KnowledgeBaseError(f"知识库 kb_items 第 {r} 行 list_type 无效 / row {r}: list_type must be drug/service/material, not {lt!r}")
            for f in ("price_cap_l1", "price_cap_l2", "price_cap_l3", "age_min", "age_max",
                      "max_units_per_day", "max_units_per_visit"):
                if row[f] is not None and row[f] < 0:
                    raise KnowledgeBaseError(f"知识库 kb_items 第 {r} 行 {f} 为负数 / row {r}: {f} is negative")
            if row["age_min"] is not None and row["age_max"] is not None and row["age_min"] > row["age_max"]:
                raise KnowledgeBaseError(f"知识库 kb_items 第 {r} 行 age_min > age_max / row {r}: age_min exceeds age_max")

        scopes = [None if s is None else s.lower() for s in pairs.column("scope").to_pylist()]
        for i, (a, b, s) in enumerate(zip(pairs.column("code_a").to_pylist(), pairs.column("code_b").to_pylist(), scopes)):
            if s not in ("day", "visit"):
                raise KnowledgeBaseError(f"知识库 kb_exclusive_pairs 第 {i + 2} 行 scope 只能是 day 或 visit / row {i + 2}: scope must be day or visit, not {s!r}")
            if a == b:
                raise KnowledgeBaseError(f"知识库 kb_exclusive_pairs 第 {i + 2} 行 code_a 与 code_b 相同 / row {i + 2}: code_a equals code_b ({a})")
        pairs = pairs.set_column(pairs.column_names.index("scope"), "scope", pa.array(scopes, pa.string()))
        _check_unique("kb_exclusive_pairs", pairs, ("code_a", "code_b", "scope"))

        _check_unique("kb_procedure_materials", mats, ("material_codg",))
        for i, p in enumerate(mats.column("oprn_prefixes").to_pylist()):
            if not [x for x in p.split(";") if x.strip()]:
                raise KnowledgeBaseError(f"知识库 kb_procedure_materials 第 {i + 2} 行没有手术编码前缀 / row {i + 2}: no operation prefixes")

        _check_unique("kb_thresholds", thr, ("name",))
        thresholds = {n: v for n, v in zip(thr.column("name").to_pylist(), thr.column("value").to_pylist())}
        for name in NUMERIC_THRESHOLDS:
            if name in thresholds:
                d = _to_decimal("kb_thresholds", name, thresholds[name],
                                thr.column("name").to_pylist().index(name) + 2)
                if d is None or d < 0:
                    raise KnowledgeBaseError(f"知识库阈值 {name} 必须是非负数 / threshold {name} must be a non-negative number")
        if "absence_terms" in thresholds and str(thresholds["absence_terms"] or "").strip() \
                and not normal_terms(split_list(thresholds["absence_terms"])):
            raise KnowledgeBaseError("知识库阈值 absence_terms 没有用语 / threshold absence_terms lists no terms")

        kb = cls(items=items, exclusive_pairs=pairs, procedure_materials=mats, thresholds=thresholds,
                 item_terms=terms)
        object.__setattr__(kb, "hash", kb._content_hash())
        return kb

    @classmethod
    def empty(cls) -> "KnowledgeBase":
        return cls.from_tables({})

    def threshold(self, name: str) -> Decimal:
        """A numeric threshold: the knowledge base's value, else the default of rules.md."""
        value = self.thresholds.get(name)
        if value is None or str(value).strip() == "":
            return NUMERIC_THRESHOLDS[name]
        return Decimal(str(value).strip().replace(",", ""))

    @property
    def absence_terms(self) -> tuple[str, ...]:
        """R29's absence terms: kb_thresholds ``absence_terms`` (``;``-separated) when set, else records.md's."""
        own = split_list(self.thresholds.get("absence_terms"))
        return tuple(own) if own else DEFAULT_ABSENCE_TERMS

    @property
    def inpatient_med_types(self) -> tuple[str, ...]:
        raw = self.thresholds.get("inpatient_med_types") or ""
        return tuple(p.strip() for p in raw.split(";") if p.strip())

    def tables(self) -> dict[str, pa.Table]:
        names = list(self.thresholds)
        extra = {} if self.item_terms is None else {"kb_item_terms": self.item_terms}
        return extra | {
            "kb_items": self.items,
            "kb_exclusive_pairs": self.exclusive_pairs,
            "kb_procedure_materials": self.procedure_materials,
            "kb_thresholds": pa.table({"name": pa.array(names, pa.string()),
                                       "value": pa.array([self.thresholds[n] for n in names], pa.string())}),
        }

    def _content_hash(self) -> str:
        """SHA-256 over the canonical content: tables by name, rows sorted, values as canonical JSON."""
        doc = {}
        for name, t in sorted(self.tables().items()):
            rows = [[_canonical(v) for v in row.values()] for row in t.to_pylist()]
            rows.sort(key=lambda r: json.dumps(r, ensure_ascii=False, default=str))
            doc[name] = {"fields": t.column_names, "rows": rows}
        blob = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()
