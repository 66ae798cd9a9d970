"""A second, deliberately plain implementation of the rules of ../shared/docs/rules.md (R01–R23) and
../shared/docs/records.md (R24–R29, the medical record documents), written for the demo-data tests from the
rules' text: it reads the written files back (by their headers, through the
data contract's aliases) and lists the hits it finds. It shares no code with the generator, so agreement
between the two is evidence that the planted manifest is what the data says."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import unicodedata
import zipfile
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from xml.etree import ElementTree

from feijian.domain.contract import load_contract

TOL = Decimal("0.005")
GEND = {"男": "1", "女": "2"}
LIST_TYPE = {"101": "drug", "102": "drug", "201": "service", "301": "material", "1": "drug", "2": "service",
             "3": "material"}


def cents(x: Decimal) -> str:
    return str(x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _dt(text: str):
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M"):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            pass
    raise ValueError(text)


def _d(text):
    if isinstance(text, dt.datetime):
        return text.date()
    text = (text or "").strip()
    return dt.date.fromisoformat(text) if text else None


def _dec(text):
    text = (text or "").strip()
    return Decimal(text) if text else None


def read_table(folder: Path, file_name: str, table: str, encoding: str) -> list[dict]:
    spec = load_contract().table(table)
    path = Path(folder) / file_name
    if encoding == "xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(path, read_only=True).worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        header = [spec.field_for_header(h).name for h in rows[0]]
        return [{h: ("" if v is None else v) for h, v in zip(header, r)} for r in rows[1:]]
    with open(path, encoding=encoding, newline="") as fh:
        sample = fh.readline()
        fh.seek(0)
        delim = "|" if "|" in sample else ","
        reader = csv.reader(fh, delimiter=delim)
        header = [spec.field_for_header(h).name for h in next(reader)]
        return [dict(zip(header, r)) for r in reader]


def file_text(path: Path) -> str:
    """A document file's text as records.md defines it (its elements joined with line breaks), read with
    other tools than the import's: poppler's pdftotext for a PDF's text layer, the DOCX's XML paragraphs with
    the standard library, a text file in UTF-8 or else GBK/GB18030."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True).stdout
        return "\n".join(line for line in out.decode("utf-8").replace("\f", "\n").split("\n") if line)
    if suffix == ".docx":
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        with zipfile.ZipFile(path) as z:
            body = ElementTree.fromstring(z.read("word/document.xml")).find(f"{w}body")
        return "\n".join("".join(x.text or "" for x in p.iter(f"{w}t")) for p in body.iter(f"{w}p"))
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ValueError(f"undecodable text file {path}")


class Data:
    def __init__(self, folder: Path, files: dict):
        t = {}
        for name, info in files.items():  # a table may come in several files (emr_docs: a CSV and an index)
            t.setdefault(info["table"], []).extend(read_table(folder, name, info["table"], info["encoding"]))
        for r in t.get("emr_docs", []):
            if r.get("file"):
                r["text"] = file_text(Path(folder) / r["file"])
        kb = Path(folder) / "kb"
        for name in ("kb_items", "kb_exclusive_pairs", "kb_procedure_materials", "kb_thresholds", "kb_item_terms"):
            with open(kb / f"{name}.csv", encoding="utf-8", newline="") as fh:
                t[name] = list(csv.DictReader(fh))
        self.t = t
        self.level = t["institution"][0]["medins_lv"]
        self.items = {r["med_list_codg"]: r for r in t["kb_items"]}
        self.thr = {r["name"]: r["value"] for r in t["kb_thresholds"]}
        self.visits = {}
        for v in t["visits"]:
            self.visits[v["mdtrt_id"]] = {
                "psn": v["psn_no"], "gend": GEND.get(v["gend"], v["gend"]), "brdy": _d(v["brdy"]),
                "age": _dec(v["age"]), "med_type": v["med_type"], "begn": _dt(v["begntime"]),
                "end": _dt(v["endtime"]), "dscg": v["dscg_way"], "dept": v["adm_dept_codg"], "dr": v["atddr_no"],
            }
        self.lines = []
        for f in t["fees"]:
            self.lines.append({
                "m": f["mdtrt_id"], "sn": f["feedetl_sn"], "init": f["init_feedetl_sn"], "drord": f["drord_no"],
                "time": _dt(f["fee_ocur_time"]), "code": f["med_list_codg"],
                "lt": LIST_TYPE.get(f["list_type"], f["list_type"]), "cnt": Decimal(f["cnt"]),
                "pric": Decimal(f["pric"]), "amt": Decimal(f["det_item_fee_sumamt"]), "dr": f["bilg_dr_codg"],
            })
        by_key = {(l["m"], l["sn"]): l for l in self.lines}
        for l in self.lines:
            l["net_cnt"], l["net_amt"] = l["cnt"], l["amt"]
        for l in self.lines:
            if l["init"]:
                o = by_key[(l["m"], l["init"])]
                o["net_cnt"] += l["cnt"]
                o["net_amt"] += l["amt"]
        self.net = [l for l in self.lines if not l["init"] and l["net_cnt"] > 0]
        self.by_key = by_key

    def inpatient(self, m: str) -> bool:
        mt = self.visits[m]["med_type"]
        return mt.startswith("2") or mt == "52"

    def stay(self, m: str):
        v = self.visits[m]
        a, d = v["begn"].date(), v["end"].date()
        return a, d, max(1, (d - a).days)


def _sortkey(l):
    return (l["time"], l["m"], l["sn"])


def screen(data: Data) -> dict:
    """{(rule, mdtrt_id, feedetl_sn, med_list_codg, date, drord_no, period_start): amount}"""
    hits: dict = {}
    items = data.items

    def line_hit(rule, l, amount=None):
        hits[(rule, l["m"], l["sn"], "", "", "", "")] = l["net_amt"] if amount is None else amount

    staff = {r["dr_codg"]: r for r in data.t["staff"]}
    # R01
    groups = defaultdict(list)
    for l in data.net:
        groups[(l["m"], l["code"], l["time"].replace(second=0), l["net_cnt"], l["pric"])].append(l)
    for g in groups.values():
        for l in sorted(g, key=_sortkey)[1:]:
            line_hit("R01", l)
    for l in data.net:
        it = items.get(l["code"], {})
        v = data.visits[l["m"]]
        cap = _dec(it.get(f"price_cap_l{data.level}", ""))
        if cap is not None and l["pric"] > cap + TOL:
            line_hit("R02", l, (l["pric"] - cap) * l["net_cnt"])
        if it.get("gender_limit") and v["gend"] in ("1", "2") and v["gend"] != it["gender_limit"]:
            line_hit("R03", l)
        day = l["time"].date()
        if v["brdy"]:
            b = v["brdy"]
            age = Decimal(day.year - b.year - ((day.month, day.day) < (b.month, b.day)))
        else:
            age = v["age"]
        lo, hi = _dec(it.get("age_min")), _dec(it.get("age_max"))
        if age is not None and ((lo is not None and age < lo) or (hi is not None and age > hi)):
            line_hit("R04", l)
        if data.inpatient(l["m"]):
            a, d, _ = data.stay(l["m"])
            if day < a or day > d:
                line_hit("R05", l)
        if v["dscg"] == "5" and v["end"] and l["time"] > v["end"]:
            line_hit("R06", l)
        if it.get("inpatient_only") == "1" and not data.inpatient(l["m"]):
            line_hit("R22", l)
        if l["dr"]:
            s = staff.get(l["dr"])
            if s is None or (s["practice_from"] and day < _d(s["practice_from"])) or \
                    (s["practice_to"] and day > _d(s["practice_to"])):
                line_hit("R19", l)
    # R07
    present_visit = defaultdict(set)
    present_day = defaultdict(set)
    for l in data.net:
        present_visit[l["m"]].add(l["code"])
        present_day[(l["m"], l["time"].date())].add(l["code"])
    for pair in data.t["kb_exclusive_pairs"]:
        for l in data.net:
            if l["code"] != pair["code_b"]:
                continue
            have = present_visit[l["m"]] if pair["scope"] == "visit" else present_day[(l["m"], l["time"].date())]
            if pair["code_a"] in have:
                line_hit("R07", l)
    # R08, R09, R21
    per_day = defaultdict(lambda: [Decimal(0), Decimal(0)])
    per_visit = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for l in data.lines:
        for acc in (per_day[(l["m"], l["code"], l["time"].date())], per_visit[(l["m"], l["code"])]):
            acc[0] += l["cnt"]
            acc[1] += l["amt"]
    for (m, code, day), (c, a) in per_day.items():
        lim = _dec(items.get(code, {}).get("max_units_per_day"))
        if lim is not None and c > lim:
            hits[("R08", m, "", code, day.isoformat(), "", "")] = (c - lim) * (a / c)
    for (m, code), (c, a) in per_visit.items():
        it = items.get(code, {})
        lim = _dec(it.get("max_units_per_visit"))
        if lim is not None and c > lim:
            hits[("R09", m, "", code, "", "", "")] = (c - lim) * (a / c)
        if it.get("category") == "bed" and data.inpatient(m):
            _, _, n = data.stay(m)
            if c > n:
                hits[("R21", m, "", code, "", "", "")] = (c - n) * (a / c)
    # R10, R11, R20
    net_by_m = defaultdict(list)
    for l in data.net:
        net_by_m[l["m"]].append(l)
    by_psn = defaultdict(list)
    for m, v in data.visits.items():
        by_psn[v["psn"]].append(m)
    diag = defaultdict(list)
    for r in data.t["diagnoses"]:
        diag[r["mdtrt_id"]].append(r)
    principal = {m: next((r["diag_code"] for r in rs if r["diag_type"] == "1"), "") for m, rs in diag.items()}
    readmit = int(data.thr.get("readmit_days", 30))
    for psn, ms in by_psn.items():
        inp = sorted((m for m in ms if data.inpatient(m)), key=lambda m: (data.visits[m]["begn"], m))
        for m in ms:
            if data.inpatient(m):
                continue
            day = data.visits[m]["begn"].date()
            if any(data.stay(i)[0] < day < data.stay(i)[1] for i in inp):
                for l in net_by_m[m]:
                    line_hit("R10", l)
        for k in range(1, len(inp)):
            prev, cur = inp[k - 1], inp[k]
            gap = (data.stay(cur)[0] - data.stay(prev)[1]).days
            if gap <= readmit and principal.get(cur, "")[:3] == principal.get(prev, "")[:3]:
                hits[("R11", cur, "", "", "", "", "")] = Decimal(0)
            a, _, n = data.stay(cur)
            for e in inp[:k]:
                ea, _, en = data.stay(e)
                if a < ea + dt.timedelta(days=en) and ea < a + dt.timedelta(days=n):
                    hits[("R20", cur, "", "", "", "", "")] = Decimal(0)
    # R12
    idle_days = int(data.thr.get("idle_bed_days", 3))
    for m in data.visits:
        if not data.inpatient(m):
            continue
        a, d, _ = data.stay(m)
        busy = {l["time"].date() for l in net_by_m[m]
                if items.get(l["code"], {}).get("category") not in ("bed", "nursing", "diet")}
        run = 0
        day = a + dt.timedelta(days=1)
        while day < d:
            run = 0 if day in busy else run + 1
            if run >= idle_days:
                hits[("R12", m, "", "", "", "", "")] = Decimal(0)
            day += dt.timedelta(days=1)
    # R13, R14
    orders = {(o["mdtrt_id"], o["drord_no"]): o for o in data.t["orders"]}
    for l in data.net:
        lt = l["lt"] or items.get(l["code"], {}).get("list_type")
        if data.inpatient(l["m"]) and lt in ("drug", "service") and (not l["drord"] or (l["m"], l["drord"]) not in orders):
            line_hit("R13", l)
    under = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for l in data.lines:
        if l["drord"]:
            acc = under[(l["m"], l["drord"])]
            acc[0] += l["cnt"]
            acc[1] += l["amt"]
    for key, o in orders.items():
        total = _dec(o["total_cnt"])
        c, a = under.get(key, (Decimal(0), Decimal(0)))
        if total is not None and c > total:
            hits[("R14", key[0], "", "", "", key[1], "")] = (c - total) * (a / c)
    # R15
    by_item = defaultdict(list)
    for l in data.lines:
        by_item[l["code"]].append(l)
    for r in data.t["inventory"]:
        s, e = _d(r["period_start"]), _d(r["period_end"])
        sel = [l for l in by_item[r["med_list_codg"]] if s <= l["time"].date() <= e]
        c = sum((l["cnt"] for l in sel), Decimal(0))
        a = sum((l["amt"] for l in sel), Decimal(0))
        avail = (Decimal(r["opening_qty"]) + Decimal(r["purchased_qty"]) - Decimal(r["closing_qty"])) * \
            (_dec(r["pack_ratio"]) or Decimal(1))
        if c > avail:
            hits[("R15", "", "", r["med_list_codg"], "", "", s.isoformat())] = (c - avail) * (a / c)
    # R16
    by_code = defaultdict(list)
    for r in data.t["trace_codes"]:
        l = data.by_key[(r["mdtrt_id"], r["feedetl_sn"])]
        if not l["init"] and l["net_cnt"] > 0:
            by_code[r["trac_codg"]].append(l)
    for g in by_code.values():
        for l in sorted(g, key=_sortkey)[1:]:
            line_hit("R16", l)
    # R17, R18
    ops = defaultdict(list)
    for r in data.t["operations"]:
        ops[r["mdtrt_id"]].append(r["oprn_code"])
    pm = {r["material_codg"]: [p for p in r["oprn_prefixes"].split(";") if p] for r in data.t["kb_procedure_materials"]}
    for l in data.net:
        if l["code"] in pm and not any(c.startswith(p) for c in ops[l["m"]] for p in pm[l["code"]]):
            line_hit("R17", l)
        lim = [p for p in items.get(l["code"], {}).get("dx_limit", "").split(";") if p]
        if lim and not any(r["diag_code"].startswith(p) for r in diag[l["m"]] for p in lim):
            line_hit("R18", l)
    records(data, hits)
    # R23
    setl = defaultdict(Decimal)
    for r in data.t["settlements"]:
        setl[r["mdtrt_id"]] += Decimal(r["medfee_sumamt"])
    fee_sum = defaultdict(Decimal)
    for l in data.lines:
        fee_sum[l["m"]] += l["amt"]
    for m in data.visits:
        diff = setl[m] - fee_sum[m]
        if abs(diff) >= Decimal("0.015"):
            hits[("R23", m, "", "", "", "", "")] = diff if diff > 0 else Decimal(0)
    return hits


# --- records.md: reading the documents ------------------------------------------------------------
DOC_TYPES = {"入院记录": "admission", "病程记录": "progress", "手术记录": "operation", "麻醉记录": "anesthesia",
             "护理记录": "nursing", "检查报告": "exam_report", "检验报告": "lab_report", "治疗记录": "treatment",
             "出院记录": "discharge", "其他": "other"}
CUES = ["未行", "未予", "未做", "未查", "未使用", "未植入", "未置入", "取消", "拒绝", "停用", "放弃"]
ABSENCE = "请假离院;请假外出;外出未归;未在病房;不在病房;离院未归"
UNITS = "枚;根;个;支;条;套;片"
NUMERALS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _norm(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace()).lower()


def _list(value: str) -> list:
    return [_norm(x) for x in (value or "").split(";") if _norm(x)]


def _clauses(text: str) -> list:
    """Cut the text as read, then normalise each clause."""
    return [_norm(c) for c in re.split(r"\r\n|[\r\n，。；;！？!?]", text or "")]


def _places(clause: str, terms: list) -> list:
    """(start, end) of the mentions in a clause; a place inside a longer matched place counts once."""
    spans = set()
    for t in terms:
        i = clause.find(t)
        while i >= 0:
            spans.add((i, i + len(t)))
            i = clause.find(t, i + 1)
    return sorted(s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans))


def _negated(clause: str, start: int) -> bool:
    """A cue ending at or before the mention's start, in its clause."""
    return any(c in clause[:start] for c in CUES)


def _value(run: str) -> int:
    if run.isdigit() and run.isascii():
        return int(run)
    if "十" in run:
        tens, _, units = run.partition("十")
        return (NUMERALS[tens] if tens else 1) * 10 + (NUMERALS[units] if units else 0)
    return int("".join(str(NUMERALS[c]) for c in run))


def _count(clause: str, end: int, units: list) -> int:
    for m in re.finditer(r"[0-9]+|[零一二两三四五六七八九十]+", clause[end:]):
        if any(clause[end + m.end():].startswith(u) for u in units):
            return _value(m.group())
    return 1


def _mentions(text: str, terms: list) -> list:
    """(clause, end) of every non-negated mention."""
    out = []
    for c in _clauses(text):
        out += [(c, e) for s, e in _places(c, terms) if not _negated(c, s)]
    return out


def records(data: Data, hits: dict) -> None:
    """R24–R29 of records.md."""
    items, docs = data.items, defaultdict(list)
    for r in data.t.get("emr_docs", []):
        typ = DOC_TYPES.get(r["doc_type"], r["doc_type"])
        docs[r["mdtrt_id"]].append({"type": typ, "date": _dt(r["doc_time"]).date(), "text": r["text"]})
    terms = {r["med_list_codg"]: {"types": [t for t in r["doc_types"].split(";") if t], "terms": _list(r["terms"]),
                                  "units": _list(r["unit_words"]) or _list(UNITS)} for r in data.t["kb_item_terms"]}

    def mentioned(m, code, types, lo, hi):
        return any(d["type"] in types and lo <= d["date"] <= hi and _mentions(d["text"], terms[code]["terms"])
                   for d in docs[m])

    report_days = int(data.thr.get("report_days", 3))
    nursing = [c for c in terms if items.get(c, {}).get("category") == "nursing"]
    absence = _list(data.thr.get("absence_terms") or ABSENCE)
    one = dt.timedelta(days=1)
    for l in data.net:
        code, m, day = l["code"], l["m"], l["time"].date()
        key = (l["m"], l["sn"], "", "", "", "")
        t = terms.get(code)
        cat = items.get(code, {}).get("category")
        if t and {"exam_report", "lab_report"} & set(t["types"]) and \
                not mentioned(m, code, t["types"], day, day + dt.timedelta(days=report_days)):
            hits[("R24",) + key] = l["net_amt"]
        if t and "operation" in t["types"] and cat != "high_value_material" and \
                not mentioned(m, code, t["types"], day - one, day + one):
            hits[("R25",) + key] = l["net_amt"]
        if t and cat == "nursing":
            others = [c for c in nursing if c != code]
            if any(mentioned(m, c, ["nursing"], day, day) for c in others) and \
                    not mentioned(m, code, ["nursing"], day, day):
                hits[("R27",) + key] = l["net_amt"]
        if cat in ("bed", "nursing", "diet") and data.inpatient(m) and data.visits[m]["end"]:
            a, d, _ = data.stay(m)
            if a < day < d and any(x["type"] in ("nursing", "progress") and x["date"] == day
                                   and _mentions(x["text"], absence) for x in docs[m]):
                hits[("R29",) + key] = l["net_amt"]
    materials = {r["material_codg"] for r in data.t["kb_procedure_materials"]}
    per_visit = defaultdict(lambda: [Decimal(0), Decimal(0)])
    per_day = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for l in data.lines:
        for acc in (per_visit[(l["m"], l["code"])], per_day[(l["m"], l["code"], l["time"].date())]):
            acc[0] += l["cnt"]
            acc[1] += l["amt"]
    for (m, code), (c, a) in per_visit.items():
        t = terms.get(code)
        if code in materials and t:
            documented = 0
            for d in docs[m]:
                if d["type"] in t["types"]:
                    counts = [_count(cl, e, t["units"]) for cl, e in _mentions(d["text"], t["terms"])]
                    documented += max(counts, default=0)
            if c > documented:
                hits[("R26", m, "", code, "", "", "")] = (c - documented) * a / c
    for (m, code, day), (c, a) in per_day.items():
        t = terms.get(code)
        if t and "treatment" in t["types"]:
            recorded = sum(1 for d in docs[m] if d["type"] == "treatment" and d["date"] == day
                           and _mentions(d["text"], t["terms"]))
            if c > recorded:
                hits[("R28", m, "", code, day.isoformat(), "", "")] = (c - recorded) * a / c


def manifest_key(h: dict) -> tuple:
    return (h["rule_code"], h["mdtrt_id"], h["feedetl_sn"], h["med_list_codg"], h["date"], h["drord_no"],
            h["period_start"])
