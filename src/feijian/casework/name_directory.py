"""The names the imported tables give to the codes people meet on screens and in documents: items
(``fees.med_list_name``), doctors (``staff.dr_name``) and departments (``visits.adm_dept_name``). Read column by
column, chunk by chunk, only the distinct pairs kept, and cached per store until the next import — so a hit's
detail, a doctor column or a department group can show ``D0301014（李秀静）`` instead of a bare code."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from typing import Any, Optional

import pyarrow as pa
import pyarrow.compute as pc

from feijian.domain import formatting


@dataclass(frozen=True)
class NameDirectory:
    items: dict[str, str] = field(default_factory=dict)  # med_list_codg -> med_list_name
    staff: dict[str, str] = field(default_factory=dict)  # dr_codg -> dr_name
    depts: dict[str, str] = field(default_factory=dict)  # dept code -> name
    staff_depts: dict[str, str] = field(default_factory=dict)  # dr_codg -> dept code
    diags: dict[str, str] = field(default_factory=dict)  # diag_code -> diag_name
    oprns: dict[str, str] = field(default_factory=dict)  # oprn_code -> oprn_name

    def detail(self, text: Any) -> str:
        """A stored hit detail as people read it: :func:`formatting.tidy_detail`, codes with their names."""
        s = formatting.with_names(formatting.tidy_detail(text), items=self.items, staff=self.staff, depts=self.depts)
        s = _DIAGNOSIS_LIST.sub(lambda m: m.group(1) + self._code_list(m.group(2), self.diagnosis), s)
        s = _PROCEDURE_LIST.sub(lambda m: m.group(1) + self._code_list(m.group(2), self.operation) + m.group(3), s)
        return _SAME_DIAGNOSIS.sub(self._diagnosis, s) if self.diags else s

    def diagnosis(self, code: str) -> str:
        """A diagnosis code's name: its own, else its category's as :func:`_name_of` finds it (I63 → I63.900)."""
        return _name_of(self.diags, code)

    def operation(self, code: str) -> str:
        """A procedure code's (or prefix's) name from the case's operations table, as :meth:`diagnosis`."""
        return _name_of(self.oprns, code)

    @staticmethod
    def _code_list(text: str, name_of) -> str:
        """A knowledge-base list (``E10;E11;O24``) as people read it: ``E10、E11（2型糖尿病）、O24`` — each code
        with the name the case's own tables give it, the code alone where they give none."""
        out = []
        for code in (c.strip() for c in text.split(";")):
            if code:
                name = name_of(code)
                out.append(f"{code}（{name}）" if name else code)
        return "、".join(out)

    def _diagnosis(self, m: re.Match) -> str:
        name = self.diagnosis(m.group(1))
        return f"{m.group(0)}（{name}）" if name else m.group(0)

    def doctor(self, code: Any) -> str:
        """``D0301014 李秀静``; the code alone when the staff list does not name it."""
        return formatting.coded(code, self.staff.get(str(code)) if code is not None else None)

    def dept(self, code: Any) -> str:
        """A department's name (``心血管内科``); the code when it is not known."""
        if code is None or code == "":
            return ""
        return self.depts.get(str(code), str(code))


def _name_of(names: dict[str, str], code: str) -> str:
    """The name of ``code`` in ``names``; for a category or prefix (I63, 36.06) the name of its unspecified
    code (I63.900, I63.9, K35.x00, 36.0600); ``""`` when the case has none — a sub-code's own name
    (E11.000 2型糖尿病伴昏迷) is never given to the whole category."""
    if not code:
        return ""
    if code in names:
        return names[code]
    return next((n for c, n in sorted(names.items()) if c.startswith(code) and _UNSPECIFIED.fullmatch(c[len(code):])),
                "")


_UNSPECIFIED = re.compile(r"(?:\.[9x])?0*")  # .900 .9 .x00 00: the code that carries the category's name
# R18's 限定诊断 E10;E11;O24 and R17's 应为 36.06;36.07 开头的手术: the knowledge base's lists of code prefixes
_DIAGNOSIS_LIST = re.compile(r"(限定诊断 )([A-Z][0-9A-Za-z.]*(?:;[A-Z][0-9A-Za-z.]*)*)(?![0-9A-Za-z.;（(])")
_PROCEDURE_LIST = re.compile(r"(应为 )([0-9][0-9.]*(?:;[0-9][0-9.]*)*)( 开头的手术)")
# R11's 主要诊断同为 I63: the category (ICD-10 three characters) or code both stays share
_SAME_DIAGNOSIS = re.compile(r"诊断同为 ([A-Z]\d\d(?:\.[0-9A-Za-z]+)?)(?![0-9A-Za-z.（(])")
_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def name_directory(store) -> NameDirectory:
    """The case's names of codes (cached until the next import batch); empty maps without the tables."""
    key = len(store.import_batches())
    try:
        hit = _cache.get(store)
    except TypeError:
        hit = None
    if hit is not None and hit[0] == key:
        return hit[1]
    names = NameDirectory(items=_pairs(store, "fees", "med_list_codg", "med_list_name"),
                          staff=_pairs(store, "staff", "dr_codg", "dr_name"),
                          depts=_pairs(store, "visits", "adm_dept_codg", "adm_dept_name"),
                          staff_depts=_pairs(store, "staff", "dr_codg", "dept_codg"),
                          diags=_pairs(store, "diagnoses", "diag_code", "diag_name"),
                          oprns=_pairs(store, "operations", "oprn_code", "oprn_name"))
    try:
        _cache[store] = (key, names)
    except TypeError:
        pass
    return names


def _pairs(store, table: str, code: str, name: str) -> dict[str, str]:
    """code -> name over ``table`` (the first name seen for a code wins); {} without the table or columns."""
    out: dict[str, str] = {}
    if not store.has_table(table):
        return out
    try:
        for chunk in store.iter_table(table, [code, name]):
            if code not in chunk.column_names or name not in chunk.column_names:
                return out
            pairs = pa.table({"c": pc.cast(chunk[code], pa.string()), "n": pc.cast(chunk[name], pa.string())})
            pairs = pairs.filter(pc.and_(pc.is_valid(pairs["c"]), pc.is_valid(pairs["n"])))
            if not pairs.num_rows:
                continue
            first = pairs.group_by("c", use_threads=False).aggregate([("n", "first")])
            for c, n in zip(first["c"].to_pylist(), first["n_first"].to_pylist()):
                if c and n and c not in out:
                    out[c] = n
    except (KeyError, pa.ArrowInvalid):
        return out
    return out


def subject_names(subject: Optional[str], names: NameDirectory) -> tuple[str, str]:
    """(department, doctor) of a statistical hit's ``subject``: ``0301`` (a department), ``0301/D0301014``
    (a doctor in a department) or ``D0301002`` (a doctor), each as people read it."""
    if not subject:
        return "", ""
    if "/" in subject:
        dept, dr = subject.split("/", 1)
        return names.dept(dept), names.doctor(dr)
    if subject in names.staff or (subject not in names.depts and subject in names.staff_depts):
        return names.dept(names.staff_depts.get(subject)), names.doctor(subject)
    return names.dept(subject), ""
