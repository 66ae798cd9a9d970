"""Typed evidence records (询问笔录, 现场检查笔录): their fields (``resources/casework/typed_records.toml``),
the check made before one is hashed and stored, and the text of one for a preview.

:func:`check_record` returns the record as it will be stored (strings stripped, empty optional fields left
out) or raises :class:`InputError` naming every problem at once, so the form can show them together.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from feijian.domain.errors import InputError
from feijian.paths import resource

FIELD_TYPES = ("text", "longtext", "datetime", "qa", "officers", "persons", "person")
DATETIME_FORMAT = "%Y-%m-%d %H:%M"
PERSON_KEYS = {"name": "姓名", "sex": "性别", "id_number": "身份证号", "phone": "联系电话", "employer": "工作单位",
               "position": "职务"}
SEXES = ("男", "女")
LIST_KEYS = {"officers": {"name": "姓名", "staff_no": "执法证号"}, "persons": {"name": "姓名", "position": "职务"},
             "qa": {"q": "问", "a": "答"}}


@dataclass(frozen=True)
class RecordField:
    name: str
    label: str
    type: str
    required: bool = False


@dataclass(frozen=True)
class RecordKind:
    kind: str
    label: str
    fields: tuple[RecordField, ...]
    order: tuple[str, ...] = ()  # datetime fields that must not go backwards
    officer_fields: tuple[str, ...] = ()
    min_officers: int = 0

    def field(self, name: str) -> RecordField:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@lru_cache(maxsize=1)
def record_kinds() -> dict[str, RecordKind]:
    with open(resource("casework", "typed_records.toml"), "rb") as fh:
        raw = tomllib.load(fh)
    kinds = {}
    for kind, spec in raw.items():
        fields = tuple(RecordField(f["name"], f["label"], f["type"], bool(f.get("required", False)))
                       for f in spec["fields"])
        for f in fields:
            if f.type not in FIELD_TYPES:
                raise ValueError(f"typed_records.toml: {kind}.{f.name} has unknown type {f.type!r}")
        kinds[kind] = RecordKind(kind, spec["label"], fields, tuple(spec.get("order", ())),
                                 tuple(spec.get("officer_fields", ())), int(spec.get("min_officers", 0)))
    return kinds


def record_kind(kind: str) -> RecordKind:
    kinds = record_kinds()
    if kind not in kinds:
        raise InputError(f"未知的记录类型 / unknown record kind {kind!r} (expected {', '.join(kinds)})")
    return kinds[kind]


def id_number_problem(value: str) -> str:
    """Why an 18-character mainland ID number (GB 11643) is wrong, or "" (other documents are not checked)."""
    v = value.strip().upper()
    if len(v) != 18:
        return ""
    if not re.fullmatch(r"\d{17}[\dX]", v):
        return "身份证号应为 17 位数字加一位数字或 X / an ID number is 17 digits and a digit or X"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(v[:17], weights)) % 11]
    if v[17] != check:
        return f"身份证号校验位不符（应为 {check}）/ ID number check digit is wrong (expected {check})"
    try:
        dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "身份证号中的出生日期不存在 / the ID number's date of birth does not exist"
    return ""


def parse_qa(text: str) -> list[dict]:
    """Questions and answers typed as lines starting 问：/答： (or Q:/A:); a line without a marker continues
    the one before. Raises InputError for text before the first 问, an answer without a question or a
    question without an answer."""
    pairs: list[dict] = []
    current = None
    for number, raw in enumerate(str(text).splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        m = re.match(r"^(问|答|Q|A)\s*[:：]\s*(.*)$", line, re.IGNORECASE)
        if m:
            marker = "q" if m.group(1).upper() in ("问", "Q") else "a"
            if marker == "q":
                if pairs and "a" not in pairs[-1]:
                    raise InputError(f"第 {number} 行：上一个问题没有回答 / line {number}: the question before has "
                                     "no answer")
                pairs.append({"q": m.group(2)})
            else:
                if not pairs or "a" in pairs[-1]:
                    raise InputError(f"第 {number} 行：回答前没有问题 / line {number}: an answer without a question")
                pairs[-1]["a"] = m.group(2)
            current = marker
        elif current is None:
            raise InputError(f"第 {number} 行：问答应以“问：”开始 / line {number}: questions start with 问：")
        else:
            pairs[-1][current] += "\n" + line
    if pairs and "a" not in pairs[-1]:
        raise InputError("最后一个问题没有回答 / the last question has no answer")
    return [{"q": p["q"].strip(), "a": p["a"].strip()} for p in pairs]


def format_qa(pairs: list[dict]) -> str:
    return "\n".join(f"问：{p.get('q', '')}\n答：{p.get('a', '')}" for p in pairs)


def _text(value: Any, where: str, problems: list[str]) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        problems.append(f"{where}应为文字 / {where}: expected text")
        return ""
    return str(value).strip()


def _list_of(kind: str, value: Any, label: str, problems: list[str]) -> list[dict]:
    keys = LIST_KEYS[kind]
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        problems.append(f"{label}应为列表 / {label}: expected a list")
        return []
    out = []
    for i, item in enumerate(value, 1):
        where = f"{label}第 {i} 项"
        if not isinstance(item, dict):
            problems.append(f"{where}应为对象 / {where}: expected an object")
            continue
        extra = sorted(set(item) - set(keys))
        if extra:
            problems.append(f"{where}有未知字段 {', '.join(extra)} / {where}: unknown keys {', '.join(extra)}")
        row = {k: _text(item.get(k), f"{where}{keys[k]}", problems) for k in keys}
        if not any(row.values()):
            continue  # an empty row of the form
        first = next(iter(keys))
        if not row[first]:
            problems.append(f"{where}缺少{keys[first]} / {where}: {first} is missing")
        if kind == "officers" and not row["staff_no"]:
            problems.append(f"{where}（{row['name']}）缺少执法证号 / {where}: staff_no (执法证号) is missing")
        if kind == "qa" and not row["a"]:
            problems.append(f"{where}没有回答 / {where}: the answer is missing")
        out.append({k: v for k, v in row.items() if v})
    return out


def _person(value: Any, label: str, problems: list[str]) -> dict:
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        problems.append(f"{label}应为对象（姓名、性别、身份证号……）/ {label}: expected an object")
        return {}
    extra = sorted(set(value) - set(PERSON_KEYS))
    if extra:
        problems.append(f"{label}有未知字段 {', '.join(extra)} / {label}: unknown keys {', '.join(extra)}")
    out = {k: _text(value.get(k), f"{label}{zh}", problems) for k, zh in PERSON_KEYS.items()}
    if any(out.values()) and not out["name"]:
        problems.append(f"{label}缺少姓名 / {label}: name is missing")
    if out["sex"] and out["sex"] not in SEXES:
        problems.append(f"{label}性别应为“男”或“女” / {label}: sex is 男 or 女")
    if out["id_number"]:
        out["id_number"] = out["id_number"].upper()
        why = id_number_problem(out["id_number"])
        if why:
            problems.append(f"{label}{why}")
    return {k: v for k, v in out.items() if v}


def check_record(kind: str, record: Any) -> dict:
    """The record as stored, or InputError listing every problem (one per line)."""
    spec = record_kind(kind)
    if not isinstance(record, dict):
        raise InputError(f"{spec.label}应为对象 / a {kind} record is a JSON object")
    problems: list[str] = []
    unknown = sorted(set(record) - {f.name for f in spec.fields})
    if unknown:
        problems.append(f"{spec.label}没有这些字段：{', '.join(unknown)} / unknown fields: {', '.join(unknown)} "
                        f"(expected {', '.join(f.name for f in spec.fields)})")
    out: dict = {}
    for f in spec.fields:
        value = record.get(f.name)
        before = len(problems)
        if f.type in ("text", "longtext"):
            v: Any = _text(value, f.label, problems)
        elif f.type == "datetime":
            v = _text(value, f.label, problems)
            if v:
                try:
                    v = dt.datetime.strptime(v, DATETIME_FORMAT).strftime(DATETIME_FORMAT)
                except ValueError:
                    problems.append(f"{f.label}“{v}”应为 年-月-日 时:分 / {f.name} {v!r}: expected YYYY-MM-DD HH:MM")
                    v = ""
        elif f.type == "qa" and isinstance(value, str):
            try:
                v = parse_qa(value)
            except InputError as exc:
                problems.append(f"{f.label}：{exc}")
                v = []
        elif f.type in LIST_KEYS:
            v = _list_of(f.type, value, f.label, problems)
        else:  # person
            v = _person(value, f.label, problems)
        if v:
            out[f.name] = v
        elif f.required and len(problems) == before:  # (a value already refused is not also "missing")
            problems.append(f"缺少{f.label} / {f.name} is required")
    times = [out[n] for n in spec.order if n in out]
    if len(times) == len(spec.order) == 2 and times[1] < times[0]:
        problems.append(f"{spec.field(spec.order[1]).label}早于{spec.field(spec.order[0]).label} / "
                        f"{spec.order[1]} is before {spec.order[0]}")
    if spec.min_officers:
        names = set()
        for n in spec.officer_fields:
            v = out.get(n)
            names |= {o["name"] for o in v} if isinstance(v, list) else ({v} if v else set())
        if len(names) < spec.min_officers and all(n in out for n in spec.officer_fields):
            labels = "、".join(spec.field(n).label for n in spec.officer_fields)
            problems.append(f"{labels}合计至少 {spec.min_officers} 名执法人员（现为 {len(names)} 名）/ at least "
                            f"{spec.min_officers} officers across {', '.join(spec.officer_fields)} (found {len(names)})")
    if problems:
        raise InputError("\n".join(problems))
    return out


def record_lines(kind: str, record: dict) -> list[tuple[str, str]]:
    """(label, text) of each field present, in the kind's order, for a preview."""
    spec = record_kind(kind)
    out = []
    for f in spec.fields:
        v = record.get(f.name)
        if v in (None, "", [], {}):
            continue
        if f.type == "qa" and isinstance(v, list):
            text = format_qa(v)
        elif f.type in LIST_KEYS and isinstance(v, list):
            keys = LIST_KEYS[f.type]
            text = "、".join(" ".join(str(item[k]) for k in keys if item.get(k)) if isinstance(item, dict) else str(item)
                            for item in v)
        elif f.type == "person" and isinstance(v, dict):
            text = "，".join(f"{zh} {v[k]}" for k, zh in PERSON_KEYS.items() if v.get(k))
        else:
            text = str(v)
        out.append((f.label, text))
    for k, v in record.items():  # a record stored before the check (or merged from elsewhere): shown, not hidden
        if k not in {f.name for f in spec.fields}:
            out.append((k, str(v)))
    return out
