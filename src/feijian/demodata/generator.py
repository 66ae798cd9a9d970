"""``generate()``: the demo hospital's extracts, knowledge base and planted-violation manifest.

Streams: encounters are built and written one department-month block at a time, so memory stays bounded
at any scale; only per item-month stock sums, the staff list and the planted encounters are kept.
Deterministic: every random choice comes from ``random.Random`` seeded with a string derived from
``seed`` (string seeds hash with SHA-512, never with Python's per-process hash seed), no "now" anywhere."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from typing import Optional

from feijian.demodata import background as bg
from feijian.demodata import document_files, documents, extras
from feijian.demodata.catalogue import LIST_TYPE_CODES, Hospital, kb_dir, load_hospital
from feijian.demodata.manifest import DemoManifest, Planted
from feijian.demodata.model import Encounter, money
from feijian.demodata.planted import Planter
from feijian.demodata import people
from feijian.demodata.writers import FILES, CsvTable, spec_for, write_xlsx
from feijian.domain.errors import Cancelled, InputError
from feijian.domain.progress import CancelledFn, ProgressFn, check_cancelled, report

STOCK_BUFFER = Decimal(20)  # stock units left on the shelf at every month end
GEND_ZH = {"1": "男", "2": "女"}
LONG_ORDER_CATEGORIES = {"bed", "nursing", "diet", "consultation"}
MAX_SCALE = 1000
RECORD_RULES = ("R24", "R25", "R26", "R27", "R28", "R29")


def file_form_encounters(planter: Planter) -> set:
    """The encounters whose documents the demo writes as files beside an index (the rest stay in 病历文书.csv
    with their text): every second encounter planted for R24–R29, in planting order, so that both forms hold
    planted hits and near misses. Planted encounters do not grow with the scale: the number of files stays a
    few hundred at any scale."""
    seen: dict[int, None] = {}
    for p in planter.hits + planter.near:
        if p.rule_code in RECORD_RULES and p.enc is not None:
            seen.setdefault(id(p.enc), None)
    return set(list(seen)[::2])


def generate(out_dir, *, seed: int = 7, scale: float = 1.0, progress: Optional[ProgressFn] = None,
             cancelled: Optional[CancelledFn] = None, paper: bool = False) -> DemoManifest:
    """Write one synthetic level-3 hospital's extracts to ``out_dir`` (see the package docstring). With
    ``paper``, a handful of record documents are photos and scans (demodata/paper_pages.py; only when the
    OCR extra is installed, else ``manifest.paper`` says why not)."""
    try:
        scale = float(scale)
        seed = int(seed)
    except (TypeError, ValueError):
        raise InputError("规模和种子须为数字 / scale and seed must be numbers") from None
    if not (0 < scale <= MAX_SCALE):
        raise InputError(f"规模须大于0且不超过{MAX_SCALE} / scale must be in (0, {MAX_SCALE}]: {scale}")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"输出位置不是目录 / not a folder: {out}")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        manifest = _Generation(out, seed, scale, progress, cancelled, written).run()
    except Cancelled:
        for p in written:
            p.unlink(missing_ok=True)
        raise
    if paper:
        from feijian.demodata.paper_pages import write_paper_pages

        pages = write_paper_pages(out, manifest.hits, seed=seed)
        manifest.paper = pages.summary()
        manifest.paper_documents = {k: {"kind": v[0], "file": v[1], "rule_code": v[2]}
                                    for k, v in pages.documents.items()}
        moved = len(pages.documents)  # from 病历文书.csv into the index, as page images
        if moved:
            text_csv = manifest.files[spec_for("emr_docs").file_name]
            text_csv["rows"] -= moved
            index = manifest.files.setdefault(document_files.INDEX_NAME, {
                "table": "emr_docs", "rows": 0, "encoding": document_files.INDEX_SPEC.encoding,
                "folder": document_files.FILES_DIR, "formats": {}})
            index["rows"] += moved
            for kind, _file, _rule in pages.documents.values():
                index["formats"][kind] = index["formats"].get(kind, 0) + 1
        manifest.write(out / "meta" / "planted.json")
    return manifest


class _Generation:
    def __init__(self, out: Path, seed: int, scale: float, progress, cancelled, written: list):
        self.out, self.seed, self.scale = out, seed, scale
        self.progress, self.cancelled, self.written = progress, cancelled, written
        self.hosp: Hospital = load_hospital()
        self.year = int(self.hosp.institution["year"])
        self.n_in = self.n_out = self.n_setl = self.n_trace = 0
        self.stock: dict[tuple[str, int], list] = {}
        self.clean_samples: dict[str, Encounter] = {}

    # ------------------------------------------------------------------
    def run(self) -> DemoManifest:
        hosp = self.hosp
        planter = Planter(hosp, self.seed)
        planter.plant_all()
        by_block: dict[tuple[int, str], list[Encounter]] = {}
        for enc in planter.encounters:
            by_block.setdefault((enc.admit_date.month, enc.dept), []).append(enc)
        planted_ids = {id(e) for e in planter.encounters}
        self.file_encs = file_form_encounters(planter)
        self.doc_files: dict[str, int] = {}
        special = {bg.doctor_code(hosp.department(c), i) for c, i in (*bg.S03_OUTLIERS, *bg.S04_OUTLIERS)}

        self.tables: dict[str, CsvTable] = {}
        for spec in FILES:
            if spec.encoding != "xlsx":
                self.written.append(self.out / spec.file_name)
                self.tables[spec.table] = CsvTable(self.out, spec)
        self.written.append(self.out / document_files.INDEX_NAME)
        self.doc_index = CsvTable(self.out, document_files.INDEX_SPEC)
        (self.out / document_files.FILES_DIR).mkdir(exist_ok=True)
        try:
            inst = hosp.institution
            self.tables["institution"].write({k: inst[k] for k in ("medins_code", "medins_name", "medins_lv",
                                                                   "medins_type")})
            persons = bg.People(hosp, prefix="0")
            total = 12 * len(hosp.departments)
            done = 0
            for month in range(1, 13):
                for dept in hosp.departments:
                    check_cancelled(self.cancelled)
                    encs = bg.block(hosp, dept, self.year, month, self.seed, self.scale, persons)
                    encs += by_block.pop((month, dept.code), [])
                    for enc in encs:
                        self.write_encounter(enc)
                        if id(enc) not in planted_ids and enc.inpatient and enc.doctor not in special \
                                and (dept.code, month) not in bg.S01_JUMPS:
                            self.clean_samples.setdefault(dept.code, enc)
                    done += 1
                    report(self.progress, done, total, f"{month}月 {dept.name}")
            assert not by_block, f"planted encounters outside the year: {sorted(by_block)}"
            r15 = self.write_inventory(planter)
        finally:
            for t in self.tables.values():
                t.close()
            self.doc_index.close()
        self.written.append(self.out / spec_for("staff").file_name)
        staff_rows = self.staff_rows(planter)
        write_xlsx(self.out / spec_for("staff").file_name, spec_for("staff"), staff_rows)
        self.copy_kb()
        hits = [p.to_json() for p in planter.hits + r15]
        hits.sort(key=lambda h: (h["rule_code"], h["mdtrt_id"], h["feedetl_sn"], h["med_list_codg"], h["date"],
                                 h["drord_no"], h["period_start"]))
        near = [p.to_json() for p in planter.near]
        near.sort(key=lambda h: (h["rule_code"], h["mdtrt_id"], h["feedetl_sn"]))
        files = {t.spec.file_name: {"table": t.spec.table, "rows": t.rows, "encoding": t.spec.encoding}
                 for t in self.tables.values()}
        files[document_files.INDEX_NAME] = {"table": "emr_docs", "rows": self.doc_index.rows,
                                            "encoding": document_files.INDEX_SPEC.encoding,
                                            "folder": document_files.FILES_DIR, "formats": dict(sorted(self.doc_files.items()))}
        files[spec_for("staff").file_name] = {"table": "staff", "rows": len(staff_rows), "encoding": "xlsx"}
        counts: dict[str, int] = {}
        for v in files.values():
            counts[v["table"]] = counts.get(v["table"], 0) + v["rows"]
        manifest = DemoManifest(
            out_dir=self.out, seed=self.seed, scale=self.scale, hits=hits, near_misses=near,
            statistical=[p.to_json() for p in planter.stat], files=files, counts=counts,
        )
        meta = self.out / "meta"
        (meta / "evidence").mkdir(parents=True, exist_ok=True)
        manifest.clues = extras.write_clues(meta / "clues.csv", planter, self.clean_samples, self.year)
        extras.write_evidence(meta / "evidence", planter, self.seed)
        manifest.write(meta / "planted.json")
        return manifest

    # ------------------------------------------------------------------
    def write_encounter(self, enc: Encounter) -> None:
        enc.number_lines()
        if enc.inpatient:
            self.n_in += 1
            enc.mdtrt_id = f"ZY{self.year}{self.n_in:07d}"
        else:
            self.n_out += 1
            enc.mdtrt_id = f"MZ{self.year}{self.n_out:08d}"
        t = self.tables
        t["visits"].write({
            "mdtrt_id": enc.mdtrt_id, "psn_no": enc.psn_no, "psn_name": enc.psn_name, "certno": enc.certno,
            "gend": GEND_ZH.get(enc.gend, enc.gend), "brdy": enc.brdy if enc.write_brdy else None,
            "age": enc.age, "insutype": enc.insutype, "med_type": enc.med_type, "begntime": enc.begntime,
            "endtime": enc.endtime, "dscg_way": enc.dscg_way, "adm_dept_codg": enc.dept,
            "adm_dept_name": enc.dept_name, "atddr_no": enc.doctor,
        })
        fees = t["fees"]
        lines = sorted(enc.lines, key=lambda l: l.sn)
        for line in lines:
            item = line.item
            fees.write({
                "feedetl_sn": line.sn, "mdtrt_id": enc.mdtrt_id,
                "init_feedetl_sn": line.refund_of.sn if line.refund_of is not None else None,
                "drord_no": line.drord or None, "fee_ocur_time": line.time, "med_list_codg": item.code,
                "medins_list_codg": item.local_code, "med_list_name": item.name,
                "list_type": LIST_TYPE_CODES[item.list_type], "cnt": line.cnt, "pric": line.pric,
                "det_item_fee_sumamt": line.amount, "bilg_dept_codg": line.dept, "bilg_dr_codg": line.dr,
                "chrgitm_lv": item.chrgitm_lv, "med_chrgitm_type": item.chrgitm_type,
                "inscp_scp_amt": line.amount if item.chrgitm_lv != "03" else Decimal("0.00"),
            })
            if item.stocked:
                acc = self.stock.setdefault((item.code, line.time.year * 100 + line.time.month), [Decimal(0), Decimal(0)])
                acc[0] += line.cnt
                acc[1] += line.amount
            if item.traced and line.refund_of is None:
                if line.trace is None:
                    self.n_trace += 1
                    line.trace = f"84{self.n_trace:018d}"
                t["trace_codes"].write({"mdtrt_id": enc.mdtrt_id, "feedetl_sn": line.sn, "trac_codg": line.trace})
        self.write_orders(enc, lines)
        for diag_type, code, name in enc.diagnoses:
            t["diagnoses"].write({"mdtrt_id": enc.mdtrt_id, "diag_type": diag_type, "diag_code": code,
                                  "diag_name": name})
        for code, name, day, dr in enc.operations:
            t["operations"].write({"mdtrt_id": enc.mdtrt_id, "oprn_code": code, "oprn_name": name,
                                   "oprn_date": day, "oper_dr_codg": dr})
        self.write_settlements(enc)
        self.write_documents(enc)

    def write_documents(self, enc: Encounter) -> None:
        docs = documents.build(enc, self.hosp)
        for hook in enc.doc_hooks:
            hook(docs)
        documents.number(enc, docs)
        as_files = id(enc) in self.file_encs
        w = (self.doc_index if as_files else self.tables["emr_docs"]).write
        zh = documents.TYPE_ZH
        for d in docs:
            row = {"doc_id": d.doc_id, "mdtrt_id": enc.mdtrt_id, "doc_type": zh[d.doc_type], "doc_time": d.time,
                   "author": d.author, "title": d.title, "text": d.text}
            if as_files:  # the text goes to a file beside the index (PDF, DOCX or GBK text)
                name, fmt, data = document_files.document_file(d.doc_id, d.text, d.title)
                path = self.out / document_files.FILES_DIR / name
                self.written.append(path)
                path.write_bytes(data)
                self.doc_files[fmt] = self.doc_files.get(fmt, 0) + 1
                d.file = f"{document_files.FILES_DIR}/{name}"
                row.update(text=None, file=d.file)
            w(row)

    def write_orders(self, enc: Encounter, lines: list) -> None:
        groups: dict[str, list] = {}
        for line in lines:
            if line.drord and line.drord not in enc.missing_orders:
                groups.setdefault(line.drord, []).append(line)
        for drord, group in sorted(groups.items()):
            item = group[0].item
            first = min(l.time for l in group)
            last = max(l.time for l in group)
            long = first.date() != last.date()
            total = sum((l.cnt for l in group), Decimal(0))
            if drord in enc.order_total_override:
                total_cnt = enc.order_total_override[drord]
            elif item.category in LONG_ORDER_CATEGORIES and long:
                total_cnt = None
            else:
                total_cnt = total
            self.tables["orders"].write({
                "drord_no": drord, "mdtrt_id": enc.mdtrt_id, "med_list_codg": item.code,
                "order_kind": "long" if long else "temp", "begin_time": first - dt.timedelta(minutes=30),
                "end_time": last if long else None, "total_cnt": total_cnt, "drord_dr_codg": enc.doctor,
            })

    def write_settlements(self, enc: Encounter) -> None:
        total = enc.total()
        amounts = [total]
        for kind, value in enc.settlement_amounts or ():
            if kind == "delta":
                amounts = [total + value]
            elif kind == "split":
                part = money(total * value)
                amounts = [part, total - part]
        when = enc.endtime or (enc.begntime + dt.timedelta(hours=1))
        for k, amount in enumerate(amounts):
            self.n_setl += 1
            fund = money(amount * Decimal("0.7")) if enc.inpatient else money(amount * Decimal("0.5"))
            acct = money((amount - fund) * Decimal("0.5")) if enc.insutype == "310" else Decimal("0.00")
            self.tables["settlements"].write({
                "setl_id": f"JS{self.year}{self.n_setl:08d}", "mdtrt_id": enc.mdtrt_id,
                "setl_time": when - dt.timedelta(days=len(amounts) - 1 - k), "medfee_sumamt": amount,
                "hifp_pay": fund, "acct_pay": acct, "psn_cash_pay": amount - fund - acct,
            })

    # ------------------------------------------------------------------
    def write_inventory(self, planter: Planter) -> list[Planted]:
        short = {(code, month): (excess, note) for code, month, excess, note in planter.inventory_shortfalls}
        exact = {(code, month) for code, month, note in planter.inventory_exact}
        hits: list[Planted] = []
        stocked = sorted((i for i in self.hosp.items.values() if i.stocked), key=lambda i: i.code)
        inv = self.tables["inventory"]
        for item in stocked:
            opening = STOCK_BUFFER
            for month in range(1, 13):
                cnt, amount = self.stock.get((item.code, self.year * 100 + month), (Decimal(0), Decimal(0)))
                r = item.pack_ratio
                key = (item.code, month)
                if key in short:
                    excess, note = short[key]
                    assert r == 1 and cnt >= excess, (item.code, month, cnt)
                    used = cnt - excess
                    start = dt.date(self.year, month, 1)
                    hits.append(Planted("R15", "item-period", note, med_list_codg=item.code, period_start=start,
                                        amount=excess * amount / cnt))
                elif key in exact:
                    assert r == 1
                    used = cnt
                    planter.near.append(Planted("R15", "item-period", next(n for c, m, n in planter.inventory_exact
                                                                         if (c, m) == key),
                                                med_list_codg=item.code, period_start=dt.date(self.year, month, 1),
                                                amount=None))
                else:
                    used = max(Decimal(0), (cnt / r).to_integral_value(rounding=ROUND_CEILING))
                closing = STOCK_BUFFER
                purchased = used + closing - opening
                start = dt.date(self.year, month, 1)
                end = (dt.date(self.year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
                inv.write({"med_list_codg": item.code, "period_start": start, "period_end": end,
                           "opening_qty": opening, "purchased_qty": purchased, "closing_qty": closing,
                           "pack_ratio": r})
                opening = closing
        return hits

    def staff_rows(self, planter: Planter) -> list[dict]:
        rng = random.Random(f"feijian-demo/{self.seed}/staff")
        rows = []
        for dept in self.hosp.departments:
            for j in range(dept.n_doctors):
                gend = rng.choice("12")
                rows.append({"dr_codg": bg.doctor_code(dept, j), "dr_name": people.person_name(rng, self.hosp.names, gend),
                             "dept_codg": dept.code,
                             "practice_from": dt.date(rng.randint(1998, 2020), rng.randint(1, 12), 1),
                             "practice_to": None})
        for extra in planter.extra_staff:
            rows.append({"dr_codg": extra["dr_codg"], "dr_name": people.person_name(rng, self.hosp.names, "1"),
                         "dept_codg": extra["dept_codg"], "practice_from": extra["practice_from"],
                         "practice_to": extra["practice_to"]})
        return rows

    def copy_kb(self) -> None:
        dest = self.out / "kb"
        dest.mkdir(exist_ok=True)
        for src in sorted(kb_dir().glob("*.csv")):
            shutil.copyfile(src, dest / src.name)
            self.written.append(dest / src.name)
